// SPDX-License-Identifier: GPL-3.0-or-later
pragma solidity ^0.8.24;

import {IZkinferVerifier} from "./interfaces/IZkinferVerifier.sol";

/// @title InferenceRegistry
/// @notice Registers models (verification-key digest, verifier, public-input layout, metadata URI,
///         owner) and anchors an audit record for every inference whose proof the model's verifier
///         accepts.
/// @dev    Where the input and the outputs sit among a proof's public inputs is fixed when the model
///         is registered (its PublicInputLayout), so the registry derives the input and output
///         hashes from the proven public inputs themselves and never trusts a caller-supplied hash.
///           inputHash  = keccak256 of the input words    publicInputs[inputOffset  .. +inputCount]
///           outputHash = keccak256 of the output words   publicInputs[outputOffset .. +outputCount]
///         (each word 32 bytes big-endian, concatenated; an empty range hashes the empty string).
///         With a hashed input the input range is the one Poseidon commitment, with a public input
///         the input itself, with a private input it is empty.
///         Record ids are keccak256(abi.encode(modelId, publicInputDigest, submitter, nonce)) with
///         publicInputDigest = keccak256 of all public-input words and a nonce the submitter picks:
///         never the proof bytes, which can be re-randomised. Re-sending a submission with the same
///         nonce is refused (RecordExists), which makes retries safe.
///         A model's verifier must hold the key it is registered with: at registration and at
///         every verifier update the registry reads the verifier's VK_DIGEST and PUBLIC_INPUT_COUNT
///         constants (each a STATICCALL bounded to VERIFIER_QUERY_GAS) and refuses an address
///         without code (NotAContract), one that does not answer both (NotAZkinferVerifier), a
///         digest other than the model's (VerifierKeyMismatch) and a count other than the
///         layout's (VerifierPublicInputCountMismatch). This catches a verifier of another model or
///         a mistyped digest; it does not prove that the verifier's code checks what its constants
///         claim, which only reading (or regenerating and comparing) that code establishes.
///         Verifiers are called through a view interface (STATICCALL) and state is written only
///         after they return, so no call path re-enters the registry. Writes have no loop except
///         over the caller's own batch, which is capped at MAX_BATCH.
contract InferenceRegistry {
    /// Models may keep at most this many outputs in each record (the events always carry them).
    uint256 public constant MAX_STORED_OUTPUTS = 32;
    /// Proofs per submitInferences call.
    uint256 public constant MAX_BATCH = 64;
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
        /// Keep the outputs in each record (needs outputCount <= MAX_STORED_OUTPUTS).
        bool storeOutputs;
    }

    struct Model {
        address owner;
        bool deprecated;
        IZkinferVerifier verifier;
        uint48 registeredAtBlock;
        bytes32 vkDigest;
        PublicInputLayout publicInputLayout;
        string metadataURI;
    }

    struct InferenceRecord {
        bytes32 modelId;
        bytes32 publicInputDigest;
        bytes32 inputHash;
        bytes32 outputHash;
        /// Free for the submitter, e.g. an off-chain request id; zero when unused.
        bytes32 ref;
        address submitter;
        uint48 blockNumber;
        uint48 timestamp;
        /// The outputs if the model stores them, else empty.
        uint256[] outputs;
    }

    event ModelRegistered(
        bytes32 indexed modelId,
        address indexed owner,
        address verifier,
        bytes32 vkDigest,
        PublicInputLayout publicInputLayout,
        string metadataURI
    );
    event ModelMetadataUpdated(bytes32 indexed modelId, string metadataURI);
    /// Records made before this event's block were checked by the previous verifier.
    event ModelVerifierUpdated(bytes32 indexed modelId, address previousVerifier, address verifier);
    event ModelOwnershipTransferred(bytes32 indexed modelId, address indexed previousOwner, address indexed newOwner);
    event ModelDeprecated(bytes32 indexed modelId);
    event InferenceRecorded(
        bytes32 indexed recordId,
        bytes32 indexed modelId,
        address indexed submitter,
        bytes32 inputHash,
        bytes32 outputHash,
        bytes32 ref,
        uint256 nonce,
        uint256[] outputs
    );

    error UnknownModel(bytes32 modelId);
    error UnknownRecord(bytes32 recordId);
    error NotModelOwner(bytes32 modelId, address caller);
    error ModelIsDeprecated(bytes32 modelId);
    error NotAContract(address account);
    error ZeroAddress();
    error BadLayout();
    error PublicInputCountMismatch(uint256 expected, uint256 actual);
    /// The verifier has code but no VK_DIGEST() or PUBLIC_INPUT_COUNT() that answers a word
    /// within VERIFIER_QUERY_GAS.
    error NotAZkinferVerifier(address verifier);
    /// The verifier's VK_DIGEST is `actual`, not the model's verification-key digest `expected`.
    error VerifierKeyMismatch(bytes32 expected, bytes32 actual);
    /// The verifier's PUBLIC_INPUT_COUNT is `actual`, not the layout's count `expected`.
    error VerifierPublicInputCountMismatch(uint256 expected, uint256 actual);
    /// The verifier returned false.
    error InvalidProof(bytes32 modelId);
    /// The verifier reverted (a malformed proof or public input); `reason` is its revert data.
    error ProofRejected(bytes32 modelId, bytes reason);
    error RecordExists(bytes32 recordId);
    error BatchLengthMismatch();
    error BatchSize(uint256 size, uint256 max);

    mapping(bytes32 modelId => Model) private _models;
    bytes32[] private _modelIds;
    mapping(bytes32 recordId => InferenceRecord) private _records;
    mapping(bytes32 modelId => bytes32[]) private _recordIdsByModel;
    mapping(bytes32 modelId => mapping(bytes32 inputHash => bytes32 recordId)) private _latestByInput;

    modifier onlyModelOwner(bytes32 modelId) {
        Model storage m = _existing(modelId);
        if (m.owner != msg.sender) revert NotModelOwner(modelId, msg.sender);
        _;
    }

    // -----------------------------------------------------------------------------------------
    // Models

    /// @notice Registers a model owned by the caller.
    /// @param vkDigest The model's verification-key digest; `verifier` must hold this key
    ///        (VK_DIGEST() equal to it, PUBLIC_INPUT_COUNT() equal to publicInputLayout.count).
    /// @return modelId keccak256(abi.encode(chainid, this registry, caller, vkDigest, models so far)).
    function registerModel(
        bytes32 vkDigest,
        IZkinferVerifier verifier,
        PublicInputLayout calldata publicInputLayout,
        string calldata metadataURI
    ) external returns (bytes32 modelId) {
        _checkLayout(publicInputLayout);
        _checkVerifier(verifier, vkDigest, publicInputLayout.count);
        modelId = keccak256(abi.encode(block.chainid, address(this), msg.sender, vkDigest, _modelIds.length));
        Model storage m = _models[modelId];
        m.owner = msg.sender;
        m.verifier = verifier;
        m.registeredAtBlock = uint48(block.number);
        m.vkDigest = vkDigest;
        m.publicInputLayout = publicInputLayout;
        m.metadataURI = metadataURI;
        _modelIds.push(modelId);
        emit ModelRegistered(modelId, msg.sender, address(verifier), vkDigest, publicInputLayout, metadataURI);
    }

    function setMetadataURI(bytes32 modelId, string calldata metadataURI) external onlyModelOwner(modelId) {
        _models[modelId].metadataURI = metadataURI;
        emit ModelMetadataUpdated(modelId, metadataURI);
    }

    /// @notice Points the model at another verifier of the same verification key (e.g. one
    ///         generated by a newer code generator); the key digest and layout stay, and the new
    ///         verifier must hold that key (same checks as registerModel).
    function setVerifier(bytes32 modelId, IZkinferVerifier verifier) external onlyModelOwner(modelId) {
        Model storage m = _models[modelId];
        _checkVerifier(verifier, m.vkDigest, m.publicInputLayout.count);
        address previous = address(m.verifier);
        m.verifier = verifier;
        emit ModelVerifierUpdated(modelId, previous, address(verifier));
    }

    function transferModelOwnership(bytes32 modelId, address newOwner) external onlyModelOwner(modelId) {
        if (newOwner == address(0)) revert ZeroAddress();
        _models[modelId].owner = newOwner;
        emit ModelOwnershipTransferred(modelId, msg.sender, newOwner);
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

    /// @notice Verifies one proof with the model's verifier and, if it holds, records it.
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
        try m.verifier.verifyProof(proof, publicInputs) returns (bool ok) {
            if (!ok) revert InvalidProof(modelId);
        } catch (bytes memory reason) {
            revert ProofRejected(modelId, reason);
        }
        recordId = _record(modelId, m, publicInputs, ref, nonce);
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
        try m.verifier.verifyProofs(proofs, publicInputs) returns (bool ok) {
            if (!ok) revert InvalidProof(modelId);
        } catch (bytes memory reason) {
            revert ProofRejected(modelId, reason);
        }
        recordIds = new bytes32[](n);
        for (uint256 i = 0; i < n; i++) recordIds[i] = _record(modelId, m, publicInputs[i], refs[i], nonces[i]);
    }

    // -----------------------------------------------------------------------------------------
    // Reads

    function getModel(bytes32 modelId) external view returns (Model memory) {
        return _existing(modelId);
    }

    function modelCount() external view returns (uint256) {
        return _modelIds.length;
    }

    /// @return ids up to `limit` model ids in registration order, starting at `offset`.
    function listModels(uint256 offset, uint256 limit) external view returns (bytes32[] memory ids) {
        return _page(_modelIds, offset, limit);
    }

    function getRecord(bytes32 recordId) external view returns (InferenceRecord memory) {
        InferenceRecord storage r = _records[recordId];
        if (r.submitter == address(0)) revert UnknownRecord(recordId);
        return r;
    }

    function recordCount(bytes32 modelId) external view returns (uint256) {
        _existing(modelId);
        return _recordIdsByModel[modelId].length;
    }

    /// @return ids up to `limit` of the model's record ids in submission order, starting at `offset`.
    function listRecordIds(bytes32 modelId, uint256 offset, uint256 limit) external view returns (bytes32[] memory ids) {
        _existing(modelId);
        return _page(_recordIdsByModel[modelId], offset, limit);
    }

    /// @return ids the page of record ids as listRecordIds, and `records` their records.
    function listRecords(bytes32 modelId, uint256 offset, uint256 limit)
        external
        view
        returns (bytes32[] memory ids, InferenceRecord[] memory records)
    {
        _existing(modelId);
        ids = _page(_recordIdsByModel[modelId], offset, limit);
        records = new InferenceRecord[](ids.length);
        for (uint256 i = 0; i < ids.length; i++) records[i] = _records[ids[i]];
    }

    /// @return recordId the latest record of the model for this input hash, or zero if none.
    function latestRecordId(bytes32 modelId, bytes32 inputHash) external view returns (bytes32 recordId) {
        _existing(modelId);
        return _latestByInput[modelId][inputHash];
    }

    function computeRecordId(bytes32 modelId, uint256[] calldata publicInputs, address submitter, uint256 nonce)
        external
        pure
        returns (bytes32)
    {
        return keccak256(abi.encode(modelId, _hashWords(publicInputs, 0, publicInputs.length), submitter, nonce));
    }

    // -----------------------------------------------------------------------------------------
    // Internals

    function _record(
        bytes32 modelId,
        Model storage m,
        uint256[] calldata publicInputs,
        bytes32 ref,
        uint256 nonce
    ) private returns (bytes32 recordId) {
        bytes32 digest = _hashWords(publicInputs, 0, publicInputs.length);
        recordId = keccak256(abi.encode(modelId, digest, msg.sender, nonce));
        InferenceRecord storage r = _records[recordId];
        if (r.submitter != address(0)) revert RecordExists(recordId);
        PublicInputLayout storage l = m.publicInputLayout;
        bytes32 inputHash = _hashWords(publicInputs, l.inputOffset, l.inputCount);
        uint256[] calldata outputs = publicInputs[l.outputOffset:l.outputOffset + l.outputCount];
        r.modelId = modelId;
        r.publicInputDigest = digest;
        r.inputHash = inputHash;
        r.outputHash = _hashWords(publicInputs, l.outputOffset, l.outputCount);
        r.ref = ref;
        r.submitter = msg.sender;
        r.blockNumber = uint48(block.number);
        r.timestamp = uint48(block.timestamp);
        if (l.storeOutputs) r.outputs = outputs;
        _recordIdsByModel[modelId].push(recordId);
        _latestByInput[modelId][inputHash] = recordId;
        emit InferenceRecorded(recordId, modelId, msg.sender, inputHash, r.outputHash, ref, nonce, outputs);
    }

    function _existing(bytes32 modelId) private view returns (Model storage m) {
        m = _models[modelId];
        if (m.owner == address(0)) revert UnknownModel(modelId);
    }

    function _open(bytes32 modelId) private view returns (Model storage m) {
        m = _existing(modelId);
        if (m.deprecated) revert ModelIsDeprecated(modelId);
    }

    function _checkCount(Model storage m, uint256[] calldata publicInputs) private view {
        uint256 expected = m.publicInputLayout.count;
        if (publicInputs.length != expected) revert PublicInputCountMismatch(expected, publicInputs.length);
    }

    function _checkLayout(PublicInputLayout calldata l) private pure {
        // uint32 sums cannot overflow in uint256.
        if (uint256(l.inputOffset) + l.inputCount > l.count || uint256(l.outputOffset) + l.outputCount > l.count) revert BadLayout();
        if (l.storeOutputs && l.outputCount > MAX_STORED_OUTPUTS) revert BadLayout();
    }

    /// Refuses a verifier that does not hold the key `vkDigest` with `publicInputCount` inputs.
    function _checkVerifier(IZkinferVerifier verifier, bytes32 vkDigest, uint256 publicInputCount) private view {
        _requireContract(address(verifier));
        bytes32 digest = bytes32(_readVerifierWord(verifier, IZkinferVerifier.VK_DIGEST.selector));
        if (digest != vkDigest) revert VerifierKeyMismatch(vkDigest, digest);
        uint256 count = _readVerifierWord(verifier, IZkinferVerifier.PUBLIC_INPUT_COUNT.selector);
        if (count != publicInputCount) revert VerifierPublicInputCountMismatch(publicInputCount, count);
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

    function _requireContract(address account) private view {
        if (account == address(0)) revert ZeroAddress();
        if (account.code.length == 0) revert NotAContract(account);
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
