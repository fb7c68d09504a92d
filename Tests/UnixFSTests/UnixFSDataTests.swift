import CairnTestSupport
import IPLD
import Testing
import UnixFS

@Suite struct UnixFSDataTests {
    @Test func roundTripsEveryField() throws {
        let data = UnixFSData(
            kind: .file,
            data: [1, 2, 3],
            fileSize: 3,
            blockSizes: [1, 2],
            hashType: 0x22,
            fanout: 256,
            mode: 0o644,
            mtime: .init(seconds: -5, nanoseconds: 7)
        )
        #expect(try UnixFSData(bytes: data.encoded()) == data)
    }

    @Test func writesFieldsAsGoUnixFSDoes() {
        // The v0 empty-file leaf: Type File, filesize 0, no Data field.
        #expect(Hex.encode(UnixFSData(kind: .file, fileSize: 0).encoded()) == "08021800")
        #expect(Hex.encode(UnixFSData(kind: .directory).encoded()) == "0801")
        // blocksizes unpacked: one tag per value.
        #expect(
            Hex.encode(UnixFSData(kind: .file, fileSize: 3, blockSizes: [1, 2]).encoded()) == "080218032001" + "2002")
    }

    @Test(arguments: [
        "",  // no Type
        "1803",  // filesize but no Type
        "0809",  // unknown type 9
        "0802" + "12",  // Data with no length
        "0802" + "1205" + "0102",  // Data shorter than its length
        "0802" + "5001",  // unknown field 10
        "0802" + "1a00",  // filesize with the wrong wire type
        "0802" + "38ffffffff1f",  // mode over 32 bits
        "0802" + "4203" + "0801" + "15",  // mtime with a truncated fixed32
        "08",  // truncated varint
    ])
    func refusesMalformedData(hex: String) {
        #expect(throws: UnixFSError(.invalidData, "")) { try UnixFSData(bytes: Hex.decode(hex)) }
    }

    @Test func randomBytesNeverCrashTheDecoder() {
        var random = SeededGenerator(seed: 31)
        for _ in 0..<20_000 {
            let bytes = random.bytes(count: Int.random(in: 0...24, using: &random))
            if let data = try? UnixFSData(bytes: bytes) {
                #expect((try? UnixFSData(bytes: data.encoded())) == data)
            }
        }
    }
}
