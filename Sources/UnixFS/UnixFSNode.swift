public import IPLD
public import Multiformats

/// A UnixFS node as a reader sees it: its kind, its size, and its links.
public struct UnixFSNode: Sendable {
    public enum Kind: Sendable, Hashable {
        /// Bytes of a file, whether a raw block or a dag-pb File tree.
        case file
        case directory
        /// A HAMT-sharded directory (read-only here).
        case shardedDirectory
        case symlink(target: String)
    }

    public let cid: CID
    public let kind: Kind
    /// File: its length. Directory: the sum of its links' Tsize. Symlink: the target's length.
    public let size: UInt64
    /// The dag-pb node, for everything but raw leaves.
    public let dagPB: DagPBNode?
    /// The decoded UnixFS data, for everything but raw leaves.
    public let data: UnixFSData?
    /// A raw leaf's bytes (its content), kept so reading it does not fetch it again.
    public let rawContent: [UInt8]?

    init(cid: CID, kind: Kind, size: UInt64, dagPB: DagPBNode?, data: UnixFSData?, rawContent: [UInt8]? = nil) {
        self.cid = cid
        self.kind = kind
        self.size = size
        self.dagPB = dagPB
        self.data = data
        self.rawContent = rawContent
    }
}

/// One entry of a directory listing.
public struct DirectoryEntry: Sendable, Hashable {
    public let name: String
    public let cid: CID
    /// The link's Tsize: the cumulative size of everything under the entry.
    public let cumulativeSize: UInt64?
}
