public import Multiformats

/// Somewhere blocks can be read from by CID: the local store, a CAR file, a peer.
///
/// The port that readers (UnixFS, CAR export, GC) are written against; the LevelDB store is one
/// adapter and an in-memory dictionary (in test support) another. Implementations return only
/// bytes that hash to the CID — a corrupt block is an error, never data.
///
/// Synchronous because the local store's reads block on disk; callers on the cooperative pool
/// move to a thread pool first.
public protocol BlockSource {
    /// The block's bytes, or nil when this source does not have it.
    func block(_ cid: CID) throws -> [UInt8]?
}
