public import IPLD
public import Multiformats

/// Writes a CARv1 a piece at a time, so a server can stream a DAG of any size with bounded memory
/// and without holding a thread between pieces.
///
/// The order is ``CARWriter/export(root:from:to:)``'s: depth first, root first, children in link
/// order, each block once (`order=dfs; dups=n` in gateway terms). For a gateway request with a
/// path, the blocks the path was resolved through come first, unwalked, then the DAG of the
/// `target`; `follow` decides which links of a block are walked (all of them for
/// `dag-scope=all`, none for `block`).
public struct CARExporter<Source: BlockSource> {
    /// Which links of a block to walk; the default walks all.
    public typealias Follow = (CID, [UInt8]) throws -> [CID]

    private let source: Source
    private let follow: Follow
    private var stack: [CID]
    private var seen: Set<CID> = []
    private var header: [UInt8]?

    /// - Parameters:
    ///   - root: the CID named in the header.
    ///   - path: blocks written before the target, whose links are not walked.
    ///   - target: where the walk starts; `root` when there is no path.
    public init(root: CID, path: [CID] = [], target: CID? = nil, source: Source, follow: Follow? = nil) {
        self.source = source
        self.follow = follow ?? { cid, bytes in try BlockLinks.links(of: cid, bytes: bytes) }
        self.stack = [target ?? root] + path.reversed()
        self.header = CARWriter.header(roots: [root])
        self.pathBlocks = Set(path)
    }

    /// Path blocks not yet written: written as sections only, their links not walked.
    private var pathBlocks: Set<CID>

    /// The next piece of the CAR, at least `minimumBytes` long unless it is the last; nil at the end.
    ///
    /// - Throws: ``CARError`` `.missingBlock` when the source lacks a block, IPLD errors for blocks
    ///   that do not decode.
    public mutating func next(minimumBytes: Int = 1 << 20) throws -> [UInt8]? {
        var output = header ?? []
        header = nil
        while output.count < minimumBytes, let cid = stack.popLast() {
            guard seen.insert(cid).inserted else { continue }
            if cid.multihash.code == .identity { continue }
            guard let bytes = try source.block(cid) else {
                throw CARError(.missingBlock, "block \(cid) is not in the source")
            }
            output += CARWriter.section(cid: cid, bytes: bytes)
            if pathBlocks.remove(cid) == nil {
                stack.append(contentsOf: try follow(cid, bytes).reversed())
            }
        }
        return output.isEmpty ? nil : output
    }
}
