public import IPLD
public import Multiformats

/// Writes CARv1 streams, and exports a DAG from a ``BlockSource`` as one.
///
/// Export order is what `ipfs dag export` produces: depth first, root first, children in link
/// order, each block once. Blocks named by identity CIDs are not written: their bytes are in
/// the CID.
public enum CARWriter {
    /// The CARv1 header for `roots`: varint length, then dag-cbor `{"roots": [...], "version": 1}`.
    public static func header(roots: [CID]) -> [UInt8] {
        precondition(!roots.isEmpty, "a CAR names at least one root")
        let header = IPLDValue.map(IPLDMap([("roots", .list(roots.map { .link($0) })), ("version", .integer(1))]))
        let body = try! DagCBOR.encode(header)  // links and a small integer always encode
        return Varint.encode(UInt64(body.count)) + body
    }

    /// One section: varint(length of CID and data), the CID's bytes, the data.
    public static func section(cid: CID, bytes: some Collection<UInt8>) -> [UInt8] {
        var output = Varint.encode(UInt64(cid.bytes.count + bytes.count))
        output.reserveCapacity(output.count + cid.bytes.count + bytes.count)
        output.append(contentsOf: cid.bytes)
        output.append(contentsOf: bytes)
        return output
    }

    /// Writes the DAG under `root` as a CARv1 to `write`, reading blocks from `source`.
    ///
    /// - Returns: the number of blocks written.
    /// - Throws: ``CARError`` `.missingBlock` when the source lacks a block of the DAG, IPLD
    ///   errors for blocks that do not decode, and whatever `write` throws.
    @discardableResult
    public static func export(
        root: CID,
        from source: some BlockSource,
        to write: ([UInt8]) throws -> Void
    ) throws -> Int {
        try write(header(roots: [root]))
        var seen: Set<CID> = []
        var written = 0
        // An explicit stack keeps deep DAGs off the call stack; children are pushed in reverse
        // so they come off in link order.
        var stack: [CID] = [root]
        while let cid = stack.popLast() {
            guard seen.insert(cid).inserted else { continue }
            if cid.multihash.code == .identity { continue }
            guard let bytes = try source.block(cid) else {
                throw CARError(.missingBlock, "block \(cid) is not in the source")
            }
            try write(section(cid: cid, bytes: bytes))
            written += 1
            stack.append(contentsOf: try BlockLinks.links(of: cid, bytes: bytes).reversed())
        }
        return written
    }
}
