import Foundation
import IPLD
import Multiformats
public import UnixFS

/// Adds files and folders from the file system as UnixFS, the way `ipfs add` does.
///
/// Files are streamed through a ``FileBuilder`` in 1 MiB reads, so memory stays bounded
/// whatever their size; blocks go to a ``BlockWriter`` (or nowhere, when only hashing). Folders
/// need `recursive`; hidden entries (names starting with ".") are skipped unless `hidden`, as
/// kubo skips them; symbolic links are added as UnixFS symlinks, not followed; other special
/// files are refused.
public final class FileSystemImporter {
    public struct Options: Sendable {
        public var profile: ImportProfile
        public var recursive: Bool
        public var hidden: Bool

        public init(profile: ImportProfile = .kuboCIDv1, recursive: Bool = false, hidden: Bool = false) {
            self.profile = profile
            self.recursive = recursive
            self.hidden = hidden
        }
    }

    /// One file, link or folder added, in the order kubo reports them (children first).
    public struct Item: Sendable, Hashable {
        /// The path as given, with the relative part below it.
        public let path: String
        public let entry: UnixFSEntry
        public let isDirectory: Bool
    }

    public let options: Options
    private let writer: BlockWriter?
    /// Bytes of file content read so far, for progress reports.
    public private(set) var bytesRead: UInt64 = 0
    private let progress: (UInt64) -> Void

    /// - Parameters:
    ///   - writer: where blocks go; nil to compute CIDs only (`--only-hash`).
    ///   - progress: called with the running total of bytes read, after each read.
    public init(options: Options, writer: BlockWriter?, progress: @escaping (UInt64) -> Void = { _ in }) {
        self.options = options
        self.writer = writer
        self.progress = progress
    }

    /// The bytes of content under `path` (what a progress bar runs up to).
    public static func contentSize(of path: String, options: Options) -> UInt64 {
        let manager = FileManager.default
        guard let attributes = try? manager.attributesOfItem(atPath: path) else { return 0 }
        if attributes[.type] as? FileAttributeType == .typeDirectory {
            guard options.recursive, let names = try? manager.contentsOfDirectory(atPath: path) else { return 0 }
            return names.filter { options.hidden || !$0.hasPrefix(".") }.reduce(0) {
                $0 + contentSize(of: path + "/" + $1, options: options)
            }
        }
        return (attributes[.size] as? NSNumber)?.uint64Value ?? 0
    }

    /// Adds `path`, reporting each item added through `report`, and returns its root.
    public func add(_ path: String, report: (Item) throws -> Void = { _ in }) throws -> UnixFSEntry {
        let attributes: [FileAttributeKey: Any]
        do {
            attributes = try FileManager.default.attributesOfItem(atPath: path)
        } catch {
            throw StoreError(.notFound, "cannot read \(path): no such file or folder")
        }
        switch attributes[.type] as? FileAttributeType {
        case .typeRegular?:
            let entry = try addFile(path)
            try report(Item(path: path, entry: entry, isDirectory: false))
            return entry
        case .typeSymbolicLink?:
            let target = try FileManager.default.destinationOfSymbolicLink(atPath: path)
            let entry = try SymlinkBuilder.build(target: target, profile: options.profile, to: sink)
            try report(Item(path: path, entry: entry, isDirectory: false))
            return entry
        case .typeDirectory?:
            guard options.recursive else {
                throw StoreError(.invalidArgument, "\(path) is a folder: add it with -r")
            }
            var directory = DirectoryBuilder(profile: options.profile)
            let names = try FileManager.default.contentsOfDirectory(atPath: path)
                .filter { options.hidden || !$0.hasPrefix(".") }
                .sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
            for name in names {
                let child = try add(path + "/" + name, report: report)
                do {
                    try directory.add(name: name, entry: child)
                } catch {
                    throw StoreError(.invalidArgument, "\(path)/\(name): \(error.message)")
                }
            }
            let entry = try directory.finish(to: sink)
            try report(Item(path: path, entry: entry, isDirectory: true))
            return entry
        default:
            throw StoreError(.invalidArgument, "\(path) is not a file, folder or symbolic link")
        }
    }

    /// Adds bytes read from standard input or any file path as a single file.
    public func addFile(_ path: String) throws -> UnixFSEntry {
        let builder = FileBuilder(profile: options.profile)
        try FileReader.read(path: path) { chunk in
            try builder.append(chunk, to: sink)
            bytesRead += UInt64(chunk.count)
            progress(bytesRead)
        }
        return try builder.finish(to: sink)
    }

    private var sink: FileBuilder.Sink<StoreError> {
        { [writer] (cid, bytes) throws(StoreError) in try writer?.add(cid, bytes) }
    }
}
