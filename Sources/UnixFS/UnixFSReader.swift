public import IPLD
public import Multiformats

/// Reads UnixFS content from any ``BlockSource``: files as byte streams (whole or a range),
/// directory listings (basic and HAMT-sharded), symlinks, and paths below a root.
///
/// Memory stays bounded by the tree's depth: a file is streamed leaf by leaf, depth first.
/// Every node is checked against the UnixFS spec as it is read — sizes that disagree with the
/// links, children of the wrong kind, unknown types — so a malformed DAG is an error, not a
/// wrong file.
public struct UnixFSReader<Source: BlockSource> {
    public let source: Source

    /// Deepest tree the reader follows; a kubo tree of 174-link nodes holding 2^64 bytes is 7 deep.
    public static var maxDepth: Int { 64 }

    public init(source: Source) {
        self.source = source
    }

    /// Fetches and classifies the node `cid` names.
    public func node(_ cid: CID) throws -> UnixFSNode {
        let bytes = try fetch(cid)
        switch cid.codec {
        case .raw:
            return UnixFSNode(
                cid: cid, kind: .file, size: UInt64(bytes.count), dagPB: nil, data: nil, rawContent: bytes)
        case .dagPB:
            let node = try DagPBNode(bytes: bytes)
            guard let raw = node.data else {
                throw UnixFSError(.invalidNode, "dag-pb node \(cid) has no UnixFS data")
            }
            let data = try UnixFSData(bytes: raw)
            switch data.kind {
            case .file, .raw:
                let size = data.fileSize ?? UInt64(data.data?.count ?? 0)
                return UnixFSNode(cid: cid, kind: .file, size: size, dagPB: node, data: data)
            case .directory:
                let size = node.links.reduce(UInt64(0)) { $0 + ($1.tsize ?? 0) }
                return UnixFSNode(cid: cid, kind: .directory, size: size, dagPB: node, data: data)
            case .hamtShard:
                let size = node.links.reduce(UInt64(0)) { $0 + ($1.tsize ?? 0) }
                return UnixFSNode(cid: cid, kind: .shardedDirectory, size: size, dagPB: node, data: data)
            case .symlink:
                let target = String(decoding: data.data ?? [], as: UTF8.self)
                return UnixFSNode(
                    cid: cid, kind: .symlink(target: target), size: UInt64(target.utf8.count), dagPB: node, data: data)
            case .metadata:
                throw UnixFSError(.wrongType, "\(cid) is a UnixFS Metadata node, which Cairn does not read")
            }
        default:
            throw UnixFSError(.wrongType, "\(cid) is \(cid.codec), not UnixFS (raw or dag-pb)")
        }
    }

    /// Streams a file's bytes, or `range` of them, to `body` in order.
    ///
    /// - Throws: ``UnixFSError`` `.wrongType` if `cid` is not a file, `.missingBlock` if a block is
    ///   unavailable, `.invalidNode` for a malformed tree; whatever `body` throws.
    public func read(
        _ cid: CID,
        range: Range<UInt64>? = nil,
        _ body: (UnsafeRawBufferPointer) throws -> Void
    ) throws {
        let root = try node(cid)
        guard root.kind == .file else { throw UnixFSError(.wrongType, "\(cid) is not a file") }
        let wanted = range ?? 0..<root.size
        guard wanted.upperBound <= root.size else {
            throw UnixFSError(.invalidNode, "range \(wanted) is past the end of a \(root.size)-byte file")
        }
        if wanted.isEmpty { return }
        try readFile(root, offset: 0, wanted: wanted, depth: 0, body)
    }

    /// The whole file in memory; for small files and tests.
    public func readAll(_ cid: CID) throws -> [UInt8] {
        var output: [UInt8] = []
        try read(cid) { output.append(contentsOf: $0) }
        return output
    }

    /// `node`'s content starts at `offset` in the file; emit the part that falls in `wanted`.
    private func readFile(
        _ node: UnixFSNode,
        offset: UInt64,
        wanted: Range<UInt64>,
        depth: Int,
        _ body: (UnsafeRawBufferPointer) throws -> Void
    ) throws {
        guard depth <= Self.maxDepth else { throw UnixFSError(.invalidNode, "file tree deeper than \(Self.maxDepth)") }
        guard let dagPB = node.dagPB, let data = node.data else {
            // A raw leaf: the block is the content.
            try emit(node.rawContent ?? [], at: offset, wanted: wanted, body)
            return
        }
        guard data.kind == .file || data.kind == .raw else {
            throw UnixFSError(.invalidNode, "\(node.cid) inside a file is a \(data.kind), not file data")
        }
        let inline = data.data ?? []
        guard data.blockSizes.count == dagPB.links.count else {
            throw UnixFSError(
                .invalidNode,
                "\(node.cid) has \(dagPB.links.count) links but \(data.blockSizes.count) block sizes"
            )
        }
        let total = UInt64(inline.count) + data.blockSizes.reduce(0, +)
        if let declared = data.fileSize, declared != total {
            throw UnixFSError(.invalidNode, "\(node.cid) declares \(declared) bytes but holds \(total)")
        }
        try emit(inline, at: offset, wanted: wanted, body)
        var childOffset = offset + UInt64(inline.count)
        for (link, size) in zip(dagPB.links, data.blockSizes) {
            let childRange = childOffset..<(childOffset + size)
            defer { childOffset += size }
            if childRange.upperBound <= wanted.lowerBound { continue }
            if childRange.lowerBound >= wanted.upperBound { break }
            let child = try self.node(link.hash)
            guard child.kind == .file, child.size == size else {
                throw UnixFSError(
                    .invalidNode,
                    "child \(link.hash) of \(node.cid) is not \(size) bytes of file data"
                )
            }
            try readFile(child, offset: childOffset, wanted: wanted, depth: depth + 1, body)
        }
    }

    private func emit(
        _ bytes: [UInt8],
        at offset: UInt64,
        wanted: Range<UInt64>,
        _ body: (UnsafeRawBufferPointer) throws -> Void
    ) throws {
        let range = offset..<(offset + UInt64(bytes.count))
        let lower = max(range.lowerBound, wanted.lowerBound)
        let upper = min(range.upperBound, wanted.upperBound)
        guard lower < upper else { return }
        try bytes.withUnsafeBytes { buffer in
            try body(UnsafeRawBufferPointer(rebasing: buffer[Int(lower - offset)..<Int(upper - offset)]))
        }
    }

    /// The entries of a directory, in the order its links hold them (sorted, for a basic one).
    public func list(_ cid: CID) throws -> [DirectoryEntry] {
        let directory = try node(cid)
        switch directory.kind {
        case .directory:
            return try directory.dagPB!.links.map { link in
                guard let name = link.name else {
                    throw UnixFSError(.invalidNode, "directory \(cid) has a link with no name")
                }
                return DirectoryEntry(name: name, cid: link.hash, cumulativeSize: link.tsize)
            }
        case .shardedDirectory:
            var entries: [DirectoryEntry] = []
            try listShard(directory, depth: 0, into: &entries)
            return entries
        default:
            throw UnixFSError(.wrongType, "\(cid) is not a directory")
        }
    }

    /// HAMT shards (UnixFS spec, "HAMTDirectory"): each link name starts with the child's
    /// position in the shard as upper-case hex, as many digits as the fanout needs; a name that
    /// is only the prefix leads to a sub-shard, a longer one is an entry whose name follows.
    private func listShard(_ shard: UnixFSNode, depth: Int, into entries: inout [DirectoryEntry]) throws {
        guard depth <= Self.maxDepth else { throw UnixFSError(.invalidNode, "HAMT deeper than \(Self.maxDepth)") }
        guard let data = shard.data, let fanout = data.fanout, fanout >= 2, fanout <= 1024, fanout & (fanout - 1) == 0
        else {
            throw UnixFSError(.invalidNode, "HAMT shard \(shard.cid) has no valid power-of-two fanout")
        }
        let prefixLength = String(fanout - 1, radix: 16).count
        for link in shard.dagPB!.links {
            guard let name = link.name, name.utf8.count >= prefixLength else {
                throw UnixFSError(.invalidNode, "HAMT shard \(shard.cid) has a link without its index prefix")
            }
            if name.utf8.count == prefixLength {
                let child = try node(link.hash)
                guard child.kind == .shardedDirectory else {
                    throw UnixFSError(.invalidNode, "HAMT link \(name) in \(shard.cid) does not lead to a shard")
                }
                try listShard(child, depth: depth + 1, into: &entries)
            } else {
                let entryName = String(name.dropFirst(prefixLength))
                entries.append(DirectoryEntry(name: entryName, cid: link.hash, cumulativeSize: link.tsize))
            }
        }
    }

    /// The CID that `path` (names separated by `/`) leads to from `root`.
    ///
    /// Symlinks are not followed: a path through one is an error, as on gateways.
    public func resolve(_ root: CID, path: String) throws -> CID {
        var current = root
        for component in path.split(separator: "/", omittingEmptySubsequences: true) {
            let name = String(component)
            let entries = try list(current)
            guard let entry = entries.first(where: { $0.name.utf8.elementsEqual(name.utf8) }) else {
                throw UnixFSError(.notFound, "no entry \"\(name)\" in \(current)")
            }
            current = entry.cid
        }
        return current
    }

    private func fetch(_ cid: CID) throws -> [UInt8] {
        guard let bytes = try source.block(cid) else {
            throw UnixFSError(.missingBlock, "block \(cid) is not available")
        }
        return bytes
    }
}
