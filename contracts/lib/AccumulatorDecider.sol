// SPDX-License-Identifier: GPL-3.0-or-later
pragma solidity ^0.8.24;

/// @title AccumulatorDecider
/// @notice Decides a KZG accumulator (A, B) in G1 with one call to the BN254 pairing
///         precompile: accepts iff e(A, [1]_2) * e(-B, [tau]_2) == 1.
/// @dev    [tau]_2 is fixed at deployment; it comes from the SRS the verification key was built on.
contract AccumulatorDecider {
    /// BN254 base-field modulus p.
    uint256 internal constant Q = 21888242871839275222246405745257275088696311157297823662689037894645226208583;

    error CoordinateNotInField();
    error PairingPrecompileFailed();

    // [tau]_2 as the precompile expects it: x = x1*i + x0 is written (x1, x0), likewise y.
    uint256 internal immutable tauX1;
    uint256 internal immutable tauX0;
    uint256 internal immutable tauY1;
    uint256 internal immutable tauY0;

    constructor(uint256[4] memory tauG2) {
        tauX1 = tauG2[0];
        tauX0 = tauG2[1];
        tauY1 = tauG2[2];
        tauY0 = tauG2[3];
    }

    /// @return ok true iff e(A, [1]_2) == e(B, [tau]_2).
    function decide(uint256[2] calldata a, uint256[2] calldata b) external view returns (bool ok) {
        // The precompile rejects coordinates >= p itself, but a named error is clearer than a failed call.
        if (a[0] >= Q || a[1] >= Q || b[0] >= Q || b[1] >= Q) revert CoordinateNotInField();
        uint256[12] memory input;
        input[0] = a[0];
        input[1] = a[1];
        // [1]_2, the standard BN254 G2 generator.
        input[2] = 11559732032986387107991004021392285783925812861821192530917403151452391805634;
        input[3] = 10857046999023057135944570762232829481370756359578518086990519993285655852781;
        input[4] = 4082367875863433681332203403145435568316851327593401208105741076214120093531;
        input[5] = 8495653923123431417604973247489272438418190587263600148770280649306958101930;
        input[6] = b[0];
        // -B = (x, p - y); the point at infinity (0, 0) is its own negation.
        input[7] = b[1] == 0 ? 0 : Q - b[1];
        input[8] = tauX1;
        input[9] = tauX0;
        input[10] = tauY1;
        input[11] = tauY0;
        uint256[1] memory out;
        bool success;
        assembly ("memory-safe") {
            success := staticcall(gas(), 0x08, input, 384, out, 32)
        }
        if (!success) revert PairingPrecompileFailed();
        ok = out[0] == 1;
    }
}
