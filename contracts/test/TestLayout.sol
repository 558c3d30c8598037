// SPDX-License-Identifier: GPL-3.0-or-later
pragma solidity ^0.8.24;

import {IZkinferVerifier} from "../interfaces/IZkinferVerifier.sol";

/// @title TestLayout
/// @notice The public-input layout constants of a verifier (IZkinferVerifier's LAYOUT_DIGEST and
///         INPUT_/OUTPUT_OFFSET and _COUNT), set by the deployer, for the registry's test verifiers.
abstract contract TestLayout is IZkinferVerifier {
    bytes32 public immutable LAYOUT_DIGEST;
    uint256 public immutable INPUT_OFFSET;
    uint256 public immutable INPUT_COUNT;
    uint256 public immutable OUTPUT_OFFSET;
    uint256 public immutable OUTPUT_COUNT;

    /// @param ranges input offset, input count, output offset, output count.
    constructor(bytes32 layoutDigest, uint256[4] memory ranges) {
        LAYOUT_DIGEST = layoutDigest;
        INPUT_OFFSET = ranges[0];
        INPUT_COUNT = ranges[1];
        OUTPUT_OFFSET = ranges[2];
        OUTPUT_COUNT = ranges[3];
    }
}
