import ArgumentParser
import IPLD
import Ledger
import Multiformats

/// `cairn provider register`: a storage node announces itself on the ledger (behind a stake).
struct ProviderCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "provider", abstract: "Storage providers on the ledger (through the daemon).",
        subcommands: [Register.self])

    struct Register: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Register the signing key's account as a storage node (it needs the minimum stake).")
        @Option(help: "Where peers reach the node, e.g. http://203.0.113.5:8080.") var endpoint: String
        @Option(help: "Bytes it offers.") var capacity: UInt64
        @Option(help: "Its region, e.g. eu-west.") var region: String
        @Option(help: "Who operates it: an address or a key name (default: the signer).") var `operator`: String?
        @OptionGroup var signing: SigningOptions

        func run() async throws {
            let operatorAddress = try resolve(`operator` ?? signing.key, repository: signing.repository)
            try await signing.submit(
                "register-node",
                [
                    ("capacity", .integer(Int128(capacity))), ("endpoint", .string(endpoint)),
                    ("operator", .bytes(operatorAddress.bytes)), ("region", .string(region)),
                ])
        }
    }
}

/// `cairn deal create`: a client escrows payment for storing a content root.
struct DealCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "deal", abstract: "Storage deals on the ledger (through the daemon).",
        subcommands: [Create.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Open a deal: price × bytes × epochs is locked from the signer's balance as escrow.")
        @Argument(help: "The content root's CID.") var root: String
        @Option(name: .customLong("manifest"), help: "A segment manifest's CID (repeat for each).")
        var manifests: [String] = []
        @Option(help: "Price per byte per epoch, in base units.") var price: UInt64
        @Option(help: "Bytes stored.") var bytes: UInt64
        @Option(help: "How many epochs.") var epochs: UInt64
        @OptionGroup var signing: SigningOptions

        func run() async throws {
            try await signing.submit(
                "storage-deal",
                [
                    ("bytes", .integer(Int128(bytes))), ("epochs", .integer(Int128(epochs))),
                    ("manifests", .list(try manifests.map { .link(try parseCID($0)) })),
                    ("price", .integer(Int128(price))), ("root", .link(try parseCID(root))),
                ])
        }
    }
}
