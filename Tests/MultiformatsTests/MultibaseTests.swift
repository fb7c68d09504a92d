import CairnTestSupport
import Multiformats
import Testing

@Suite struct MultibaseTests {
    static let vectorFiles = ["multibase-basic.csv", "multibase-leading_zero.csv", "multibase-two_leading_zeros.csv"]
    /// Bases in the vectors that Cairn deliberately does not support (see Specs/cid.md).
    static let unsupported: Set<String> = ["base45", "proquint", "base256emoji"]

    @Test(arguments: vectorFiles)
    func encodesAndDecodesSpecVectors(file: String) throws {
        let (input, rows) = try VectorFile.multibaseCSV(file)
        var covered: Set<Multibase> = []
        for (name, encoded) in rows {
            if Self.unsupported.contains(name) {
                #expect(throws: MultiformatsError(.unknownMultibase, "")) { try Multibase.decode(encoded) }
                continue
            }
            let base = try #require(Multibase(name: name), "no base named \(name)")
            covered.insert(base)
            #expect(base.encode(input) == encoded, "encoding \(name)")
            let decoded = try Multibase.decode(encoded)
            #expect(decoded.base == base, "prefix of \(name)")
            #expect(decoded.bytes == input, "decoding \(name)")
        }
        #expect(covered == Set(Multibase.allCases), "every supported base has a vector")
    }

    @Test func decodesMixedCaseWhereTheSpecAllows() throws {
        let (_, rows) = try VectorFile.multibaseCSV("multibase-case_insensitivity.csv")
        #expect(rows.count == 12)
        for (name, encoded) in rows {
            let decoded = try Multibase.decode(encoded)
            #expect(decoded.base.name == name)
            #expect(decoded.bytes == Array("hello world".utf8), "decoding \(name)")
        }
    }

    @Test(arguments: Multibase.allCases)
    func roundTripsRandomBytes(base: Multibase) throws {
        var random = SeededGenerator(seed: 0xba5e)
        for length in [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 31, 32, 33, 34, 36, 100, 257] {
            var bytes = random.bytes(count: length)
            if length > 2 && length % 3 == 0 {
                bytes[0] = 0
                bytes[1] = 0
            }  // leading zeros
            let encoded = base.encode(bytes)
            #expect(encoded.first == base.prefix)
            let decoded = try Multibase.decode(encoded)
            #expect(decoded.bytes == bytes, "\(base) length \(length)")
        }
    }

    @Test func rejectsEmptyString() {
        #expect(throws: MultiformatsError(.emptyInput, "")) { try Multibase.decode("") }
    }

    @Test(arguments: ["?abc", "1abc", "\u{0}abc", "🚀🚀🚀", "Qabc", " babc"])
    func rejectsUnknownPrefix(string: String) {
        #expect(throws: MultiformatsError(.unknownMultibase, "")) { try Multibase.decode(string) }
    }

    @Test(arguments: [
        "b0abc",  // 0 is not base32
        "bab1",  // nor 1
        "z0OIl",  // base58btc leaves out 0, O, I and l
        "fzz",  // not hex
        "mAB!C",
        "uAB+C",  // base64url has no +
        "mAB-C",  // base64 has no -
        "k-1",
        "9a",
        "02",
        "7128",
        "bab\u{e9}",  // non-ASCII
    ])
    func rejectsCharactersOutsideTheAlphabet(string: String) {
        #expect(throws: MultiformatsError(.invalidCharacter, "")) { try Multibase.decode(string) }
    }

    @Test func reportsTheOffsetOfABadCharacter() throws {
        let error = try #require(throws: MultiformatsError.self) { try Multibase.decode("bafy1") }
        #expect(error.offset == 4)
    }

    @Test(arguments: ["ba", "babc", "babcdef", "mA", "mAAAAA", "f0", "f012"])
    func rejectsImpossibleLengths(string: String) {
        #expect(throws: MultiformatsError(.invalidLength, "")) { try Multibase.decode(string) }
    }

    @Test(arguments: [
        "mAA==",  // padding in an unpadded base
        "bme======",
        "MAA",  // padded base without its padding
        "MA===",  // more padding than a group allows
        "MAA=A",  // padding in the middle
        "caa=====",  // base32pad: seven characters are not a whole group
        "ca=======",  // one data character encodes no whole byte
        "MAA=A===",
        "MAAA====",
    ])
    func rejectsBadPadding(string: String) {
        #expect(throws: MultiformatsError(.invalidPadding, "")) { try Multibase.decode(string) }
    }

    @Test(arguments: ["mAB", "bab", "fa"] as [String])
    func rejectsNonCanonicalTrailingBits(string: String) throws {
        // "mAB": the last character carries bits past the one byte it encodes.
        let result = Result { try Multibase.decode(string) }
        switch result {
        case .success: Issue.record("\(string) decoded")
        case .failure(let error as MultiformatsError):
            #expect([.nonCanonicalEncoding, .invalidLength].contains(error.code))
        case .failure(let error): Issue.record("unexpected \(error)")
        }
    }

    @Test func boundsRadixDecoding() {
        let long = "z" + String(repeating: "2", count: Multibase.maxRadixInputLength + 1)
        #expect(throws: MultiformatsError(.inputTooLong, "")) { try Multibase.decode(long) }
    }

    @Test func decodesTenMegabyteBase32InLinearTime() throws {
        let bytes = [UInt8](repeating: 0xa5, count: 6_250_000)
        let encoded = Multibase.base32.encode(bytes)
        #expect(encoded.utf8.count == 10_000_001)
        #expect(try Multibase.decode(encoded).bytes == bytes)
    }

    @Test func namesAndPrefixesAreUnique() {
        #expect(Set(Multibase.allCases.map(\.prefix)).count == Multibase.allCases.count)
        for base in Multibase.allCases {
            #expect(Multibase(prefix: base.prefix) == base)
            #expect(Multibase(name: base.name) == base)
        }
    }
}
