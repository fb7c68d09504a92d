import Foundation
import IPLD
import Multiformats
import Testing

/// The IPLD codec conformance suite: every fixture in a codec Cairn supports decodes, re-encodes
/// to the same bytes, and converts to every other supported codec with the CID its file names.
@Suite struct ConformanceTests {
    struct Fixture: CustomTestStringConvertible, Sendable {
        let name: String
        /// Codec name (file extension) → (CID from the file name, bytes).
        let files: [String: (cid: CID, bytes: [UInt8])]
        var testDescription: String { name }
    }

    static let supported = ["dag-cbor", "dag-pb"]

    static func fixtures() throws -> [Fixture] {
        let root = try #require(Bundle.module.url(forResource: "fixtures", withExtension: nil, subdirectory: "Vectors"))
        let manager = FileManager.default
        return try manager.contentsOfDirectory(atPath: root.path).sorted().map { name in
            var files: [String: (CID, [UInt8])] = [:]
            let directory = root.appendingPathComponent(name)
            for file in try manager.contentsOfDirectory(atPath: directory.path) {
                let parts = file.split(separator: ".", maxSplits: 1)
                let bytes = [UInt8](try Data(contentsOf: directory.appendingPathComponent(file)))
                files[String(parts[1])] = (try CID(parts[0]), bytes)
            }
            return Fixture(name: name, files: files)
        }
    }

    static func decode(_ codec: String, _ bytes: [UInt8]) throws -> IPLDValue {
        switch codec {
        case "dag-cbor": try DagCBOR.decode(bytes)
        case "dag-pb": try DagPBNode(bytes: bytes).dataModel
        default: preconditionFailure("unsupported codec \(codec)")
        }
    }

    static func encode(_ codec: String, _ value: IPLDValue) throws -> [UInt8] {
        switch codec {
        case "dag-cbor": try DagCBOR.encode(value)
        case "dag-pb": try DagPBNode(dataModel: value).encoded()
        default: preconditionFailure("unsupported codec \(codec)")
        }
    }

    static func cid(of bytes: [UInt8], like expected: CID) throws -> CID {
        let algorithm = try #require(expected.multihash.algorithm)
        return CID(v1: expected.codec, multihash: try Multihash.hash(bytes, with: algorithm))
    }

    @Test func theSuiteIsComplete() throws {
        let fixtures = try Self.fixtures()
        #expect(fixtures.count == 128)
        let covered = fixtures.filter { fixture in Self.supported.contains { fixture.files[$0] != nil } }
        #expect(covered.count == fixtures.count, "every fixture has a dag-cbor or dag-pb form")
    }

    @Test(arguments: try fixtures())
    func fixtureRoundTripsThroughEverySupportedCodec(fixture: Fixture) throws {
        for source in Self.supported {
            guard let (sourceCID, sourceBytes) = fixture.files[source] else { continue }
            #expect(try Self.cid(of: sourceBytes, like: sourceCID) == sourceCID, "\(source) bytes hash to their name")
            let value = try Self.decode(source, sourceBytes)
            for target in Self.supported {
                guard let (targetCID, targetBytes) = fixture.files[target] else { continue }
                let encoded = try Self.encode(target, value)
                #expect(encoded == targetBytes, "\(source) → \(target) bytes")
                #expect(try Self.cid(of: encoded, like: targetCID) == targetCID, "\(source) → \(target) CID")
            }
        }
    }

    struct Negative: Decodable, CustomTestStringConvertible, Sendable {
        let name: String
        let hex: String?
        let dagJSON: JSONValue?
        let error: String
        var testDescription: String { name }

        enum CodingKeys: String, CodingKey {
            case name, hex, error
            case dagJSON = "dag-json"
        }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            name = try container.decode(String.self, forKey: .name)
            hex = try container.decodeIfPresent(String.self, forKey: .hex)
            error = try container.decode(String.self, forKey: .error)
            // A JSON null here is the value under test, not an absent one.
            dagJSON = container.contains(.dagJSON) ? try container.decode(JSONValue.self, forKey: .dagJSON) : nil
        }
    }

    static func negatives(_ codec: String, _ direction: String) throws -> [Negative] {
        let directory = try #require(
            Bundle.module.url(forResource: "negative-fixtures", withExtension: nil, subdirectory: "Vectors")
        ).appendingPathComponent("\(codec)/\(direction)")
        return try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted().flatMap { file in
            try JSONDecoder().decode([Negative].self, from: Data(contentsOf: directory.appendingPathComponent(file)))
        }
    }

    @Test(arguments: try negatives("dag-cbor", "decode"))
    func refusesNegativeDagCBOR(negative: Negative) throws {
        let bytes = try #require(negative.hex).hexBytes
        #expect(throws: IPLDError.self, "\(negative.error)") { try DagCBOR.decode(bytes) }
    }

    @Test(arguments: try negatives("dag-pb", "decode"))
    func refusesNegativeDagPBBytes(negative: Negative) throws {
        let bytes = try #require(negative.hex).hexBytes
        #expect(throws: IPLDError.self, "\(negative.error)") { try DagPBNode(bytes: bytes) }
    }

    @Test(arguments: try negatives("dag-pb", "encode"))
    func refusesNegativeDagPBForms(negative: Negative) throws {
        let value = try #require(negative.dagJSON).ipldValue()
        let error = try #require(throws: IPLDError.self) { try DagPBNode(dataModel: value) }
        #expect(error.code == .invalidForm)
        // The fixture's reason, minus its generic prefix, is in ours.
        let reason = negative.error.replacingOccurrences(of: "Invalid DAG-PB form", with: "")
        #expect(reason.isEmpty || error.message.contains(reason), "expected \(negative.error), got \(error.message)")
    }
}

extension String {
    var hexBytes: [UInt8] {
        let digits = Array(utf8)
        return stride(from: 0, to: digits.count, by: 2).map {
            UInt8(String(decoding: digits[$0...$0 + 1], as: UTF8.self), radix: 16)!
        }
    }
}
