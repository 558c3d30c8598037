// SPDX-License-Identifier: GPL-3.0-or-later
pragma solidity ^0.8.24;

/// @title KeccakTranscript
/// @notice The zkinfer keccak256 Fiat–Shamir transcript (docs/protocol.md §2), byte for byte
///         the same as prover/transcript/transcript.ts.
/// @dev    The state is one 32-byte word. Every operation hashes
///             state ‖ header ‖ data
///         into the next state, where header = label (≤ 31 ASCII bytes, zero-padded) ‖ tag byte.
///         Hash inputs are built in memory past the free memory pointer, which is never advanced,
///         so the transcript allocates nothing and needs no buffer beyond one operation's data.
///         Labels are `bytes31` literals, e.g. bytes31("beta").
library KeccakTranscript {
    /// Order r of the scalar field Fr.
    uint256 internal constant R = 21888242871839275222246405745257275088548364400416034343698204186575808495617;
    /// Base-field modulus p.
    uint256 internal constant P = 21888242871839275222246405745257275088696311157297823662689037894645226208583;
    /// 2^256 mod r.
    uint256 internal constant TWO_256_MOD_R =
        6350874878119819312338956282401532410528162663560392320966563075034087161851;

    uint256 internal constant TAG_INIT = 0x01;
    uint256 internal constant TAG_SCALARS = 0x02;
    uint256 internal constant TAG_G1 = 0x03;
    uint256 internal constant TAG_BYTES = 0x04;
    uint256 internal constant TAG_CHALLENGE = 0x05;
    /// The squeeze header: no label, tag 0x06.
    uint256 internal constant SQUEEZE_HEADER = 0x06;

    struct State {
        bytes32 state;
    }

    /// A scalar is not below r.
    error ScalarNotCanonical(uint256 value);
    /// A point coordinate is not below p.
    error CoordinateNotInField(uint256 value);
    /// (x, y) is neither (0, 0) nor on y^2 = x^3 + 3.
    error PointNotOnCurve(uint256 x, uint256 y);
    /// A packed buffer's length is not a multiple of its element size.
    error BadPackedLength(uint256 length, uint256 elementSize);
    /// A challenge count of zero.
    error ZeroChallengeCount();

    function _header(bytes31 label, uint256 tag) private pure returns (bytes32) {
        return bytes32(label) | bytes32(tag);
    }

    /// @notice state_0 = keccak256(0^32 ‖ header(protocol, INIT)).
    function init(bytes31 protocol) internal pure returns (State memory t) {
        bytes32 h = _header(protocol, TAG_INIT);
        bytes32 s;
        assembly ("memory-safe") {
            mstore(0x00, 0)
            mstore(0x20, h)
            s := keccak256(0x00, 0x40)
        }
        t.state = s;
    }

    // ------------------------------------------------------------------------------------------
    // Validation

    function checkScalar(uint256 x) internal pure {
        if (x >= R) revert ScalarNotCanonical(x);
    }

    /// Scans `len` bytes of 32-byte scalars at memory `ptr`; reverts on the first one ≥ r.
    function _checkScalarsAt(uint256 ptr, uint256 len) private pure {
        bool ok = true;
        uint256 bad;
        assembly ("memory-safe") {
            for { let end := add(ptr, len) } lt(ptr, end) { ptr := add(ptr, 0x20) } {
                let x := mload(ptr)
                if iszero(lt(x, R)) {
                    ok := 0
                    bad := x
                    break
                }
            }
        }
        if (!ok) revert ScalarNotCanonical(bad);
    }

    /// Reverts unless x, y < p and (x, y) is (0, 0), the point at infinity, or on y^2 = x^3 + 3.
    function checkG1(uint256 x, uint256 y) internal pure {
        uint256 m;
        assembly ("memory-safe") {
            m := mload(0x40)
            mstore(m, x)
            mstore(add(m, 0x20), y)
        }
        _checkG1sAt(m, 0x40);
    }

    /// Scans `len` bytes of 64-byte points at memory `ptr`; reverts on the first invalid one.
    function _checkG1sAt(uint256 ptr, uint256 len) private pure {
        // The scan runs in Yul (it is on the verifier's path for every commitment) and only
        // reports; the named errors are raised below.
        uint256 status; // 0 ok, 1 coordinate >= p, 2 off the curve
        uint256 x;
        uint256 y;
        assembly ("memory-safe") {
            for { let end := add(ptr, len) } lt(ptr, end) { ptr := add(ptr, 0x40) } {
                x := mload(ptr)
                y := mload(add(ptr, 0x20))
                if iszero(and(lt(x, P), lt(y, P))) {
                    status := 1
                    break
                }
                // (0, 0) is the point at infinity; anything else must satisfy y^2 = x^3 + 3.
                if iszero(or(iszero(or(x, y)), eq(mulmod(y, y, P), addmod(mulmod(mulmod(x, x, P), x, P), 3, P)))) {
                    status := 2
                    break
                }
            }
        }
        if (status == 1) revert CoordinateNotInField(x >= P ? x : y);
        if (status == 2) revert PointNotOnCurve(x, y);
    }

    // ------------------------------------------------------------------------------------------
    // Absorbing

    /// state ← keccak256(state ‖ header ‖ word)
    function _absorbWord(State memory t, bytes32 h, uint256 word) private pure {
        bytes32 s = t.state;
        assembly ("memory-safe") {
            let m := mload(0x40)
            mstore(m, s)
            mstore(add(m, 0x20), h)
            mstore(add(m, 0x40), word)
            s := keccak256(m, 0x60)
        }
        t.state = s;
    }

    /// Copies `len` bytes from calldata into the hash buffer after state ‖ header; returns the buffer.
    function _stageCalldata(bytes32 s, bytes32 h, uint256 offset, uint256 len) private pure returns (uint256 m) {
        assembly ("memory-safe") {
            m := mload(0x40)
            mstore(m, s)
            mstore(add(m, 0x20), h)
            calldatacopy(add(m, 0x40), offset, len)
        }
    }

    /// Like _stageCalldata, from memory.
    function _stageMemory(bytes32 s, bytes32 h, uint256 src, uint256 len) private pure returns (uint256 m) {
        assembly ("memory-safe") {
            m := mload(0x40)
            mstore(m, s)
            mstore(add(m, 0x20), h)
            mcopy(add(m, 0x40), src, len)
        }
    }

    function _hashStaged(State memory t, uint256 m, uint256 len) private pure {
        bytes32 s;
        assembly ("memory-safe") {
            s := keccak256(m, add(len, 0x40))
        }
        t.state = s;
    }

    function absorbScalar(State memory t, bytes31 label, uint256 x) internal pure {
        checkScalar(x);
        _absorbWord(t, _header(label, TAG_SCALARS), x);
    }

    function absorbScalars(State memory t, bytes31 label, uint256[] memory xs) internal pure {
        uint256 len = xs.length * 0x20;
        uint256 src;
        assembly ("memory-safe") {
            src := add(xs, 0x20)
        }
        _checkScalarsAt(src, len);
        _hashStaged(t, _stageMemory(t.state, _header(label, TAG_SCALARS), src, len), len);
    }

    /// Absorbs a calldata array (e.g. the verifier's public inputs) without copying it twice.
    function absorbScalarsCalldata(State memory t, bytes31 label, uint256[] calldata xs) internal pure {
        uint256 len = xs.length * 0x20;
        uint256 m = _stageCalldata(t.state, _header(label, TAG_SCALARS), _offset(xs), len);
        _checkScalarsAt(m + 0x40, len);
        _hashStaged(t, m, len);
    }

    /// Absorbs consecutive 32-byte scalars, e.g. a slice of the proof: packed = proof[a:b].
    function absorbScalarsPacked(State memory t, bytes31 label, bytes calldata packed) internal pure {
        uint256 len = packed.length;
        if (len % 0x20 != 0) revert BadPackedLength(len, 0x20);
        uint256 m = _stageCalldata(t.state, _header(label, TAG_SCALARS), _offset(packed), len);
        _checkScalarsAt(m + 0x40, len);
        _hashStaged(t, m, len);
    }

    function absorbG1(State memory t, bytes31 label, uint256 x, uint256 y) internal pure {
        checkG1(x, y);
        bytes32 s = t.state;
        bytes32 h = _header(label, TAG_G1);
        assembly ("memory-safe") {
            let m := mload(0x40)
            mstore(m, s)
            mstore(add(m, 0x20), h)
            mstore(add(m, 0x40), x)
            mstore(add(m, 0x60), y)
            s := keccak256(m, 0x80)
        }
        t.state = s;
    }

    /// Absorbs points stored as x ‖ y (64 bytes each) in memory.
    function absorbG1s(State memory t, bytes31 label, uint256[2][] memory points) internal pure {
        uint256 n = points.length;
        bytes32 s = t.state;
        bytes32 h = _header(label, TAG_G1);
        uint256 m;
        assembly ("memory-safe") {
            m := mload(0x40)
            mstore(m, s)
            mstore(add(m, 0x20), h)
            // uint256[2][] memory holds pointers to the 64-byte elements.
            for { let i := 0 } lt(i, n) { i := add(i, 1) } {
                let pt := mload(add(points, mul(add(i, 1), 0x20)))
                mcopy(add(add(m, 0x40), mul(i, 0x40)), pt, 0x40)
            }
        }
        _checkG1sAt(m + 0x40, n * 0x40);
        _hashStaged(t, m, n * 0x40);
    }

    /// Absorbs consecutive 64-byte points x ‖ y, e.g. the commitments of one phase: packed = proof[a:b].
    function absorbG1Packed(State memory t, bytes31 label, bytes calldata packed) internal pure {
        uint256 len = packed.length;
        if (len % 0x40 != 0) revert BadPackedLength(len, 0x40);
        uint256 m = _stageCalldata(t.state, _header(label, TAG_G1), _offset(packed), len);
        _checkG1sAt(m + 0x40, len);
        _hashStaged(t, m, len);
    }

    function absorbBytes(State memory t, bytes31 label, bytes memory data) internal pure {
        uint256 len = data.length;
        uint256 src;
        assembly ("memory-safe") {
            src := add(data, 0x20)
        }
        _hashStaged(t, _stageMemory(t.state, _header(label, TAG_BYTES), src, len), len);
    }

    function absorbBytesCalldata(State memory t, bytes31 label, bytes calldata data) internal pure {
        uint256 len = data.length;
        _hashStaged(t, _stageCalldata(t.state, _header(label, TAG_BYTES), _offset(data), len), len);
    }

    function _offset(bytes calldata data) private pure returns (uint256 o) {
        assembly ("memory-safe") {
            o := data.offset
        }
    }

    function _offset(uint256[] calldata data) private pure returns (uint256 o) {
        assembly ("memory-safe") {
            o := data.offset
        }
    }

    // ------------------------------------------------------------------------------------------
    // Challenges

    /// Binds label and count: state ← keccak256(state ‖ header(label, CHALLENGE) ‖ uint256(k)).
    /// Returns the hash buffer, which then holds the new state in its first word.
    function _bindChallenge(State memory t, bytes31 label, uint256 k) private pure returns (uint256 m) {
        bytes32 s = t.state;
        bytes32 h = _header(label, TAG_CHALLENGE);
        assembly ("memory-safe") {
            m := mload(0x40)
            mstore(m, s)
            mstore(add(m, 0x20), h)
            mstore(add(m, 0x40), k)
            s := keccak256(m, 0x60)
            mstore(m, s)
            mstore(add(m, 0x20), SQUEEZE_HEADER)
        }
        t.state = s;
    }

    /// Challenge i from the staged buffer: (keccak(state ‖ SQ ‖ 2i)·2^256 + keccak(state ‖ SQ ‖ 2i+1)) mod r.
    function _squeeze(uint256 m, uint256 i) private pure returns (uint256 c) {
        assembly ("memory-safe") {
            let ctr := add(m, 0x40)
            mstore(ctr, shl(1, i))
            let hi := keccak256(m, 0x60)
            mstore(ctr, add(shl(1, i), 1))
            let lo := keccak256(m, 0x60)
            c := addmod(mulmod(hi, TWO_256_MOD_R, R), lo, R)
        }
    }

    function challenge(State memory t, bytes31 label) internal pure returns (uint256) {
        return _squeeze(_bindChallenge(t, label, 1), 0);
    }

    function challenges(State memory t, bytes31 label, uint256 k) internal pure returns (uint256[] memory cs) {
        if (k == 0) revert ZeroChallengeCount();
        cs = new uint256[](k);
        // Allocated before staging, so the buffer sits past the array.
        uint256 m = _bindChallenge(t, label, k);
        for (uint256 i; i < k; ++i) cs[i] = _squeeze(m, i);
    }
}
