import ArgumentParser
import Foundation
import LocalStore
import Multiformats
import UnixFS

/// `cairn cat`: a file's bytes to standard output.
struct CatCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cat",
        abstract: "Print a file's content (CID or CID/path), verified block by block."
    )

    @Argument(help: "CID[/path], /ipfs/CID[/path] or ipfs://CID[/path].")
    var content: ContentPath

    @Option(help: "Start at this byte.")
    var offset: UInt64 = 0

    @Option(help: "Print at most this many bytes.")
    var length: UInt64?

    @OptionGroup var repository: RepositoryOptions

    func run() async throws {
        if let daemon = repository.daemon { return try await runThroughDaemon(daemon) }
        let repo = try repository.open()
        let reader = UnixFSReader(source: repo.blocks)
        let cid = try reader.resolve(content.root, path: content.path)
        let size = try reader.node(cid).size
        let start = min(offset, size)
        let end = length.map { min(size, start + $0) } ?? size
        try reader.read(cid, range: start..<end) { try Terminal.writeOut($0) }
    }
}

/// `cairn get`: a file or folder written to disk.
struct GetCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "get",
        abstract: "Write a file or folder (CID or CID/path) to disk."
    )

    @Argument(help: "CID[/path].")
    var content: ContentPath

    @Option(name: [.customShort("o"), .long], help: "Where to write it (default: ./<CID>). Must not exist.")
    var output: String?

    @OptionGroup var repository: RepositoryOptions

    func run() async throws {
        if let daemon = repository.daemon { return try await runThroughDaemon(daemon) }
        let repo = try repository.open()
        let exporter = FileSystemExporter(source: repo.blocks)
        let cid = try exporter.reader.resolve(content.root, path: content.path)
        let target = output ?? cid.description
        try exporter.write(cid, to: target)
        print("wrote \(content) to \(target)")
    }
}

/// `cairn ls`: a folder's entries.
struct LsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ls",
        abstract: "List a folder's entries: CID, size and name."
    )

    @Argument(help: "CID[/path] of a folder.")
    var content: ContentPath

    @OptionGroup var output: OutputOptions
    @OptionGroup var repository: RepositoryOptions

    func run() async throws {
        if let daemon = repository.daemon { return try await runThroughDaemon(daemon) }
        let repo = try repository.open()
        let reader = UnixFSReader(source: repo.blocks)
        let cid = try reader.resolve(content.root, path: content.path)
        var rows: [[String: String]] = []
        for entry in try reader.list(cid) {
            let node = try? reader.node(entry.cid)
            let isDirectory = node.map { $0.kind == .directory || $0.kind == .shardedDirectory } ?? false
            let size = node.map { isDirectory ? "-" : String($0.size) } ?? "?"
            rows.append(["cid": entry.cid.description, "name": entry.name + (isDirectory ? "/" : ""), "size": size])
        }
        print(rows: rows)
    }
}
