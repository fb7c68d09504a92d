import CodedErrors
public import Multiformats

/// How files are cut and linked: the settings that, together, decide a file's CID.
///
/// The presets reproduce kubo byte for byte; see `Specs/unixfs.md`.
public struct ImportProfile: Hashable, Sendable {
    /// Bytes per leaf (fixed-size chunker).
    public var chunkSize: Int
    /// Most links in one internal node of the balanced tree.
    public var maxLinks: Int
    /// Leaves as `raw` blocks (true) or as UnixFS File dag-pb nodes (false).
    public var rawLeaves: Bool
    /// CID version of every dag-pb block made. Raw leaves are always CIDv1 (`raw` has no v0
    /// form), so with v0 and raw leaves a chunked file has a CIDv0 root over CIDv1 leaves, and a
    /// one-chunk file is a CIDv1 raw block — as kubo does with `--cid-version=0 --raw-leaves`.
    public var cidVersion: CID.Version

    public init(chunkSize: Int, maxLinks: Int, rawLeaves: Bool, cidVersion: CID.Version) {
        precondition(chunkSize > 0 && chunkSize <= Self.maxChunkSize, "chunk size out of range")
        precondition(maxLinks >= 2, "a tree needs at least two links per node")
        self.chunkSize = chunkSize
        self.maxLinks = maxLinks
        self.rawLeaves = rawLeaves
        self.cidVersion = cidVersion
    }

    /// The largest chunk kubo accepts (its block size limit is 2 MiB, with room for the node).
    public static let maxChunkSize = 1 << 20

    /// `ipfs add --cid-version=1`: 256 KiB chunks, 174 links, raw leaves. Cairn's default.
    public static let kuboCIDv1 = ImportProfile(chunkSize: 256 << 10, maxLinks: 174, rawLeaves: true, cidVersion: .v1)
    /// Plain `ipfs add`: CIDv0, dag-pb leaves, 256 KiB chunks, 174 links.
    public static let kuboCIDv0 = ImportProfile(chunkSize: 256 << 10, maxLinks: 174, rawLeaves: false, cidVersion: .v0)
    /// IPIP-499's `unixfs-v1-2025`: CIDv1, raw leaves, 1 MiB chunks, 1024 links.
    public static let unixfsV1_2025 = ImportProfile(
        chunkSize: 1 << 20, maxLinks: 1024, rawLeaves: true, cidVersion: .v1)

    /// The presets by the names the CLI takes.
    public static let named: [String: ImportProfile] = [
        "kubo-v1": .kuboCIDv1,
        "kubo-v0": .kuboCIDv0,
        "unixfs-v1-2025": .unixfsV1_2025,
    ]

    /// Names a dag-pb block with this profile's CID version, hands it to `sink`, and returns its CID.
    func emit<Failure: Error>(dagPB block: [UInt8], to sink: FileBuilder.Sink<Failure>) throws(Failure) -> CID {
        let multihash = block.withUnsafeBytes { Multihash.sha256($0) }
        let cid = cidVersion == .v0 ? CID(v0: multihash) : CID(v1: .dagPB, multihash: multihash)
        try block.withBytes { (buffer) throws(Failure) in try sink(cid, buffer) }
        return cid
    }
}
