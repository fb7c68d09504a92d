public import Multiformats

/// What importing a file, symlink or directory yields: the root and the sizes a parent links with.
public struct UnixFSEntry: Hashable, Sendable {
    /// The root block's CID.
    public let cid: CID
    /// Bytes of content: the file's length, or for a directory the sum of what it holds.
    public let contentSize: UInt64
    /// The cumulative size: the root block plus every block below it, counted once per link.
    /// This is the `Tsize` a parent writes on its link.
    public let cumulativeSize: UInt64

    public init(cid: CID, contentSize: UInt64, cumulativeSize: UInt64) {
        self.cid = cid
        self.contentSize = contentSize
        self.cumulativeSize = cumulativeSize
    }
}
