import IPLD
import StorageProofs

/// A proof about one state key against a state root: that it holds a value, or that it is absent.
///
/// `siblings` are the hashes beside the key's path, from the root down; `terminal` is where the
/// path ends: nothing (an empty subtree: the key is absent) or a leaf — the key's own (it holds
/// that value) or another key's that shares the path so far (the key is absent). Wire form:
/// dag-cbor `{"siblings": [bytes(32)…], "terminal": null | [bytes(32) keyHash, bytes(32) valueHash]}`.
public struct StateProof: Hashable, Sendable {
    public static let maxDepth = 256

    public let siblings: [[UInt8]]
    public let terminal: SparseMerkleTree.Leaf?

    public init(siblings: [[UInt8]], terminal: SparseMerkleTree.Leaf?) {
        self.siblings = siblings
        self.terminal = terminal
    }

    /// Why a proof was not accepted.
    public enum Verdict: Hashable, Sendable {
        case valid
        case invalid(Reason)

        public enum Reason: Hashable, Sendable {
            /// The proof's hashes do not lead to the root.
            case wrongRoot
            /// The proof ends at another value for the key (or at the key, when absence was claimed).
            case valueMismatch
            /// The proof ends at nothing or at another key, when a value was claimed.
            case keyAbsent
            /// A neighbouring leaf whose path does not share the key's path so far.
            case unrelatedLeaf
            /// A hash that is not 32 bytes, or a path deeper than 256.
            case malformed
        }
    }

    /// Checks that, under `root`, `key` holds `value` (or, for a nil `value`, that it is absent).
    public func verify(key: [UInt8], value: [UInt8]?, root: [UInt8]) -> Verdict {
        guard siblings.count <= Self.maxDepth, siblings.allSatisfy({ $0.count == 32 }), root.count == 32 else {
            return .invalid(.malformed)
        }
        let path = SHA256Hasher.hash(key)
        var hash: [UInt8]
        switch (terminal, value) {
        case (nil, nil):
            hash = SparseMerkleTree.empty
        case (nil, .some):
            return .invalid(.keyAbsent)
        case (let leaf?, let value):
            guard leaf.keyHash.count == 32, leaf.valueHash.count == 32 else { return .invalid(.malformed) }
            if leaf.keyHash == path {
                guard let value else { return .invalid(.valueMismatch) }
                guard leaf.valueHash == SHA256Hasher.hash(value) else { return .invalid(.valueMismatch) }
            } else {
                guard value == nil else { return .invalid(.keyAbsent) }
                // The other leaf must sit on the key's path, or it says nothing about the key.
                for depth in 0..<siblings.count
                where SparseMerkleTree.bit(leaf.keyHash, depth) != SparseMerkleTree.bit(path, depth) {
                    return .invalid(.unrelatedLeaf)
                }
            }
            hash = leaf.hash
        }
        for depth in stride(from: siblings.count - 1, through: 0, by: -1) {
            let sibling = siblings[depth]
            hash =
                SparseMerkleTree.bit(path, depth) == 0
                ? SHA256Hasher.hash(prefix: 0x01, hash + sibling)
                : SHA256Hasher.hash(prefix: 0x01, sibling + hash)
        }
        return hash == root ? .valid : .invalid(.wrongRoot)
    }

    /// The dag-cbor wire form.
    public func encoded() -> [UInt8] {
        let terminalValue: IPLDValue = terminal.map { .list([.bytes($0.keyHash), .bytes($0.valueHash)]) } ?? .null
        let map = IPLDMap([("siblings", .list(siblings.map { .bytes($0) })), ("terminal", terminalValue)])
        return try! DagCBOR.encode(.map(map))  // bytes, lists and null always encode
    }

    /// Reads the wire form, strictly: exactly the two fields, hashes of 32 bytes, at most 256 siblings.
    public init(bytes: [UInt8]) throws(LedgerError) {
        let map = try LedgerError.decodeMap(bytes, what: "a state proof")
        guard map.count == 2, case .list(let siblingValues)? = map["siblings"],
            let terminalValue = map["terminal"]
        else { throw LedgerError(.malformed, "a state proof is a map of siblings and terminal") }
        guard siblingValues.count <= Self.maxDepth else {
            throw LedgerError(.malformed, "a state proof has more than \(Self.maxDepth) siblings")
        }
        var siblings: [[UInt8]] = []
        for sibling in siblingValues {
            guard case .bytes(let hash) = sibling, hash.count == 32 else {
                throw LedgerError(.malformed, "a state proof's sibling is not 32 bytes")
            }
            siblings.append(hash)
        }
        switch terminalValue {
        case .null:
            self.init(siblings: siblings, terminal: nil)
        case .list(let parts):
            guard parts.count == 2, case .bytes(let keyHash) = parts[0], case .bytes(let valueHash) = parts[1],
                keyHash.count == 32, valueHash.count == 32
            else { throw LedgerError(.malformed, "a state proof's terminal is [keyHash, valueHash] of 32 bytes each") }
            self.init(siblings: siblings, terminal: SparseMerkleTree.Leaf(keyHash: keyHash, valueHash: valueHash))
        default:
            throw LedgerError(.malformed, "a state proof's terminal is null or a leaf")
        }
    }
}
