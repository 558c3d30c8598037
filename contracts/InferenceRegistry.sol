// SPDX-License-Identifier: GPL-3.0-or-later
pragma solidity ^0.8.24;

import {IZkinferVerifier} from "./interfaces/IZkinferVerifier.sol";

/// @title InferenceRegistry
/// @notice Registers models (verification-key digest, public-input layout, metadata URI, owner)
///         with an append-only history of model versions (the verifier, its pinned code hash, its
///         key digest and dev-SRS flag, the block it took effect), and anchors an audit record for
///         every inference whose proof the model's current version accepts. docs/protocol.md
///         ("Audit records") states what a record does and does not prove.
/// @dev    Pinned verifier code. At registration and at every verifier change the registry reads the
///         verifier's EXTCODEHASH and keeps it in a new version; every submission reverts with
///         VerifierCodeChanged unless the verifier's code hash is still the pinned one (a verifier
///         redeployed in place with CREATE2 after a self-destruct, or with its code replaced, is
///         refused). A version added by setVerifier checks submissions from the next block on:
///         until then the previous version does, so no single transaction or block can swap in a
///         verifier, record through it and swap back; a version that checks a record has been the
///         model's current version in the state at the end of some block, for anyone to see.
///         Versions are never changed or removed, and each record names the version that checked
///         it. The pin fixes the verifier's own code; whether that code is the verifier zkinfer
///         generates from the model's key is what `zkinfer audit --check` establishes off-chain.
///
///         Where the input and the outputs sit among a proof's public inputs is fixed when the model
///         is registered (its PublicInputLayout), so the registry derives the input and output
///         hashes from the proven public inputs itself and never trusts a caller-supplied hash. The
///         layout is read from the verifier (LAYOUT_DIGEST, INPUT_/OUTPUT_OFFSET and _COUNT: the
///         public-input layout its key binds), never taken from the caller, and every later
///         verifier of the model must report the same; the input and output ranges may not overlap.
///         Like the key digest, these are the verifier's own answers: that they are the ones zkinfer
///         generates from the key is covered by the pinned code hash that `zkinfer audit --check`
///         compares.
///           inputHash  = keccak256 of the input words    publicInputs[inputOffset  .. +inputCount],
///                        or zero when inputCount is 0 (a private input: the record attests the
///                        outputs, not which input produced them)
///           outputHash = keccak256 of the output words   publicInputs[outputOffset .. +outputCount]
///         (each word 32 bytes big-endian, concatenated; no outputs hash the empty string).
///         With a hashed input the input range is the one Poseidon commitment, with a public input
///         the input itself.
///
///         Records: anyone may submit a valid proof, and the record names its submitter. Record ids
///         are keccak256(abi.encode(modelId, publicInputDigest, submitter, nonce)) with
///         publicInputDigest = keccak256 of all public-input words and a nonce the submitter picks:
///         never the proof bytes, which can be re-randomised. The same id twice is refused
///         (RecordExists), which makes retries safe; the same inference submitted again with another
///         nonce, or by someone else, is a second record, never an overwrite. A record stores one
///         slot, its record hash keccak256(abi.encode(recordId, version, codeHash, timestamp, seq,
///         inputHash, outputHash, ref)): with the id it is stored under, it binds every word of the
///         record (model, public-input digest, submitter, nonce through the id; the version that
///         checked it and that version's pinned code hash, the block time, the record's position seq
///         among its model's records, the input and output hashes, the submitter's reference). The
///         words themselves are in the record's InferenceRecorded event (the outputs whole, their
///         hash left to the reader, the code hash left to the version), so a reader checks a node's
///         log against the one stored word, and a consuming contract checks the words it is handed
///         with isRecorded. seq is the model's recordCount before the record (0, 1, 2, … in the
///         order records were made). The registry keeps no list or index of record ids: the events,
///         indexed by record id, model and submitter, list them; seq fixes their order and
///         recordCount their number, so a reader tells which records a node left out or moved.
///         docs/protocol.md §10.3 says what each stored word is for.
///
///         Verifiers are called through a view interface (STATICCALL) and state is written only
///         after they return, so no call path re-enters the registry. Writes have no loop except
///         over the caller's own batch, which is capped at MAX_BATCH.
contract InferenceRegistry {
    /// Proofs per submitInferences call. A batch must fit in one transaction, whose gas EIP-7825
    /// caps at 2^24 = 16,777,216. With the smallest generated verifier (matvec 2x4: 6 public
    /// inputs, 2^9 rows; Hardhat 3.18, cancun) a batch costs about 278k gas plus 255.5k per proof
    /// (verification, calldata and the record: 4,366,555 gas for 16 proofs, 8,455,056 for 32,
    /// measured when a record wrote four slots; it writes one now, so a proof costs less), so no
    /// batch of more than 64 proofs fits, and models with more public inputs fit fewer.
    /// 32 uses about 50% of the cap on that model; SDKs split larger sets by estimated gas.
    uint256 public constant MAX_BATCH = 32;
    /// Gas for each read of a verifier's constant at registration and verifier update: a
    /// generated verifier's getter needs a few hundred, and a contract that burns more is refused.
    uint256 public constant VERIFIER_QUERY_GAS = 30_000;

    struct PublicInputLayout {
        /// Public inputs per proof.
        uint32 count;
        uint32 inputOffset;
        uint32 inputCount;
        uint32 outputOffset;
        uint32 outputCount;
    }

    /// One verifier of a model. Version ids count from 1 across all models of the registry.
    struct ModelVersion {
        bytes32 modelId;
        IZkinferVerifier verifier;
        /// The first block whose submissions this version checks.
        uint48 firstBlock;
        /// The verifier's INSECURE_DEV_SRS: its key was built on a development SRS, proofs prove nothing.
        bool insecureDevSrs;
        /// The version that checks submissions before firstBlock (0 for a model's first version).
        uint32 previous;
        /// The verifier's EXTCODEHASH when the version was added.
        bytes32 codeHash;
        bytes32 vkDigest;
    }

    /// A model as getModel returns it.
    struct ModelInfo {
        address owner;
        /// Proposed by transferModelOwnership; becomes the owner when it calls acceptModelOwnership.
        address pendingOwner;
        bool deprecated;
        uint48 registeredAtBlock;
        bytes32 vkDigest;
        PublicInputLayout publicInputLayout;
        /// keccak256 of the public-input layout the model's key binds (its verifiers' LAYOUT_DIGEST).
        bytes32 layoutDigest;
        string metadataURI;
        /// The version that checks submissions in the current block.
        uint32 currentVersion;
        /// Every version of the model, oldest first (the last may take effect only in the next block).
        uint32[] versions;
    }

    /// A record's words, as its InferenceRecorded event gives them (outputHash: keccak256 of the
    /// event's outputs; codeHash: the pinned code hash of the version). isRecorded checks them
    /// against the one word the registry stores for the record.
    struct Record {
        bytes32 modelId;
        /// keccak256 of all public-input words.
        bytes32 publicInputDigest;
        address submitter;
        uint256 nonce;
        /// The model version whose verifier accepted the proof, and that version's pinned code hash.
        uint32 version;
        bytes32 codeHash;
        /// The block timestamp of the submission.
        uint48 timestamp;
        /// The record's position among its model's records, from 0.
        uint64 seq;
        /// keccak256 of the input's words (zero for a private input) and of the output words.
        bytes32 inputHash;
        bytes32 outputHash;
        /// The submitter's reference.
        bytes32 ref;
    }

    // Storage. A model's first slot holds everything a submission reads and writes of it.
    struct Model {
        uint32 count;
        uint32 inputOffset;
        uint32 inputCount;
        uint32 outputOffset;
        uint32 outputCount;
        /// The model's newest version (0: no such model).
        uint32 latestVersion;
        bool deprecated;
        /// Records of the model so far. It shares the slot a submission reads first, so counting a
        /// record writes a warm slot that is already nonzero (2,900 gas, 100 for each further
        /// record of a batch) and needs no slot of its own.
        uint56 recordCount;
        address owner;
        uint48 registeredAtBlock;
        address pendingOwner;
        bytes32 vkDigest;
        bytes32 layoutDigest;
        string metadataURI;
    }

    /// The model version that checks a submission, as the records and events name it.
    struct Checker {
        bytes32 modelId;
        uint32 version;
        IZkinferVerifier verifier;
        bytes32 codeHash;
    }

    event ModelRegistered(bytes32 indexed modelId, address indexed owner, bytes32 vkDigest, PublicInputLayout publicInputLayout, string metadataURI);
    /// Every version, the first one (at registration) included.
    event ModelVersionAdded(
        bytes32 indexed modelId,
        uint32 indexed version,
        address verifier,
        bytes32 codeHash,
        bytes32 vkDigest,
        bool insecureDevSrs,
        uint48 firstBlock,
        uint32 previous
    );
    event ModelMetadataUpdated(bytes32 indexed modelId, string metadataURI);
    event ModelOwnershipTransferStarted(bytes32 indexed modelId, address indexed owner, address indexed pendingOwner);
    event ModelOwnershipTransferred(bytes32 indexed modelId, address indexed previousOwner, address indexed newOwner);
    event ModelDeprecated(bytes32 indexed modelId);
    /// Every word of a record but the two a reader derives: its version's code hash (and
    /// verifier) from getVersion, its output hash from the outputs.
    event InferenceRecorded(
        bytes32 indexed recordId,
        bytes32 indexed modelId,
        address indexed submitter,
        /// The record's position among its model's records, from 0 (the model's recordCount before it).
        uint64 seq,
        uint32 version,
        uint48 timestamp,
        bytes32 publicInputDigest,
        bytes32 inputHash,
        bytes32 ref,
        uint256 nonce,
        uint256[] outputs
    );

    error UnknownModel(bytes32 modelId);
    error UnknownVersion(uint32 version);
    error NotModelOwner(bytes32 modelId, address caller);
    error NotPendingOwner(bytes32 modelId, address caller);
    error ModelIsDeprecated(bytes32 modelId);
    error NotAContract(address account);
    error ZeroAddress();
    /// The verifier's layout has an input or output range outside its public inputs, or the two overlap.
    error BadLayout();
    error PublicInputCountMismatch(uint256 expected, uint256 actual);
    /// The verifier has code but no VK_DIGEST(), PUBLIC_INPUT_COUNT() or INSECURE_DEV_SRS() that
    /// answers a word (a bool for the last) within VERIFIER_QUERY_GAS.
    error NotAZkinferVerifier(address verifier);
    /// The verifier's VK_DIGEST is `actual`, not the model's verification-key digest `expected`.
    error VerifierKeyMismatch(bytes32 expected, bytes32 actual);
    /// The verifier's PUBLIC_INPUT_COUNT is `actual`, not the layout's count `expected`.
    error VerifierPublicInputCountMismatch(uint256 expected, uint256 actual);
    /// The verifier's public-input layout (LAYOUT_DIGEST `actual`, or its input and output ranges)
    /// is not the model's (`expected`).
    error VerifierLayoutMismatch(bytes32 expected, bytes32 actual);
    /// The code at the version's verifier address is no longer the code pinned when the version
    /// was added (replaced, self-destructed and redeployed, or gone); nothing is recorded until the
    /// owner adds a version with a verifier whose code is trusted.
    error VerifierCodeChanged(bytes32 modelId, uint32 version, address verifier, bytes32 pinned, bytes32 actual);
    /// The verifier returned false.
    error InvalidProof(bytes32 modelId);
    /// The verifier reverted (a malformed proof or public input); `reason` is its revert data.
    error ProofRejected(bytes32 modelId, bytes reason);
    error RecordExists(bytes32 recordId);
    error BatchLengthMismatch();
    error BatchSize(uint256 size, uint256 max);

    mapping(bytes32 modelId => Model) private _models;
    bytes32[] private _modelIds;
    mapping(uint32 version => ModelVersion) private _versions;
    uint32 private _versionCount;
    mapping(bytes32 modelId => uint32[]) private _modelVersions;
    /// A record's one stored word: its record hash (never zero, never changed once written).
    mapping(bytes32 recordId => bytes32 recordHash) private _records;

    modifier onlyModelOwner(bytes32 modelId) {
        Model storage m = _existing(modelId);
        if (m.owner != msg.sender) revert NotModelOwner(modelId, msg.sender);
        _;
    }

    // -----------------------------------------------------------------------------------------
    // Models

    /// @notice Registers a model owned by the caller, with `verifier` as its version 1 (effective
    ///         at once: there is no earlier version). The model's public-input layout is the
    ///         verifier's (LAYOUT_DIGEST, PUBLIC_INPUT_COUNT, INPUT_/OUTPUT_OFFSET and _COUNT).
    /// @param vkDigest The model's verification-key digest; `verifier` must hold this key
    ///        (VK_DIGEST() equal to it).
    /// @return modelId keccak256(abi.encode(chainid, this registry, caller, vkDigest, models so far)).
    function registerModel(bytes32 vkDigest, IZkinferVerifier verifier, string calldata metadataURI) external returns (bytes32 modelId) {
        modelId = keccak256(abi.encode(block.chainid, address(this), msg.sender, vkDigest, _modelIds.length));
        Model storage m = _models[modelId];
        m.vkDigest = vkDigest;
        PublicInputLayout memory l;
        (m.layoutDigest, l) = _readLayout(verifier);
        m.count = l.count;
        m.inputOffset = l.inputOffset;
        m.inputCount = l.inputCount;
        m.outputOffset = l.outputOffset;
        m.outputCount = l.outputCount;
        m.registeredAtBlock = uint48(block.number);
        m.owner = msg.sender;
        m.metadataURI = metadataURI;
        _modelIds.push(modelId);
        emit ModelRegistered(modelId, msg.sender, vkDigest, l, metadataURI);
        _addVersion(modelId, m, verifier, block.number, 0);
    }

    function setMetadataURI(bytes32 modelId, string calldata metadataURI) external onlyModelOwner(modelId) {
        _models[modelId].metadataURI = metadataURI;
        emit ModelMetadataUpdated(modelId, metadataURI);
    }

    /// @notice Adds a model version with another verifier of the same verification key (e.g. one
    ///         generated by a newer code generator), effective from the next block; the key digest
    ///         and layout stay, and the verifier must hold that key and report that layout.
    /// @return version the new version's id.
    function setVerifier(bytes32 modelId, IZkinferVerifier verifier) external onlyModelOwner(modelId) returns (uint32 version) {
        Model storage m = _models[modelId];
        (uint32 current, ) = _currentVersion(m);
        return _addVersion(modelId, m, verifier, block.number + 1, current);
    }

    /// @notice Proposes `newOwner` as the model's owner; it takes over when it calls
    ///         acceptModelOwnership. The zero address cancels a proposal.
    function transferModelOwnership(bytes32 modelId, address newOwner) external onlyModelOwner(modelId) {
        _models[modelId].pendingOwner = newOwner;
        emit ModelOwnershipTransferStarted(modelId, msg.sender, newOwner);
    }

    /// @notice Makes the caller the model's owner, if the owner proposed it.
    function acceptModelOwnership(bytes32 modelId) external {
        Model storage m = _existing(modelId);
        if (m.pendingOwner != msg.sender) revert NotPendingOwner(modelId, msg.sender);
        address previous = m.owner;
        m.owner = msg.sender;
        m.pendingOwner = address(0);
        emit ModelOwnershipTransferred(modelId, previous, msg.sender);
    }

    /// @notice Stops the model from taking new records, for good; its records stay readable.
    function deprecateModel(bytes32 modelId) external onlyModelOwner(modelId) {
        Model storage m = _models[modelId];
        if (m.deprecated) revert ModelIsDeprecated(modelId);
        m.deprecated = true;
        emit ModelDeprecated(modelId);
    }

    // -----------------------------------------------------------------------------------------
    // Inferences

    /// @notice Verifies one proof with the model's current version and, if it holds, records it.
    /// @param ref Any 32 bytes for the submitter (e.g. an off-chain request id), kept in the event.
    /// @param nonce Any number the caller picks; the same (model, public inputs, caller, nonce)
    ///        is recorded at most once.
    function submitInference(
        bytes32 modelId,
        bytes calldata proof,
        uint256[] calldata publicInputs,
        bytes32 ref,
        uint256 nonce
    ) external returns (bytes32 recordId) {
        Model storage m = _open(modelId);
        _checkCount(m, publicInputs);
        Checker memory c = _pinnedVersion(modelId, m);
        try c.verifier.verifyProof(proof, publicInputs) returns (bool ok) {
            if (!ok) revert InvalidProof(modelId);
        } catch (bytes memory reason) {
            revert ProofRejected(modelId, reason);
        }
        recordId = _record(c, m, publicInputs, ref, nonce);
    }

    /// @notice Verifies a batch of proofs of one model with one call to verifyProofs (one
    ///         pairing) and records them all, or none if any proof fails.
    function submitInferences(
        bytes32 modelId,
        bytes[] calldata proofs,
        uint256[][] calldata publicInputs,
        bytes32[] calldata refs,
        uint256[] calldata nonces
    ) external returns (bytes32[] memory recordIds) {
        uint256 n = proofs.length;
        if (publicInputs.length != n || refs.length != n || nonces.length != n) revert BatchLengthMismatch();
        if (n == 0 || n > MAX_BATCH) revert BatchSize(n, MAX_BATCH);
        Model storage m = _open(modelId);
        for (uint256 i = 0; i < n; i++) _checkCount(m, publicInputs[i]);
        Checker memory c = _pinnedVersion(modelId, m);
        try c.verifier.verifyProofs(proofs, publicInputs) returns (bool ok) {
            if (!ok) revert InvalidProof(modelId);
        } catch (bytes memory reason) {
            revert ProofRejected(modelId, reason);
        }
        recordIds = new bytes32[](n);
        for (uint256 i = 0; i < n; i++) recordIds[i] = _record(c, m, publicInputs[i], refs[i], nonces[i]);
    }

    // -----------------------------------------------------------------------------------------
    // Reads

    function getModel(bytes32 modelId) external view returns (ModelInfo memory info) {
        Model storage m = _existing(modelId);
        info.owner = m.owner;
        info.pendingOwner = m.pendingOwner;
        info.deprecated = m.deprecated;
        info.registeredAtBlock = m.registeredAtBlock;
        info.vkDigest = m.vkDigest;
        info.layoutDigest = m.layoutDigest;
        info.publicInputLayout = PublicInputLayout(m.count, m.inputOffset, m.inputCount, m.outputOffset, m.outputCount);
        info.metadataURI = m.metadataURI;
        (info.currentVersion, ) = _currentVersion(m);
        info.versions = _modelVersions[modelId];
    }

    function modelCount() external view returns (uint256) {
        return _modelIds.length;
    }

    /// @return ids up to `limit` model ids in registration order, starting at `offset`.
    function listModels(uint256 offset, uint256 limit) external view returns (bytes32[] memory ids) {
        return _page(_modelIds, offset, limit);
    }

    function getVersion(uint32 version) external view returns (ModelVersion memory) {
        if (version == 0 || version > _versionCount) revert UnknownVersion(version);
        return _versions[version];
    }

    /// @return the number of versions of every model together (ids run from 1 to it).
    function versionCount() external view returns (uint256) {
        return _versionCount;
    }

    /// @return the record hash stored under `recordId`, or zero if there is no such record.
    function recordHash(bytes32 recordId) external view returns (bytes32) {
        return _records[recordId];
    }

    /// @return the number of records of the model. The records themselves are found through their
    ///         InferenceRecorded events (indexed by record id, model and submitter) and checked
    ///         against recordHash; this count tells a reader whether a node left one out.
    function recordCount(bytes32 modelId) external view returns (uint256) {
        return _existing(modelId).recordCount;
    }

    /// @notice The cheap check for consuming contracts: does the registry hold this record, word for
    ///         word? The words come from the record's InferenceRecorded event (whoever calls the
    ///         consumer passes them); true means a proof of `r.publicInputDigest`'s public inputs,
    ///         with input hash `r.inputHash` and output hash `r.outputHash`, was accepted by model
    ///         version `r.version`, whose pinned code hash is `r.codeHash`, and recorded for
    ///         `r.submitter` at `r.timestamp` as the model's record `r.seq`. A consumer then checks
    ///         the words it relies on: the model, the code hash of the audited verifier
    ///         (`zkinfer audit --check` prints it), so that records of any other code the model
    ///         ever pointed at never count, the input hash and keccak256(abi.encodePacked(outputs)).
    ///         One storage read and two hashes; the answer for a record never changes.
    function isRecorded(Record memory r) external view returns (bool) {
        (bytes32 recordId, bytes32 hash) = hashRecord(r);
        return _records[recordId] == hash;
    }

    function computeRecordId(bytes32 modelId, uint256[] calldata publicInputs, address submitter, uint256 nonce)
        external
        pure
        returns (bytes32)
    {
        return keccak256(abi.encode(modelId, _hashWords(publicInputs, 0, publicInputs.length), submitter, nonce));
    }

    /// @return recordId keccak256(abi.encode(modelId, publicInputDigest, submitter, nonce)): where
    ///         the record is stored.
    /// @return hash keccak256(abi.encode(recordId, version, codeHash, timestamp, seq, inputHash,
    ///         outputHash, ref)): what is stored there.
    function hashRecord(Record memory r) public pure returns (bytes32 recordId, bytes32 hash) {
        recordId = keccak256(abi.encode(r.modelId, r.publicInputDigest, r.submitter, r.nonce));
        hash = keccak256(abi.encode(recordId, r.version, r.codeHash, r.timestamp, r.seq, r.inputHash, r.outputHash, r.ref));
    }

    // -----------------------------------------------------------------------------------------
    // Internals

    /// Appends a version of `verifier` for the model, checking that it holds the model's key and layout.
    function _addVersion(bytes32 modelId, Model storage m, IZkinferVerifier verifier, uint256 firstBlock, uint32 previous)
        private
        returns (uint32 version)
    {
        bool insecure = _checkVerifier(verifier, m);
        bytes32 codeHash = address(verifier).codehash;
        version = ++_versionCount;
        ModelVersion storage v = _versions[version];
        v.modelId = modelId;
        v.verifier = verifier;
        v.firstBlock = uint48(firstBlock);
        v.insecureDevSrs = insecure;
        v.previous = previous;
        v.codeHash = codeHash;
        v.vkDigest = m.vkDigest;
        m.latestVersion = version;
        _modelVersions[modelId].push(version);
        emit ModelVersionAdded(modelId, version, address(verifier), codeHash, m.vkDigest, insecure, uint48(firstBlock), previous);
    }

    /// The version that checks submissions in this block: the newest, unless it takes effect later.
    function _currentVersion(Model storage m) private view returns (uint32 version, ModelVersion storage v) {
        version = m.latestVersion;
        v = _versions[version];
        if (v.firstBlock > block.number) {
            version = v.previous;
            v = _versions[version];
        }
    }

    /// The current version, if its verifier's code is still the pinned code.
    function _pinnedVersion(bytes32 modelId, Model storage m) private view returns (Checker memory c) {
        (uint32 version, ModelVersion storage v) = _currentVersion(m);
        IZkinferVerifier verifier = v.verifier;
        bytes32 pinned = v.codeHash;
        bytes32 actual = address(verifier).codehash;
        if (actual != pinned) revert VerifierCodeChanged(modelId, version, address(verifier), pinned, actual);
        c = Checker(modelId, version, verifier, pinned);
    }

    function _record(Checker memory c, Model storage m, uint256[] calldata publicInputs, bytes32 ref, uint256 nonce)
        private
        returns (bytes32 recordId)
    {
        uint56 seq = m.recordCount;
        Record memory r = Record({
            modelId: c.modelId,
            publicInputDigest: _hashWords(publicInputs, 0, publicInputs.length),
            submitter: msg.sender,
            nonce: nonce,
            version: c.version,
            codeHash: c.codeHash,
            timestamp: uint48(block.timestamp),
            seq: seq,
            inputHash: m.inputCount == 0 ? bytes32(0) : _hashWords(publicInputs, m.inputOffset, m.inputCount),
            outputHash: _hashWords(publicInputs, m.outputOffset, m.outputCount),
            ref: ref
        });
        bytes32 hash;
        (recordId, hash) = hashRecord(r);
        if (_records[recordId] != bytes32(0)) revert RecordExists(recordId);
        _records[recordId] = hash;
        m.recordCount = seq + 1;
        _emitRecorded(recordId, r, publicInputs[m.outputOffset:m.outputOffset + m.outputCount]);
    }

    function _emitRecorded(bytes32 recordId, Record memory r, uint256[] calldata outputs) private {
        emit InferenceRecorded(recordId, r.modelId, msg.sender, r.seq, r.version, r.timestamp, r.publicInputDigest, r.inputHash, r.ref, r.nonce, outputs);
    }

    function _existing(bytes32 modelId) private view returns (Model storage m) {
        m = _models[modelId];
        if (m.latestVersion == 0) revert UnknownModel(modelId);
    }

    function _open(bytes32 modelId) private view returns (Model storage m) {
        m = _existing(modelId);
        if (m.deprecated) revert ModelIsDeprecated(modelId);
    }

    function _checkCount(Model storage m, uint256[] calldata publicInputs) private view {
        uint256 expected = m.count;
        if (publicInputs.length != expected) revert PublicInputCountMismatch(expected, publicInputs.length);
    }

    /// Refuses an address that is not a contract.
    function _requireContract(IZkinferVerifier verifier) private view {
        if (address(verifier) == address(0)) revert ZeroAddress();
        // A contract under construction has no code yet, and an account without code has the
        // code hash of the empty string (or zero): neither is a verifier.
        if (address(verifier).code.length == 0) revert NotAContract(address(verifier));
    }

    /// The verifier's public-input layout: its digest, count and input and output ranges, which
    /// must lie within the count and not overlap (BadLayout).
    function _readLayout(IZkinferVerifier verifier) private view returns (bytes32 digest, PublicInputLayout memory l) {
        _requireContract(verifier);
        digest = bytes32(_readVerifierWord(verifier, IZkinferVerifier.LAYOUT_DIGEST.selector));
        uint256 count = _readVerifierWord(verifier, IZkinferVerifier.PUBLIC_INPUT_COUNT.selector);
        uint256 inputOffset = _readVerifierWord(verifier, IZkinferVerifier.INPUT_OFFSET.selector);
        uint256 inputCount = _readVerifierWord(verifier, IZkinferVerifier.INPUT_COUNT.selector);
        uint256 outputOffset = _readVerifierWord(verifier, IZkinferVerifier.OUTPUT_OFFSET.selector);
        uint256 outputCount = _readVerifierWord(verifier, IZkinferVerifier.OUTPUT_COUNT.selector);
        // Each bound first, so that the sums below cannot overflow and the casts lose nothing.
        if (count > type(uint32).max || inputOffset > count || inputCount > count || outputOffset > count || outputCount > count) revert BadLayout();
        if (inputOffset + inputCount > count || outputOffset + outputCount > count) revert BadLayout();
        // Overlapping ranges would let one public input count as both input and output.
        if (inputCount > 0 && outputCount > 0 && inputOffset < outputOffset + outputCount && outputOffset < inputOffset + inputCount) revert BadLayout();
        l = PublicInputLayout(uint32(count), uint32(inputOffset), uint32(inputCount), uint32(outputOffset), uint32(outputCount));
    }

    /// Refuses a verifier that does not hold the model's key, or reports another layout than the
    /// model's; returns its INSECURE_DEV_SRS flag.
    function _checkVerifier(IZkinferVerifier verifier, Model storage m) private view returns (bool insecure) {
        _requireContract(verifier);
        bytes32 digest = bytes32(_readVerifierWord(verifier, IZkinferVerifier.VK_DIGEST.selector));
        if (digest != m.vkDigest) revert VerifierKeyMismatch(m.vkDigest, digest);
        uint256 count = _readVerifierWord(verifier, IZkinferVerifier.PUBLIC_INPUT_COUNT.selector);
        if (count != m.count) revert VerifierPublicInputCountMismatch(m.count, count);
        (bytes32 layoutDigest, PublicInputLayout memory l) = _readLayout(verifier);
        if (
            layoutDigest != m.layoutDigest ||
            l.inputOffset != m.inputOffset ||
            l.inputCount != m.inputCount ||
            l.outputOffset != m.outputOffset ||
            l.outputCount != m.outputCount
        ) revert VerifierLayoutMismatch(m.layoutDigest, layoutDigest);
        uint256 flag = _readVerifierWord(verifier, IZkinferVerifier.INSECURE_DEV_SRS.selector);
        if (flag > 1) revert NotAZkinferVerifier(address(verifier));
        insecure = flag == 1;
    }

    /// The one-word answer of the verifier's argument-less view function `selector`, called with
    /// STATICCALL and at most VERIFIER_QUERY_GAS gas; at most 32 bytes of its answer are copied.
    /// A revert, an answer shorter than a word or running out of gas is NotAZkinferVerifier.
    function _readVerifierWord(IZkinferVerifier verifier, bytes4 selector) private view returns (uint256 word) {
        uint256 gasLimit = VERIFIER_QUERY_GAS;
        bool ok;
        uint256 size;
        assembly ("memory-safe") {
            mstore(0, selector)
            ok := staticcall(gasLimit, verifier, 0, 4, 0, 32)
            size := returndatasize()
            word := mload(0)
        }
        if (!ok || size < 32) revert NotAZkinferVerifier(address(verifier));
    }

    /// keccak256 of words[offset .. offset + count] as concatenated 32-byte words.
    function _hashWords(uint256[] calldata words, uint256 offset, uint256 count) private pure returns (bytes32 h) {
        assembly ("memory-safe") {
            let ptr := mload(0x40)
            let len := mul(count, 32)
            calldatacopy(ptr, add(words.offset, mul(offset, 32)), len)
            h := keccak256(ptr, len)
        }
    }

    function _page(bytes32[] storage all, uint256 offset, uint256 limit) private view returns (bytes32[] memory page) {
        uint256 total = all.length;
        uint256 end = offset >= total ? offset : (limit > total - offset ? total : offset + limit);
        page = new bytes32[](end - offset);
        for (uint256 i = 0; i < page.length; i++) page[i] = all[offset + i];
    }
}
