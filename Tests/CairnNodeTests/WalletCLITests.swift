import CairnTestSupport
import Foundation
import NIOHTTP1
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

    @Test func stakesRegistersOpensDealsAndShowsHistory() async throws {
        let node = try NodeFixture(configuration: ["blockIntervalMilliseconds": 50])
        let passphrase = node.directory.path("passphrase")
        try Data("pass\n".utf8).write(to: URL(fileURLWithPath: passphrase))
        func cairn(_ arguments: [String]) throws -> CairnExecutable.Result {
            try CairnExecutable.run(arguments + ["--repo", node.repository])
        }
        let imported = try cairn([
            "key", "import", "faucet", "--seed-file", node.repository + "/faucet.key", "--passphrase-file", passphrase,
        ])
        let faucet = imported.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines)
        let sign = ["--key", "faucet", "--wait", "--passphrase-file", passphrase]
        let root = "bafkreicysg23kiwv34eg2d7qweipxwosdo2py4ldv42nbauguluen5v6am"
        let steps: [[String]] = [
            ["wallet", "stake", "--amount", "5000"] + sign,
            ["wallet", "unstake", "--amount", "1000"] + sign,
            [
                "provider", "register", "--endpoint", "http://127.0.0.1:9", "--capacity", "1000000", "--region",
                "eu-west",
            ] + sign,
            ["deal", "create", root, "--manifest", root, "--price", "2", "--bytes", "100", "--epochs", "3"] + sign,
            ["cred", "status-list", "https://issuer.example/status/1", root] + sign,
        ]
        var cids: [String] = []
        for step in steps {
            let result = try cairn(step)
            #expect(result.status == 0, "\(step): \(result.standardError)")
            cids.append(result.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines))
        }
        let balance = try cairn(["wallet", "balance", "faucet"]).standardOutput
        #expect(balance.contains("staked   4000"))
        #expect(balance.contains("unbonding 1000 until height"))
        // Stake 5000, deal escrow 2 × 100 × 3 = 600, five fees of 1 paid to the node (not the faucet).
        #expect(balance.contains("balance  \(1_000_000_000_000 - 5000 - 600 - 5)"))
        let account = try await HTTPExchange.send(.GET, node.url + "/api/v1/ledger/accounts/\(faucet)")
        #expect((account.object["node"] as? [String: Any])?["region"] as? String == "eu-west")

        let history = try cairn(["wallet", "history", "faucet"])
        let lines = history.standardOutput.split(separator: "\n")
        #expect(lines.count == 5)
        #expect(lines.first?.contains("update-status-list") == true)
        #expect(lines.first?.contains(cids[4]) == true)
        #expect(lines.last?.contains("stake") == true)
        let page = try cairn(["wallet", "history", "faucet", "--limit", "2"])
        #expect(page.standardOutput.split(separator: "\n").count == 2)
        #expect(page.standardError.contains("more: --before "))
        let transaction = try cairn(["chain", "tx", cids[3]])
        #expect(transaction.standardOutput.contains("\"kind\" : \"storage-deal\""))
        #expect(try cairn(["chain", "tx", "nonsense"]).status != 0)
        let block = try await HTTPExchange.send(.GET, node.url + "/api/v1/ledger/blocks/1")
        let byCID = try cairn(["chain", "block", try #require(block.object["cid"] as? String)])
        #expect(byCID.standardOutput.contains("\"height\" : 1"))
        // Rules still hold through the CLI: more unstaked than staked is refused, with the reason.
        let refused = try cairn(["wallet", "unstake", "--amount", "999999"] + sign)
        #expect(refused.status != 0)
        #expect(refused.standardError.lowercased().contains("stake"))
    }

    @Test func initStartsTheChainAGenesisFileDescribes() async throws {
        let directory = try TemporaryDirectory(prefix: "cairn-genesis")
        let alice = "z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK"
        func write(_ name: String, _ json: String) throws -> String {
            let path = directory.path(name)
            try Data(json.utf8).write(to: URL(fileURLWithPath: path))
            return path
        }
        let good = try write(
            "genesis.json",
            #"{"chain": "cairn-test-7", "time": 1764028800000, "unbondingBlocks": 3, "balances": {"\#(alice)": 18446744073709551615}}"#
        )
        // Bad files are refused before anything is created, naming what is wrong.
        let bad: [(String, String)] = [
            (#"{"chain": "x", "time": 1, "balances": {}, "minimumFees": 1}"#, "minimumFees"),
            (#"{"chain": "x", "balances": {}}"#, "time"),
            (#"{"chain": "x", "time": 1, "balances": {"z6Mnope": 1}}"#, "z6Mnope"),
            (#"{"chain": "x", "time": 1, "balances": {"\#(alice)": -1}}"#, "balances"),
            (#"{"chain": "x y", "time": 1, "balances": {}}"#, "chain"),
            (#"{"chain": "x", "time": 1, "balances": {}, "validators": ["\#(alice)"]}"#, "validators"),
            (#"[1, 2]"#, "JSON object"),
        ]
        for (index, (json, named)) in bad.enumerated() {
            let repository = directory.path("bad\(index)")
            let result = try CairnExecutable.run([
                "init", "--repo", repository, "--genesis", try write("bad\(index).json", json),
            ])
            #expect(result.status != 0, "\(json)")
            #expect(result.standardError.contains(named), "\(json): \(result.standardError)")
            #expect(!FileManager.default.fileExists(atPath: repository), "\(json) left a repository")
        }
        let repository = directory.path("repo")
        let initialized = try CairnExecutable.run(["init", "--repo", repository, "--genesis", good])
        #expect(initialized.status == 0, "\(initialized.standardError)")
        #expect(initialized.standardOutput.contains("chain cairn-test-7"))
        #expect(!FileManager.default.fileExists(atPath: repository + "/faucet.key"))
        let daemon = try DaemonProcess(repository: repository)
        let status = try await HTTPExchange.send(.GET, daemon.url + "/api/v1/ledger/status")
        #expect(status.object["chain"] as? String == "cairn-test-7")
        let account = try await HTTPExchange.send(.GET, daemon.url + "/api/v1/ledger/accounts/\(alice)")
        #expect(account.object["balance"] as? UInt64 == UInt64.max)
        #expect(daemon.stop() == 0)
    }
}
