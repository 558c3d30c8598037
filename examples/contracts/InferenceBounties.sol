// SPDX-License-Identifier: GPL-3.0-or-later
pragma solidity ^0.8.24;

import {InferenceRegistry} from "../../contracts/InferenceRegistry.sol";

/// @title InferenceBounties (example: a contract that consumes zkinfer records)
/// @notice Anyone escrows ETH for the answer of one model on one input (named by its input hash:
///         for a hashed input, the Poseidon commitment the proof binds). Whoever gets a proof of
///         that inference recorded in the registry is paid, and the proven outputs become the
///         contract's answer. It pays only for a record the registry holds, of (model, input hash,
///         outputs), checked by the verifier code pinned here: the earliest such record (lowest seq)
///         presented before the claim window closes.
/// @dev    The pattern: never trust words a caller passes; hand the record's words (from its
///         InferenceRecorded event: the SDK's InferenceRecord, or recordWords(record)) to the
///         registry's isRecorded, which checks them against the one word it stores for the record,
///         and check the words relied on: the model, the code hash of the audited verifier
///         (`zkinfer audit --check <model dir>` prints it), so that records checked by any other
///         verifier the model's owner points the model at never pay, the input hash and the
///         outputs' hash. The registry keeps no "first record of a claim", and anyone may record a
///         published proof again under their own address, so a consumer that rewards a record's
///         submitter must not pay whichever record its caller hands over: a copycat could record
///         the prover's proof after it was mined and claim first. Records of one model are ordered
///         by their bound seq, so the bounty lets an earlier record displace a later claim until
///         the window closes, then pays. Copy it into a project that depends on zkinfer with
///         `import {InferenceRegistry} from "zkinfer/contracts/InferenceRegistry.sol";`.
contract InferenceBounties {
    /// How long after the first claim an earlier record may still displace it (the first prover
    /// watches the bounty's BountyClaimed events and presents its record within it).
    uint256 public constant CLAIM_WINDOW = 1 days;

    InferenceRegistry public immutable registry;
    bytes32 public immutable modelId;
    /// EXTCODEHASH of the verifier generated from the model's key (compileModelVerifier(...).codeHash).
    bytes32 public immutable verifierCodeHash;

    struct Bounty {
        uint256 amount;
        /// The claiming record: the earliest presented so far (zero while unclaimed).
        bytes32 recordId;
        /// keccak256(abi.encode(outputs)) of the proven outputs, once claimed.
        bytes32 answerHash;
        /// The claiming record's submitter, who is paid, and its position among the model's records.
        address prover;
        uint64 seq;
        /// The end of the claim window (the first claim's time + CLAIM_WINDOW); zero while unclaimed.
        uint48 closesAt;
        bool paid;
    }

    mapping(bytes32 inputHash => Bounty) public bounties;

    event BountyPosted(bytes32 indexed inputHash, address indexed sponsor, uint256 amount);
    event BountyClaimed(bytes32 indexed inputHash, bytes32 indexed recordId, address indexed prover, uint64 seq, uint256[] outputs);
    event BountyPaid(bytes32 indexed inputHash, bytes32 indexed recordId, address indexed prover, uint256 amount);

    error NoBounty(bytes32 inputHash);
    error AlreadySettled(bytes32 inputHash);
    error NotProven(bytes32 inputHash);
    /// The bounty is claimed by record `claim`, which the registry made no later than the one presented.
    error NotFirst(bytes32 inputHash, bytes32 claim);
    error ClaimOpen(bytes32 inputHash, uint256 closesAt);
    error ClaimClosed(bytes32 inputHash);
    error Unclaimed(bytes32 inputHash);
    error PaymentFailed(address prover);

    constructor(InferenceRegistry registry_, bytes32 modelId_, bytes32 verifierCodeHash_) {
        registry = registry_;
        modelId = modelId_;
        verifierCodeHash = verifierCodeHash_;
    }

    /// @notice Adds the sent ETH to the bounty for the model's answer on `inputHash`.
    function post(bytes32 inputHash) external payable {
        Bounty storage b = bounties[inputHash];
        if (b.paid) revert AlreadySettled(inputHash);
        b.amount += msg.value;
        emit BountyPosted(inputHash, msg.sender, msg.value);
    }

    /// @notice Claims the bounty on `r.inputHash` for the submitter of record `r`, if the registry
    ///         holds it and it proves that the model, checked by the pinned verifier code, gives
    ///         `outputs` on that input, and no earlier record (lower seq) has claimed it; the first
    ///         claim opens a window of CLAIM_WINDOW. Anyone may call.
    function settle(InferenceRegistry.Record calldata r, uint256[] calldata outputs) external returns (bytes32 recordId) {
        Bounty storage b = bounties[r.inputHash];
        if (b.paid) revert AlreadySettled(r.inputHash);
        if (b.amount == 0) revert NoBounty(r.inputHash);
        if (r.modelId != modelId || r.codeHash != verifierCodeHash || r.outputHash != keccak256(abi.encodePacked(outputs)) || !registry.isRecorded(r)) {
            revert NotProven(r.inputHash);
        }
        if (b.recordId == bytes32(0)) {
            b.closesAt = uint48(block.timestamp + CLAIM_WINDOW);
        } else {
            if (block.timestamp > b.closesAt) revert ClaimClosed(r.inputHash);
            if (r.seq >= b.seq) revert NotFirst(r.inputHash, b.recordId);
        }
        (recordId, ) = registry.hashRecord(r);
        b.recordId = recordId;
        b.answerHash = keccak256(abi.encode(outputs));
        b.prover = r.submitter;
        b.seq = r.seq;
        emit BountyClaimed(r.inputHash, recordId, r.submitter, r.seq, outputs);
    }

    /// @notice Once the claim window has closed, pays the bounty to the claiming record's submitter.
    ///         Anyone may call.
    function pay(bytes32 inputHash) external {
        Bounty storage b = bounties[inputHash];
        if (b.paid) revert AlreadySettled(inputHash);
        if (b.recordId == bytes32(0)) revert Unclaimed(inputHash);
        if (block.timestamp <= b.closesAt) revert ClaimOpen(inputHash, b.closesAt);
        uint256 amount = b.amount;
        address prover = b.prover;
        b.amount = 0;
        b.paid = true;
        emit BountyPaid(inputHash, b.recordId, prover, amount);
        (bool ok,) = prover.call{value: amount}("");
        if (!ok) revert PaymentFailed(prover);
    }
}
