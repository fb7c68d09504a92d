import ArgumentParser
import CAR
import CairnClient
import Foundation
import LocalStore
import Multiformats

/// `cairn gc`: remove what no pin keeps.
struct GCCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "gc", abstract: "Remove every block no pin reaches.")

    @OptionGroup var output: OutputOptions
    @OptionGroup var repository: RepositoryOptions

    func run() async throws {
        if let daemon = repository.daemon { return try await runThroughDaemon(daemon) }
        let repo = try repository.open()
        let report = try GarbageCollector.collect(store: repo.blocks, pins: repo.pins)
        if output.json {
            print(try JSONHelpers.string(report))
        } else {
            print(
                "removed \(report.removedBlocks) blocks (\(Terminal.size(report.removedBytes))), kept \(report.keptBlocks)"
            )
        }
    }
}

/// `cairn car export|import`.
struct CARCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "car",
        abstract: "Export a DAG as a CAR, or import CARs.",
        subcommands: [Export.self, Import.self]
    )

    struct Export: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write the DAG under a CID as a CARv1 (depth first, root first, each block once)."
        )

        @Argument(help: "The root CID.")
        var cid: String

        @Option(name: [.customShort("o"), .long], help: "The file to write (default: standard output).")
        var output: String?

        @OptionGroup var repository: RepositoryOptions

        func run() async throws {
            if let daemon = repository.daemon { return try await runThroughDaemon(daemon) }
            let repo = try repository.open()
            let root = try CID(cid)
            if let output {
                let file = try PartialFile(path: output)
                do {
                    let count = try CARWriter.export(root: root, from: repo.blocks) { try file.write($0) }
                    try file.commit()
                    Terminal.printError("exported \(count) blocks to \(output)")
                } catch {
                    file.discard()
                    throw error
                }
            } else {
                try CARWriter.export(root: root, from: repo.blocks) { bytes in
                    try bytes.withUnsafeBytes { try Terminal.writeOut($0) }
                }
            }
        }
    }

    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Import CARs (v1 or v2): every block checked, every root's DAG complete, roots pinned; all or nothing."
        )

        @Argument(help: "CAR files (- for standard input).")
        var files: [String]

        @Flag(inversion: .prefixedNo, help: "Pin the roots.")
        var pin = true

        @OptionGroup var repository: RepositoryOptions

        func run() async throws {
            if let daemon = repository.daemon { return try await runThroughDaemon(daemon) }
            let repo = try repository.open(create: true)
            for file in files {
                let result = try CARImporter.importCAR(try FileInput(path: file), into: repo, pin: pin)
                for root in result.roots { print("imported \(root) (\(result.blocks) blocks from \(file))") }
            }
        }
    }
}

/// `cairn repo stat|verify`.
struct RepoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "repo",
        abstract: "Inspect and check the repository.",
        subcommands: [Stat.self, Verify.self]
    )

    struct Stat: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Blocks, sizes, pins and limits.")

        @OptionGroup var output: OutputOptions
        @OptionGroup var repository: RepositoryOptions

        func run() async throws {
            if let daemon = repository.daemon { return try await runThroughDaemon(daemon) }
            let repo = try repository.open()
            let stats = repo.blocks.statistics
            let pins = try repo.pins.list().count
            if output.json {
                var object: [String: Any] = [
                    "path": repo.path, "blocks": stats.blocks, "raw_bytes": stats.rawBytes,
                    "stored_bytes": stats.storedBytes, "segments": stats.segments, "disk_bytes": stats.diskBytes,
                    "pins": pins,
                ]
                if let limit = stats.storageLimit { object["storage_limit"] = limit }
                print(try JSONHelpers.string(jsonObject: object))
            } else {
                print("repository   \(repo.path)")
                print("blocks       \(stats.blocks)")
                print("content      \(Terminal.size(stats.rawBytes))")
                print("stored       \(Terminal.size(stats.storedBytes)) (after compression)")
                print("on disk      \(Terminal.size(stats.diskBytes)) in \(stats.segments) segment(s)")
                print("limit        \(stats.storageLimit.map(Terminal.size) ?? "none")")
                print("pins         \(pins)")
            }
        }
    }

    struct Verify: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Read every block and check it against its hash; exit 1 if any is corrupt."
        )

        @OptionGroup var output: OutputOptions
        @OptionGroup var repository: RepositoryOptions

        func run() throws {
            if let daemon = DaemonEndpoint.running(repository: repository.path) {
                throw CommandFailure("the daemon at \(daemon.url) holds the repository: stop it, then verify")
            }
            let repo = try repository.open()
            let report = try RepositoryVerifier.verify(repo.blocks)
            if output.json {
                print(
                    try JSONHelpers.string(
                        jsonObject: ["checked": report.checked, "corrupt": report.corrupt] as [String: Any]))
            } else {
                for problem in report.corrupt { print("corrupt: \(problem)") }
                print("checked \(report.checked) blocks, \(report.corrupt.count) corrupt")
            }
            if !report.corrupt.isEmpty { throw ExitCode.failure }
        }
    }
}
