import ArgumentParser
import CairnClient
import Foundation
import IPLD
import Ledger
import SodiumKit

#if canImport(Glibc)
    import Glibc
#endif

/// Where a key's passphrase comes from: `--passphrase-file`, `$CAIRN_PASSPHRASE`, or a prompt.
struct PassphraseOptions: ParsableArguments {
    @Option(help: "A file whose first line is the passphrase (else $CAIRN_PASSPHRASE, else a prompt).")
    var passphraseFile: String?

    func read(prompt: String) throws -> String {
        if let passphraseFile {
            guard let text = try? String(contentsOfFile: passphraseFile, encoding: .utf8) else {
                throw CommandFailure("cannot read \(passphraseFile)")
            }
            return String(text.split(separator: "\n", omittingEmptySubsequences: false).first ?? "")
        }
        if let value = ProcessInfo.processInfo.environment["CAIRN_PASSPHRASE"] { return value }
        guard isatty(STDIN_FILENO) != 0, let entered = getpass(prompt) else {
            throw CommandFailure("give the passphrase with --passphrase-file or $CAIRN_PASSPHRASE")
        }
        return String(cString: entered)
    }
}

/// `cairn key new|ls|export|import`: ledger keys, sealed under a passphrase in `<repo>/keys/`.
struct KeyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "key", abstract: "Ledger keys (Ed25519), sealed at rest with a passphrase.",
        subcommands: [New.self, List.self, Export.self, Import.self])

    struct New: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Make a key and print its address.")
        @Argument(help: "A name for the key.") var name: String
        @OptionGroup var passphrase: PassphraseOptions
        @OptionGroup var repository: RepositoryOptions

        func run() throws {
            let secret = try passphrase.read(prompt: "Passphrase for \(name): ")
            guard secret.count >= 8 else { throw CommandFailure("a passphrase has at least 8 characters") }
            let file = try KeyStore(repository: repository.path).save(
                Ed25519.PrivateKey(), name: name, passphrase: secret)
            print(file.address)
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "ls", abstract: "List keys and addresses.")
        @OptionGroup var repository: RepositoryOptions

        func run() throws {
            for file in try KeyStore(repository: repository.path).list() { print("\(file.name)  \(file.address)") }
        }
    }

    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print a key's file (still sealed).")
        @Argument var name: String
        @OptionGroup var repository: RepositoryOptions

        func run() throws {
            let file = try KeyStore(repository: repository.path).file(name)
            print(try JSONHelpers.string(file))
        }
    }

    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Import an exported key file, or a raw 32-byte seed file (sealed on import).")
        @Argument var name: String
        @Option(help: "An exported key file.") var from: String?
        @Option(help: "A file holding a raw 32-byte Ed25519 seed (the devnet's <repo>/faucet.key).") var seedFile:
            String?
        @OptionGroup var passphrase: PassphraseOptions
        @OptionGroup var repository: RepositoryOptions

        func run() throws {
            let store = KeyStore(repository: repository.path)
            if let from {
                guard let data = FileManager.default.contents(atPath: from) else {
                    throw CommandFailure("cannot read \(from)")
                }
                print(try store.importFile(data, name: name).address)
            } else if let seedFile {
                guard let seed = FileManager.default.contents(atPath: seedFile) else {
                    throw CommandFailure("cannot read \(seedFile)")
                }
                let key = try Ed25519.PrivateKey(rawRepresentation: Array(seed))
                let secret = try passphrase.read(prompt: "Passphrase for \(name): ")
                print(try store.save(key, name: name, passphrase: secret).address)
            } else {
                throw CommandFailure("give --from FILE or --seed-file FILE")
            }
        }
    }
}

/// `cairn wallet balance|send|history|stake|unstake`: accounts on the node's ledger.
struct WalletCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "wallet", abstract: "Balances, transfers and stakes on the ledger (through the daemon).",
        subcommands: [Balance.self, Send.self, History.self, Stake.self, Unstake.self])

    struct Balance: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "An account's balance, stake and nonce.")
        @Argument(help: "An address (z6Mk…) or a key name.") var account: String
        @OptionGroup var output: OutputOptions
        @OptionGroup var repository: RepositoryOptions

        func run() async throws {
            let daemon = try requireDaemon(repository)
            let address = try resolve(account, repository: repository)
            let object = try await daemon.json("GET", "/api/v1/ledger/accounts/\(address)") as? [String: Any] ?? [:]
            if output.json {
                print(try JSONHelpers.string(jsonObject: object))
            } else {
                print("\(address)")
                print("balance  \(object["balance"] ?? 0)")
                print("staked   \(object["staked"] ?? 0)")
                print("nonce    \(object["nonce"] ?? 0)  (height \(object["height"] ?? 0))")
                for case let entry as [String: Any] in object["unbonding"] as? [Any] ?? [] {
                    print("unbonding \(entry["amount"] ?? 0) until height \(entry["releaseHeight"] ?? 0)")
                }
            }
        }
    }

    struct History: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Transactions that concern an account (sent, received, sold), newest first.")
        @Argument(help: "An address (z6Mk…) or a key name.") var account: String
        @Option(help: "At most this many (1–1000).") var limit = 20
        @Option(help: "Only those before HEIGHT.INDEX (the `next` of an earlier page).") var before: String?
        @OptionGroup var output: OutputOptions
        @OptionGroup var repository: RepositoryOptions

        func run() async throws {
            let address = try resolve(account, repository: repository)
            var path = "/api/v1/ledger/accounts/\(address)/history?limit=\(limit)"
            if let before { path += "&before=\(NodeClient.encode(before))" }
            let object = try await requireDaemon(repository).json("GET", path) as? [String: Any] ?? [:]
            if output.json {
                print(try JSONHelpers.string(jsonObject: object))
                return
            }
            for case let item as [String: Any] in object["transactions"] as? [Any] ?? [] {
                let signer = item["signer"] as? String == address.description ? "sent" : "received"
                let kind = (item["kind"] as? String ?? "?").padding(toLength: 18, withPad: " ", startingAt: 0)
                print("\(item["height"] ?? "?")\t\(kind) \(signer)\t\(item["cid"] ?? "?")")
            }
            if let next = object["next"] { Terminal.printError("more: --before \(next)") }
        }
    }

    struct Stake: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Lock tokens as stake (a node needs it to register).")
        @Option(help: "Amount in base units.") var amount: UInt64
        @OptionGroup var signing: SigningOptions

        func run() async throws { try await signing.submit("stake", [("amount", .integer(Int128(amount)))]) }
    }

    struct Unstake: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Start returning stake to the balance; it arrives after the unbonding delay.")
        @Option(help: "Amount in base units.") var amount: UInt64
        @OptionGroup var signing: SigningOptions

        func run() async throws { try await signing.submit("unstake", [("amount", .integer(Int128(amount)))]) }
    }

    struct Send: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Transfer tokens; prints the transaction's CID.")
        @Option(help: "The paying key's name.") var key: String
        @Option(help: "The recipient: an address or a key name.") var to: String
        @Option(help: "Amount in base units.") var amount: UInt64
        @Option(help: "Fee in base units.") var fee: UInt64 = 1
        @Flag(help: "Wait until a block includes it.") var wait = false
        @OptionGroup var passphrase: PassphraseOptions
        @OptionGroup var repository: RepositoryOptions

        func run() async throws {
            let recipient = try resolve(to, repository: repository)
            try await submitTransaction(
                kind: "transfer", payload: [("amount", .integer(Int128(amount))), ("to", .bytes(recipient.bytes))],
                key: key, fee: fee, wait: wait, passphrase: passphrase, repository: repository)
        }
    }
}

/// Signs `kind` with `payload` by the key `key` at its next nonce, submits it to the daemon,
/// prints its CID, and with `wait` waits until a block includes it.
func submitTransaction(
    kind: String, payload: [(String, IPLDValue)], key: String, fee: UInt64, wait: Bool,
    passphrase: PassphraseOptions, repository: RepositoryOptions
) async throws {
    let daemon = try requireDaemon(repository)
    let signer = try KeyStore(repository: repository.path).open(
        key, passphrase: try passphrase.read(prompt: "Passphrase for \(key): "))
    let status = try await daemon.json("GET", "/api/v1/ledger/status") as? [String: String] ?? [:]
    let from = Address(publicKey: signer.publicKey)
    let account = try await daemon.json("GET", "/api/v1/ledger/accounts/\(from)") as? [String: Any] ?? [:]
    let nonce = UInt64(account["nonce"] as? Int ?? 0) + 1
    let transaction = try Transaction(
        chain: status["chain"] ?? "", nonce: nonce, fee: fee, kind: kind, payload: IPLDMap(payload), signedBy: signer)
    let answer = try await daemon.send(
        "POST", "/api/v1/ledger/transactions", headers: [("Content-Type", "application/vnd.ipld.dag-cbor")],
        body: Data(transaction.encoded))
    try answer.check()
    print(transaction.cid)
    guard wait else { return }
    func included() async throws -> Bool {
        let found = try await daemon.send("GET", "/api/v1/ledger/transactions/\(transaction.cid)")
        if found.status == 422 { try found.check() }  // a rule refused it when its block was built
        guard found.status == 200 else { return false }
        let object = try JSONSerialization.jsonObject(with: found.body) as? [String: Any] ?? [:]
        Terminal.printError("included at height \(object["height"] ?? "?")")
        return true
    }
    for _ in 0..<600 {
        if try await included() { return }
        let now = try await daemon.json("GET", "/api/v1/ledger/accounts/\(from)") as? [String: Any] ?? [:]
        if UInt64(now["nonce"] as? Int ?? 0) >= nonce {
            // The nonce moved on: either this transaction's block landed since the lookup above,
            // or another transaction took the nonce and this one was dropped.
            if try await included() { return }
            throw CommandFailure("nonce \(nonce) was used by another transaction; this one was dropped")
        }
        try await Task.sleep(for: .milliseconds(100))
    }
    throw CommandFailure("not included within a minute; it may still be pending")
}

/// `cairn chain status|block|tx`: the node's chain.
struct ChainCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "chain", abstract: "The ledger's chain (through the daemon).",
        subcommands: [Status.self, BlockAt.self, TransactionByCID.self])

    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Chain id, height, head and state root.")
        @OptionGroup var repository: RepositoryOptions

        func run() async throws {
            let status =
                try await requireDaemon(repository).json("GET", "/api/v1/ledger/status") as? [String: String] ?? [:]
            for key in ["chain", "height", "head", "stateRoot", "genesis", "pending"] where status[key] != nil {
                print("\(key.padding(toLength: 10, withPad: " ", startingAt: 0)) \(status[key]!)")
            }
        }
    }

    struct BlockAt: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "block", abstract: "A block by height or header CID, as JSON.")
        @Argument(help: "A height (1, 2, …) or a block header's CID.") var block: String
        @OptionGroup var repository: RepositoryOptions

        func run() async throws {
            let answer = try await requireDaemon(repository).json(
                "GET", "/api/v1/ledger/blocks/\(NodeClient.encode(block))")
            print(try JSONHelpers.string(jsonObject: answer))
        }
    }

    struct TransactionByCID: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "tx", abstract: "An included transaction with its block and inclusion proof, as JSON.")
        @Argument(help: "The transaction's CID (as `wallet send` printed it).") var cid: String
        @OptionGroup var repository: RepositoryOptions

        func run() async throws {
            let transaction = try parseCID(cid)
            let answer = try await requireDaemon(repository).json("GET", "/api/v1/ledger/transactions/\(transaction)")
            print(try JSONHelpers.string(jsonObject: answer))
        }
    }
}

func requireDaemon(_ repository: RepositoryOptions) throws -> NodeClient {
    guard let daemon = repository.daemon else {
        throw CommandFailure("no daemon holds \(repository.path): start one with `cairn daemon`")
    }
    return daemon
}

/// An address, or the address of a key with that name.
func resolve(_ account: String, repository: RepositoryOptions) throws -> Address {
    if account.hasPrefix("z") || account.hasPrefix("did:key:"), let address = try? Address(account) { return address }
    return try Address(try KeyStore(repository: repository.path).file(account).address)
}
