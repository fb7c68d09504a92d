import CairnTestSupport
import IPLD
import Multiformats
import Testing

@Suite struct DagPBNodeTests {
    let leaf = try! CID("bafkreifzjut3te2nhyekklss27nh3k72ysco7y32koao5eei66wof36n5e")

    @Test func writesLinksBeforeData() throws {
        let node = DagPBNode(data: [0x08, 0x01], links: [DagPBLink(hash: leaf, name: "a", tsize: 11)])
        let bytes = node.encoded()
        #expect(bytes.first == 0x12, "Links (field 2) come first")
        #expect(Array(bytes.suffix(4)) == [0x0a, 0x02, 0x08, 0x01], "Data (field 1) comes last")
        #expect(bytes.count == node.encodedLength)
        #expect(try DagPBNode(bytes: bytes) == node)
    }

    @Test func hashesTheWellKnownEmptyDirectory() {
        let node = DagPBNode(data: [0x08, 0x01])
        #expect(Hex.encode(node.encoded()) == "0a020801")
        #expect(
            Block(codec: .dagPB, bytes: node.encoded()).cid.description
                == "bafybeiczsscdsbs7ffqz55asqdf3smv6klcw3gofszvwlyarci47bgf354")
    }

    @Test func keepsEmptyAndAbsentNamesApart() throws {
        let empty = DagPBNode(links: [DagPBLink(hash: leaf, name: "")])
        let absent = DagPBNode(links: [DagPBLink(hash: leaf)])
        #expect(empty.encoded() != absent.encoded())
        #expect(try DagPBNode(bytes: empty.encoded()).links[0].name == "")
        #expect(try DagPBNode(bytes: absent.encoded()).links[0].name == nil)
    }

    @Test(arguments: [
        "0a0101" + "0a0101",  // Data twice
        "1a00",  // field 3 in PBNode
        "0801",  // Data as a varint
        "120a0a22",  // truncated link
        "12050a0301551201",  // link Hash not a CID... and junk
        "122412" + "00" + "0a22" + String(repeating: "00", count: 34),  // Name before Hash
        "12041a020000",  // link field 3 with the wrong wire type
        "0a",  // truncated tag body
        "12ffffffffffffffffff7f",  // length overflowing 64 bits
        "128001",  // non-minimal length (0x80 0x01 is 128, but no bytes follow)
        "0a8000",  // non-minimal varint length
    ])
    func refusesMalformedBlocks(hex: String) {
        #expect(throws: IPLDError.self) { try DagPBNode(bytes: Hex.decode(hex)) }
    }

    @Test func refusesLinkNamesThatAreNotUTF8() throws {
        var bytes: [UInt8] = [0x0a, UInt8(leaf.bytes.count)] + leaf.bytes + [0x12, 0x01, 0xff]
        bytes = [0x12, UInt8(bytes.count)] + bytes
        #expect(throws: IPLDError(.invalidEncoding, "")) { try DagPBNode(bytes: bytes) }
    }
}
