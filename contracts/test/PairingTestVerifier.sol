// SPDX-License-Identifier: GPL-3.0-or-later
pragma solidity ^0.8.24;

import {AccumulatorDecider} from "../lib/AccumulatorDecider.sol";
import {IZkinferVerifier} from "../interfaces/IZkinferVerifier.sol";
import {TestLayout} from "./TestLayout.sol";

/// @title PairingTestVerifier
/// @notice A small but real pairing-based verifier for registry tests that need many cheap proofs.
///         Statement: for h = keccak256(public inputs) mod r, the proof (A, B) satisfies
///         e(A - h*G, [1]_2) = e(B, [tau]_2), i.e. A = tau*B + h*G. Without tau nobody can make a
///         proof for new public inputs; tests know tau and prove with it. Like a generated verifier
///         it names its key (VK_DIGEST, any digest the test picks), takes exactly
///         PUBLIC_INPUT_COUNT public inputs, reports a public-input layout (TestLayout) and says
///         whether it is INSECURE_DEV_SRS, so the registry's checks of all of them apply to it.
/// @dev    Proof bytes: abi.encode(uint256[2] A, uint256[2] B). A batch folds its claims with a
///         challenge drawn from all proofs and inputs and decides them with one pairing.
contract PairingTestVerifier is AccumulatorDecider, TestLayout {
    uint256 internal constant R = 21888242871839275222246405745257275088548364400416034343698204186575808495617;

    bytes32 public immutable VK_DIGEST;
    uint256 public immutable PUBLIC_INPUT_COUNT;
    bool public immutable INSECURE_DEV_SRS;

    error MalformedProof();
    error WrongPublicInputCount(uint256 count, uint256 expected);

    constructor(uint256[4] memory tauG2, bytes32 vkDigest, uint256 publicInputCount, bool insecureDevSrs, bytes32 layoutDigest, uint256[4] memory ranges)
        AccumulatorDecider(tauG2)
        TestLayout(layoutDigest, ranges)
    {
        VK_DIGEST = vkDigest;
        PUBLIC_INPUT_COUNT = publicInputCount;
        INSECURE_DEV_SRS = insecureDevSrs;
    }

    function verifyProof(bytes calldata proof, uint256[] calldata publicInputs) external view returns (bool) {
        (uint256[2] memory a, uint256[2] memory b) = _claim(proof, publicInputs);
        return this.decide(a, b);
    }

    function verifyProofs(bytes[] calldata proofs, uint256[][] calldata publicInputs) external view returns (bool) {
        if (proofs.length == 0 || proofs.length != publicInputs.length) revert MalformedProof();
        uint256 nu = uint256(keccak256(abi.encode(proofs, publicInputs))) % R;
        uint256 power = 1;
        uint256[2] memory accA;
        uint256[2] memory accB;
        for (uint256 i = 0; i < proofs.length; i++) {
            (uint256[2] memory a, uint256[2] memory b) = _claim(proofs[i], publicInputs[i]);
            accA = _add(accA, _mul(a, power));
            accB = _add(accB, _mul(b, power));
            power = mulmod(power, nu, R);
        }
        return this.decide(accA, accB);
    }

    /// (A - h*G, B) for one proof.
    function _claim(bytes calldata proof, uint256[] calldata publicInputs)
        private
        view
        returns (uint256[2] memory a, uint256[2] memory b)
    {
        if (proof.length != 128) revert MalformedProof();
        if (publicInputs.length != PUBLIC_INPUT_COUNT) revert WrongPublicInputCount(publicInputs.length, PUBLIC_INPUT_COUNT);
        (a, b) = abi.decode(proof, (uint256[2], uint256[2]));
        uint256 h = uint256(keccak256(abi.encodePacked(publicInputs))) % R;
        // -h*G = (R - h)*G; G = (1, 2).
        a = _add(a, _mul([uint256(1), uint256(2)], R - h));
    }

    function _add(uint256[2] memory p, uint256[2] memory q) private view returns (uint256[2] memory out) {
        uint256[4] memory input = [p[0], p[1], q[0], q[1]];
        bool ok;
        assembly ("memory-safe") {
            ok := staticcall(gas(), 0x06, input, 128, out, 64)
        }
        if (!ok) revert MalformedProof();
    }

    function _mul(uint256[2] memory p, uint256 s) private view returns (uint256[2] memory out) {
        uint256[3] memory input = [p[0], p[1], s];
        bool ok;
        assembly ("memory-safe") {
            ok := staticcall(gas(), 0x07, input, 96, out, 64)
        }
        if (!ok) revert MalformedProof();
    }
}
