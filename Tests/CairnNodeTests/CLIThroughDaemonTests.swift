import CairnTestSupport
import Foundation
import NIOHTTP1
import Testing

/// The CLI with a daemon running: the same commands and output, through the node's API.
@Suite("CLI through a running daemon")
struct CLIThroughDaemonTests {
    static func cairn(_ arguments: [String], _ node: NodeFixture, input: Data = Data()) throws -> CairnExecutable.Result
    {
        try CairnExecutable.run(arguments + ["--repo", node.repository], input: input)
    }

    @Test func addsReadsAndManagesContentThroughTheDaemon() async throws {
        let node = try NodeFixture()
        let folder = try node.writeFolder(
            "input",
            [
                ("site/a.txt", Data("alpha\n".utf8)), ("site/sub/b.bin", testBytes(600_000, seed: 8)),
                ("site/.hidden", Data("secret".utf8)),
            ])
        try FileManager.default.createSymbolicLink(atPath: folder + "/site/link", withDestinationPath: "a.txt")

        let added = try Self.cairn(["add", "-r", folder + "/site"], node)
        #expect(added.status == 0, "\(added.standardError)")
        let local = try CairnExecutable.run(["add", "-r", "-n", folder + "/site"])
        #expect(added.standardOutput == local.standardOutput)
        #expect(!added.standardOutput.contains(".hidden"))
        let root = String(added.standardOutput.split(separator: "\n").last!.split(separator: " ")[1])

        let v0 = try Self.cairn(["add", "-Q", "--cid-version", "0", folder + "/site/a.txt"], node)
        let v0Local = try CairnExecutable.run(["add", "-Q", "-n", "--cid-version", "0", folder + "/site/a.txt"])
        #expect(v0.standardOutput == v0Local.standardOutput)
        #expect(v0.standardOutput.hasPrefix("Qm"))
        let piped = try Self.cairn(["add", "-Q"], node, input: Data("from stdin".utf8))
        let pipedLocal = try CairnExecutable.run(["add", "-Q", "-n"], input: Data("from stdin".utf8))
        #expect(piped.standardOutput == pipedLocal.standardOutput)

        #expect(try Self.cairn(["cat", root + "/a.txt"], node).standardOutput == "alpha\n")
        let slice = try Self.cairn(["cat", root + "/sub/b.bin", "--offset", "100", "--length", "50"], node)
        #expect(slice.output == testBytes(600_000, seed: 8)[100..<150])
        let listing = try Self.cairn(["ls", root], node).standardOutput
        #expect(listing.contains(" a.txt") && listing.contains(" sub/") && listing.contains(" link"))

        let target = node.directory.path("fetched")
        #expect(try Self.cairn(["get", root, "-o", target], node).status == 0)
        #expect(FileManager.default.contents(atPath: target + "/sub/b.bin") == testBytes(600_000, seed: 8))
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: target + "/link") == "a.txt")

        let pins = try Self.cairn(["pin", "ls"], node).standardOutput
        #expect(pins.contains("\(root) recursive site"))
        let stat = try Self.cairn(["repo", "stat"], node)
        #expect(stat.standardOutput.contains("held by the daemon"))
        let verify = try Self.cairn(["repo", "verify"], node)
        #expect(verify.status == 1)
        #expect(verify.standardError.contains("stop it"))

        let car = node.directory.path("site.car")
        #expect(try Self.cairn(["car", "export", root, "-o", car], node).status == 0)
        #expect(try Self.cairn(["pin", "rm", root], node).status == 0)
        let gc = try Self.cairn(["gc"], node)
        #expect(gc.standardOutput.hasPrefix("removed "))
        #expect(try Self.cairn(["cat", root + "/a.txt"], node).status == 1)
        let imported = try Self.cairn(["car", "import", car], node)
        #expect(imported.standardOutput.contains("imported \(root)"))
        #expect(try Self.cairn(["cat", root + "/a.txt"], node).standardOutput == "alpha\n")
    }

    @Test func tokensMadeThroughTheDaemonOpenThePinningAPI() async throws {
        let node = try NodeFixture()
        let made = try Self.cairn(["token", "create", "phone"], node)
        let token = made.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(token.hasPrefix("cairn_"))
        #expect(try await HTTPExchange.send(.GET, node.url + "/pins", token: token).status == 200)
        let listed = try Self.cairn(["token", "ls"], node).standardOutput
        #expect(listed.contains("phone"))
        #expect(!listed.contains(token))
        #expect(try Self.cairn(["token", "revoke", "phone"], node).status == 0)
        #expect(try await HTTPExchange.send(.GET, node.url + "/pins", token: token).status == 401)
    }

    @Test func pinsOnARemoteServiceAndReportsFailures() async throws {
        let node = try NodeFixture()
        let client = try NodeFixture()
        let cid = try await node.upload([("a.txt", Data("remote".utf8))], query: "?pin=false")
        let token = try Self.cairn(["token", "create", "remote"], node).standardOutput
            .trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(try Self.cairn(["pin", "remote", "service", "add", "n1", node.url, token], client).status == 0)
        let pinned = try Self.cairn(["pin", "remote", "add", cid, "--name", "letter", "--service", "n1"], client)
        #expect(pinned.status == 0, "\(pinned.standardError)")
        #expect(pinned.standardOutput.contains("pinned \(cid)"))
        let missing = "bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi"
        let failed = try Self.cairn(["pin", "remote", "add", missing, "--service", "n1"], client)
        #expect(failed.status == 1)
        #expect(failed.standardError.contains("does not have"))
        let listed = try Self.cairn(["pin", "remote", "ls", "--service", "n1", "--status", "pinned,failed"], client)
        let lines = listed.standardOutput.split(separator: "\n")
        #expect(lines.count == 2)
        let id = String(try #require(lines.first { $0.contains("letter") }).split(separator: " ")[0])
        #expect(try Self.cairn(["pin", "remote", "rm", id, "--service", "n1"], client).status == 0)
        let after = try Self.cairn(["pin", "remote", "ls", "--service", "n1"], client).standardOutput
        #expect(after.isEmpty)
        let wrong = try Self.cairn(["pin", "remote", "ls", "--endpoint", node.url, "--token", "cairn_bad"], client)
        #expect(wrong.status == 1)
        #expect(wrong.standardError.contains("not valid"))
    }

    @Test func refusesToStartWithBadSettingsNamingThem() throws {
        let directory = try TemporaryDirectory(prefix: "cairn-settings")
        let repository = directory.path("repo")
        #expect(try CairnExecutable.run(["init", "--repo", repository]).status == 0)
        let again = try CairnExecutable.run(["init", "--repo", repository])
        #expect(again.status == 1)
        #expect(again.standardError.contains("already holds a node"))
        try Data(#"{"listen": "127.0.0.1:0", "maxUploadByte": 5}"#.utf8)
            .write(to: URL(fileURLWithPath: repository + "/node.json"))
        let daemon = try CairnExecutable.run(["daemon", "--repo", repository])
        #expect(daemon.status == 1)
        #expect(daemon.standardError.contains("unknown setting \"maxUploadByte\""))
        try FileManager.default.removeItem(atPath: repository + "/node.json")
        let badListen = try CairnExecutable.run(["daemon", "--repo", repository, "--listen", "nowhere"])
        #expect(badListen.status == 1)
        #expect(badListen.standardError.contains("\"nowhere\" is not host:port"))
        #expect(!FileManager.default.fileExists(atPath: repository + "/api.json"))
    }

    @Test func fallsBackToTheRepositoryWhenTheDaemonIsGone() async throws {
        let node = try NodeFixture()
        let cid = try await node.upload([("a.txt", Data("kept".utf8))])
        node.daemon.kill9()
        #expect(FileManager.default.fileExists(atPath: node.repository + "/api.json"))
        let cat = try Self.cairn(["cat", cid], node)
        #expect(cat.standardOutput == "kept", "\(cat.standardError)")
    }
}
