import IPLD
public import Multiformats

/// What a segment was cut into: the coding parameters, the sizes, each shard's commitment, and
/// the segment's own hash. dag-cbor, so it has a CID and is stored and resolved like any block.
///
/// ```
/// {"dataShards": k, "parityShards": m, "segmentHash": multihash bytes (sha2-256),
///  "segmentSize": bytes, "shardSize": bytes (a multiple of 1 KiB), "shards": [CID …],
///  "version": 1}
/// ```
/// Shard i is data shard i for i < k and parity shard i − k after; its CID is a CIDv1 `raw` whose
/// multihash is the shard's Merkle root (`Specs/erasure.md`, `Specs/proofs.md`).
public struct SegmentManifest: Hashable, Sendable {
    public let dataShards: Int
    public let parityShards: Int
    /// Bytes of the segment (before padding).
    public let segmentSize: Int
    /// Bytes of every shard, padded to whole 1 KiB leaves.
    public let shardSize: Int
    /// sha2-256 of the segment's bytes.
    public let segmentHash: Multihash
    /// The k + m shard commitments, data shards first.
    public let shards: [CID]

    public static let version = 1

    /// The manifest's dag-cbor bytes.
    public func encoded() -> [UInt8] {
        let value = IPLDValue.map(
            IPLDMap([
                ("version", .integer(Int128(Self.version))), ("dataShards", .integer(Int128(dataShards))),
                ("parityShards", .integer(Int128(parityShards))), ("segmentSize", .integer(Int128(segmentSize))),
                ("shardSize", .integer(Int128(shardSize))), ("segmentHash", .bytes(segmentHash.bytes)),
                ("shards", .list(shards.map { .link($0) })),
            ])
        )
        return try! DagCBOR.encode(value)  // integers, bytes and links always encode
    }

    /// The manifest's CID (CIDv1 dag-cbor, sha2-256).
    public var cid: CID { Block(codec: .dagCBOR, bytes: encoded()).cid }

    /// The Merkle root each shard must have.
    public func root(ofShard index: Int) -> [UInt8] { shards[index].multihash.digest }

    /// Leaves per shard.
    public var leafCount: Int { shardSize / 1024 }

    init(
        dataShards: Int,
        parityShards: Int,
        segmentSize: Int,
        shardSize: Int,
        segmentHash: Multihash,
        shards: [CID]
    ) {
        self.dataShards = dataShards
        self.parityShards = parityShards
        self.segmentSize = segmentSize
        self.shardSize = shardSize
        self.segmentHash = segmentHash
        self.shards = shards
    }

    /// Decodes a manifest, refusing anything out of shape.
    ///
    /// - Throws: ``SegmentError`` `.malformedManifest` naming what is wrong.
    public init(bytes: [UInt8]) throws(SegmentError) {
        let value: IPLDValue
        do { value = try DagCBOR.decode(bytes) } catch {
            throw SegmentError(.malformedManifest, "manifest is not dag-cbor: \(error)")
        }
        guard case .map(let map) = value, map.count == 7,
            case .integer(Int128(Self.version))? = map["version"],
            case .integer(let k)? = map["dataShards"], case .integer(let m)? = map["parityShards"],
            k >= 1, m >= 1, k + m <= 255,
            case .integer(let segmentSize)? = map["segmentSize"], segmentSize >= 0,
            case .integer(let shardSize)? = map["shardSize"], shardSize >= 1024, shardSize % 1024 == 0,
            shardSize <= Int128(SegmentParameters.maxShardSizeLimit),
            segmentSize <= shardSize * k,
            case .bytes(let hashBytes)? = map["segmentHash"],
            case .list(let shardValues)? = map["shards"], shardValues.count == Int(k + m)
        else {
            throw SegmentError(.malformedManifest, "manifest fields are missing, extra or out of range")
        }
        let hash: Multihash
        do { hash = try Multihash(bytes: hashBytes) } catch {
            throw SegmentError(.malformedManifest, "segmentHash is not a multihash: \(error)")
        }
        guard hash.code == .sha2_256 else { throw SegmentError(.malformedManifest, "segmentHash must be sha2-256") }
        let shards = try shardValues.map { (value) throws(SegmentError) -> CID in
            guard case .link(let cid) = value, cid.version == .v1, cid.codec == .raw,
                cid.multihash.code == ShardCommitment.multihashCode, cid.multihash.digest.count == 32
            else { throw SegmentError(.malformedManifest, "a shard entry is not a shard commitment CID") }
            return cid
        }
        self.init(
            dataShards: Int(k),
            parityShards: Int(m),
            segmentSize: Int(segmentSize),
            shardSize: Int(shardSize),
            segmentHash: hash,
            shards: shards
        )
    }
}
