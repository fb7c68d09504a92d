import ArgumentParser
import Foundation
import LocalStore
import Multiformats

/// `cairn pin add|rm|ls`.
struct PinCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pin",
        abstract: "Keep content from garbage collection.",
        subcommands: [Add.self, Remove.self, List.self, RemotePinCommand.self]
    )

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Pin a CID (recursively unless --direct).")

        @Argument(help: "The CID to pin.")
        var cid: String

        @Option(help: "A name for the pin.")
        var name: String?

        @Flag(help: "Pin only this block, not what it links to.")
        var direct = false

        @OptionGroup var repository: RepositoryOptions

        func run() async throws {
            if let daemon = repository.daemon { return try await runThroughDaemon(daemon) }
            let repo = try repository.open()
            let pin = try repo.pins.add(try CID(cid), kind: direct ? .direct : .recursive, name: name)
            print("pinned \(pin.cid) \(pin.kind.rawValue)")
        }
    }

    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "rm", abstract: "Unpin a CID.")

        @Argument(help: "The CID to unpin.")
        var cid: String

        @OptionGroup var repository: RepositoryOptions

        func run() async throws {
            if let daemon = repository.daemon { return try await runThroughDaemon(daemon) }
            let repo = try repository.open()
            try repo.pins.remove(try CID(cid))
            print("unpinned \(cid)")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "ls", abstract: "List pins.")

        @OptionGroup var output: OutputOptions
        @OptionGroup var repository: RepositoryOptions

        func run() async throws {
            if let daemon = repository.daemon { return try await runThroughDaemon(daemon) }
            let repo = try repository.open()
            let pins = try repo.pins.list()
            if output.json {
                let rows: [[String: Any]] = pins.map { pin in
                    var row: [String: Any] = [
                        "cid": pin.cid.description, "type": pin.kind.rawValue, "created": pin.created,
                    ]
                    if let name = pin.name { row["name"] = name }
                    return row
                }
                print(try JSONHelpers.string(jsonObject: rows))
            } else {
                for pin in pins { print("\(pin.cid) \(pin.kind.rawValue)\(pin.name.map { " \($0)" } ?? "")") }
            }
        }
    }
}
