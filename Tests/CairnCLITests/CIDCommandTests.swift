import CairnTestSupport
import Foundation
import Multiformats
import Testing

/// `cairn cid …` run as a user runs it: the built binary, its output and its exit status.
@Suite struct CIDCommandTests {
    static let v0 = "QmbFMke1KXqnYyBBWxB74N4c5SBnJMVAiMNRcGu6x1AwQH"
    static let v1 = "bafybeif7ztnhq65lumvvtr4ekcwd2ifwgm3awq4zfr3srh462rwyinlb4y"

    @Test func inspectShowsThePartsOfACID() throws {
        let result = try CairnExecutable.run(["cid", "inspect", Self.v0])
        #expect(result.status == 0, "\(result.standardError)")
        let output = result.standardOutput
        #expect(output.contains("version      0"))
        #expect(output.contains("codec        dag-pb (0x70)"))
        #expect(output.contains("multihash    sha2-256 (0x12), 32-byte digest"))
        #expect(output.contains("digest       bfccda787baba32b59c78450ac3d20b633360b43992c77289f9ed46d843561e6"))
        #expect(output.contains("CIDv1        \(Self.v1)"))
        #expect(output.contains("base58btc"))
        #expect(output.contains("zdj7WiLc855B1KPRgV7Fh8ivjuAhePE1tuJafmxH5HmmSjqaD"))
    }

    @Test func inspectPrintsJSONForScripts() throws {
        let result = try CairnExecutable.run(["cid", "inspect", "--json", Self.v1])
        #expect(result.status == 0)
        let json = try #require(
            try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any]
        )
        #expect(json["version"] as? Int == 1)
        #expect(json["codec"] as? String == "dag-pb")
        #expect(json["cid_v0"] as? String == Self.v0)
        let bases = try #require(json["bases"] as? [[String: String]])
        #expect(bases.count == Multibase.allCases.count)
        for entry in bases {
            #expect(try CID(entry["cid"]!) == CID(Self.v1), "\(entry)")
        }
    }

    @Test func convertsBetweenVersionsAndBases() throws {
        #expect(try CairnExecutable.run(["cid", "convert", Self.v0]).standardOutput == Self.v1 + "\n")
        #expect(try CairnExecutable.run(["cid", "convert", Self.v1, "--to", "v0"]).standardOutput == Self.v0 + "\n")
        let base58 = try CairnExecutable.run(["cid", "convert", Self.v1, "--to", "base58btc"]).standardOutput
        #expect(base58 == "zdj7WiLc855B1KPRgV7Fh8ivjuAhePE1tuJafmxH5HmmSjqaD\n")
        let both = try CairnExecutable.run(["cid", "convert", Self.v0, Self.v1, "--to", "base36"]).standardOutput
        #expect(both.split(separator: "\n").count == 2)
    }

    @Test func hashesAFileOrStandardInput() throws {
        let directory = try TemporaryDirectory()
        try Data("hello world".utf8).write(to: URL(fileURLWithPath: directory.path("hello.txt")))
        let raw = "bafkreifzjut3te2nhyekklss27nh3k72ysco7y32koao5eei66wof36n5e"
        #expect(try CairnExecutable.run(["cid", "hash", directory.path("hello.txt")]).standardOutput == raw + "\n")
        #expect(
            try CairnExecutable.run(["cid", "hash", "-"], input: Data("hello world".utf8)).standardOutput == raw + "\n")
        // The well-known empty dag-pb file block, as CIDv0.
        let block = Data([0x0a, 0x04, 0x08, 0x02, 0x18, 0x00])
        let v0 = try CairnExecutable.run(["cid", "hash", "-", "--codec", "dag-pb", "--cid-version", "0"], input: block)
        #expect(v0.standardOutput == Self.v0 + "\n")
        let blake = try CairnExecutable.run(["cid", "hash", "-", "--hash", "blake2b-256"], input: Data("abc".utf8))
        #expect(try CID(String(blake.standardOutput.dropLast())).multihash.code == .blake2b_256)
    }

    @Test func failsWithAClearMessageOnBadCIDs() throws {
        let result = try CairnExecutable.run(["cid", "inspect", "z" + Self.v0])
        #expect(result.status == 1)
        #expect(result.standardError.contains("invalid CIDv0"))
        let garbage = try CairnExecutable.run(["cid", "convert", "not-a-cid"])
        #expect(garbage.status == 1)
        #expect(garbage.standardError.contains("unknown multibase"))
        let noV0 = try CairnExecutable.run(["cid", "convert", "bafkqaaa", "--to", "v0"])
        #expect(noV0.status == 1)
        #expect(noV0.standardError.contains("dag-pb"))
    }

    @Test func rejectsUsageErrorsWithStatus64() throws {
        let badTarget = try CairnExecutable.run(["cid", "convert", Self.v1, "--to", "base99"])
        #expect(badTarget.status == 64)
        #expect(badTarget.standardError.contains("base99"))
        let badHash = try CairnExecutable.run(["cid", "hash", "-", "--hash", "md5"])
        #expect(badHash.status == 64)
        let v0Raw = try CairnExecutable.run(["cid", "hash", "-", "--cid-version", "0"])
        #expect(v0Raw.status == 1)
        #expect(v0Raw.standardError.contains("dag-pb"))
    }

    @Test func reportsAMissingFile() throws {
        let result = try CairnExecutable.run(["cid", "hash", "/nonexistent/file"])
        #expect(result.status == 1)
        #expect(result.standardError.contains("cannot open /nonexistent/file"))
    }
}
