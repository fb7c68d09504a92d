import CairnTestSupport
import Foundation
import IPLD
import LocalStore
import Multiformats
import Testing

@Suite struct BlockStoreTests {
    static func open(_ directory: TemporaryDirectory, limit: UInt64? = nil, segmentSize: UInt64 = 1 << 30) throws
        -> Repository
    {
        try Repository(
            path: directory.path("repo"),
            create: true,
            config: Repository.Config(storageLimit: limit, segmentSize: segmentSize)
        )
    }

    static func put(_ blocks: [Block], into repository: Repository) throws {
        let writer = repository.blocks.makeWriter()
        for block in blocks { try writer.add(block.cid, block.bytes) }
        try writer.commit()
    }

    @Test func storesAndReadsBlocksOfEverySize() throws {
        let directory = try TemporaryDirectory()
        let repository = try Self.open(directory)
        var random = SeededGenerator(seed: 1)
        let blocks = [0, 1, 511, 512, 4096, 262_144, 1 << 20].flatMap { size in
            [
                Block(codec: .raw, bytes: random.bytes(count: size)),
                Block(codec: .raw, bytes: [UInt8](repeating: UInt8(size & 0xff), count: size)),
            ]
        }
        try Self.put(blocks, into: repository)
        for block in blocks { #expect(try repository.blocks.block(block.cid) == block.bytes) }
        let stats = repository.blocks.statistics
        #expect(stats.blocks == UInt64(Set(blocks.map(\.cid)).count))
        #expect(stats.rawBytes == blocks.reduce(0) { $0 + UInt64($1.bytes.count) })
        #expect(stats.storedBytes < stats.rawBytes, "repeated bytes compress")
        #expect(try repository.blocks.block(Block(codec: .raw, bytes: [9, 9]).cid) == nil)
    }

    @Test func storesTheSameBytesOnceWhateverTheCID() throws {
        let directory = try TemporaryDirectory()
        let repository = try Self.open(directory)
        let v1 = Block(codec: .dagPB, bytes: [0x0a, 0x02, 0x08, 0x01])
        let v0 = try CID(v1.cid.toV0().description)
        let raw = CID(v1: .raw, multihash: v1.cid.multihash)
        try Self.put([v1, v1], into: repository)
        let writer = repository.blocks.makeWriter()
        try writer.add(v0, v1.bytes)
        try writer.add(raw, v1.bytes)
        try writer.commit()
        #expect(writer.insertedCount == 0)
        #expect(repository.blocks.statistics.blocks == 1)
        #expect(try repository.blocks.block(v0) == v1.bytes)
        #expect(try repository.blocks.has(raw))
    }

    @Test func neverStoresIdentityBlocks() throws {
        let directory = try TemporaryDirectory()
        let repository = try Self.open(directory)
        let identity = try CID("bafyaabakaieac")
        try Self.put([Block(unsafeCID: identity, bytes: [0x0a, 0x02, 0x08, 0x01])], into: repository)
        #expect(repository.blocks.statistics.blocks == 0)
        #expect(try repository.blocks.block(identity) == [0x0a, 0x02, 0x08, 0x01])
    }

    @Test func keepsEverythingAcrossReopening() throws {
        let directory = try TemporaryDirectory()
        var random = SeededGenerator(seed: 2)
        let blocks = (0..<50).map { _ in Block(codec: .raw, bytes: random.bytes(count: 100_000)) }
        var stats: BlockStore.Statistics?
        do {
            let repository = try Self.open(directory, segmentSize: 1 << 20)
            for start in stride(from: 0, to: blocks.count, by: 10) {
                try Self.put(Array(blocks[start..<(start + 10)]), into: repository)
            }
            stats = repository.blocks.statistics
            #expect(stats!.segments > 1, "small segments rotate")
        }
        let reopened = try Repository(path: directory.path("repo"))
        #expect(reopened.blocks.statistics == stats)
        for block in blocks { #expect(try reopened.blocks.block(block.cid) == block.bytes) }
    }

    @Test func reportsACorruptBlockInsteadOfServingIt() throws {
        let directory = try TemporaryDirectory()
        var random = SeededGenerator(seed: 3)
        let block = Block(codec: .raw, bytes: random.bytes(count: 10_000))
        do { try Self.put([block], into: try Self.open(directory)) }
        let segment = directory.path("repo/blocks/00000001.vlog")
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: segment)))
        bytes[bytes.count - 100] ^= 0x01
        try Data(bytes).write(to: URL(fileURLWithPath: segment))
        let repository = try Repository(path: directory.path("repo"))
        let error = try #require(throws: StoreError.self) { try repository.blocks.block(block.cid) }
        #expect(error.code == .corruptBlock)
    }

    @Test func cutsTheTailOfAnInterruptedWriteWhenOpening() throws {
        let directory = try TemporaryDirectory()
        let block = Block(codec: .raw, bytes: Array("committed".utf8))
        do { try Self.put([block], into: try Self.open(directory)) }
        let segment = directory.path("repo/blocks/00000001.vlog")
        let committed = try FileManager.default.attributesOfItem(atPath: segment)[.size] as! Int
        // A crash after appending but before indexing leaves bytes past the committed length,
        // and a segment the index never heard of.
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: segment))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(repeating: 0xCB, count: 5000))
        try handle.close()
        try Data("CAIRNVL1junk".utf8).write(to: URL(fileURLWithPath: directory.path("repo/blocks/00000002.vlog")))
        let repository = try Repository(path: directory.path("repo"))
        #expect(try FileManager.default.attributesOfItem(atPath: segment)[.size] as! Int == committed)
        #expect(!FileManager.default.fileExists(atPath: directory.path("repo/blocks/00000002.vlog")))
        #expect(try repository.blocks.block(block.cid) == block.bytes)
        try Self.put([Block(codec: .raw, bytes: Array("after".utf8))], into: repository)
        #expect(repository.blocks.statistics.blocks == 2)
    }

    @Test func enforcesTheStorageLimitAndChangesNothing() throws {
        let directory = try TemporaryDirectory()
        let repository = try Self.open(directory, limit: 250_000)
        var random = SeededGenerator(seed: 4)
        try Self.put([Block(codec: .raw, bytes: random.bytes(count: 200_000))], into: repository)
        let before = repository.blocks.statistics
        let big = Block(codec: .raw, bytes: random.bytes(count: 100_000))
        let writer = repository.blocks.makeWriter()
        try writer.add(big.cid, big.bytes)
        let error = try #require(throws: StoreError.self) { try writer.commit() }
        #expect(error.code == .storageLimitExceeded)
        try writer.abort()
        #expect(repository.blocks.statistics == before)
        #expect(try repository.blocks.has(big.cid) == false)
    }

    @Test func abortRemovesOnlyWhatNoOtherWriterNeeds() throws {
        let directory = try TemporaryDirectory()
        let repository = try Self.open(directory)
        let shared = Block(codec: .raw, bytes: Array("shared".utf8))
        let own = Block(codec: .raw, bytes: Array("own".utf8))
        let first = repository.blocks.makeWriter()
        try first.add(shared.cid, shared.bytes)
        try first.add(own.cid, own.bytes)
        try first.flush()
        let second = repository.blocks.makeWriter()
        try second.add(shared.cid, shared.bytes)  // already stored: relies on first's copy
        try second.flush()
        try first.abort()
        #expect(try repository.blocks.has(shared.cid), "the second writer relies on it")
        #expect(try repository.blocks.has(own.cid) == false)
        try second.commit()
    }
}

extension Block {
    /// A block with a CID the test vouches for (identity CIDs carry their bytes).
    init(unsafeCID cid: CID, bytes: [UInt8]) {
        self = try! Block(verifying: cid, bytes: bytes)
    }
}
