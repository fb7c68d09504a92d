import CairnTestSupport
import Crypto
import IPLD
import Multiformats
import Testing
import UnixFS

/// Files built as kubo builds them: every CID here is published (see Vectors/SOURCES.md).
@Suite struct FileBuilderTests {
    /// Builds `bytes` in appends of `pieceSize`, collecting every block.
    static func build(
        _ bytes: [UInt8],
        profile: ImportProfile,
        pieceSize: Int = 1 << 20
    ) -> (root: UnixFSEntry, blocks: [CID: [UInt8]], order: [CID]) {
        let builder = FileBuilder(profile: profile)
        var blocks: [CID: [UInt8]] = [:]
        var order: [CID] = []
        let sink: FileBuilder.Sink<Never> = { cid, buffer in
            blocks[cid] = Array(buffer)
            order.append(cid)
        }
        bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let end = min(buffer.count, offset + pieceSize)
                builder.append(UnsafeRawBufferPointer(rebasing: buffer[offset..<end]), to: sink)
                offset = end
            }
        }
        let root = builder.finish(to: sink)
        return (root, blocks, order)
    }

    static let dagPBLeavesV1 = ImportProfile(chunkSize: 256 << 10, maxLinks: 174, rawLeaves: false, cidVersion: .v1)

    @Test(arguments: [
        ("", ImportProfile.kuboCIDv1, "bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku"),
        ("", .kuboCIDv0, "QmbFMke1KXqnYyBBWxB74N4c5SBnJMVAiMNRcGu6x1AwQH"),
        ("", dagPBLeavesV1, "bafybeif7ztnhq65lumvvtr4ekcwd2ifwgm3awq4zfr3srh462rwyinlb4y"),
        ("hello world", .kuboCIDv1, "bafkreifzjut3te2nhyekklss27nh3k72ysco7y32koao5eei66wof36n5e"),
        ("hello world", .kuboCIDv0, "Qmf412jQZiuVUtdgnB36FXFX7xg5V6KEbSJ4dpQuhkLyfD"),
        ("hello world", dagPBLeavesV1, "bafybeihykld7uyxzogax6vgyvag42y7464eywpf55gxi5qpoisibh3c5wa"),
        ("hello world\n", .kuboCIDv1, "bafkreifjjcie6lypi6ny7amxnfftagclbuxndqonfipmb64f2km2devei4"),
        ("hello world\n", .kuboCIDv0, "QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o"),
        ("hello world\n", dagPBLeavesV1, "bafybeicg2rebjoofv4kbyovkw7af3rpiitvnl6i7ckcywaq6xjcxnc2mby"),
        ("hello application/vnd.ipld.car\n", .kuboCIDv1, "bafkreifkam6ns4aoolg3wedr4uzrs3kvq66p4pecirz6y2vlrngla62mxm"),
    ])
    func buildsSmallFilesAsKuboDoes(text: String, profile: ImportProfile, expected: String) {
        let (root, blocks, _) = Self.build(Array(text.utf8), profile: profile)
        #expect(root.cid.description == expected)
        #expect(root.contentSize == UInt64(text.utf8.count))
        #expect(blocks.count == 1, "a file of one chunk is one block")
    }

    @Test(arguments: [
        (ImportProfile.kuboCIDv0, "QmZXftYJN4pb4a2st3L2xJnbN4tgR1iphUa6XtE42TnbDW"),
        (.kuboCIDv1, "bafybeia7trsluwge5e4rccaleice67mpb6zng3ecwxtgxgtv5km2afoy7y"),
        (dagPBLeavesV1, "bafybeic5345hhjqzhemd3u5jc73d4soda2lrlopiojfdyleq4nmpdlwr5y"),
    ])
    func buildsTheOneMebibyteCounterFile(profile: ImportProfile, expected: String) {
        let input = UnixFSVectors.sha256Counter(length: 1 << 20)
        #expect(
            Hex.encode(SHA256.hash(data: input)) == "044b82f0d1b4c395e18d5049aad76f38b5cea57d585dc2ec474e1facf9a3a8a0")
        let (root, blocks, _) = Self.build(input, profile: profile, pieceSize: 100_000)
        #expect(root.cid.description == expected)
        #expect(blocks.count == 5, "four leaves and a root")
    }

    /// kubo's own chunk- and link-boundary vectors (CIDv0, dag-pb leaves).
    @Test(arguments: [
        ("chunk-v0-seed", 262_144, "QmWmRj3dFDZdb6ABvbmKhEL6TmPbAfBZ1t5BxsEyJrcZhE"),
        ("chunk-v0-seed", 262_145, "QmYyLxtzZyW22zpoVAtKANLRHpDjZtNeDjQdJrcQNWoRkJ"),
        ("v0-seed", 174 * 262_144, "QmUbBALi174SnogsUzLpYbD4xPiBSFANF4iztWCsHbMKh2"),
        ("v0-seed", 174 * 262_144 + 1, "QmV81WL765sC8DXsRhE5fJv2rwhS4icHRaf3J9Zk5FdRnW"),
    ])
    func buildsTheChunkAndLinkBoundaries(seed: String, length: Int, expected: String) throws {
        let input = UnixFSVectors.chacha20(seed: seed, length: length)
        let (root, blocks, _) = Self.build(input, profile: .kuboCIDv0, pieceSize: 3 << 20)
        #expect(root.cid.description == expected)
        #expect(root.contentSize == UInt64(length))
        let leaves = (length + 262_143) / 262_144
        let parents = leaves == 1 ? 0 : leaves <= 174 ? 1 : 1 + (leaves + 173) / 174
        #expect(blocks.count == leaves + parents)
    }

    @Test func buildsTheGatewayConformanceMultiblockFile() throws {
        let profile = ImportProfile(chunkSize: 256, maxLinks: 174, rawLeaves: true, cidVersion: .v1)
        let input = Array(UnixFSVectors.multiblockText.utf8)
        #expect(input.count == 1026)
        let (root, blocks, _) = Self.build(input, profile: profile, pieceSize: 77)
        #expect(root.cid.description == "bafybeigcisqd7m5nf3qmuvjdbakl5bdnh4ocrmacaqkpuh77qjvggmt2sa")
        let rootBlock = try #require(blocks[root.cid])
        #expect(
            Hex.encode(rootBlock)
                == "122b0a24015512209d6b944db03f3c2f456458fedabd6d5e5de59ba3b6d8e6ca5b3ed59b553e52131200188002122b0a2401551220fc23ce04e031027d66de41b26c0ffcb4552337afee4fe7f7961de74743ba7f141200188002122b0a2401551220d4f869566c45a343beffde1b7f364307d519ed644877b646e833ade980984fa11200188002122b0a24015512204b5ecf421542dc1b1c91cdc7f222bbe28eda1bfb876de30cc91778886def45391200188002122a0a2401551220b29edf0cce954f7ebc080c723f9df03c230bf302d797f8db445a17d2d131e083120018020a1308021882082080022080022080022080022002"
        )
        #expect(root.cumulativeSize == UInt64(rootBlock.count + 1026))
    }

    @Test func theRootDoesNotDependOnHowBytesArrive() {
        var random = SeededGenerator(seed: 11)
        let profile = ImportProfile(chunkSize: 1000, maxLinks: 3, rawLeaves: true, cidVersion: .v1)
        let input = random.bytes(count: 28_123)
        let reference = Self.build(input, profile: profile, pieceSize: input.count).root
        for pieceSize in [1, 7, 999, 1000, 1001, 4096] {
            #expect(Self.build(input, profile: profile, pieceSize: pieceSize).root == reference)
        }
    }

    /// With three links per node, any size exercises deep trees; every block must hash to its
    /// CID, every link must point at an emitted block, children must come before parents, and
    /// all leaves must sit at the same depth.
    @Test(arguments: [2, 3, 4, 9, 10, 27, 28, 81, 82, 100])
    func buildsBalancedTreesOfAnyShape(leaves: Int) throws {
        var random = SeededGenerator(seed: UInt64(leaves))
        let profile = ImportProfile(chunkSize: 10, maxLinks: 3, rawLeaves: true, cidVersion: .v1)
        let input = random.bytes(count: leaves * 10 - 3)
        let (root, blocks, order) = Self.build(input, profile: profile, pieceSize: 13)
        var position: [CID: Int] = [:]
        for (index, cid) in order.enumerated() { position[cid] = index }
        var leafDepths: Set<Int> = []
        var reassembled: [UInt8] = []
        func walk(_ cid: CID, depth: Int) throws {
            let bytes = try #require(blocks[cid])
            #expect(try Block(verifying: cid, bytes: bytes).cid == cid)
            if cid.codec == .raw {
                leafDepths.insert(depth)
                reassembled += bytes
                return
            }
            let node = try DagPBNode(bytes: bytes)
            #expect(node.links.count <= 3)
            let data = try UnixFSData(bytes: try #require(node.data))
            #expect(data.blockSizes.count == node.links.count)
            for link in node.links {
                #expect(try #require(position[link.hash]) < position[cid]!, "child before parent")
                try walk(link.hash, depth: depth + 1)
            }
        }
        try walk(root.cid, depth: 0)
        #expect(leafDepths.count == 1, "all leaves at one depth")
        #expect(reassembled == input)
        var expectedDepth = 0
        var capacity = 1
        while capacity < leaves {
            capacity *= 3
            expectedDepth += 1
        }
        #expect(leafDepths.first == expectedDepth)
    }
}
