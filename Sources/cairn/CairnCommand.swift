import ArgumentParser

/// `cairn`: the command-line program. Thin: every verb parses its arguments, calls a library and
/// prints the result. Exit status: 0 on success, 1 when the operation fails, 64 for a usage error.
@main
struct CairnCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cairn",
        abstract: "Content-addressed, decentralized storage and credentials.",
        discussion: """
            Cairn addresses everything by hash. Start with `cairn cid inspect <cid>` to take a \
            CID apart, or `cairn cid hash <file>` to compute one.
            """,
        version: "0.1.0",
        subcommands: [CIDCommand.self]
    )
}
