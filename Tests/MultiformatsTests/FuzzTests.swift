import CairnTestSupport
import Foundation
import Multiformats
import Testing

/// Random and mutated input fed to every decoder: each must return a value or throw a
/// MultiformatsError — never crash — and whatever it accepts must round-trip.
///
/// The default run is a few seconds; `CAIRN_FUZZ_ITERATIONS` raises the count for a soak.
@Suite struct FuzzTests {
    static let iterations = Int(ProcessInfo.processInfo.environment["CAIRN_FUZZ_ITERATIONS"] ?? "") ?? 20_000

    static let seeds: [CID] = [
        "QmbFMke1KXqnYyBBWxB74N4c5SBnJMVAiMNRcGu6x1AwQH",
        "bafybeif7ztnhq65lumvvtr4ekcwd2ifwgm3awq4zfr3srh462rwyinlb4y",
        "bafkreifzjut3te2nhyekklss27nh3k72ysco7y32koao5eei66wof36n5e",
        "bafkqaaa",
        "bafkr4igxjga67jykbseaxdmmdgc5a5o3zp3htom2l6mrjznk7fvyggu6eq",
    ].map { try! CID($0) }

    @Test func randomBytesNeverCrashTheBinaryDecoders() {
        var random = SeededGenerator(seed: 1)
        for _ in 0..<Self.iterations {
            let bytes = random.bytes(count: Int.random(in: 0...48, using: &random))
            if let (value, length) = try? Varint.decode(bytes) {
                #expect(Varint.encode(value) == Array(bytes.prefix(length)))
            }
            if let multihash = try? Multihash(bytes: bytes) {
                #expect(multihash.bytes == bytes)
            }
            if let cid = try? CID(bytes: bytes) {
                #expect(cid.bytes == bytes)
                #expect((try? CID(cid.description)) == cid)
            }
        }
    }

    @Test func mutatedCIDsNeverCrashAndRoundTripWhenAccepted() {
        var random = SeededGenerator(seed: 2)
        for _ in 0..<Self.iterations {
            let seed = Self.seeds.randomElement(using: &random)!
            var bytes = seed.bytes
            switch Int.random(in: 0..<4, using: &random) {
            case 0: bytes[Int.random(in: 0..<bytes.count, using: &random)] ^= UInt8.random(in: 1...255, using: &random)
            case 1: bytes.removeLast(Int.random(in: 1...bytes.count, using: &random))
            case 2: bytes.append(contentsOf: random.bytes(count: Int.random(in: 1...4, using: &random)))
            default:
                bytes.insert(
                    UInt8.random(in: 0...255, using: &random), at: Int.random(in: 0...bytes.count, using: &random))
            }
            if let cid = try? CID(bytes: bytes) {
                #expect(cid.bytes == bytes)
                #expect((try? CID(cid.description)) == cid)
            }
            var text = Array(seed.description.utf8)
            let index = Int.random(in: 0..<text.count, using: &random)
            text[index] = UInt8.random(in: 0x20...0x7e, using: &random)
            if let cid = try? CID(String(decoding: text, as: UTF8.self)) {
                #expect((try? CID(cid.description)) == cid)
            }
        }
    }

    @Test(arguments: Multibase.allCases)
    func randomStringsNeverCrashAMultibaseDecoder(base: Multibase) {
        var random = SeededGenerator(seed: UInt64(base.prefix.asciiValue!))
        let printable = Array(0x20...0x7e).map { Character(Unicode.Scalar(UInt8($0))) } + ["é", "🚀", "\u{0}"]
        for _ in 0..<Self.iterations / 10 {
            let length = Int.random(in: 0...40, using: &random)
            let string = String((0..<length).map { _ in printable.randomElement(using: &random)! })
            if let bytes = try? base.decodeWithoutPrefix(string) {
                // Accepted input re-encodes to itself, up to the letter case the base ignores.
                #expect(base.encodeWithoutPrefix(bytes).lowercased() == string.lowercased(), "\(base) \(string)")
            }
            _ = try? Multibase.decode(string)
            _ = try? CID(string)
        }
    }
}
