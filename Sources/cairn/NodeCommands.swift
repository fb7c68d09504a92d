import ArgumentParser
import CairnClient
import CairnNode
import Foundation
import Ledger
import LocalStore
import Logging
import Multiformats
import SodiumKit

/// `cairn init`: a repository, a node identity, and `node.json` with every default written out.
struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init", abstract: "Create a repository with a node identity and a node.json.")

    @Option(help: "host:port the daemon listens on (written to node.json).")
    var listen: String?

    @Option(
        help: ArgumentHelp(
            "A genesis JSON file for the node's chain (default: a new devnet with a faucet).",
            discussion: "Leave out its validators: the node made here is the chain's one validator."))
    var genesis: String?

    @OptionGroup var repository: RepositoryOptions

    func run() throws {
        let path = repository.path
        if FileManager.default.fileExists(atPath: path + "/" + NodeIdentity.fileName) {
            throw CommandFailure("\(path) already holds a node (identity.key exists)")
        }
        if let genesis {
            // Checked before anything is created, so a bad file leaves no half-made repository.
            let placeholder = Address(publicKey: Ed25519.PrivateKey().publicKey)
            guard try GenesisFile.load(path: genesis, defaultValidator: placeholder).validators == [placeholder] else {
                throw CommandFailure(
                    "\(genesis) names validators; leave them out so this new node is the chain's validator")
            }
        }
        let repo = try Repository(path: path, create: true)
        var configuration = try NodeConfiguration.load(repository: path)
        if let listen { configuration.listen = listen }
        try configuration.validate(source: "--listen")
        try configuration.write(repository: path)
        let identity = try NodeIdentity.create(repository: path)
        let chain = try LedgerEngine.installGenesis(repository: repo, identity: identity, file: genesis)
        print("initialized \(path)")
        print("peer id \(identity.peerID)")
        print("chain \(chain.parameters.chain) (genesis \(chain.cid))")
        if genesis == nil { print("faucet key in \(path)/faucet.key (import it with `cairn key import`)") }
        print("settings in \(path)/\(NodeConfiguration.fileName); start the node with `cairn daemon`")
    }
}

/// `cairn daemon`: runs the node until SIGTERM or SIGINT.
struct DaemonCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "daemon",
        abstract: "Run the node: gateway, Pinning Service API, uploads, metrics.",
        discussion: """
            Creates the repository and identity with embedded defaults when there are none. While \
            it runs, <repo>/api.json tells other cairn commands where it is, and they use it \
            instead of opening the repository. SIGTERM or SIGINT stops it gracefully.
            """
    )

    @Option(help: "host:port to listen on (overrides node.json; port 0 picks a free one).")
    var listen: String?

    @OptionGroup var repository: RepositoryOptions

    func run() async throws {
        let path = repository.path
        let repo = try Repository(path: path, create: true)
        var configuration = try NodeConfiguration.load(repository: path)
        if let listen {
            configuration.listen = listen
            try configuration.validate(source: "--listen")
        }
        let identity = try NodeIdentity.loadOrCreate(repository: path)
        let level = Logger.Level(rawValue: configuration.logLevel) ?? .info
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        let logger = Logger(label: "cairn")
        let token = "cairn_" + Multibase.base32.encodeWithoutPrefix(SecureRandom.bytes(count: 32))
        let apiFile = DaemonEndpoint.path(repository: path)
        defer { try? FileManager.default.removeItem(atPath: apiFile) }
        try await NodeApplication.run(
            repository: repo, identity: identity, configuration: configuration, localToken: token, logger: logger
        ) { url in
            do {
                try DaemonEndpoint(url: url, token: token, pid: ProcessInfo.processInfo.processIdentifier)
                    .write(to: apiFile)
            } catch {
                logger.error("cannot write \(apiFile): \(error)")
            }
            let banner = """
                Cairn node \(identity.peerID) ready
                  gateway   \(url)/ipfs/<cid>
                  pinning   \(url)/pins   (tokens: cairn token create NAME)
                  uploads   \(url)/api/v1/add
                  metrics   \(url)/metrics

                """
            FileHandle.standardOutput.write(Data(banner.utf8))
        }
        logger.info("node stopped")
    }
}

/// `cairn token create|revoke|ls`: Bearer tokens for the Pinning Service API and uploads.
struct TokenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token", abstract: "Manage access tokens for the node's APIs.",
        subcommands: [Create.self, Revoke.self, List.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Make a token and print it (it is shown once; only its hash is kept).")

        @Argument(help: "A name to recognise the token by (a device, an app).")
        var name: String

        @OptionGroup var output: OutputOptions
        @OptionGroup var repository: RepositoryOptions

        func run() async throws {
            if let daemon = repository.daemon { return try await runThroughDaemon(daemon) }
            let repo = try repository.open()
            let (token, record) = try AccessTokenStore(repository: repo).create(name: name)
            if output.json {
                print(try JSONHelpers.string(jsonObject: ["token": token, "id": record.id, "name": record.name]))
            } else {
                print(token)
                Terminal.printError("token \(record.id) \"\(record.name)\" created; it will not be shown again")
            }
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke a token by id or name.")

        @Argument(help: "The token's id (from `cairn token ls`) or its name.")
        var token: String

        @OptionGroup var repository: RepositoryOptions

        func run() async throws {
            if let daemon = repository.daemon { return try await runThroughDaemon(daemon) }
            let repo = try repository.open()
            let record = try AccessTokenStore(repository: repo).revoke(token)
            print("revoked \(record.id) \"\(record.name)\"")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "ls", abstract: "List tokens (never the secrets).")

        @OptionGroup var output: OutputOptions
        @OptionGroup var repository: RepositoryOptions

        func run() async throws {
            if let daemon = repository.daemon { return try await runThroughDaemon(daemon) }
            let repo = try repository.open()
            let records = try AccessTokenStore(repository: repo).list()
            let formatter = ISO8601DateFormatter()
            if output.json {
                print(
                    try JSONHelpers.string(
                        jsonObject: records.map {
                            ["id": $0.id, "name": $0.name, "created": formatter.string(from: $0.created)]
                        }))
            } else {
                for record in records {
                    print("\(record.id)  \(formatter.string(from: record.created))  \(record.name)")
                }
            }
        }
    }
}
