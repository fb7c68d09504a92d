import CairnTestSupport
import Multiformats
import Testing

@Suite struct VarintTests {
    // multiformats/unsigned-varint README, "Examples".
    static let specExamples: [(UInt64, [UInt8])] = [
        (1, [0x01]),
        (127, [0x7f]),
        (128, [0x80, 0x01]),
        (255, [0xff, 0x01]),
        (300, [0xac, 0x02]),
        (16384, [0x80, 0x80, 0x01]),
        (0, [0x00]),
    ]

    @Test(arguments: specExamples)
    func encodesAndDecodesSpecExamples(value: UInt64, bytes: [UInt8]) throws {
        #expect(Varint.encode(value) == bytes)
        #expect(Varint.encodedLength(of: value) == bytes.count)
        let decoded = try Varint.decode(bytes)
        #expect(decoded.value == value)
        #expect(decoded.length == bytes.count)
    }

    @Test func decodesOnlyTheFirstVarint() throws {
        let decoded = try Varint.decode([0xac, 0x02, 0xff, 0xff])
        #expect(decoded.value == 300 && decoded.length == 2)
    }

    @Test func roundTripsTheLargestValueInNineBytes() throws {
        let bytes = Varint.encode(Varint.maxValue)
        #expect(bytes.count == 9)
        #expect(try Varint.decode(bytes).value == Varint.maxValue)
    }

    @Test func roundTripsRandomValues() throws {
        var random = SeededGenerator(seed: 0x7a11)
        for _ in 0..<10_000 {
            let value =
                UInt64.random(in: 0...Varint.maxValue, using: &random) >> UInt64.random(in: 0..<63, using: &random)
            let bytes = Varint.encode(value)
            let decoded = try Varint.decode(bytes)
            #expect(decoded.value == value && decoded.length == bytes.count)
        }
    }

    @Test func rejectsEmptyInput() {
        #expect(throws: MultiformatsError(.emptyInput, "")) { try Varint.decode([UInt8]()) }
    }

    @Test(arguments: [[0x80], [0xff, 0xff], [0x80, 0x80, 0x80]] as [[UInt8]])
    func rejectsTruncatedVarint(bytes: [UInt8]) {
        #expect(throws: MultiformatsError(.truncatedVarint, "")) { try Varint.decode(bytes) }
    }

    @Test func rejectsVarintsOverNineBytes() {
        // Nine bytes that all continue: the value would need a tenth byte.
        #expect(throws: MultiformatsError(.varintTooLong, "")) { try Varint.decode([UInt8](repeating: 0xff, count: 9)) }
        // Ten bytes.
        #expect(throws: MultiformatsError(.varintTooLong, "")) {
            try Varint.decode([UInt8](repeating: 0x80, count: 9) + [0x01])
        }
        #expect(throws: MultiformatsError(.varintTooLong, "")) {
            try Varint.decode([UInt8](repeating: 0xff, count: 20))
        }
    }

    @Test(arguments: [[0x81, 0x00], [0x80, 0x00], [0xff, 0x80, 0x00], [0x80, 0x80, 0x80, 0x00]] as [[UInt8]])
    func rejectsNonMinimalVarint(bytes: [UInt8]) {
        #expect(throws: MultiformatsError(.nonMinimalVarint, "")) { try Varint.decode(bytes) }
    }
}
