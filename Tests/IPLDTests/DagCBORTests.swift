import CairnTestSupport
import Foundation
import IPLD
import Multiformats
import Testing

@Suite struct DagCBORTests {
    @Test func encodesTheDataModelCanonically() throws {
        let cid = try CID("bafkreifzjut3te2nhyekklss27nh3k72ysco7y32koao5eei66wof36n5e")
        let value = IPLDValue.map(
            IPLDMap([
                ("zz", .integer(-1)), ("a", .list([.bool(true), .null, .float(0.5)])), ("link", .link(cid)),
                ("bytes", .bytes([1, 2])),
            ])
        )
        let bytes = try DagCBOR.encode(value)
        // Keys shorter-first: "a", "zz", "link", "bytes".
        #expect(Hex.encode(bytes.prefix(3)) == "a46161")
        #expect(try DagCBOR.decode(bytes) == value)
        #expect(try DagCBOR.encode(DagCBOR.decode(bytes)) == bytes)
    }

    @Test func hashesTheHelloWorldVector() throws {
        // shared/vectors/ipfs/unixfs-cids.json: {"hello":"world"} as dag-cbor.
        let bytes = try DagCBOR.encode(.map(IPLDMap([("hello", .string("world"))])))
        #expect(Hex.encode(bytes) == "a16568656c6c6f65776f726c64")
        #expect(
            Block(codec: .dagCBOR, bytes: bytes).cid.description
                == "bafyreidykglsfhoixmivffc5uwhcgshx4j465xwqntbmu43nb2dzqwfvae"
        )
    }

    @Test(arguments: [
        ("1817", IPLDError.Code.nonCanonical),  // 23 in two bytes
        ("190017", .nonCanonical),  // 23 in three bytes
        ("1a0000ffff", .nonCanonical),
        ("1b00000000ffffffff", .nonCanonical),
        ("3817", .nonCanonical),  // -24 in two bytes
        ("5801aa", .nonCanonical),  // one-byte string with a one-byte length argument
        ("f93c00", .nonCanonical),  // 1.0 as float16
        ("fa3f800000", .nonCanonical),  // 1.0 as float32
        ("fb7ff8000000000000", .unrepresentable),  // NaN
        ("fb7ff0000000000000", .unrepresentable),  // +infinity
        ("fbfff0000000000000", .unrepresentable),  // -infinity
        ("5f4101ff", .invalidEncoding),  // indefinite-length bytes
        ("9f01ff", .invalidEncoding),  // indefinite-length list
        ("bf616101ff", .invalidEncoding),  // indefinite-length map
        ("1c", .invalidEncoding),  // reserved additional information
        ("f7", .invalidEncoding),  // undefined
        ("f0", .invalidEncoding),  // unassigned simple value
        ("c074323031332d30332d32315432303a30343a30305a", .invalidEncoding),  // tag 0
        ("a10101", .invalidEncoding),  // integer map key
        ("a2616201616101", .nonCanonical),  // keys out of order
        ("a26262620161610a", .nonCanonical),  // longer key first
        ("a2616101616102", .duplicateKey),
        ("62c328", .invalidEncoding),  // invalid UTF-8
        ("d82a4101", .invalidLink),  // tag 42 without the 0x00 prefix
        ("d82a420001", .invalidLink),  // 0x00 and a non-CID
        ("d82a01", .invalidLink),  // tag 42 around an integer
        ("", .truncated),
        ("18", .truncated),
        ("5a00010000aa", .truncated),  // declares 64 KiB, has 1 byte
        ("9bffffffffffffffff", .truncated),  // a list of 2^64-1 items
        ("8201", .truncated),
        ("0101", .trailingBytes),
    ])
    func refusesNonCanonicalAndMalformedInput(hex: String, code: IPLDError.Code) {
        let error = #expect(throws: IPLDError.self) { try DagCBOR.decode(Hex.decode(hex)) }
        #expect(error?.code == code, "\(hex): \(String(describing: error))")
    }

    @Test func refusesNestingDeeperThanTheLimit() throws {
        let deep = [UInt8](repeating: 0x81, count: DagCBOR.maxDepth + 1) + [0x01]
        #expect(throws: IPLDError(.tooDeep, "")) { try DagCBOR.decode(deep) }
        let fine = [UInt8](repeating: 0x81, count: DagCBOR.maxDepth) + [0x01]
        #expect(try DagCBOR.encode(DagCBOR.decode(fine)) == fine)
    }

    @Test func refusesUnrepresentableValuesWhenEncoding() {
        #expect(throws: IPLDError(.unrepresentable, "")) { try DagCBOR.encode(.float(.nan)) }
        #expect(throws: IPLDError(.unrepresentable, "")) { try DagCBOR.encode(.list([.float(.infinity)])) }
        #expect(throws: IPLDError(.unrepresentable, "")) { try DagCBOR.encode(.integer(Int128(1) << 64)) }
        #expect(throws: IPLDError(.unrepresentable, "")) { try DagCBOR.encode(.integer(-(Int128(1) << 64) - 1)) }
    }

    @Test func encodesTheIntegerExtremes() throws {
        #expect(Hex.encode(try DagCBOR.encode(.integer(Int128(UInt64.max)))) == "1bffffffffffffffff")
        #expect(Hex.encode(try DagCBOR.encode(.integer(-(Int128(1) << 64)))) == "3bffffffffffffffff")
        #expect(Hex.encode(try DagCBOR.encode(.integer(-1))) == "20")
    }

    @Test func stringsCompareByBytesNotUnicodeEquivalence() throws {
        let composed = IPLDValue.string("\u{e9}")
        let decomposed = IPLDValue.string("e\u{301}")
        #expect(composed != decomposed)
        #expect(try DagCBOR.encode(composed) != DagCBOR.encode(decomposed))
        let map = IPLDValue.map(IPLDMap([("\u{e9}", .integer(1)), ("e\u{301}", .integer(2))]))
        guard case .map(let entries) = try DagCBOR.decode(DagCBOR.encode(map)) else {
            Issue.record("not a map")
            return
        }
        #expect(entries.count == 2)
    }

    @Test func randomBytesNeverCrashAndAcceptedInputRoundTrips() {
        var random = SeededGenerator(seed: 42)
        let iterations = Int(ProcessInfo.processInfo.environment["CAIRN_FUZZ_ITERATIONS"] ?? "") ?? 20_000
        for _ in 0..<iterations {
            var bytes = random.bytes(count: Int.random(in: 0...24, using: &random))
            // Bias towards structure: small heads decode further than uniform noise.
            if !bytes.isEmpty && Bool.random(using: &random) {
                bytes[0] = [0x82, 0xa1, 0x83, 0xd8][Int.random(in: 0..<4, using: &random)]
            }
            if let value = try? DagCBOR.decode(bytes) {
                #expect((try? DagCBOR.encode(value)) == bytes, "\(Hex.encode(bytes))")
            }
            _ = try? DagPBNode(bytes: bytes)
        }
    }
}
