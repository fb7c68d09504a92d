import Crypto

/// A binary Merkle tree over 1 KiB leaves with SHA-256, as RFC 6962 (and RFC 9162) define it.
///
/// Leaf hash: SHA-256(0x00 ‖ leaf); node hash: SHA-256(0x01 ‖ left ‖ right). The prefixes keep a
/// leaf from ever passing for a node (no second-preimage trick between the two). For n leaves the
/// root is MTH(D[0:n]) = H(0x01 ‖ MTH(D[0:k]) ‖ MTH(D[k:n])) with k the largest power of two
/// below n — built here level by level, a lone last node moving up unchanged, which gives the
/// same tree. The content must be whole leaves: the segment layer pads shards with zeros.
///
/// Keeps every level (2n hashes), so any leaf's path is a lookup: 256 KiB for a 4 MiB shard.
public struct MerkleTree: Sendable {
    public static let leafSize = 1024
    public static let hashSize = 32

    /// levels[0] holds the leaf hashes, the last level the root.
    private let levels: [[[UInt8]]]

    public var leafCount: Int { levels[0].count }
    public var root: [UInt8] { levels[levels.count - 1][0] }

    /// Builds the tree over `content`, whose length must be a positive multiple of 1 KiB.
    public init(content: UnsafeRawBufferPointer) throws(ProofError) {
        guard content.count > 0, content.count % Self.leafSize == 0 else {
            throw ProofError(.invalidLength, "content of \(content.count) bytes is not a whole number of 1 KiB leaves")
        }
        var level: [[UInt8]] = []
        level.reserveCapacity(content.count / Self.leafSize)
        var offset = 0
        while offset < content.count {
            level.append(Self.leafHash(UnsafeRawBufferPointer(rebasing: content[offset..<(offset + Self.leafSize)])))
            offset += Self.leafSize
        }
        var levels = [level]
        while level.count > 1 {
            var next: [[UInt8]] = []
            next.reserveCapacity((level.count + 1) / 2)
            var index = 0
            while index + 1 < level.count {
                next.append(Self.nodeHash(level[index], level[index + 1]))
                index += 2
            }
            if index < level.count { next.append(level[index]) }
            levels.append(next)
            level = next
        }
        self.levels = levels
    }

    /// Builds the tree over `content`.
    public init(content: [UInt8]) throws(ProofError) {
        self = try content.withUnsafeBytes { buffer in
            Result { () throws(ProofError) in try MerkleTree(content: buffer) }
        }.get()
    }

    /// The sibling hashes from leaf `index` up to the root (RFC 6962 PATH), bottom first.
    public func path(for index: Int) -> [[UInt8]] {
        precondition(index >= 0 && index < leafCount, "leaf index out of range")
        var path: [[UInt8]] = []
        var position = index
        for level in levels.dropLast() {
            let sibling = position ^ 1
            if sibling < level.count { path.append(level[sibling]) }
            position >>= 1
        }
        return path
    }

    static func leafHash(_ leaf: UnsafeRawBufferPointer) -> [UInt8] {
        var hasher = SHA256()
        hasher.update(data: [0x00])
        hasher.update(bufferPointer: leaf)
        return Array(hasher.finalize())
    }

    static func nodeHash(_ left: [UInt8], _ right: [UInt8]) -> [UInt8] {
        var hasher = SHA256()
        hasher.update(data: [0x01])
        hasher.update(data: left)
        hasher.update(data: right)
        return Array(hasher.finalize())
    }

    /// Whether `path` leads from `leafHash` at `index` of a `leafCount`-leaf tree to `root`.
    ///
    /// RFC 9162 §2.1.3.2, step for step.
    static func verify(leafHash: [UInt8], index: Int, leafCount: Int, path: [[UInt8]], root: [UInt8]) -> Bool {
        guard index >= 0, index < leafCount else { return false }
        var fn = index
        var sn = leafCount - 1
        var result = leafHash
        for sibling in path {
            guard sn != 0, sibling.count == hashSize else { return false }
            if fn & 1 == 1 || fn == sn {
                result = nodeHash(sibling, result)
                if fn & 1 == 0 {
                    while fn & 1 == 0 && fn != 0 {
                        fn >>= 1
                        sn >>= 1
                    }
                }
            } else {
                result = nodeHash(result, sibling)
            }
            fn >>= 1
            sn >>= 1
        }
        return sn == 0 && result == root
    }
}
