import Foundation
import Multiformats

/// What `cairn cid inspect` prints: the parts of a CID and its spellings in every base.
struct CIDReport: Encodable {
    struct Spelling: Encodable {
        let base: String
        let cid: String
    }

    let cid: String
    let version: Int
    let codec: String
    let codecCode: UInt64
    let hashFunction: String
    let hashFunctionCode: UInt64
    let digestLength: Int
    let digest: String
    let cidV0: String?
    let cidV1: String
    let bases: [Spelling]

    init(_ cid: CID) {
        self.cid = cid.description
        version = cid.version.rawValue
        codec = cid.codec.name ?? "unknown"
        codecCode = cid.codec.rawValue
        hashFunction = cid.multihash.code.name ?? "unknown"
        hashFunctionCode = cid.multihash.code.rawValue
        digestLength = cid.multihash.digest.count
        digest = Multibase.base16.encodeWithoutPrefix(cid.multihash.digest)
        cidV0 = (try? cid.toV0())?.description
        cidV1 = cid.toV1().description
        bases = Multibase.allCases.map { Spelling(base: $0.name, cid: cid.toV1().string(in: $0)) }
    }

    func text() -> String {
        var lines = [
            "CID          \(cid)",
            "version      \(version)",
            "codec        \(codec) (0x\(String(codecCode, radix: 16)))",
            "multihash    \(hashFunction) (0x\(String(hashFunctionCode, radix: 16))), \(digestLength)-byte digest",
            "digest       \(digest)",
            "CIDv0        \(cidV0 ?? "none (CIDv0 needs dag-pb and sha2-256)")",
            "CIDv1        \(cidV1)",
            "CIDv1 in every base:",
        ]
        let width = bases.map(\.base.count).max() ?? 0
        for spelling in bases {
            lines.append("  \(spelling.base.padding(toLength: width, withPad: " ", startingAt: 0))  \(spelling.cid)")
        }
        return lines.joined(separator: "\n")
    }

    func json() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }
}
