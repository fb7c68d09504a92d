import CairnTestSupport
import IPLD
import Multiformats
import Testing
import UnixFS

@Suite struct UnixFSReaderTests {
    static func add(_ bytes: [UInt8], profile: ImportProfile, to store: MemoryBlockStore) -> UnixFSEntry {
        let builder = FileBuilder(profile: profile)
        bytes.withUnsafeBytes { builder.append($0, to: store.sink) }
        return builder.finish(to: store.sink)
    }

    static let small = ImportProfile(chunkSize: 100, maxLinks: 4, rawLeaves: true, cidVersion: .v1)
    static let smallV0 = ImportProfile(chunkSize: 100, maxLinks: 4, rawLeaves: false, cidVersion: .v0)

    @Test(arguments: [0, 1, 99, 100, 101, 400, 401, 1600, 1601, 5000])
    func readsBackWhatWasAdded(size: Int) throws {
        var random = SeededGenerator(seed: UInt64(size))
        let input = random.bytes(count: size)
        for profile in [Self.small, Self.smallV0] {
            let store = MemoryBlockStore()
            let entry = Self.add(input, profile: profile, to: store)
            let reader = UnixFSReader(source: store)
            #expect(try reader.readAll(entry.cid) == input)
            #expect(try reader.node(entry.cid).size == UInt64(size))
        }
    }

    @Test func readsAnyRange() throws {
        var random = SeededGenerator(seed: 5)
        let input = random.bytes(count: 3333)
        let store = MemoryBlockStore()
        let entry = Self.add(input, profile: Self.smallV0, to: store)
        let reader = UnixFSReader(source: store)
        for _ in 0..<200 {
            let lower = Int.random(in: 0...input.count, using: &random)
            let upper = Int.random(in: lower...input.count, using: &random)
            var output: [UInt8] = []
            try reader.read(entry.cid, range: UInt64(lower)..<UInt64(upper)) { output += $0 }
            #expect(output == Array(input[lower..<upper]), "\(lower)..<\(upper)")
        }
        #expect(throws: UnixFSError.self) { try reader.read(entry.cid, range: 0..<3334) { _ in } }
    }

    @Test func readsOnlyTheBlocksARangeNeeds() throws {
        var random = SeededGenerator(seed: 6)
        let input = random.bytes(count: 1000)
        let store = MemoryBlockStore()
        let entry = Self.add(input, profile: Self.small, to: store)
        // Remove every leaf but the fourth: a read inside it must still work.
        let leaves = store.order.filter { $0.codec == .raw }
        for (index, leaf) in leaves.enumerated() where index != 3 { store.remove(leaf) }
        var output: [UInt8] = []
        try UnixFSReader(source: store).read(entry.cid, range: 310..<390) { output += $0 }
        #expect(output == Array(input[310..<390]))
        let error = try #require(throws: UnixFSError.self) { try UnixFSReader(source: store).readAll(entry.cid) }
        #expect(error.code == .missingBlock)
    }

    @Test func listsAndResolvesDirectories() throws {
        let store = MemoryBlockStore()
        let hello = Self.add(Array("hello\n".utf8), profile: .kuboCIDv1, to: store)
        var inner = DirectoryBuilder()
        try inner.add(name: "hello.txt", entry: hello)
        let innerEntry = inner.finish(to: store.sink)
        var outer = DirectoryBuilder()
        try outer.add(name: "sub", entry: innerEntry)
        try outer.add(name: "top.txt", entry: hello)
        let root = outer.finish(to: store.sink)
        let reader = UnixFSReader(source: store)
        #expect(try reader.list(root.cid).map(\.name) == ["sub", "top.txt"])
        #expect(try reader.resolve(root.cid, path: "/sub/hello.txt") == hello.cid)
        #expect(try reader.resolve(root.cid, path: "sub//hello.txt/") == hello.cid)
        #expect(try reader.readAll(reader.resolve(root.cid, path: "top.txt")) == Array("hello\n".utf8))
        #expect(throws: UnixFSError(.notFound, "")) { try reader.resolve(root.cid, path: "sub/nope") }
        #expect(throws: UnixFSError(.wrongType, "")) { try reader.readAll(root.cid) }
        #expect(throws: UnixFSError(.wrongType, "")) { try reader.list(hello.cid) }
    }

    @Test func readsAHAMTShardedDirectory() throws {
        // A two-level shard with fanout 256: entries "a" and "b" at the top, "c" one level down.
        let store = MemoryBlockStore()
        let file = Self.add(Array("x".utf8), profile: .kuboCIDv1, to: store)
        let shardData = UnixFSData(kind: .hamtShard, data: [0x01], hashType: 0x22, fanout: 256).encoded()
        let lower = DagPBNode(data: shardData, links: [DagPBLink(hash: file.cid, name: "07c", tsize: 1)])
        let lowerBlock = Block(codec: .dagPB, bytes: lower.encoded())
        store.put(lowerBlock.cid, lowerBlock.bytes)
        let upper = DagPBNode(
            data: shardData,
            links: [
                DagPBLink(hash: file.cid, name: "00a", tsize: 1),
                DagPBLink(hash: lowerBlock.cid, name: "1F", tsize: 50),
                DagPBLink(hash: file.cid, name: "FFb", tsize: 1),
            ]
        )
        let upperBlock = Block(codec: .dagPB, bytes: upper.encoded())
        store.put(upperBlock.cid, upperBlock.bytes)
        let reader = UnixFSReader(source: store)
        #expect(try reader.node(upperBlock.cid).kind == .shardedDirectory)
        #expect(Set(try reader.list(upperBlock.cid).map(\.name)) == ["a", "b", "c"])
        #expect(try reader.resolve(upperBlock.cid, path: "c") == file.cid)
    }

    @Test func refusesMalformedFileTrees() throws {
        let store = MemoryBlockStore()
        let leaf = Self.add(Array("0123456789".utf8), profile: .kuboCIDv1, to: store)
        func put(_ data: UnixFSData, links: [DagPBLink]) -> CID {
            let block = Block(codec: .dagPB, bytes: DagPBNode(data: data.encoded(), links: links).encoded())
            store.put(block.cid, block.bytes)
            return block.cid
        }
        let link = DagPBLink(hash: leaf.cid, name: "", tsize: 10)
        let wrongCount = put(UnixFSData(kind: .file, fileSize: 10, blockSizes: []), links: [link])
        let wrongTotal = put(UnixFSData(kind: .file, fileSize: 11, blockSizes: [10]), links: [link])
        let wrongChild = put(UnixFSData(kind: .file, fileSize: 9, blockSizes: [9]), links: [link])
        let reader = UnixFSReader(source: store)
        for cid in [wrongCount, wrongTotal, wrongChild] {
            let error = try #require(throws: UnixFSError.self) { try reader.readAll(cid) }
            #expect(error.code == .invalidNode, "\(error)")
        }
        let notUnixFS = Block(codec: .dagCBOR, bytes: [0xa0])
        store.put(notUnixFS.cid, notUnixFS.bytes)
        #expect(throws: UnixFSError(.wrongType, "")) { try reader.node(notUnixFS.cid) }
    }
}
