import Foundation
import LocalStore
import Multiformats
import NIOCore
import UnixFS

/// One upload being turned into UnixFS: file bytes pushed in pieces, a folder tree gathered from
/// multipart parts, blocks going to one ``BlockWriter``, then published and pinned all at once.
///
/// Nothing is visible until ``finish(pin:name:)``: an upload that fails or is cut off is
/// aborted, and the writer's rollback removes every block it flushed (unless another upload or
/// pin relies on it). Used by one request at a time, each step awaited before the next starts —
/// hence `@unchecked Sendable`: the steps hop between thread-pool threads, never overlap.
final class UploadSession: @unchecked Sendable {
    /// One file or folder of the upload, for the response.
    struct Item: Encodable, Sendable {
        let path: String
        let cid: String
        let size: UInt64
    }

    /// Entries of a folder under construction, by name.
    private final class Folder {
        var files: [String: UnixFSEntry] = [:]
        var folders: [String: Folder] = [:]
    }

    private let writer: BlockWriter
    private let repository: Repository
    private let profile: ImportProfile
    private var builder: FileBuilder?
    private let top = Folder()
    private(set) var items: [Item] = []
    private var closed = false

    init(repository: Repository, profile: ImportProfile) {
        self.repository = repository
        self.profile = profile
        self.writer = repository.blocks.makeWriter()
    }

    deinit {
        if !closed { try? writer.abort() }
    }

    private var sink: FileBuilder.Sink<StoreError> {
        { [writer] (cid, bytes) throws(StoreError) in try writer.add(cid, bytes) }
    }

    // MARK: Files

    func startFile() {
        builder = FileBuilder(profile: profile)
    }

    func append(_ buffer: ByteBuffer) throws {
        guard let builder else { return }
        try buffer.withUnsafeReadableBytes { (bytes) throws(StoreError) in try builder.append(bytes, to: sink) }
    }

    /// Ends the current file and files it under `path` (names split on `/`).
    func finishFile(path: [String]) throws {
        guard let builder else { return }
        self.builder = nil
        let entry = try builder.finish(to: sink)
        try place(entry, at: path)
        items.append(Item(path: path.joined(separator: "/"), cid: entry.cid.description, size: entry.contentSize))
    }

    /// Adds a UnixFS symlink at `path`.
    func addSymlink(path: [String], target: String) throws {
        let entry = try SymlinkBuilder.build(target: target, profile: profile, to: sink)
        try place(entry, at: path)
        items.append(Item(path: path.joined(separator: "/"), cid: entry.cid.description, size: entry.contentSize))
    }

    /// Records an (empty) folder at `path`.
    func addFolder(path: [String]) throws {
        _ = try folder(at: path, creating: true)
    }

    private func place(_ entry: UnixFSEntry, at path: [String]) throws {
        guard let name = path.last else { throw UploadFailure("a file part has no name") }
        let parent = try folder(at: Array(path.dropLast()), creating: true)
        guard parent.files[name] == nil, parent.folders[name] == nil else {
            throw UploadFailure("\"\(path.joined(separator: "/"))\" appears twice in the upload")
        }
        parent.files[name] = entry
    }

    private func folder(at path: [String], creating: Bool) throws -> Folder {
        var current = top
        for (index, name) in path.enumerated() {
            if current.files[name] != nil {
                throw UploadFailure("\"\(path[...index].joined(separator: "/"))\" is both a file and a folder")
            }
            if let next = current.folders[name] {
                current = next
            } else {
                let next = Folder()
                current.folders[name] = next
                current = next
            }
        }
        return current
    }

    // MARK: Finishing

    /// Builds the folders, publishes every block, pins the root, and returns it.
    ///
    /// - Parameter wrap: put the upload in a folder even when it has one top-level entry
    ///   (`ipfs add -w`); several top-level entries are always wrapped.
    func finish(wrap: Bool, pin: Bool, name: String?) throws -> UnixFSEntry {
        let root: UnixFSEntry
        if !wrap, top.folders.isEmpty, top.files.count == 1, let only = top.files.first {
            root = only.value
        } else if !wrap, top.files.isEmpty, top.folders.count == 1, let only = top.folders.first {
            root = try build(only.value, path: only.key)
        } else {
            guard !top.files.isEmpty || !top.folders.isEmpty else { throw UploadFailure("the upload holds no files") }
            root = try build(top, path: "")
        }
        try writer.flush()
        if pin {
            try repository.pins.add(root.cid, kind: .recursive, name: name, verifyComplete: false)
        }
        try writer.commit()
        closed = true
        return root
    }

    func abort() {
        guard !closed else { return }
        closed = true
        try? writer.abort()
    }

    private func build(_ folder: Folder, path: String) throws -> UnixFSEntry {
        var directory = DirectoryBuilder(profile: profile)
        for (name, child) in folder.folders.sorted(by: { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }) {
            let childPath = path.isEmpty ? name : path + "/" + name
            do { try directory.add(name: name, entry: try build(child, path: childPath)) } catch let error
                as UnixFSError
            {
                throw UploadFailure(error.message)
            }
        }
        for (name, entry) in folder.files {
            do { try directory.add(name: name, entry: entry) } catch { throw UploadFailure(error.message) }
        }
        let entry = try directory.finish(to: sink)
        if !path.isEmpty { items.append(Item(path: path, cid: entry.cid.description, size: entry.contentSize)) }
        return entry
    }

    // MARK: Names

    /// Splits a part's file name into checked path names: `/`-separated, percent-decoded when
    /// it is percent-encoded (as kubo's client sends them), no empty, `.` or `..` names.
    static func path(of filename: String) throws -> [String] {
        let decoded = filename.contains("%") ? (filename.removingPercentEncoding ?? filename) : filename
        let names = decoded.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        guard !names.isEmpty else { throw UploadFailure("a part's file name \"\(filename.prefix(100))\" is empty") }
        for name in names {
            do { try DirectoryBuilder.validate(name: name) } catch {
                throw UploadFailure("file name \"\(filename.prefix(100))\": \(error.message)")
            }
        }
        return names
    }
}

/// An upload refused for its content (400), naming what is wrong.
struct UploadFailure: Error {
    let message: String
    init(_ message: String) { self.message = message }
}
