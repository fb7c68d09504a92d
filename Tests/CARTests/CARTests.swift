import CAR
import CairnTestSupport
import IPLD
import Multiformats
import Testing
import UnixFS

@Suite struct CARTests {
    /// A folder with a two-level file, a repeated file and a symlink, in a memory store.
    static func sampleDAG() throws -> (root: CID, store: MemoryBlockStore) {
        let store = MemoryBlockStore()
        var random = SeededGenerator(seed: 3)
        let profile = ImportProfile(chunkSize: 100, maxLinks: 3, rawLeaves: true, cidVersion: .v1)
        let builder = FileBuilder(profile: profile)
        random.bytes(count: 1000).withUnsafeBytes { builder.append($0, to: store.sink) }
        let big = builder.finish(to: store.sink)
        let zeros = FileBuilder(profile: profile)
        [UInt8](repeating: 0, count: 400).withUnsafeBytes { zeros.append($0, to: store.sink) }
        let repeated = zeros.finish(to: store.sink)
        var directory = DirectoryBuilder()
        try directory.add(name: "big.bin", entry: big)
        try directory.add(name: "zeros.bin", entry: repeated)
        try directory.add(name: "zeros-again.bin", entry: repeated)
        try directory.add(name: "link", entry: SymlinkBuilder.build(target: "big.bin", to: store.sink))
        return (directory.finish(to: store.sink).cid, store)
    }

    static func export(_ root: CID, from store: MemoryBlockStore) throws -> [UInt8] {
        var car: [UInt8] = []
        try CARWriter.export(root: root, from: store, to: { car += $0 })
        return car
    }

    static func readAll(_ bytes: [UInt8]) throws -> (roots: [CID], blocks: [Block]) {
        var reader = try CARReader(BufferInput(bytes))
        var blocks: [Block] = []
        while let block = try reader.next() { blocks.append(block) }
        return (reader.roots, blocks)
    }

    @Test func exportsDepthFirstRootFirstWithoutDuplicates() throws {
        let (root, store) = try Self.sampleDAG()
        let car = try Self.export(root, from: store)
        let (roots, blocks) = try Self.readAll(car)
        #expect(roots == [root])
        #expect(blocks.first?.cid == root)
        #expect(Set(blocks.map(\.cid)).count == blocks.count, "no block twice")
        #expect(Set(blocks.map(\.cid)) == Set(store.blocks.keys), "every block of the DAG")
        // Depth first: each block's first appearance comes right after its parent's subtree starts.
        var expected: [CID] = []
        var seen: Set<CID> = []
        func visit(_ cid: CID) throws {
            guard seen.insert(cid).inserted else { return }
            expected.append(cid)
            for child in try BlockLinks.links(of: cid, bytes: store.blocks[cid]!) { try visit(child) }
        }
        try visit(root)
        #expect(blocks.map(\.cid) == expected)
    }

    @Test func writesTheCanonicalHeader() throws {
        let root = try CID("bafybeiczsscdsbs7ffqz55asqdf3smv6klcw3gofszvwlyarci47bgf354")
        let header = CARWriter.header(roots: [root])
        // varint(59), then {"roots": [tag 42 …], "version": 1}
        #expect(header.first == UInt8(header.count - 1))
        #expect(Hex.encode(header[1..<9]) == "a265726f6f747381")
        #expect(Hex.encode(header.suffix(9)) == "6776657273696f6e01")
    }

    @Test func readsACARv2() throws {
        let (root, store) = try Self.sampleDAG()
        let payload = try Self.export(root, from: store)
        var car: [UInt8] = [0x0a, 0xa1, 0x67, 0x76, 0x65, 0x72, 0x73, 0x69, 0x6f, 0x6e, 0x02]
        let dataOffset = UInt64(11 + 40 + 13)  // with some padding, as writers may leave
        var fixed = [UInt8](repeating: 0, count: 16)
        for value in [dataOffset, UInt64(payload.count), UInt64(0)] {
            withUnsafeBytes(of: value.littleEndian) { fixed += $0 }
        }
        car += fixed + [UInt8](repeating: 0, count: 13) + payload + [0xde, 0xad, 0xbe, 0xef]  // trailing "index"
        let (roots, blocks) = try Self.readAll(car)
        #expect(roots == [root])
        #expect(blocks.count == store.blocks.count)
    }

    @Test func refusesATruncatedCAR() throws {
        let (root, store) = try Self.sampleDAG()
        let car = try Self.export(root, from: store)
        let header = CARWriter.header(roots: [root])
        // Cut inside the header, and inside the first section's length, CID and data.
        for cut in [1, header.count - 1, header.count + 1, header.count + 5, header.count + 60, car.count - 1] {
            let error = try #require(throws: CARError.self, "cut at \(cut)") {
                try Self.readAll(Array(car.prefix(cut)))
            }
            #expect(error.code == .truncated, "cut at \(cut): \(error)")
        }
    }

    @Test func refusesACorruptBlock() throws {
        let (root, store) = try Self.sampleDAG()
        var car = try Self.export(root, from: store)
        car[car.count - 3] ^= 0x01
        let error = try #require(throws: CARError.self) { try Self.readAll(car) }
        #expect(error.code == .hashMismatch)
    }

    @Test func refusesOversizedHeadersAndSections() throws {
        let header = CARWriter.header(roots: [try CID("bafkqaaa")])
        let hugeSection = header + Varint.encode(UInt64(CARReader<BufferInput>.maxBlockSize + 1000))
        #expect(throws: CARError(.tooLarge, "")) { try Self.readAll(hugeSection + [0, 0, 0]) }
        let hugeHeader = Varint.encode(UInt64(CARReader<BufferInput>.maxHeaderSize + 1)) + [0xa0]
        #expect(throws: CARError(.tooLarge, "")) { try Self.readAll(hugeHeader) }
    }

    @Test(arguments: [
        "",  // nothing at all
        "00",  // empty header
        "01f6",  // header is null
        "0aa16776657273696f6e03",  // {"version": 3}
        "0aa16776657273696f6e01",  // {"version": 1} without roots
        "11a265726f6f7473806776657273696f6e01",  // roots: []
        "12a265726f6f7473810167" + "76657273696f6e01",  // a root that is not a CID
        "0aa16776657273696f6e02",  // a CARv2 pragma with nothing after it
        "0bff",  // not dag-cbor
    ])
    func refusesBadHeaders(hex: String) throws {
        let error = try #require(throws: CARError.self) { try Self.readAll(Hex.decode(hex)) }
        #expect([.invalidHeader, .truncated].contains(error.code), "\(hex): \(error)")
    }

    @Test func refusesASectionWithABadCID() throws {
        let header = CARWriter.header(roots: [try CID("bafkqaaa")])
        let section: [UInt8] = [0x05, 0x01, 0x55, 0x12, 0x20, 0x00]  // CIDv1 raw whose digest is cut short
        let error = try #require(throws: CARError.self) { try Self.readAll(header + section) }
        #expect(error.code == .invalidSection)
    }

    @Test func reportsAMissingBlockOnExport() throws {
        let (root, store) = try Self.sampleDAG()
        store.remove(store.order[0])
        #expect(throws: CARError(.missingBlock, "")) { try Self.export(root, from: store) }
    }

    @Test func randomBytesNeverCrashTheReader() {
        var random = SeededGenerator(seed: 77)
        let header = CARWriter.header(roots: [try! CID("bafkqaaa")])
        for _ in 0..<5_000 {
            let tail = random.bytes(count: Int.random(in: 0...80, using: &random))
            _ = try? Self.readAll(Bool.random(using: &random) ? header + tail : tail)
        }
    }
}
