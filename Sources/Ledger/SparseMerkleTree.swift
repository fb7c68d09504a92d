import StorageProofs

/// The ledger state's Merkle commitment: a compact sparse Merkle tree over SHA-256 key hashes.
///
/// Every state key sits at the 256-bit path `SHA-256(key)`, most significant bit first (0 is
/// left). Hashes (`Specs/ledger.md`, "State commitment"):
/// - leaf: `SHA-256(0x00 ‖ keyHash ‖ SHA-256(value))`;
/// - inner node: `SHA-256(0x01 ‖ left ‖ right)`;
/// - empty subtree: 32 zero bytes.
/// A subtree that holds one leaf is that leaf's hash, wherever the leaf sits below it (the
/// compact form), so a tree of n keys is about log2(n) levels deep and so are its proofs.
/// The 0x00/0x01 prefixes keep a leaf from passing for an inner node, which is what makes a
/// proof of absence through a neighbouring leaf sound.
///
/// This type holds the leaves and computes the root and proofs from them: O(n log n) for a
/// root, O(n) for a proof. The ledger's persistent, incremental form will keep the same hashes.
public struct SparseMerkleTree: Sendable {
    /// A leaf: the key's hash and the value's hash.
    public struct Leaf: Hashable, Sendable {
        public let keyHash: [UInt8]
        public let valueHash: [UInt8]

        public init(keyHash: [UInt8], valueHash: [UInt8]) {
            self.keyHash = keyHash
            self.valueHash = valueHash
        }

        public var hash: [UInt8] { SHA256Hasher.hash(prefix: 0x00, keyHash + valueHash) }
    }

    public static let empty = [UInt8](repeating: 0, count: 32)

    /// Leaves sorted by key hash, so a subtree is a contiguous range.
    private let leaves: [Leaf]

    /// A tree holding `entries` (state key → value bytes).
    public init(_ entries: [[UInt8]: [UInt8]]) {
        leaves = entries.map { Leaf(keyHash: SHA256Hasher.hash($0.key), valueHash: SHA256Hasher.hash($0.value)) }
            .sorted { $0.keyHash.lexicographicallyPrecedes($1.keyHash) }
    }

    public var count: Int { leaves.count }

    /// The root hash: 32 zero bytes for an empty tree.
    public var root: [UInt8] { node(leaves[...], depth: 0) }

    /// A proof that `key` holds its value, or that it is absent.
    public func proof(for key: [UInt8]) -> StateProof {
        let path = SHA256Hasher.hash(key)
        var range = leaves[...]
        var siblings: [[UInt8]] = []
        var depth = 0
        while range.count > 1 {
            let split = Self.split(range, depth: depth)
            if Self.bit(path, depth) == 0 {
                siblings.append(node(range[split...], depth: depth + 1))
                range = range[..<split]
            } else {
                siblings.append(node(range[..<split], depth: depth + 1))
                range = range[split...]
            }
            depth += 1
        }
        return StateProof(siblings: siblings, terminal: range.first)
    }

    private func node(_ range: ArraySlice<Leaf>, depth: Int) -> [UInt8] {
        switch range.count {
        case 0: return Self.empty
        case 1: return range.first!.hash
        default:
            let split = Self.split(range, depth: depth)
            return SHA256Hasher.hash(
                prefix: 0x01, node(range[..<split], depth: depth + 1) + node(range[split...], depth: depth + 1))
        }
    }

    /// The first index in `range` whose key hash has a 1 at `depth`.
    private static func split(_ range: ArraySlice<Leaf>, depth: Int) -> Int {
        precondition(depth < 256, "two leaves with one key hash")
        var low = range.startIndex
        var high = range.endIndex
        while low < high {
            let middle = (low + high) / 2
            if bit(range[middle].keyHash, depth) == 0 { low = middle + 1 } else { high = middle }
        }
        return low
    }

    static func bit(_ hash: [UInt8], _ index: Int) -> UInt8 {
        (hash[index / 8] >> (7 - UInt8(index % 8))) & 1
    }
}
