// SPDX-License-Identifier: GPL-3.0-or-later
pragma solidity ^0.8.24;

import {IZkinferVerifier} from "../interfaces/IZkinferVerifier.sol";

/// @title OddVerifier
/// @notice For registry tests of how a verifier's constants are read: answers VK_DIGEST(),
///         INSECURE_DEV_SRS() (with `flag`, which may be a word other than a bool),
///         PUBLIC_INPUT_COUNT() (and any call it does not know) and the layout's constants (0: no
///         ranges) from its fallback, after `work` rounds of hashing, with only
///         the first `answerBytes` bytes of the ABI-encoded word. It verifies nothing.
contract OddVerifier {
    bytes32 private immutable _digest;
    uint256 private immutable _count;
    uint256 private immutable _work;
    uint256 private immutable _answerBytes;
    uint256 private immutable _flag;

    constructor(bytes32 digest, uint256 count, uint256 work, uint256 answerBytes, uint256 flag) {
        _digest = digest;
        _count = count;
        _flag = flag;
        _work = work;
        _answerBytes = answerBytes;
    }

    fallback(bytes calldata input) external returns (bytes memory answer) {
        uint256 x;
        for (uint256 i = 0; i < _work; i++) x = uint256(keccak256(abi.encode(x, i)));
        // Uses the hashes, so that no optimizer drops the loop; 1 is never reached in practice.
        if (x == 1) revert();
        bytes4 selector = input.length >= 4 ? bytes4(input[:4]) : bytes4(0);
        if (selector == IZkinferVerifier.VK_DIGEST.selector) answer = abi.encode(_digest);
        else if (selector == IZkinferVerifier.INSECURE_DEV_SRS.selector) answer = abi.encode(_flag);
        else if (selector != IZkinferVerifier.PUBLIC_INPUT_COUNT.selector) answer = abi.encode(0); // layout: no ranges
        else answer = abi.encode(_count);
        uint256 length = _answerBytes < answer.length ? _answerBytes : answer.length;
        assembly ("memory-safe") {
            mstore(answer, length)
        }
    }
}
