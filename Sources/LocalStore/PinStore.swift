public import Foundation
import IPLD
import LevelDBKit
public import Multiformats

/// A pin: a promise that garbage collection keeps a block (direct) or a whole DAG (recursive).
public struct Pin: Hashable, Sendable {
    public enum Kind: String, Sendable, Codable, CaseIterable {
        /// The root and everything it links to, transitively.
        case recursive
        /// The root block alone.
        case direct
    }

    public let cid: CID
    public let kind: Kind
    public let name: String?
    /// Seconds since the Unix epoch.
    public let created: Int64

    public init(cid: CID, kind: Kind, name: String?, created: Int64) {
        self.cid = cid
        self.kind = kind
        self.name = name
        self.created = created
    }

    /// The LevelDB value: dag-cbor `{"created": int, "kind": string, "name": string?}`.
    func encoded() -> [UInt8] {
        var fields: [(String, IPLDValue)] = [("kind", .string(kind.rawValue)), ("created", .integer(Int128(created)))]
        if let name { fields.append(("name", .string(name))) }
        return try! DagCBOR.encode(.map(IPLDMap(fields)))  // strings and an Int64 always encode
    }

    init(cid: CID, record: [UInt8]) throws(StoreError) {
        guard case .map(let map)? = try? DagCBOR.decode(record),
            case .string(let kindName)? = map["kind"], let kind = Kind(rawValue: kindName),
            case .integer(let created)? = map["created"], let seconds = Int64(exactly: created)
        else { throw StoreError(.corruptStore, "pin record for \(cid) is malformed") }
        var name: String?
        if case .string(let text)? = map["name"] { name = text }
        self.init(cid: cid, kind: kind, name: name, created: seconds)
    }
}

/// The repository's pins, in the LevelDB index under `p` ‖ CID bytes.
public final class PinStore: Sendable {
    let database: LevelDB
    let blocks: BlockStore

    init(database: LevelDB, blocks: BlockStore) {
        self.database = database
        self.blocks = blocks
    }

    /// Pins `cid`, replacing any pin it had.
    ///
    /// - Parameter verifyComplete: for a recursive pin, walk the DAG first and refuse the pin
    ///   if any block is missing (the default). An importer that has just written the DAG may
    ///   skip the walk.
    /// - Throws: ``StoreError`` `.notFound` when the root is not stored, `.incompleteDAG` naming
    ///   the first missing block.
    @discardableResult
    public func add(
        _ cid: CID,
        kind: Pin.Kind = .recursive,
        name: String? = nil,
        verifyComplete: Bool = true,
        now: Date = Date()
    ) throws(StoreError) -> Pin {
        guard try blocks.has(cid) else { throw StoreError(.notFound, "block \(cid) is not in the repository") }
        if kind == .recursive && verifyComplete {
            if let missing = try firstMissingBlock(under: cid) {
                throw StoreError(.incompleteDAG, "cannot pin \(cid) recursively: block \(missing) is missing")
            }
        }
        let pin = Pin(cid: cid, kind: kind, name: name, created: Int64(now.timeIntervalSince1970))
        var batch = WriteBatch()
        batch.put(IndexKey.pin(cid.bytes), pin.encoded())
        try BlockStore.write(database, batch)
        return pin
    }

    /// Unpins `cid`.
    ///
    /// - Throws: ``StoreError`` `.notFound` when it was not pinned.
    public func remove(_ cid: CID) throws(StoreError) {
        guard try pin(for: cid) != nil else { throw StoreError(.notFound, "\(cid) is not pinned") }
        var batch = WriteBatch()
        batch.delete(IndexKey.pin(cid.bytes))
        try BlockStore.write(database, batch)
    }

    /// The pin on `cid`, if any.
    public func pin(for cid: CID) throws(StoreError) -> Pin? {
        try BlockStore.get(database, IndexKey.pin(cid.bytes)).map { (record) throws(StoreError) in
            try Pin(cid: cid, record: record)
        }
    }

    /// Every pin, in CID byte order.
    public func list() throws(StoreError) -> [Pin] {
        try BlockStore.scan(database, prefix: [IndexKey.pin]).map { (key, value) throws(StoreError) in
            let cid: CID
            do { cid = try CID(bytes: Array(key.dropFirst())) } catch {
                throw StoreError(.corruptStore, "pin key is not a CID: \(error)")
            }
            return try Pin(cid: cid, record: value)
        }
    }

    /// The first block of the DAG under `root` that the store lacks, walking depth first.
    public func firstMissingBlock(under root: CID) throws(StoreError) -> CID? {
        var seen: Set<CID> = []
        var stack = [root]
        while let cid = stack.popLast() {
            guard seen.insert(cid).inserted else { continue }
            guard let bytes = try blocks.block(cid) else { return cid }
            do {
                stack.append(contentsOf: try BlockLinks.links(of: cid, bytes: bytes).reversed())
            } catch {
                throw StoreError(.corruptBlock, "block \(cid) does not decode: \(error)")
            }
        }
        return nil
    }
}
