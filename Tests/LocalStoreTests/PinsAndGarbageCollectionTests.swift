import CairnTestSupport
import Foundation
import IPLD
import LocalStore
import Multiformats
import Testing
import UnixFS

@Suite struct PinsAndGarbageCollectionTests {
    /// Adds a file through a writer and returns its root and every block CID.
    static func addFile(_ bytes: [UInt8], to repository: Repository, pin: Bool) throws -> (root: CID, blocks: [CID]) {
        let writer = repository.blocks.makeWriter()
        let builder = FileBuilder(
            profile: ImportProfile(chunkSize: 1000, maxLinks: 4, rawLeaves: true, cidVersion: .v1))
        var cids: [CID] = []
        let sink: FileBuilder.Sink<StoreError> = { cid, buffer in
            cids.append(cid)
            try writer.add(cid, buffer)
        }
        try bytes.withUnsafeBytes { buffer in try builder.append(buffer, to: sink) }
        let root = try builder.finish(to: sink)
        try writer.flush()
        if pin { try repository.pins.add(root.cid, name: "file", verifyComplete: true) }
        try writer.commit()
        return (root.cid, cids)
    }

    @Test func pinsAreNamedListedAndRemoved() throws {
        let directory = try TemporaryDirectory()
        let repository = try Repository(path: directory.path("repo"), create: true)
        let (root, _) = try Self.addFile(Array(repeating: 1, count: 5000), to: repository, pin: true)
        let pins = try repository.pins.list()
        #expect(pins.count == 1 && pins[0].cid == root && pins[0].name == "file" && pins[0].kind == .recursive)
        try repository.pins.add(root, kind: .direct, name: "renamed")
        #expect(try repository.pins.pin(for: root)?.kind == .direct)
        try repository.pins.remove(root)
        #expect(try repository.pins.list().isEmpty)
        #expect(throws: StoreError(.notFound, "")) { try repository.pins.remove(root) }
    }

    @Test func refusesToPinWhatIsNotThere() throws {
        let directory = try TemporaryDirectory()
        let repository = try Repository(path: directory.path("repo"), create: true)
        let absent = Block(codec: .raw, bytes: [1]).cid
        #expect(throws: StoreError(.notFound, "")) { try repository.pins.add(absent) }
        // A DAG whose leaf is missing cannot be pinned recursively, only directly.
        let leaf = Block(codec: .raw, bytes: [2])
        let node = DagPBNode(data: [0x08, 0x01], links: [DagPBLink(hash: leaf.cid, name: "x", tsize: 1)])
        let parent = Block(codec: .dagPB, bytes: node.encoded())
        let writer = repository.blocks.makeWriter()
        try writer.add(parent.cid, parent.bytes)
        try writer.commit()
        let error = try #require(throws: StoreError.self) { try repository.pins.add(parent.cid) }
        #expect(error.code == .incompleteDAG)
        #expect(error.message.contains(leaf.cid.description))
        try repository.pins.add(parent.cid, kind: .direct)
    }

    @Test func collectsExactlyWhatNoPinReaches() throws {
        let directory = try TemporaryDirectory()
        let repository = try Repository(path: directory.path("repo"), create: true)
        var random = SeededGenerator(seed: 9)
        let kept = try Self.addFile(random.bytes(count: 9000), to: repository, pin: true)
        let dropped = try Self.addFile(random.bytes(count: 7000), to: repository, pin: false)
        let direct = try Self.addFile(random.bytes(count: 6000), to: repository, pin: false)
        try repository.pins.add(direct.root, kind: .direct)
        let report = try GarbageCollector.collect(store: repository.blocks, pins: repository.pins)
        for cid in kept.blocks { #expect(try repository.blocks.has(cid), "pinned DAG kept") }
        for cid in dropped.blocks { #expect(try repository.blocks.has(cid) == false, "unpinned DAG collected") }
        #expect(try repository.blocks.has(direct.root), "direct pin keeps its block")
        for cid in direct.blocks.dropLast() { #expect(try repository.blocks.has(cid) == false, "but not its children") }
        #expect(report.removedBlocks == dropped.blocks.count + direct.blocks.count - 1)
        #expect(report.keptBlocks == kept.blocks.count + 1)
        #expect(repository.blocks.statistics.blocks == UInt64(report.keptBlocks))
        // Reopening sees the same thing.
        let stats = repository.blocks.statistics
        _ = consume repository
        let reopened = try Repository(path: directory.path("repo"))
        #expect(reopened.blocks.statistics == stats)
        #expect(try UnixFSReader(source: reopened.blocks).readAll(kept.root).count == 9000)
    }

    @Test func neverCollectsTheBlocksOfAnAddInFlight() async throws {
        let directory = try TemporaryDirectory()
        let repository = try Repository(path: directory.path("repo"), create: true)
        var random = SeededGenerator(seed: 10)
        let writer = repository.blocks.makeWriter()
        let block = Block(codec: .raw, bytes: random.bytes(count: 3000))
        try writer.add(block.cid, block.bytes)
        try writer.flush()
        // The collector must wait for the writer; it runs on its own thread meanwhile.
        let finished = ManagedAtomicFlag()
        let collector = Thread {
            _ = try? GarbageCollector.collect(store: repository.blocks, pins: repository.pins)
            finished.set()
        }
        collector.start()
        try await Task.sleep(for: .milliseconds(200))
        #expect(!finished.isSet, "GC waits while an add is in flight")
        try repository.pins.add(block.cid, name: "in flight")
        try writer.commit()
        for _ in 0..<100 where !finished.isSet { try await Task.sleep(for: .milliseconds(20)) }
        #expect(finished.isSet)
        #expect(try repository.blocks.block(block.cid) == block.bytes)
    }

    @Test func refusesASecondProcessOnTheSameRepository() throws {
        let directory = try TemporaryDirectory()
        let repository = try Repository(path: directory.path("repo"), create: true)
        let error = try #require(throws: StoreError.self) { try Repository(path: directory.path("repo")) }
        #expect(error.code == .repositoryLocked)
        _ = repository
        #expect(throws: StoreError(.noRepository, "")) { try Repository(path: directory.path("none")) }
    }
}

/// A flag set from one thread and read from another.
final class ManagedAtomicFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false
    var isSet: Bool { lock.withLock { value } }
    func set() { lock.withLock { value = true } }
}

@Suite struct CompactionTests {
    @Test func garbageCollectionGivesDiskSpaceBack() throws {
        let directory = try TemporaryDirectory()
        var random = SeededGenerator(seed: 30)
        let kept: CID
        let keptBytes = random.bytes(count: 300_000)
        do {
            let repository = try Repository(
                path: directory.path("repo"),
                create: true,
                config: Repository.Config(segmentSize: 1 << 20)
            )
            kept = try PinsAndGarbageCollectionTests.addFile(keptBytes, to: repository, pin: true).root
            for _ in 0..<6 {
                _ = try PinsAndGarbageCollectionTests.addFile(random.bytes(count: 400_000), to: repository, pin: false)
            }
            let before = repository.blocks.statistics
            #expect(before.diskBytes > 2_500_000)
            let report = try GarbageCollector.collect(store: repository.blocks, pins: repository.pins)
            let after = repository.blocks.statistics
            #expect(report.reclaimedBytes == before.diskBytes - after.diskBytes, "\(report)")
            #expect(after.diskBytes < 700_000, "\(after)")
            #expect(after.diskBytes >= after.storedBytes)
            #expect(after.storedBytes == before.storedBytes - report.removedBytes)
            #expect(try UnixFSReader(source: repository.blocks).readAll(kept) == keptBytes)
            // Files on disk match what the index says.
            let files = try FileManager.default.contentsOfDirectory(atPath: directory.path("repo/blocks"))
            #expect(files.count == after.segments)
        }
        let reopened = try Repository(path: directory.path("repo"))
        #expect(try UnixFSReader(source: reopened.blocks).readAll(kept) == keptBytes)
        #expect(try RepositoryVerifier.verify(reopened.blocks).corrupt.isEmpty)
        // And it keeps taking writes.
        _ = try PinsAndGarbageCollectionTests.addFile(random.bytes(count: 50_000), to: reopened, pin: true)
        #expect(try RepositoryVerifier.verify(reopened.blocks).corrupt.isEmpty)
    }
}
