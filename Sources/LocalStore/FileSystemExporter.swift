import Foundation
public import IPLD
public import Multiformats
public import UnixFS

/// Writes UnixFS content from the store to the file system (`cairn get`).
///
/// The DAG is untrusted input: every name is checked before it becomes a path (no `/`, `..`,
/// NUL or empty names), so content cannot write outside the target folder. Files are streamed;
/// symlinks are recreated as links, never followed.
public struct FileSystemExporter<Source: BlockSource> {
    public let reader: UnixFSReader<Source>

    public init(source: Source) {
        self.reader = UnixFSReader(source: source)
    }

    /// Writes `cid` at `path`, which must not exist yet.
    public func write(_ cid: CID, to path: String) throws {
        guard !FileManager.default.fileExists(atPath: path) else {
            throw StoreError(.invalidArgument, "\(path) already exists")
        }
        try write(cid, at: path, depth: 0)
    }

    private func write(_ cid: CID, at path: String, depth: Int) throws {
        guard depth < 256 else { throw UnixFSError(.invalidNode, "folders nested deeper than 256") }
        let node = try reader.node(cid)
        switch node.kind {
        case .file:
            guard FileManager.default.createFile(atPath: path, contents: nil) else {
                throw StoreError(.ioError, "cannot create \(path)")
            }
            let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
            defer { try? handle.close() }
            try reader.read(cid) { try handle.write(contentsOf: Data($0)) }
        case .directory, .shardedDirectory:
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false)
            for entry in try reader.list(cid) {
                try DirectoryBuilder.validate(name: entry.name)
                try write(entry.cid, at: path + "/" + entry.name, depth: depth + 1)
            }
        case .symlink(let target):
            try FileManager.default.createSymbolicLink(atPath: path, withDestinationPath: target)
        }
    }
}
