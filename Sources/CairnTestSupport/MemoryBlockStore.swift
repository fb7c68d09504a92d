public import IPLD
public import Multiformats

/// The in-memory twin of the block store: a dictionary behind the ``BlockSource`` port, for tests
/// of anything that reads blocks.
public final class MemoryBlockStore: BlockSource {
    public private(set) var blocks: [CID: [UInt8]] = [:]
    /// CIDs in the order they were first put.
    public private(set) var order: [CID] = []

    public init() {}

    public func block(_ cid: CID) throws -> [UInt8]? { blocks[cid] }

    public func put(_ cid: CID, _ bytes: [UInt8]) {
        if blocks.updateValue(bytes, forKey: cid) == nil { order.append(cid) }
    }

    public func remove(_ cid: CID) {
        blocks[cid] = nil
    }

    /// A sink for the UnixFS builders that stores what they make.
    public var sink: (CID, UnsafeRawBufferPointer) -> Void {
        { [self] cid, buffer in put(cid, Array(buffer)) }
    }
}
