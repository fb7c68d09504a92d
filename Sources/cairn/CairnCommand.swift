import ArgumentParser

/// `cairn`: the command-line program. Thin: every verb parses its arguments, calls a library and
/// prints the result. Exit status: 0 on success, 1 when the operation fails, 64 for a usage error.
@main
struct CairnCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cairn",
        abstract: "Content-addressed, decentralized storage and credentials.",
        discussion: """
            Cairn addresses everything by hash. `cairn add FILE` stores a file and prints its CID \
            (the one kubo prints); `cairn cat CID` gives it back. Content lives in a local \
            repository (--repo, $CAIRN_REPO, or ~/.cairn).
            """,
        version: "0.1.0",
        subcommands: [
            AddCommand.self, CatCommand.self, GetCommand.self, LsCommand.self, PinCommand.self, GCCommand.self,
            CARCommand.self, RepoCommand.self, CIDCommand.self, ShardCommand.self, InitCommand.self,
            DaemonCommand.self, TokenCommand.self, KeyCommand.self, WalletCommand.self, ChainCommand.self,
            NFTCommand.self, CredentialCommand.self, ProviderCommand.self, DealCommand.self,
        ]
    )
}
