// SPDX-License-Identifier: GPL-3.0-or-later
pragma solidity ^0.8.24;

import {IZkinferVerifier} from "../interfaces/IZkinferVerifier.sol";
import {TestLayout} from "./TestLayout.sol";

/// @title AcceptAllVerifier
/// @notice A dishonest verifier for tests: it names whatever key the deployer picks and accepts
///         every proof. The registry's checks of its constants cannot tell it from an honest one;
///         the pinned code hash, the versions' activation delay, the SDK's probe with a random
///         proof and `zkinfer audit --check` must.
contract AcceptAllVerifier is TestLayout {
    bytes32 public immutable VK_DIGEST;
    uint256 public immutable PUBLIC_INPUT_COUNT;
    bool public constant INSECURE_DEV_SRS = false;

    constructor(bytes32 vkDigest, uint256 publicInputCount, bytes32 layoutDigest, uint256[4] memory ranges) TestLayout(layoutDigest, ranges) {
        VK_DIGEST = vkDigest;
        PUBLIC_INPUT_COUNT = publicInputCount;
    }

    function verifyProof(bytes calldata, uint256[] calldata) external pure returns (bool) {
        return true;
    }

    function verifyProofs(bytes[] calldata, uint256[][] calldata) external pure returns (bool) {
        return true;
    }
}
