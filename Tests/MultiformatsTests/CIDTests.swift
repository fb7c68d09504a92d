import CairnTestSupport
import Foundation
import Multiformats
import Testing

@Suite struct CIDTests {
    /// Every CID string in `unixfs-cids.json`, with the JSON path that holds it.
    static func publishedCIDs() throws -> [(path: String, cid: String)] {
        let json = try JSONSerialization.jsonObject(with: try VectorFile.data("unixfs-cids.json"))
        var found: [(String, String)] = []
        func walk(_ value: Any, _ path: String) {
            switch value {
            case let dictionary as [String: Any]:
                for (key, child) in dictionary where !key.hasPrefix("_") { walk(child, "\(path).\(key)") }
            case let array as [Any]:
                for (index, child) in array.enumerated() { walk(child, "\(path)[\(index)]") }
            case let string as String:
                let isCID =
                    (string.count == 46 && string.hasPrefix("Qm")) || (string.hasPrefix("baf") && !string.contains(" "))
                if isCID { found.append((path, string)) }
            default: break
            }
        }
        walk(json, "$")
        return found
    }

    @Test func parsesAndReprintsEveryPublishedCID() throws {
        let cids = try Self.publishedCIDs()
        #expect(cids.count >= 25, "the vector file should hold a few dozen CIDs, found \(cids.count)")
        for (path, text) in cids {
            let cid = try CID(text)
            #expect(cid.description == text, "\(path) reprints")
            #expect(try CID(bytes: cid.bytes) == cid, "\(path) binary round trip")
            #expect(cid.version == (text.hasPrefix("Qm") ? .v0 : .v1))
            // v0 ↔ v1: the v1 of any CID converts back to the same content; for dag-pb with
            // sha2-256 there is a v0, whose v1 is the same CID again.
            let v1 = cid.toV1()
            #expect(v1.multihash == cid.multihash && v1.codec == cid.codec)
            if cid.codec == .dagPB && cid.multihash.code == .sha2_256 {
                let v0 = try cid.toV0()
                #expect(v0.description.hasPrefix("Qm"))
                #expect(v0.toV1() == v1, "\(path) v0 → v1")
            } else {
                #expect(throws: MultiformatsError(.invalidCIDv0, "")) { try cid.toV0() }
            }
            let supported = [.sha2_256, .identity].contains(cid.multihash.code) || cid.multihash.code == .blake3
            #expect(supported, "\(path) uses \(cid.multihash.code)")
        }
    }

    @Test func readsTheCodecsAndHashesOfTheVectors() throws {
        #expect(try CID("bafkreifzjut3te2nhyekklss27nh3k72ysco7y32koao5eei66wof36n5e").codec == .raw)
        #expect(try CID("bafyreidykglsfhoixmivffc5uwhcgshx4j465xwqntbmu43nb2dzqwfvae").codec == .dagCBOR)
        #expect(try CID("baguqeerasords4njcts6vs7qvdjfcvgnume4hqohf65zsfguprqphs3icwea").codec == .dagJSON)
        #expect(try CID("bagaaierasords4njcts6vs7qvdjfcvgnume4hqohf65zsfguprqphs3icwea").codec == .json)
        let blake3 = try CID("bafkr4igxjga67jykbseaxdmmdgc5a5o3zp3htom2l6mrjznk7fvyggu6eq")
        #expect(blake3.multihash.code == .blake3 && blake3.multihash.algorithm == nil)
        let identity = try CID("bafkqaaa")
        #expect(identity.multihash.code == .identity && identity.multihash.digest.isEmpty)
        let identityDirectory = try CID("bafyaabakaieac")
        #expect(identityDirectory.codec == .dagPB && identityDirectory.multihash.digest == [0x0a, 0x02, 0x08, 0x01])
    }

    /// Published pairs: the kubo default (v0) and the CIDv1 dag-pb of the same block.
    @Test(arguments: [
        (
            "QmbFMke1KXqnYyBBWxB74N4c5SBnJMVAiMNRcGu6x1AwQH",
            "bafybeif7ztnhq65lumvvtr4ekcwd2ifwgm3awq4zfr3srh462rwyinlb4y"
        ),
        (
            "QmUNLLsPACCz1vLxQVkXqqLX5R1X345qqfHbsf67hvA3Nn",
            "bafybeiczsscdsbs7ffqz55asqdf3smv6klcw3gofszvwlyarci47bgf354"
        ),
    ])
    func convertsBetweenV0AndV1(v0: String, v1: String) throws {
        #expect(try CID(v0).toV1().description == v1)
        #expect(try CID(v1).toV0().description == v0)
        #expect(try CID(v0) != CID(v1), "v0 and v1 are different CIDs")
    }

    /// The well-known blocks hash to their published CIDs.
    @Test(arguments: [
        ("0a0408021800", "QmbFMke1KXqnYyBBWxB74N4c5SBnJMVAiMNRcGu6x1AwQH"),
        ("0a020801", "QmUNLLsPACCz1vLxQVkXqqLX5R1X345qqfHbsf67hvA3Nn"),
    ])
    func hashesWellKnownBlocks(blockHex: String, expected: String) throws {
        let cid = try CID(version: .v0, codec: .dagPB, multihash: Multihash.sha256(Hex.decode(blockHex)))
        #expect(cid.description == expected)
    }

    @Test func hashesRawBlocksToPublishedCIDs() throws {
        let hello = CID(v1: .raw, multihash: Multihash.sha256(Array("hello world".utf8)))
        #expect(hello.description == "bafkreifzjut3te2nhyekklss27nh3k72ysco7y32koao5eei66wof36n5e")
        let empty = CID(v1: .raw, multihash: Multihash.sha256([]))
        #expect(empty.description == "bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku")
        let cbor = CID(v1: .dagCBOR, multihash: Multihash.sha256(Hex.decode("a16568656c6c6f65776f726c64")))
        #expect(cbor.description == "bafyreidykglsfhoixmivffc5uwhcgshx4j465xwqntbmu43nb2dzqwfvae")
    }

    @Test func parsesV1InAnyBaseAndPrintsBase32() throws {
        let canonical = try CID("bafybeif7ztnhq65lumvvtr4ekcwd2ifwgm3awq4zfr3srh462rwyinlb4y")
        for base in Multibase.allCases {
            let text = canonical.string(in: base)
            #expect(text.first == base.prefix)
            let parsed = try CID(text)
            #expect(parsed == canonical, "\(base)")
            #expect(parsed.description == canonical.description)
        }
        // A v0 asked for base58btc keeps its bare form; any other base gives its v1.
        let v0 = try CID("QmbFMke1KXqnYyBBWxB74N4c5SBnJMVAiMNRcGu6x1AwQH")
        #expect(v0.string(in: .base58btc) == v0.description)
        #expect(v0.string(in: .base32) == canonical.description)
    }

    @Test func equalityAndHashingUseTheBinaryForm() throws {
        let upper = try CID("BAFYBEIF7ZTNHQ65LUMVVTR4EKCWD2IFWGM3AWQ4ZFR3SRH462RWYINLB4Y")
        let lower = try CID("bafybeif7ztnhq65lumvvtr4ekcwd2ifwgm3awq4zfr3srh462rwyinlb4y")
        #expect(upper == lower)
        #expect(Set([upper, lower]).count == 1)
    }

    @Test func decodesACIDAtTheStartOfABuffer() throws {
        let cid = try CID("bafkreifzjut3te2nhyekklss27nh3k72ysco7y32koao5eei66wof36n5e")
        let (decoded, length) = try CID.decodePrefix(cid.bytes + [0xde, 0xad])
        #expect(decoded == cid && length == cid.bytes.count)
        let v0 = try CID("QmbFMke1KXqnYyBBWxB74N4c5SBnJMVAiMNRcGu6x1AwQH")
        let (decodedV0, lengthV0) = try CID.decodePrefix(v0.bytes + [1])
        #expect(decodedV0 == v0 && lengthV0 == 34)
    }

    // MARK: Bad input

    @Test func rejectsEmptyString() {
        #expect(throws: MultiformatsError(.emptyInput, "")) { try CID("") }
        #expect(throws: MultiformatsError(.emptyInput, "")) { try CID(bytes: []) }
    }

    @Test func rejectsTenMegabyteString() {
        let huge = "b" + String(repeating: "a", count: 10_000_000)
        #expect(throws: MultiformatsError(.inputTooLong, "")) { try CID(huge) }
    }

    @Test(arguments: [
        "zQmbFMke1KXqnYyBBWxB74N4c5SBnJMVAiMNRcGu6x1AwQH",  // the v0 string behind a base58btc prefix
        "f1220bfccda787baba32b59c78450ac3d20b633360b43992c77289f9ed46d843561e6",  // v0 bytes in base16
    ])
    func rejectsCIDv0WithAMultibasePrefix(string: String) {
        #expect(throws: MultiformatsError(.invalidCIDv0, "")) { try CID(string) }
    }

    @Test func rejectsMalformedCIDv0() {
        // 46 characters starting Qm, but a 0 (not in base58btc) inside.
        #expect(throws: MultiformatsError(.invalidCharacter, "")) {
            try CID("QmbFMke1KXqnYyBBWxB74N4c5SBnJMVAiMNRcGu6x1Aw0H")
        }
        // A v0 string one character short is not a v0; "Q" is no multibase prefix.
        #expect(throws: MultiformatsError(.unknownMultibase, "")) {
            try CID("QmbFMke1KXqnYyBBWxB74N4c5SBnJMVAiMNRcGu6x1AwQ")
        }
        // A v0 may only name dag-pb with sha2-256.
        #expect(throws: MultiformatsError(.invalidCIDv0, "")) {
            try CID(version: .v0, codec: .raw, multihash: Multihash.sha256([]))
        }
        #expect(throws: MultiformatsError(.invalidCIDv0, "")) {
            try CID(version: .v0, codec: .dagPB, multihash: Multihash.hash([], with: .blake2b_256))
        }
    }

    @Test func rejectsUnknownMultibase() {
        #expect(throws: MultiformatsError(.unknownMultibase, "")) { try CID("?afybeif7ztnhq65lumvvtr4ekcwd2ifwgm3aw") }
        #expect(throws: MultiformatsError(.unknownMultibase, "")) { try CID("🚀🚀🚀") }
    }

    @Test func rejectsCharactersOutsideTheAlphabet() {
        #expect(throws: MultiformatsError(.invalidCharacter, "")) {
            try CID("bafybeif7ztnhq65lumvvtr4ekcwd2ifwgm3awq4zfr3srh462rwyinlb1y")
        }
    }

    @Test func rejectsWrongDigestLength() {
        // CIDv1 raw, sha2-256 declaring 32 bytes but carrying 31.
        let bytes: [UInt8] = [0x01, 0x55, 0x12, 0x20] + [UInt8](repeating: 0xab, count: 31)
        #expect(throws: MultiformatsError(.wrongDigestLength, "")) { try CID(bytes: bytes) }
        #expect(throws: MultiformatsError(.wrongDigestLength, "")) { try CID(Multibase.base32.encode(bytes)) }
    }

    @Test(arguments: [[0x02, 0x55, 0x12, 0x20], [0x03], [0x00, 0x55], [0x80, 0x01]] as [[UInt8]])
    func rejectsUnsupportedVersions(prefix: [UInt8]) {
        let bytes = prefix + [UInt8](repeating: 0, count: 32)
        #expect(throws: MultiformatsError(.unsupportedCIDVersion, "")) { try CID(bytes: bytes) }
    }

    @Test(arguments: [[0x01], [0x01, 0x55], [0x01, 0x55, 0x12], [0x01, 0xff]] as [[UInt8]])
    func rejectsTruncatedCID(bytes: [UInt8]) {
        #expect(throws: MultiformatsError(.truncatedVarint, "")) { try CID(bytes: bytes) }
    }

    @Test func rejectsNonMinimalCodecVarint() {
        let bytes: [UInt8] = [0x01, 0xd5, 0x00, 0x12, 0x20] + [UInt8](repeating: 0, count: 32)
        #expect(throws: MultiformatsError(.nonMinimalVarint, "")) { try CID(bytes: bytes) }
    }

    @Test func rejectsTrailingBytes() throws {
        let cid = try CID("bafkqaaa")
        #expect(throws: MultiformatsError(.trailingBytes, "")) { try CID(bytes: cid.bytes + [0]) }
    }
}
