import IPLD
public import Multiformats

/// Builds a UnixFS file from a byte stream, as kubo's importer does, in bounded memory.
///
/// Bytes are cut into fixed-size chunks; each chunk becomes a leaf, and leaves are linked by a
/// balanced tree of at most `maxLinks` children per node, filled left to right, all leaves at
/// the same depth (go-unixfs `balanced.Layout`). A single chunk is its own root; no data gives
/// an empty leaf. Each block is handed to a sink as soon as it is complete — leaves first, each
/// parent after its children — so a 10 GiB file needs one chunk buffer and one pending node per
/// tree level, never the file.
///
/// Not thread-safe; one builder per file.
public final class FileBuilder {
    /// Where finished blocks go: (CID, bytes). The bytes are only valid during the call.
    public typealias Sink<Failure: Error> = (CID, UnsafeRawBufferPointer) throws(Failure) -> Void

    private struct Child {
        let cid: CID
        let contentSize: UInt64
        let cumulativeSize: UInt64
    }

    public let profile: ImportProfile
    private let chunk: UnsafeMutableRawBufferPointer
    private var chunkFill = 0
    /// levels[0] collects leaves for the lowest internal node; levels[i] collects level-i nodes.
    private var levels: [[Child]] = [[]]
    private var leafCount = 0
    private var firstLeaf: Child?
    private var finished = false

    public init(profile: ImportProfile = .kuboCIDv1) {
        self.profile = profile
        self.chunk = UnsafeMutableRawBufferPointer.allocate(byteCount: profile.chunkSize, alignment: 64)
    }

    deinit { chunk.deallocate() }

    /// Feeds the next bytes of the file.
    public func append<Failure: Error>(_ bytes: UnsafeRawBufferPointer, to sink: Sink<Failure>) throws(Failure) {
        precondition(!finished, "append after finish")
        var rest = bytes[...]
        while !rest.isEmpty {
            if chunkFill == 0 && rest.count >= profile.chunkSize {
                // A whole chunk in the input: make the leaf from it directly, without a copy.
                try addLeaf(UnsafeRawBufferPointer(rebasing: rest.prefix(profile.chunkSize)), to: sink)
                rest = rest.dropFirst(profile.chunkSize)
                continue
            }
            let take = min(profile.chunkSize - chunkFill, rest.count)
            UnsafeMutableRawBufferPointer(rebasing: chunk[chunkFill..<(chunkFill + take)])
                .copyMemory(from: UnsafeRawBufferPointer(rebasing: rest.prefix(take)))
            chunkFill += take
            rest = rest.dropFirst(take)
            if chunkFill == profile.chunkSize {
                try addLeaf(UnsafeRawBufferPointer(chunk), to: sink)
                chunkFill = 0
            }
        }
    }

    /// Ends the file: emits the last leaf and every pending parent, and returns the root.
    public func finish<Failure: Error>(to sink: Sink<Failure>) throws(Failure) -> UnixFSEntry {
        precondition(!finished, "finish called twice")
        finished = true
        if chunkFill > 0 || leafCount == 0 {
            try addLeaf(UnsafeRawBufferPointer(rebasing: chunk[0..<chunkFill]), to: sink)
        }
        if leafCount == 1, let firstLeaf {
            return UnixFSEntry(
                cid: firstLeaf.cid, contentSize: firstLeaf.contentSize, cumulativeSize: firstLeaf.cumulativeSize)
        }
        var level = 0
        while true {
            let node = try makeNode(levels[level], to: sink)
            if level == levels.count - 1 {
                return UnixFSEntry(cid: node.cid, contentSize: node.contentSize, cumulativeSize: node.cumulativeSize)
            }
            try add(node, at: level + 1, to: sink)
            level += 1
        }
    }

    private func addLeaf<Failure: Error>(_ bytes: UnsafeRawBufferPointer, to sink: Sink<Failure>) throws(Failure) {
        let leaf: Child
        if profile.rawLeaves {
            let cid = CID(v1: .raw, multihash: Multihash.sha256(bytes))
            try sink(cid, bytes)
            leaf = Child(cid: cid, contentSize: UInt64(bytes.count), cumulativeSize: UInt64(bytes.count))
        } else {
            // kubo's legacy leaf: a dag-pb node whose UnixFS data is File with the chunk inline
            // (and no Data field at all when the chunk is empty).
            let data = UnixFSData(
                kind: .file,
                data: bytes.isEmpty ? nil : Array(bytes),
                fileSize: UInt64(bytes.count)
            )
            let block = DagPBNode(data: data.encoded()).encoded()
            let cid = try profile.emit(dagPB: block, to: sink)
            leaf = Child(cid: cid, contentSize: UInt64(bytes.count), cumulativeSize: UInt64(block.count))
        }
        leafCount += 1
        if leafCount == 1 { firstLeaf = leaf }
        try add(leaf, at: 0, to: sink)
    }

    /// Appends `child` to the node being filled at `level`; a full node is closed first and
    /// handed up, so the tree stays balanced exactly as kubo's builder makes it.
    private func add<Failure: Error>(_ child: Child, at level: Int, to sink: Sink<Failure>) throws(Failure) {
        if level == levels.count { levels.append([]) }
        if levels[level].count == profile.maxLinks {
            let node = try makeNode(levels[level], to: sink)
            levels[level].removeAll(keepingCapacity: true)
            try add(node, at: level + 1, to: sink)
        }
        levels[level].append(child)
    }

    /// Encodes an internal File node over `children`, emits it, and describes it as a child.
    private func makeNode<Failure: Error>(_ children: [Child], to sink: Sink<Failure>) throws(Failure) -> Child {
        var contentSize: UInt64 = 0
        var linkedSize: UInt64 = 0
        var links: [DagPBLink] = []
        links.reserveCapacity(children.count)
        for child in children {
            contentSize += child.contentSize
            linkedSize += child.cumulativeSize
            links.append(DagPBLink(hash: child.cid, name: "", tsize: child.cumulativeSize))
        }
        let data = UnixFSData(kind: .file, fileSize: contentSize, blockSizes: children.map(\.contentSize))
        let block = DagPBNode(data: data.encoded(), links: links).encoded()
        let cid = try profile.emit(dagPB: block, to: sink)
        return Child(cid: cid, contentSize: contentSize, cumulativeSize: UInt64(block.count) + linkedSize)
    }
}
