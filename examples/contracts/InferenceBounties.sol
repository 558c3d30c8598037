// SPDX-License-Identifier: GPL-3.0-or-later
pragma solidity ^0.8.24;

import {InferenceRegistry} from "../../contracts/InferenceRegistry.sol";

/// @title InferenceBounties (example: a contract that consumes zkinfer records)
/// @notice Anyone escrows ETH for the answer of one model on one input (named by its input hash:
///         for a hashed input, the Poseidon commitment the proof binds). Whoever gets a proof of
///         that inference recorded in the registry is paid, and the proven outputs become the
///         contract's answer. It pays only for a record the registry holds, of (model, input hash,
///         outputs), checked by the verifier code pinned here.
/// @dev    The pattern: never trust words a caller passes; hand the record's words (from its
///         InferenceRecorded event: the SDK's InferenceRecord, or recordWords(record)) to the
///         registry's isRecorded, which checks them against the one word it stores for the record,
///         and check the words relied on: the model, the code hash of the audited verifier
///         (`zkinfer audit --check <model dir>` prints it), so that records checked by any other
///         verifier the model's owner points the model at never pay, the input hash and the
///         outputs' hash. Copy it into a project that depends on zkinfer with
///         `import {InferenceRegistry} from "zkinfer/contracts/InferenceRegistry.sol";`.
contract InferenceBounties {
    InferenceRegistry public immutable registry;
    bytes32 public immutable modelId;
    /// EXTCODEHASH of the verifier generated from the model's key (compileModelVerifier(...).codeHash).
    bytes32 public immutable verifierCodeHash;

    struct Bounty {
        uint256 amount;
        /// The record that settled it (zero while open).
        bytes32 recordId;
        /// keccak256(abi.encode(outputs)) of the proven outputs, once settled.
        bytes32 answerHash;
    }

    mapping(bytes32 inputHash => Bounty) public bounties;

    event BountyPosted(bytes32 indexed inputHash, address indexed sponsor, uint256 amount);
    event BountyPaid(bytes32 indexed inputHash, bytes32 indexed recordId, address indexed prover, uint256 amount, uint256[] outputs);

    error NoBounty(bytes32 inputHash);
    error AlreadySettled(bytes32 inputHash);
    error NotProven(bytes32 inputHash);
    error PaymentFailed(address prover);

    constructor(InferenceRegistry registry_, bytes32 modelId_, bytes32 verifierCodeHash_) {
        registry = registry_;
        modelId = modelId_;
        verifierCodeHash = verifierCodeHash_;
    }

    /// @notice Adds the sent ETH to the bounty for the model's answer on `inputHash`.
    function post(bytes32 inputHash) external payable {
        Bounty storage b = bounties[inputHash];
        if (b.recordId != bytes32(0)) revert AlreadySettled(inputHash);
        b.amount += msg.value;
        emit BountyPosted(inputHash, msg.sender, msg.value);
    }

    /// @notice Pays the bounty on `r.inputHash` to the submitter of record `r`, if the registry
    ///         holds it and it proves that the model, checked by the pinned verifier code, gives
    ///         `outputs` on that input; keeps those outputs as the answer. Anyone may call.
    function settle(InferenceRegistry.Record calldata r, uint256[] calldata outputs) external returns (bytes32 recordId) {
        Bounty storage b = bounties[r.inputHash];
        if (b.recordId != bytes32(0)) revert AlreadySettled(r.inputHash);
        if (b.amount == 0) revert NoBounty(r.inputHash);
        if (r.modelId != modelId || r.codeHash != verifierCodeHash || r.outputHash != keccak256(abi.encodePacked(outputs)) || !registry.isRecorded(r)) {
            revert NotProven(r.inputHash);
        }
        (recordId, ) = registry.hashRecord(r);
        uint256 amount = b.amount;
        b.amount = 0;
        b.recordId = recordId;
        b.answerHash = keccak256(abi.encode(outputs));
        emit BountyPaid(r.inputHash, recordId, r.submitter, amount, outputs);
        (bool ok,) = r.submitter.call{value: amount}("");
        if (!ok) revert PaymentFailed(r.submitter);
    }
}
