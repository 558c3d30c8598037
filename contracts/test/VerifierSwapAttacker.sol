// SPDX-License-Identifier: GPL-3.0-or-later
pragma solidity ^0.8.24;

import {InferenceRegistry} from "../InferenceRegistry.sol";
import {IZkinferVerifier} from "../interfaces/IZkinferVerifier.sol";

/// @title VerifierSwapAttacker
/// @notice A model owner's contract that tries to forge a record in one transaction: point the
///         model at an accept-all verifier, submit a bogus proof, point it back at the honest one.
///         The submission is wrapped in try/catch, so the transaction succeeds (and the swaps stay)
///         whether or not the registry records it; `recorded` says which.
contract VerifierSwapAttacker {
    InferenceRegistry public immutable registry;
    bytes32 public modelId;
    bool public recorded;

    constructor(InferenceRegistry registry_) {
        registry = registry_;
    }

    function register(bytes32 vkDigest, IZkinferVerifier verifier) external {
        modelId = registry.registerModel(vkDigest, verifier, "");
    }

    function attack(IZkinferVerifier acceptAll, IZkinferVerifier honest, bytes calldata proof, uint256[] calldata publicInputs) external {
        registry.setVerifier(modelId, acceptAll);
        try registry.submitInference(modelId, proof, publicInputs, bytes32(0), 1) {
            recorded = true;
        } catch {
            recorded = false;
        }
        registry.setVerifier(modelId, honest);
    }
}
