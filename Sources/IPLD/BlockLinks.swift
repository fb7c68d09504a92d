public import Multiformats

/// The links out of a block, for the codecs Cairn reads: what DAG walks (CAR export, pinning,
/// garbage collection) follow.
public enum BlockLinks {
    /// The CIDs `bytes` links to, in order; none for raw and unknown codecs.
    ///
    /// - Throws: ``IPLDError`` when a dag-pb or dag-cbor block does not decode.
    public static func links(of cid: CID, bytes: [UInt8]) throws(IPLDError) -> [CID] {
        switch cid.codec {
        case .dagPB: return try DagPBNode(bytes: bytes).links.map(\.hash)
        case .dagCBOR:
            var found: [CID] = []
            collect(try DagCBOR.decode(bytes), into: &found)
            return found
        default: return []
        }
    }

    private static func collect(_ value: IPLDValue, into found: inout [CID]) {
        switch value {
        case .link(let cid): found.append(cid)
        case .list(let list): for element in list { collect(element, into: &found) }
        case .map(let map): for entry in map { collect(entry.value, into: &found) }
        default: break
        }
    }
}
