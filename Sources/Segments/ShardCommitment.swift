public import Multiformats
import StorageProofs

/// A shard's identity: a CIDv1 `raw` whose multihash is the shard's Merkle root.
///
/// The multihash code is from the multicodec table's private-use range, because the function is
/// not sha2-256 of the bytes but the RFC 6962 root over 1 KiB leaves (`Specs/proofs.md`); a tool
/// that does not know it parses the CID and says it cannot check it, rather than reporting a
/// mismatch.
public enum ShardCommitment {
    /// `cairn-merkle-sha2-256-1k`, private use.
    public static let multihashCode = Multicodec(rawValue: 0x30_0100)

    /// The commitment of a shard whose length is a whole number of 1 KiB leaves.
    public static func cid(of shard: [UInt8]) throws(SegmentError) -> CID {
        let tree: MerkleTree
        do { tree = try MerkleTree(content: shard) } catch {
            throw SegmentError(.invalidShard, "shard of \(shard.count) bytes: \(error.message)")
        }
        return cid(root: tree.root)
    }

    /// The commitment CID for a Merkle root.
    public static func cid(root: [UInt8]) -> CID {
        CID(v1: .raw, multihash: try! Multihash(code: multihashCode, digest: root))  // 32 bytes is in range
    }
}
