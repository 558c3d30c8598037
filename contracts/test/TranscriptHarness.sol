// SPDX-License-Identifier: GPL-3.0-or-later
pragma solidity ^0.8.24;

import {KeccakTranscript} from "../lib/KeccakTranscript.sol";

/// @title TranscriptHarness
/// @notice Test-only: runs a list of transcript operations through KeccakTranscript so tests can
///         compare it with the TypeScript transcript and the golden vectors.
contract TranscriptHarness {
    using KeccakTranscript for KeccakTranscript.State;

    uint8 internal constant OP_SCALARS = 0;
    uint8 internal constant OP_G1 = 1;
    uint8 internal constant OP_BYTES = 2;
    uint8 internal constant OP_CHALLENGE = 3;

    /// One operation. data: packed 32-byte scalars, packed 64-byte points, or raw bytes;
    /// count: the number of challenges for OP_CHALLENGE.
    struct Op {
        uint8 kind;
        bytes31 label;
        bytes data;
        uint256 count;
    }

    error UnknownOp(uint8 kind);

    /// @param viaCalldata true: use the calldata entry points (absorb*Packed, absorbBytesCalldata,
    ///        challenges); false: the memory and single-value ones (absorbScalar(s), absorbG1(s),
    ///        absorbBytes, challenge when count is 1).
    /// @return states the state after init and after each operation
    /// @return outputs every challenge, in order
    function run(bytes31 protocol, Op[] calldata ops, bool viaCalldata)
        external
        pure
        returns (bytes32[] memory states, uint256[] memory outputs)
    {
        states = new bytes32[](ops.length + 1);
        uint256 total;
        for (uint256 i; i < ops.length; ++i) {
            if (ops[i].kind == OP_CHALLENGE) total += ops[i].count;
        }
        outputs = new uint256[](total);
        KeccakTranscript.State memory t = KeccakTranscript.init(protocol);
        states[0] = t.state;
        uint256 next;
        for (uint256 i; i < ops.length; ++i) {
            Op calldata op = ops[i];
            if (op.kind == OP_SCALARS) {
                if (viaCalldata) t.absorbScalarsPacked(op.label, op.data);
                else _absorbScalarsMemory(t, op.label, op.data);
            } else if (op.kind == OP_G1) {
                if (viaCalldata) t.absorbG1Packed(op.label, op.data);
                else _absorbG1sMemory(t, op.label, op.data);
            } else if (op.kind == OP_BYTES) {
                if (viaCalldata) t.absorbBytesCalldata(op.label, op.data);
                else t.absorbBytes(op.label, op.data);
            } else if (op.kind == OP_CHALLENGE) {
                if (!viaCalldata && op.count == 1) {
                    outputs[next++] = t.challenge(op.label);
                } else {
                    uint256[] memory cs = t.challenges(op.label, op.count);
                    for (uint256 j; j < cs.length; ++j) outputs[next++] = cs[j];
                }
            } else {
                revert UnknownOp(op.kind);
            }
            states[i + 1] = t.state;
        }
    }

    /// Absorbs a calldata uint256[] (the verifier's public-input path) after init.
    function absorbScalarArray(bytes31 protocol, bytes31 label, uint256[] calldata xs)
        external
        pure
        returns (bytes32)
    {
        KeccakTranscript.State memory t = KeccakTranscript.init(protocol);
        t.absorbScalarsCalldata(label, xs);
        return t.state;
    }

    /// Gas of single operations on a fresh transcript, measured with gasleft().
    /// @return g [absorbScalar, absorbG1, absorbG1Packed of `points`, challenge, challenges(label, 4)]
    function gasProfile(bytes calldata points) external view returns (uint256[5] memory g) {
        KeccakTranscript.State memory t = KeccakTranscript.init(bytes31("gas"));
        uint256 before = gasleft();
        t.absorbScalar(bytes31("s"), 12345);
        g[0] = before - gasleft();
        before = gasleft();
        t.absorbG1(bytes31("g"), 1, 2);
        g[1] = before - gasleft();
        before = gasleft();
        t.absorbG1Packed(bytes31("gs"), points);
        g[2] = before - gasleft();
        before = gasleft();
        t.challenge(bytes31("c"));
        g[3] = before - gasleft();
        before = gasleft();
        t.challenges(bytes31("cs"), 4);
        g[4] = before - gasleft();
    }

    function _absorbScalarsMemory(KeccakTranscript.State memory t, bytes31 label, bytes calldata data)
        private
        pure
    {
        uint256 n = data.length / 32;
        if (n == 1) {
            t.absorbScalar(label, uint256(bytes32(data[0:32])));
            return;
        }
        uint256[] memory xs = new uint256[](n);
        for (uint256 i; i < n; ++i) xs[i] = uint256(bytes32(data[32 * i:32 * i + 32]));
        t.absorbScalars(label, xs);
    }

    function _absorbG1sMemory(KeccakTranscript.State memory t, bytes31 label, bytes calldata data) private pure {
        uint256 n = data.length / 64;
        if (n == 1) {
            t.absorbG1(label, uint256(bytes32(data[0:32])), uint256(bytes32(data[32:64])));
            return;
        }
        uint256[2][] memory pts = new uint256[2][](n);
        for (uint256 i; i < n; ++i) {
            pts[i][0] = uint256(bytes32(data[64 * i:64 * i + 32]));
            pts[i][1] = uint256(bytes32(data[64 * i + 32:64 * i + 64]));
        }
        t.absorbG1s(label, pts);
    }
}
