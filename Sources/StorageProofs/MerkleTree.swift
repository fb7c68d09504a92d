import CSHA256
import CodedErrors

/// A binary Merkle tree over 1 KiB leaves with SHA-256, as RFC 6962 (and RFC 9162) define it.
///
/// Leaf hash: SHA-256(0x00 ‖ leaf); node hash: SHA-256(0x01 ‖ left ‖ right). The prefixes keep a
/// leaf from ever passing for a node (no second-preimage trick between the two). For n leaves the
/// root is MTH(D[0:n]) = H(0x01 ‖ MTH(D[0:k]) ‖ MTH(D[k:n])) with k the largest power of two
/// below n — built here level by level, a lone last node moving up unchanged, which gives the
/// same tree. The content must be whole leaves: the segment layer pads shards with zeros.
///
/// Every level is kept, flat (2n hashes, 256 KiB for a 4 MiB shard), so any leaf's path is a
/// lookup; hashing runs in C (``SHA256Hasher``) a whole level per call.
public struct MerkleTree: Sendable {
    public static let leafSize = 1024
    public static let hashSize = 32

    /// levels[0] holds the leaf hashes, 32 bytes each, back to back; the last level the root.
    private let levels: [[UInt8]]

    public var leafCount: Int { levels[0].count / Self.hashSize }
    public var root: [UInt8] { levels[levels.count - 1] }

    /// Builds the tree over `content`, whose length must be a positive multiple of 1 KiB.
    public init(content: UnsafeRawBufferPointer) throws(ProofError) {
        guard content.count > 0, content.count % Self.leafSize == 0 else {
            throw ProofError(.invalidLength, "content of \(content.count) bytes is not a whole number of 1 KiB leaves")
        }
        let count = content.count / Self.leafSize
        var level = [UInt8](repeating: 0, count: count * Self.hashSize)
        level.withUnsafeMutableBufferPointer { output in
            cairn_merkle_leaf_hashes(
                content.baseAddress!.assumingMemoryBound(to: UInt8.self),
                count,
                Self.leafSize,
                output.baseAddress
            )
        }
        var levels = [level]
        while level.count > Self.hashSize {
            let hashes = level.count / Self.hashSize
            var next = [UInt8](repeating: 0, count: (hashes + 1) / 2 * Self.hashSize)
            level.withUnsafeBufferPointer { input in
                next.withUnsafeMutableBufferPointer { output in
                    _ = cairn_merkle_level(input.baseAddress, hashes, output.baseAddress)
                }
            }
            levels.append(next)
            level = next
        }
        self.levels = levels
    }

    /// Builds the tree over `content`.
    public init(content: [UInt8]) throws(ProofError) {
        self = try content.withBytes { (buffer) throws(ProofError) in try MerkleTree(content: buffer) }
    }

    /// The sibling hashes from leaf `index` up to the root (RFC 6962 PATH), bottom first.
    public func path(for index: Int) -> [[UInt8]] {
        precondition(index >= 0 && index < leafCount, "leaf index out of range")
        var path: [[UInt8]] = []
        var position = index
        for level in levels.dropLast() {
            let sibling = position ^ 1
            if sibling < level.count / Self.hashSize {
                path.append(Array(level[(sibling * Self.hashSize)..<((sibling + 1) * Self.hashSize)]))
            }
            position >>= 1
        }
        return path
    }

    static func leafHash(_ leaf: UnsafeRawBufferPointer) -> [UInt8] {
        SHA256Hasher.hash(prefix: 0x00, leaf)
    }

    static func nodeHash(_ left: [UInt8], _ right: [UInt8]) -> [UInt8] {
        var digest = [UInt8](repeating: 0, count: hashSize)
        left.withUnsafeBufferPointer { left in
            right.withUnsafeBufferPointer { right in
                digest.withUnsafeMutableBufferPointer {
                    cairn_merkle_node(left.baseAddress, right.baseAddress, $0.baseAddress)
                }
            }
        }
        return digest
    }

    /// Whether `path` leads from `leafHash` at `index` of a `leafCount`-leaf tree to `root`.
    ///
    /// RFC 9162 §2.1.3.2, step for step.
    static func verify(leafHash: [UInt8], index: Int, leafCount: Int, path: [[UInt8]], root: [UInt8]) -> Bool {
        guard index >= 0, index < leafCount, leafHash.count == hashSize else { return false }
        var fn = index
        var sn = leafCount - 1
        // One buffer, hashed into in place (the C function copies its inputs first).
        var result = leafHash
        for sibling in path {
            guard sn != 0, sibling.count == hashSize else { return false }
            let siblingOnLeft = fn & 1 == 1 || fn == sn
            result.withUnsafeMutableBufferPointer { current in
                sibling.withUnsafeBufferPointer { sibling in
                    if siblingOnLeft {
                        cairn_merkle_node(sibling.baseAddress, current.baseAddress, current.baseAddress)
                    } else {
                        cairn_merkle_node(current.baseAddress, sibling.baseAddress, current.baseAddress)
                    }
                }
            }
            if siblingOnLeft && fn & 1 == 0 {
                while fn & 1 == 0 && fn != 0 {
                    fn >>= 1
                    sn >>= 1
                }
            }
            fn >>= 1
            sn >>= 1
        }
        return sn == 0 && result == root
    }
}
