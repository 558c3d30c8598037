// SPDX-License-Identifier: GPL-3.0-or-later
pragma solidity ^0.8.24;

/// @title IZkinferVerifier
/// @notice What the registry needs from a model's verifier: the generated Solidity verifier
///         (prover/codegen) has these functions (the constants as public constants).
/// @dev    Declared view so that the registry calls them with STATICCALL: a verifier cannot change
///         state, so it cannot re-enter the registry's writes.
interface IZkinferVerifier {
    /// @return true iff `proof` is valid for `publicInputs`; reverts on malformed input.
    function verifyProof(bytes calldata proof, uint256[] calldata publicInputs) external view returns (bool);

    /// @return true iff every proof is valid for its public inputs, decided with one pairing.
    function verifyProofs(bytes[] calldata proofs, uint256[][] calldata publicInputs) external view returns (bool);

    /// @return keccak256 of the canonical bytes of the verification key the verifier checks
    ///         proofs against (docs/protocol.md §3.10).
    function VK_DIGEST() external view returns (bytes32);

    /// @return the number of public inputs every proof has under that key.
    function PUBLIC_INPUT_COUNT() external view returns (uint256);

    /// @return keccak256 of the canonical bytes of the public-input layout the key binds
    ///         (docs/protocol.md §3.10): which public inputs are the model's input and outputs.
    function LAYOUT_DIGEST() external view returns (bytes32);

    /// @return where that layout puts the model's input among the public inputs: a hashed input
    ///         is its one Poseidon commitment, a private or undeclared one is empty (count 0).
    function INPUT_OFFSET() external view returns (uint256);
    function INPUT_COUNT() external view returns (uint256);

    /// @return where that layout puts the model's outputs (as for the input).
    function OUTPUT_OFFSET() external view returns (uint256);
    function OUTPUT_COUNT() external view returns (uint256);

    /// @return true if the key was built on a locally generated SRS (`--dev-srs`): then its proofs
    ///         prove nothing. The registry keeps it in each model version.
    function INSECURE_DEV_SRS() external view returns (bool);
}
