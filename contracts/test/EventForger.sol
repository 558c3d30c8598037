// SPDX-License-Identifier: GPL-3.0-or-later
pragma solidity ^0.8.24;

import {InferenceRegistry} from "../InferenceRegistry.sol";

/// @title EventForger
/// @notice For tests: emits the registry's InferenceRecorded event, with any fields, from another
///         address. Readers must take records only from the registry's own logs.
contract EventForger {
    function forge(bytes32 recordId, bytes32 modelId, address submitter, uint32 version, bytes32 inputHash, uint256[] calldata outputs) external {
        emit InferenceRegistry.InferenceRecorded(recordId, modelId, submitter, 0, version, uint48(block.timestamp), bytes32(0), inputHash, bytes32(0), 0, outputs);
    }
}
