import CairnTestSupport
import IPLD
import Multiformats
import Testing
import UnixFS

/// Directories, checked against ipfs/gateway-conformance fixtures whose recipes are public
/// (`fixtures/path_gateway_unixfs/README.md`): the files are rebuilt here and the root CIDs
/// compared with the ones the recipes print.
@Suite struct DirectoryBuilderTests {
    final class Blocks {
        var blocks: [CID: [UInt8]] = [:]
        var sink: FileBuilder.Sink<Never> { { cid, buffer in self.blocks[cid] = Array(buffer) } }
    }

    static func file(_ text: String, _ blocks: Blocks, profile: ImportProfile = .kuboCIDv1) -> UnixFSEntry {
        let builder = FileBuilder(profile: profile)
        Array(text.utf8).withUnsafeBytes { builder.append($0, to: blocks.sink) }
        return builder.finish(to: blocks.sink)
    }

    @Test func buildsDirWithTrickyFilenames() throws {
        // ROOT_DIR_CID=$(ipfs add -Qr --cid-version 1 dir-with-tricky-filenames)
        let files: [(String, String)] = [
            ("plain.txt", "plain ascii name\n"), ("with space.txt", "name with space\n"),
            ("100% sure.txt", "name with percent sign\n"), ("a#b?c.txt", "name with hash and question mark\n"),
            ("łódź.txt", "name with latin diacritics\n"), ("emoji🚀.txt", "name with emoji\n"),
            ("你好.txt", "name in chinese\n"), ("ファイル.txt", "name in japanese\n"), ("파일.txt", "name in korean\n"),
            ("ملف.txt", "name in arabic\n"), ("קובץ.txt", "name in hebrew\n"), ("файл.txt", "name in cyrillic\n"),
            ("αρχείο.txt", "name in greek\n"), ("नमस्ते.txt", "name in devanagari\n"), ("ไฟล์.txt", "name in thai\n"),
        ]
        let blocks = Blocks()
        var directory = DirectoryBuilder()
        for (name, text) in files { try directory.add(name: name, entry: Self.file(text, blocks)) }
        let root = directory.finish(to: blocks.sink)
        #expect(root.cid.description == "bafybeiflhd5aimv4xavauidbetge3v3uadbqfibu5lfo4b26yyieqvnvae")
        // Links are sorted by name bytes, not by Swift's string order.
        let node = try DagPBNode(bytes: try #require(blocks.blocks[root.cid]))
        let names = node.links.map { Array($0.name!.utf8) }
        #expect(names == names.sorted { $0.lexicographicallyPrecedes($1) })
    }

    @Test func buildsDirWithTrickyNestedFilenames() throws {
        let blocks = Blocks()
        var sub = DirectoryBuilder()
        try sub.add(name: "file!'()*~.txt", entry: Self.file("name with encoder traps\n", blocks))
        var root = DirectoryBuilder()
        try root.add(name: "sub dir", entry: sub.finish(to: blocks.sink))
        #expect(
            root.finish(to: blocks.sink).cid.description
                == "bafybeiab2yboxqoybfufvfjatsmqu2mkzf6piueex7xwsk74tdxobyuw6u")
    }

    @Test func buildsDirWithFiles() throws {
        let blocks = Blocks()
        let ascii = Self.file("hello application/vnd.ipld.car\n", blocks)
        let hello = Self.file("hello world\n", blocks)
        let multiblock = Self.file(
            UnixFSVectors.multiblockText,
            blocks,
            profile: ImportProfile(chunkSize: 256, maxLinks: 174, rawLeaves: true, cidVersion: .v1)
        )
        var directory = DirectoryBuilder()
        try directory.add(name: "multiblock.txt", entry: multiblock)
        try directory.add(name: "hello.txt", entry: hello)
        try directory.add(name: "ascii.txt", entry: ascii)
        try directory.add(name: "ascii-copy.txt", entry: ascii)
        let root = directory.finish(to: blocks.sink)
        #expect(root.cid.description == "bafybeihchr7vmgjaasntayyatmp5sv6xza57iy2h4xj7g46bpjij6yhrmy")
        #expect(blocks.blocks[root.cid]?.count == 227)
        #expect(root.cumulativeSize == 1572)
    }

    @Test func buildsTheWellKnownEmptyDirectory() {
        let blocks = Blocks()
        #expect(
            DirectoryBuilder(profile: .kuboCIDv0).finish(to: blocks.sink).cid.description
                == "QmUNLLsPACCz1vLxQVkXqqLX5R1X345qqfHbsf67hvA3Nn"
        )
        #expect(
            DirectoryBuilder().finish(to: blocks.sink).cid.description
                == "bafybeiczsscdsbs7ffqz55asqdf3smv6klcw3gofszvwlyarci47bgf354"
        )
    }

    @Test(arguments: ["", ".", "..", "a/b", "/", "nul\u{0}byte"])
    func refusesNamesNoPathCanReach(name: String) {
        var directory = DirectoryBuilder()
        let entry = UnixFSEntry(cid: try! CID("bafkqaaa"), contentSize: 0, cumulativeSize: 0)
        #expect(throws: UnixFSError(.invalidName, "")) { try directory.add(name: name, entry: entry) }
        #expect(directory.count == 0)
    }

    @Test func refusesDuplicateNames() throws {
        var directory = DirectoryBuilder()
        let entry = UnixFSEntry(cid: try CID("bafkqaaa"), contentSize: 0, cumulativeSize: 0)
        try directory.add(name: "a", entry: entry)
        #expect(throws: UnixFSError(.invalidName, "")) { try directory.add(name: "a", entry: entry) }
    }

    @Test func buildsSymlinks() throws {
        let blocks = Blocks()
        let link = SymlinkBuilder.build(target: "foo", to: blocks.sink)
        let node = try DagPBNode(bytes: try #require(blocks.blocks[link.cid]))
        let data = try UnixFSData(bytes: try #require(node.data))
        #expect(data.kind == .symlink && data.data == Array("foo".utf8) && data.fileSize == nil)
        #expect(link.cid.codec == .dagPB)
    }
}
