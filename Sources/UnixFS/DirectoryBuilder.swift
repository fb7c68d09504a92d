import IPLD
public import Multiformats

/// Builds a basic (unsharded) UnixFS directory: a dag-pb node with UnixFS type Directory and
/// one link per entry, sorted by the bytes of the name, as kubo writes them.
///
/// Each link carries the entry's name and its cumulative size as `Tsize`.
public struct DirectoryBuilder: Sendable {
    public let profile: ImportProfile
    private var entries: [(name: String, entry: UnixFSEntry)] = []

    public init(profile: ImportProfile = .kuboCIDv1) {
        self.profile = profile
    }

    /// The entries added so far.
    public var count: Int { entries.count }

    /// Adds an entry.
    ///
    /// - Throws: ``UnixFSError`` `.invalidName` for a name that is empty, `.` or `..`, or holds
    ///   `/` or a NUL byte (no path could reach it), and for a name already present.
    public mutating func add(name: String, entry: UnixFSEntry) throws(UnixFSError) {
        try Self.validate(name: name)
        if entries.contains(where: { $0.name.utf8.elementsEqual(name.utf8) }) {
            throw UnixFSError(.invalidName, "the directory already has an entry named \"\(name)\"")
        }
        entries.append((name, entry))
    }

    /// Encodes the directory node, hands it to `sink`, and returns the directory's entry.
    public func finish<Failure: Error>(to sink: FileBuilder.Sink<Failure>) throws(Failure) -> UnixFSEntry {
        let sorted = entries.sorted { $0.name.utf8.lexicographicallyPrecedes($1.name.utf8) }
        var contentSize: UInt64 = 0
        var linkedSize: UInt64 = 0
        let links = sorted.map { item in
            contentSize += item.entry.contentSize
            linkedSize += item.entry.cumulativeSize
            return DagPBLink(hash: item.entry.cid, name: item.name, tsize: item.entry.cumulativeSize)
        }
        let block = DagPBNode(data: UnixFSData(kind: .directory).encoded(), links: links).encoded()
        let cid = try profile.emit(dagPB: block, to: sink)
        return UnixFSEntry(cid: cid, contentSize: contentSize, cumulativeSize: UInt64(block.count) + linkedSize)
    }

    /// Whether `name` can be a directory entry, with the reason when it cannot.
    public static func validate(name: String) throws(UnixFSError) {
        if name.isEmpty || name == "." || name == ".." {
            throw UnixFSError(.invalidName, "\"\(name)\" cannot name a directory entry")
        }
        if name.utf8.contains(UInt8(ascii: "/")) || name.utf8.contains(0) {
            throw UnixFSError(.invalidName, "\"\(name)\" holds a / or NUL byte, so no path can reach it")
        }
    }
}

/// A UnixFS symbolic link: a dag-pb node whose UnixFS data is Symlink with the target as Data.
public enum SymlinkBuilder {
    /// Encodes the symlink node, hands it to `sink`, and returns its entry.
    public static func build<Failure: Error>(
        target: String,
        profile: ImportProfile = .kuboCIDv1,
        to sink: FileBuilder.Sink<Failure>
    ) throws(Failure) -> UnixFSEntry {
        let data = UnixFSData(kind: .symlink, data: Array(target.utf8))
        let block = DagPBNode(data: data.encoded()).encoded()
        let cid = try profile.emit(dagPB: block, to: sink)
        return UnixFSEntry(cid: cid, contentSize: 0, cumulativeSize: UInt64(block.count))
    }
}
