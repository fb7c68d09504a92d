import ArgumentParser
import CairnClient
import Credentials
import Crypto
import Foundation
import IPLD
import JCS
import Ledger
import Multiformats

/// Options every signed ledger command takes.
struct SigningOptions: ParsableArguments {
    @Option(help: "The signing key's name (cairn key ls).") var key: String
    @Option(help: "Fee in base units.") var fee: UInt64 = 1
    @Flag(help: "Wait until a block includes it.") var wait = false
    @OptionGroup var passphrase: PassphraseOptions
    @OptionGroup var repository: RepositoryOptions

    func submit(_ kind: String, _ payload: [(String, IPLDValue)]) async throws {
        try await submitTransaction(
            kind: kind, payload: payload, key: key, fee: fee, wait: wait, passphrase: passphrase, repository: repository
        )
    }
}

/// `cairn nft …`: collections and tokens on the ledger, with royalties by rule.
struct NFTCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "nft", abstract: "NFT collections and tokens on the ledger (through the daemon).",
        subcommands: [CreateCollection.self, Mint.self, Transfer.self, List.self, Buy.self, Freeze.self, Show.self])

    struct CreateCollection: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "create-collection", abstract: "Create a collection with a royalty (basis points).")
        @Argument var id: String
        @Option var name: String
        @Option var symbol: String
        @Option(help: "Royalty in basis points (250 = 2.5%).") var royalty: UInt64 = 0
        @Option(help: "Who receives royalties: an address or a key name (default: the signer).") var recipient: String?
        @OptionGroup var signing: SigningOptions

        func run() async throws {
            let recipientAddress = try resolve(recipient ?? signing.key, repository: signing.repository)
            try await signing.submit(
                "create-collection",
                [
                    ("id", .string(id)), ("name", .string(name)), ("royalty", .integer(Int128(royalty))),
                    ("royalty-recipient", .bytes(recipientAddress.bytes)), ("symbol", .string(symbol)),
                ])
        }
    }

    struct Mint: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Mint a token whose metadata is a CID.")
        @Argument var collection: String
        @Argument var token: String
        @Option(help: "The metadata's CID (ipfs://CID accepted).") var metadata: String
        @OptionGroup var signing: SigningOptions

        func run() async throws {
            try await signing.submit(
                "mint",
                [
                    ("collection", .string(collection)), ("metadata", .link(try parseCID(metadata))),
                    ("token", .string(token)),
                ])
        }
    }

    struct Transfer: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Give a token to another account.")
        @Argument var collection: String
        @Argument var token: String
        @Option(help: "An address or a key name.") var to: String
        @OptionGroup var signing: SigningOptions

        func run() async throws {
            let recipient = try resolve(to, repository: signing.repository)
            try await signing.submit(
                "transfer-token",
                [("collection", .string(collection)), ("to", .bytes(recipient.bytes)), ("token", .string(token))])
        }
    }

    /// A token and a price: what listing and buying both name.
    struct TokenAtPrice: ParsableArguments {
        @Argument var collection: String
        @Argument var token: String
        @Option var price: UInt64

        var payload: [(String, IPLDValue)] {
            [("collection", .string(collection)), ("price", .integer(Int128(price))), ("token", .string(token))]
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "Offer a token for sale.")
        @OptionGroup var offer: TokenAtPrice
        @OptionGroup var signing: SigningOptions

        func run() async throws { try await signing.submit("list", offer.payload) }
    }

    struct Buy: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Buy a listed token at its asking price (the royalty is paid by rule).")
        @OptionGroup var offer: TokenAtPrice
        @OptionGroup var signing: SigningOptions

        func run() async throws { try await signing.submit("buy", offer.payload) }
    }

    struct Freeze: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Freeze a token's metadata for good.")
        @Argument var collection: String
        @Argument var token: String
        @OptionGroup var signing: SigningOptions

        func run() async throws {
            try await signing.submit(
                "freeze-metadata", [("collection", .string(collection)), ("token", .string(token))])
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "A token's owner, metadata, freeze and price.")
        @Argument var collection: String
        @Argument var token: String
        @OptionGroup var repository: RepositoryOptions

        func run() async throws {
            let path = "/api/v1/ledger/tokens/\(NodeClient.encode(collection))/\(NodeClient.encode(token))"
            print(try JSONHelpers.string(jsonObject: try await requireDaemon(repository).json("GET", path)))
        }
    }
}

/// `cairn cred anchor|status`: credential hashes anchored on the ledger.
struct CredentialCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cred",
        abstract: "Issue, verify, revoke and anchor W3C Verifiable Credentials (through the daemon).",
        subcommands: [
            Issue.self, Verify.self, Bundle.self, Revoke.self, Suspend.self, Show.self, Anchor.self, Status.self,
            PublishStatusList.self,
        ])

    struct Anchor: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Anchor a credential: a JSON file (the SHA-256 of its JCS form), another file, or a 64-hex-digit hash.")
        @Argument var credential: String
        @Option(help: "The issuer's DID (default: the signer's did:key).") var issuer: String?
        @OptionGroup var signing: SigningOptions

        func run() async throws {
            let hash = try credentialHash(credential)
            let signer = try resolve(signing.key, repository: signing.repository)
            try await signing.submit(
                "anchor-credential", [("hash", .bytes(hash)), ("issuer", .string(issuer ?? signer.did))])
        }
    }

    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Whether a credential (file or hash) is anchored.")
        @Argument var credential: String
        @OptionGroup var repository: RepositoryOptions

        func run() async throws {
            let hex = Multibase.base16.encodeWithoutPrefix(try credentialHash(credential))
            print(
                try JSONHelpers.string(
                    jsonObject: try await requireDaemon(repository).json("GET", "/api/v1/ledger/credentials/\(hex)")))
        }
    }
}

extension CredentialCommand {
    struct PublishStatusList: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "status-list",
            abstract: "Point a status list's stable id at its latest version (the first to set an id owns it).")
        @Argument(help: "The list's stable id, e.g. the status-list credential's URL.") var list: String
        @Argument(help: "The CID of its latest status-list credential.") var latest: String
        @OptionGroup var signing: SigningOptions

        func run() async throws {
            try await signing.submit(
                "update-status-list", [("latest", .link(try parseCID(latest))), ("list", .string(list))])
        }
    }
}

/// A 64-hex-digit hash as given, else the SHA-256 of the file at that path.
func credentialHash(_ argument: String) throws -> [UInt8] {
    if argument.count == 64, let bytes = try? Multibase.base16.decodeWithoutPrefix(argument.lowercased()) {
        return bytes
    }
    guard let data = FileManager.default.contents(atPath: argument) else {
        throw CommandFailure("\(argument) is neither a 64-hex-digit hash nor a readable file")
    }
    // A JSON credential is anchored by the hash of its canonical form, so any copy of it,
    // however laid out, finds the anchor; other files by the hash of their bytes.
    if case .object(let credential)? = try? JSONParser.parse(Array(data)) {
        return try CredentialVerifier.anchorHash(credential)
    }
    return Array(SHA256.hash(data: data))
}

func parseCID(_ text: String) throws -> CID {
    var body = Substring(text)
    if body.hasPrefix("ipfs://") { body = body.dropFirst("ipfs://".count) }
    return try CID(body)
}
