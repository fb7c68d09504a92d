import CairnTestSupport
import Erasure
import Multiformats
import Segments
import StorageProofs
import Testing

@Suite struct SegmentCoderTests {
    static let small = SegmentParameters(dataShards: 4, parityShards: 2, maxShardSize: 8 << 10)

    @Test(arguments: [0, 1, 1023, 1024, 4096, 4097, 10_000, 32 << 10])
    func cutsAndRebuildsSegmentsOfEverySize(size: Int) throws {
        var random = SeededGenerator(seed: UInt64(size))
        let segment = random.bytes(count: size)
        let (manifest, shards) = try SegmentCoder.encode(segment, parameters: Self.small)
        #expect(shards.count == 6)
        #expect(manifest.shardSize % 1024 == 0 && manifest.shardSize >= 1024)
        #expect(shards.allSatisfy { $0.count == manifest.shardSize })
        #expect(manifest.segmentSize == size)
        // Any two lost shards: rebuilt exactly.
        for lost in [[0, 1], [2, 5], [4, 5], [0, 3]] {
            var damaged: [[UInt8]?] = shards
            for index in lost { damaged[index] = nil }
            let rebuild = try SegmentCoder.decode(manifest: manifest, shards: damaged)
            #expect(rebuild.segment == segment, "size \(size), lost \(lost)")
            #expect(rebuild.missing == lost && rebuild.corrupt.isEmpty)
        }
    }

    @Test func namesACorruptShardAndNeverUsesIt() throws {
        var random = SeededGenerator(seed: 2)
        let segment = random.bytes(count: 20_000)
        let (manifest, shards) = try SegmentCoder.encode(segment, parameters: Self.small)
        var damaged: [[UInt8]?] = shards
        damaged[1]![100] ^= 0x01  // one flipped bit in a data shard
        let rebuild = try SegmentCoder.decode(manifest: manifest, shards: damaged)
        #expect(rebuild.corrupt == [1])
        #expect(rebuild.segment == segment, "rebuilt from the other shards")
        // With one more loss beyond what parity covers, the corrupt shard is not used to fill in.
        damaged[0] = nil
        damaged[2] = nil
        let error = try #require(throws: SegmentError.self) {
            try SegmentCoder.decode(manifest: manifest, shards: damaged)
        }
        #expect(error.code == .tooFewShards)
        #expect(error.message.contains("corrupt: [1]"))
    }

    @Test func commitsEachShardByItsMerkleRoot() throws {
        let (manifest, shards) = try SegmentCoder.encode(Array(repeating: 7, count: 5000), parameters: Self.small)
        for (index, shard) in shards.enumerated() {
            let tree = try MerkleTree(content: shard)
            #expect(manifest.root(ofShard: index) == tree.root)
            #expect(
                manifest.shards[index].codec == .raw
                    && manifest.shards[index].multihash.code == ShardCommitment.multihashCode)
            // The commitment supports storage proofs against the manifest alone.
            let challenge = try Challenge(seed: [UInt8](repeating: UInt8(index), count: 32), leaves: 3)
            let proof = StorageProof.prove(challenge, tree: tree, content: shard)
            #expect(
                proof.verify(root: manifest.root(ofShard: index), leafCount: manifest.leafCount, challenge: challenge)
                    .isValid)
        }
    }

    @Test func theManifestRoundTripsAndHasACID() throws {
        let (manifest, _) = try SegmentCoder.encode(Array(repeating: 1, count: 3000), parameters: Self.small)
        let bytes = manifest.encoded()
        #expect(try SegmentManifest(bytes: bytes) == manifest)
        #expect(manifest.cid.codec == .dagCBOR)
        #expect(manifest.cid == (try SegmentManifest(bytes: bytes)).cid)
    }

    @Test func refusesMalformedManifests() throws {
        let (manifest, _) = try SegmentCoder.encode(Array(repeating: 1, count: 3000), parameters: Self.small)
        let good = manifest.encoded()
        for bytes in [[], [0xa0], Array(good.dropLast()), good + [0]] as [[UInt8]] {
            #expect(throws: SegmentError(.malformedManifest, "")) { try SegmentManifest(bytes: bytes) }
        }
    }

    @Test func refusesSegmentsLargerThanOneSegmentHolds() {
        #expect(throws: SegmentError(.invalidParameters, "")) {
            try SegmentCoder.encode([UInt8](repeating: 0, count: (32 << 10) + 1), parameters: Self.small)
        }
        #expect(throws: SegmentError(.invalidParameters, "")) {
            try SegmentCoder.encode(
                [1], parameters: SegmentParameters(dataShards: 0, parityShards: 1, maxShardSize: 1024))
        }
        #expect(throws: SegmentError(.invalidParameters, "")) {
            try SegmentCoder.encode(
                [1], parameters: SegmentParameters(dataShards: 2, parityShards: 1, maxShardSize: 1000))
        }
    }

    @Test func usesTheDefaultShapeForFortyMiBSegments() throws {
        #expect(SegmentParameters.default.segmentCapacity == 40 << 20)
        var random = SeededGenerator(seed: 9)
        let segment = random.bytes(count: 3 << 20)
        let (manifest, shards) = try SegmentCoder.encode(segment)
        #expect(manifest.dataShards == 10 && manifest.parityShards == 6)
        var damaged: [[UInt8]?] = shards
        for index in [0, 2, 4, 6, 8, 15] { damaged[index] = nil }
        #expect(try SegmentCoder.decode(manifest: manifest, shards: damaged).segment == segment)
    }

    @Test func replicatesOnlyPayloadsBelowTheMeasuredThreshold() {
        let parameters = SegmentParameters.default
        #expect(parameters.replicas == 7, "m + 1 copies survive m losses")
        #expect(parameters.shouldReplicate(size: 0) && parameters.shouldReplicate(size: 2048))
        #expect(!parameters.shouldReplicate(size: 2049))
        // At the threshold, seven copies are smaller than sixteen 1 KiB shards and a manifest.
        let coded = (try? SegmentCoder.encode([UInt8](repeating: 1, count: 2048)))!
        let codedBytes = coded.shards.reduce(0) { $0 + $1.count } + coded.manifest.encoded().count
        #expect(7 * 2048 < codedBytes)
        #expect(7 * 4096 > codedBytes)
    }
}
