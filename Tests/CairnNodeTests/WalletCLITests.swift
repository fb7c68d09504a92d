import CairnTestSupport
import Foundation
import Testing

/// Keys, wallet and chain commands against a real daemon.
@Suite("Wallet and chain commands")
struct WalletCLITests {
    @Test func sealsKeysAndSendsTokens() async throws {
        let node = try NodeFixture(configuration: ["blockIntervalMilliseconds": 50])
        let passphrase = node.directory.path("passphrase")
        try Data("correct horse battery\n".utf8).write(to: URL(fileURLWithPath: passphrase))
        let wrong = node.directory.path("wrong")
        try Data("not the passphrase\n".utf8).write(to: URL(fileURLWithPath: wrong))
        func cairn(_ arguments: [String]) throws -> CairnExecutable.Result {
            try CairnExecutable.run(arguments + ["--repo", node.repository])
        }
        let faucet = try cairn([
            "key", "import", "faucet", "--seed-file", node.repository + "/faucet.key", "--passphrase-file", passphrase,
        ])
        #expect(faucet.status == 0, "\(faucet.standardError)")
        let bob = try cairn(["key", "new", "bob", "--passphrase-file", passphrase])
        let bobAddress = bob.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(bobAddress.hasPrefix("z6Mk"))
        // The seed is sealed: the file holds no copy of it.
        let seed = try Data(contentsOf: URL(fileURLWithPath: node.repository + "/faucet.key"))
        let keyFile = try Data(contentsOf: URL(fileURLWithPath: node.repository + "/keys/faucet.json"))
        #expect(!String(decoding: keyFile, as: UTF8.self).contains(Hex.encode(seed)))
        #expect(try cairn(["key", "ls"]).standardOutput.contains("bob  \(bobAddress)"))

        let refused = try cairn([
            "wallet", "send", "--key", "faucet", "--to", "bob", "--amount", "5", "--passphrase-file", wrong,
        ])
        #expect(refused.status == 1)
        #expect(refused.standardError.contains("passphrase is wrong"))
        let sent = try cairn([
            "wallet", "send", "--key", "faucet", "--to", "bob", "--amount", "1234", "--wait", "--passphrase-file",
            passphrase,
        ])
        #expect(sent.status == 0, "\(sent.standardError)")
        #expect(sent.standardOutput.hasPrefix("bafyrei"))
        let balance = try cairn(["wallet", "balance", "bob"])
        #expect(balance.standardOutput.contains("balance  1234"))
        let status = try cairn(["chain", "status"])
        #expect(status.standardOutput.contains("chain      cairn-devnet-"))
        #expect(try cairn(["chain", "block", "1"]).standardOutput.contains("\"height\" : 1"))

        // NFTs: a collection with a 10% royalty to carol, a token listed by the faucet, bought by bob.
        let carol = try cairn(["key", "new", "carol", "--passphrase-file", passphrase]).standardOutput
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let sign = ["--key", "faucet", "--wait", "--passphrase-file", passphrase]
        let steps: [[String]] = [
            [
                "nft", "create-collection", "art", "--name", "Art", "--symbol", "ART", "--royalty", "1000",
                "--recipient", "carol",
            ] + sign,
            [
                "nft", "mint", "art", "1", "--metadata",
                "ipfs://bafkreicysg23kiwv34eg2d7qweipxwosdo2py4ldv42nbauguluen5v6am",
            ] + sign,
            ["nft", "list", "art", "1", "--price", "1000"] + sign,
            ["nft", "buy", "art", "1", "--price", "1000", "--key", "bob", "--wait", "--passphrase-file", passphrase],
        ]
        for step in steps {
            let result = try cairn(step)
            #expect(result.status == 0, "\(step): \(result.standardError)")
        }
        let shown = try cairn(["nft", "show", "art", "1"]).standardOutput
        #expect(shown.contains(bobAddress))
        #expect(try cairn(["wallet", "balance", carol]).standardOutput.contains("balance  100"))
        let frozen = try cairn(["nft", "freeze", "art", "1"] + sign)
        #expect(frozen.status == 0)

        // Credentials: a file's SHA-256 anchored, then found.
        let credential = node.directory.path("credential.json")
        try Data(#"{"type": ["VerifiableCredential"]}"#.utf8).write(to: URL(fileURLWithPath: credential))
        #expect(try cairn(["cred", "status", credential]).standardOutput.contains("\"anchored\" : false"))
        #expect(try cairn(["cred", "anchor", credential] + sign).status == 0)
        #expect(try cairn(["cred", "status", credential]).standardOutput.contains("\"anchored\" : true"))
    }
}
