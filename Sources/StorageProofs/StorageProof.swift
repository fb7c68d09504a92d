import IPLD

/// The answer to a ``Challenge``: each challenged leaf of a shard with its Merkle path.
///
/// Checked against the shard's root alone (what the ledger records), so any node can verify any
/// answer. Wire form: dag-cbor `{"leafCount": int, "leaves": [[index, leaf bytes, [sibling…]]…],
/// "root": bytes, "seed": bytes}` (`Specs/proofs.md`).
public struct StorageProof: Hashable, Sendable {
    public struct Leaf: Hashable, Sendable {
        public let index: Int
        public let data: [UInt8]
        public let path: [[UInt8]]

        public init(index: Int, data: [UInt8], path: [[UInt8]]) {
            self.index = index
            self.data = data
            self.path = path
        }
    }

    public let root: [UInt8]
    public let leafCount: Int
    public let seed: [UInt8]
    public let leaves: [Leaf]

    /// Largest proof accepted for decoding: 1,024 leaves of 1 KiB with 64-hash paths, and room.
    public static let maxEncodedSize = 4 << 20

    public init(root: [UInt8], leafCount: Int, seed: [UInt8], leaves: [Leaf]) {
        self.root = root
        self.leafCount = leafCount
        self.seed = seed
        self.leaves = leaves
    }

    /// Answers `challenge` for a shard, given its tree and content.
    public static func prove(_ challenge: Challenge, tree: MerkleTree, content: [UInt8]) -> StorageProof {
        precondition(content.count == tree.leafCount * MerkleTree.leafSize, "content does not match the tree")
        let leaves = challenge.indices(leafCount: tree.leafCount).map { index in
            let start = index * MerkleTree.leafSize
            return Leaf(
                index: index, data: Array(content[start..<(start + MerkleTree.leafSize)]), path: tree.path(for: index))
        }
        return StorageProof(root: tree.root, leafCount: tree.leafCount, seed: challenge.seed, leaves: leaves)
    }

    /// Checks this proof against what the verifier knows: the shard's root and leaf count, and
    /// the challenge. A result with a reason, never a throw.
    public func verify(root expectedRoot: [UInt8], leafCount expectedLeafCount: Int, challenge: Challenge)
        -> ProofVerdict
    {
        guard root == expectedRoot else { return .invalid(.wrongRoot) }
        guard leafCount == expectedLeafCount, leafCount >= 1 else { return .invalid(.wrongLeafCount) }
        guard seed == challenge.seed else { return .invalid(.wrongSeed) }
        let expected = challenge.indices(leafCount: leafCount)
        guard leaves.map(\.index) == expected else { return .invalid(.wrongLeaves) }
        for leaf in leaves {
            guard leaf.data.count == MerkleTree.leafSize else { return .invalid(.badLeaf(index: leaf.index)) }
            let hash = leaf.data.withUnsafeBytes { MerkleTree.leafHash($0) }
            guard
                MerkleTree.verify(leafHash: hash, index: leaf.index, leafCount: leafCount, path: leaf.path, root: root)
            else { return .invalid(.badPath(index: leaf.index)) }
        }
        return .valid
    }

    // MARK: Wire form

    /// The proof's dag-cbor bytes.
    public func encoded() -> [UInt8] {
        let entries = leaves.map { leaf in
            IPLDValue.list([.integer(Int128(leaf.index)), .bytes(leaf.data), .list(leaf.path.map { .bytes($0) })])
        }
        let value = IPLDValue.map(
            IPLDMap([
                ("leafCount", .integer(Int128(leafCount))), ("leaves", .list(entries)), ("root", .bytes(root)),
                ("seed", .bytes(seed)),
            ])
        )
        return try! DagCBOR.encode(value)  // bytes, lists and small integers always encode
    }

    /// Decodes a proof, refusing anything out of shape before it is verified.
    ///
    /// - Throws: ``ProofError`` `.malformedProof` naming what is wrong.
    public init(bytes: [UInt8]) throws(ProofError) {
        guard !bytes.isEmpty else { throw ProofError(.malformedProof, "empty proof") }
        guard bytes.count <= Self.maxEncodedSize else {
            throw ProofError(
                .malformedProof, "proof of \(bytes.count) bytes is over the limit of \(Self.maxEncodedSize)")
        }
        let value: IPLDValue
        do { value = try DagCBOR.decode(bytes) } catch {
            throw ProofError(.malformedProof, "proof is not dag-cbor: \(error)")
        }
        guard case .map(let map) = value, map.count == 4,
            case .integer(let leafCount)? = map["leafCount"], leafCount >= 1, leafCount <= Int128(1 << 40),
            case .list(let entries)? = map["leaves"], !entries.isEmpty, entries.count <= Challenge.maxLeaves,
            case .bytes(let root)? = map["root"], root.count == MerkleTree.hashSize,
            case .bytes(let seed)? = map["seed"], seed.count == Challenge.seedSize
        else {
            throw ProofError(
                .malformedProof, "proof needs leafCount, 1 to 1024 leaves, a 32-byte root and seed, and nothing else")
        }
        let leaves = try entries.map { (entry) throws(ProofError) -> Leaf in
            guard case .list(let parts) = entry, parts.count == 3,
                case .integer(let index) = parts[0], index >= 0, index < leafCount,
                case .bytes(let data) = parts[1], data.count == MerkleTree.leafSize,
                case .list(let pathValues) = parts[2], pathValues.count <= 64
            else { throw ProofError(.malformedProof, "a leaf entry is not [index, 1 KiB of data, path]") }
            let path = try pathValues.map { (value) throws(ProofError) -> [UInt8] in
                guard case .bytes(let hash) = value, hash.count == MerkleTree.hashSize else {
                    throw ProofError(.malformedProof, "a path element is not a 32-byte hash")
                }
                return hash
            }
            return Leaf(index: Int(index), data: data, path: path)
        }
        self.init(root: root, leafCount: Int(leafCount), seed: seed, leaves: leaves)
    }
}

/// The outcome of checking a storage proof.
public enum ProofVerdict: Hashable, Sendable {
    case valid
    case invalid(Reason)

    public enum Reason: Hashable, Sendable {
        /// The proof is for another shard.
        case wrongRoot
        /// The proof claims a different number of leaves than the shard has.
        case wrongLeafCount
        /// The proof answers another challenge (a replayed answer).
        case wrongSeed
        /// The proof's leaves are not the ones the challenge names.
        case wrongLeaves
        /// A leaf is not 1 KiB.
        case badLeaf(index: Int)
        /// A leaf and its path do not lead to the root.
        case badPath(index: Int)
    }

    public var isValid: Bool { self == .valid }
}
