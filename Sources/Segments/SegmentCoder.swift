public import Erasure
import Multiformats

/// How segments are cut: k + m shards of at most `maxShardSize` bytes.
public struct SegmentParameters: Hashable, Sendable {
    public var dataShards: Int
    public var parityShards: Int
    /// Largest shard; a segment holds at most dataShards × maxShardSize bytes.
    public var maxShardSize: Int

    /// The largest shard size any manifest may name (16 MiB).
    public static let maxShardSizeLimit = 16 << 20

    /// k = 10, m = 6, shards up to 4 MiB: 40 MiB segments surviving any 6 lost shards.
    public static let `default` = SegmentParameters(dataShards: 10, parityShards: 6, maxShardSize: 4 << 20)

    public init(dataShards: Int, parityShards: Int, maxShardSize: Int) {
        self.dataShards = dataShards
        self.parityShards = parityShards
        self.maxShardSize = maxShardSize
    }

    /// Bytes one segment holds.
    public var segmentCapacity: Int { dataShards * maxShardSize }

    /// Content this small is stored as whole copies instead of coded: coding pads every shard to
    /// 1 KiB, so a tiny payload costs k + m KiB plus its manifest (17,208 bytes for 10+6, measured)
    /// where m + 1 copies survive the same m losses for less below about 2.4 KiB
    /// (`Specs/erasure.md`, "Replication threshold").
    public static let replicationThreshold = 2048

    /// Copies of a replicated payload: m + 1, which survives the same m losses as coding.
    public var replicas: Int { parityShards + 1 }

    /// Whether content of `size` bytes is replicated rather than coded.
    public func shouldReplicate(size: Int) -> Bool { size <= Self.replicationThreshold }
}

/// Cuts a segment into shards and commits to them; rebuilds a segment from any k good shards.
///
/// Layout (`Specs/erasure.md`): shard size = ⌈segment size / k⌉ rounded up to whole 1 KiB leaves
/// (1 KiB at least); data shard i holds bytes [i·s, (i+1)·s) of the segment, zero-padded; parity
/// shards by ``ReedSolomon``. Each shard is committed by its Merkle root, and the manifest names
/// every commitment and the segment's sha2-256.
public enum SegmentCoder {
    /// Encodes one segment (at most k × maxShardSize bytes).
    public static func encode(
        _ segment: [UInt8],
        parameters: SegmentParameters = .default,
        backend: ReedSolomon.Backend = .best
    ) throws(SegmentError) -> (manifest: SegmentManifest, shards: [[UInt8]]) {
        let k = parameters.dataShards
        let codec: ReedSolomon
        do {
            codec = try ReedSolomon(dataShards: k, parityShards: parameters.parityShards, backend: backend)
        } catch {
            throw SegmentError(.invalidParameters, error.message)
        }
        guard parameters.maxShardSize >= 1024, parameters.maxShardSize % 1024 == 0,
            parameters.maxShardSize <= SegmentParameters.maxShardSizeLimit
        else {
            throw SegmentError(.invalidParameters, "shard size must be a multiple of 1 KiB, at most 16 MiB")
        }
        guard segment.count <= parameters.segmentCapacity else {
            throw SegmentError(
                .invalidParameters,
                "segment of \(segment.count) bytes is over the \(parameters.segmentCapacity) one segment holds"
            )
        }
        let perShard = (segment.count + k - 1) / k
        let shardSize = max(1024, (perShard + 1023) / 1024 * 1024)
        var data: [[UInt8]] = []
        data.reserveCapacity(k)
        for index in 0..<k {
            let start = min(segment.count, index * shardSize)
            let end = min(segment.count, start + shardSize)
            var shard = Array(segment[start..<end])
            shard.append(contentsOf: repeatElement(0, count: shardSize - shard.count))
            data.append(shard)
        }
        let parity: [[UInt8]]
        do { parity = try codec.encode(data) } catch { throw SegmentError(.invalidParameters, error.message) }
        let shards = data + parity
        let commitments = try shards.map { (shard) throws(SegmentError) in try ShardCommitment.cid(of: shard) }
        let manifest = SegmentManifest(
            dataShards: k,
            parityShards: parameters.parityShards,
            segmentSize: segment.count,
            shardSize: shardSize,
            segmentHash: Multihash.sha256(segment),
            shards: commitments
        )
        return (manifest, shards)
    }

    /// What a rebuild found.
    public struct Rebuild: Sendable, Hashable {
        public let segment: [UInt8]
        /// Shards that were present but did not match their commitment: named, never used.
        public let corrupt: [Int]
        /// Shards that were absent.
        public let missing: [Int]
    }

    /// Rebuilds the segment from whatever shards are present (nil for absent ones).
    ///
    /// Every present shard is checked against its commitment before it is used; a mismatch is
    /// reported in ``Rebuild/corrupt`` and the shard is treated as missing. The result is checked
    /// against the segment hash.
    public static func decode(
        manifest: SegmentManifest,
        shards: [[UInt8]?],
        backend: ReedSolomon.Backend = .best
    ) throws(SegmentError) -> Rebuild {
        let total = manifest.dataShards + manifest.parityShards
        guard shards.count == total else {
            throw SegmentError(.invalidShard, "expected \(total) shard slots, got \(shards.count)")
        }
        var usable: [[UInt8]?] = shards
        var corrupt: [Int] = []
        for (index, shard) in shards.enumerated() {
            guard let shard else { continue }
            let matches =
                shard.count == manifest.shardSize && (try? ShardCommitment.cid(of: shard)) == manifest.shards[index]
            if !matches {
                corrupt.append(index)
                usable[index] = nil
            }
        }
        let missing = shards.indices.filter { shards[$0] == nil }
        let codec: ReedSolomon
        do {
            codec = try ReedSolomon(
                dataShards: manifest.dataShards, parityShards: manifest.parityShards, backend: backend)
            try codec.reconstruct(&usable, wanted: Set(0..<manifest.dataShards))
        } catch {
            throw SegmentError(
                .tooFewShards,
                "\(error.message) (corrupt: \(corrupt), missing: \(missing))"
            )
        }
        var segment: [UInt8] = []
        segment.reserveCapacity(manifest.dataShards * manifest.shardSize)
        for index in 0..<manifest.dataShards { segment += usable[index]! }
        segment.removeLast(segment.count - manifest.segmentSize)
        guard Multihash.sha256(segment) == manifest.segmentHash else {
            throw SegmentError(.segmentMismatch, "the rebuilt segment does not match the manifest's hash")
        }
        return Rebuild(segment: segment, corrupt: corrupt, missing: missing)
    }
}
