import IPLD
public import Ledger
public import Multiformats

/// The ledger on disk: genesis, blocks, transactions and commits as content-addressed dag-cbor
/// blocks in the block store (so the gateway serves them like any content), and an index in
/// LevelDB from height to block.
///
/// Appending a block writes its header, transactions, body and commit through one
/// ``BlockWriter`` (synced), then records the height and the retained roots in one synced
/// index batch — the commit point: a crash before it leaves only unindexed blocks, which
/// garbage collection removes; after it, the block is there on restart. The state is rebuilt
/// by replaying the blocks from genesis (`Specs/ledger.md`, "Storage").
public final class LedgerStore: Sendable {
    private let repository: Repository
    private let index: RecordTable
    private let roots: RecordTable

    public init(repository: Repository) {
        self.repository = repository
        index = repository.table(.ledger)
        roots = repository.table(.retainedRoot)
    }

    /// A stored block with its commit.
    public struct Entry: Sendable {
        public let block: ChainBlock
        public let commit: Commit
        public let bodyCID: CID
    }

    // MARK: Genesis

    /// The chain's genesis, or nil for a repository with no chain yet.
    public func genesis() throws(StoreError) -> Genesis? {
        guard let cidBytes = try index.get(Array("genesis".utf8)) else { return nil }
        let bytes = try block(cidBytes, what: "genesis")
        do { return try Genesis(bytes: bytes) } catch {
            throw StoreError(.corruptStore, "the stored genesis: \(error.message)")
        }
    }

    /// Records the genesis; refuses to replace a different one.
    public func setGenesis(_ genesis: Genesis) throws(StoreError) {
        if let existing = try self.genesis() {
            guard existing == genesis else { throw StoreError(.invalidArgument, "this repository holds another chain") }
            return
        }
        let cid = genesis.cid
        try write([(cid, genesis.encoded)])
        try RecordTable.put([(index, Array("genesis".utf8), cid.bytes), (roots, cid.bytes, [])])
    }

    // MARK: Blocks

    /// The height of the last stored block; 0 when there is none.
    public func tip() throws(StoreError) -> UInt64 {
        guard let bytes = try index.get(Array("tip".utf8)) else { return 0 }
        guard bytes.count == 8 else { throw StoreError(.corruptStore, "the ledger tip record is damaged") }
        return bytes.reduce(0) { $0 << 8 | UInt64($1) }
    }

    /// Stores the next block and its commit. The block's height must be ``tip()`` + 1.
    public func append(_ block: ChainBlock, commit: Commit) throws(StoreError) {
        let height = block.header.height
        guard height == (try tip()) + 1 else {
            throw StoreError(.invalidArgument, "block \(height) does not follow the stored tip \(try tip())")
        }
        let body = block.body
        let bodyCID = CID(v1: .dagCBOR, multihash: body.withUnsafeBytes { Multihash.sha256($0) })
        let commitBytes = commit.encoded
        let commitCID = CID(v1: .dagCBOR, multihash: commitBytes.withUnsafeBytes { Multihash.sha256($0) })
        var blocks: [(CID, [UInt8])] = [(block.header.cid, block.header.encoded)]
        for transaction in block.transactions { blocks.append((transaction.cid, transaction.encoded)) }
        blocks.append((bodyCID, body))
        blocks.append((commitCID, commitBytes))
        try write(blocks)
        var records: [(RecordTable, [UInt8], [UInt8])] = block.transactions.enumerated().map { position, transaction in
            (index, Self.transactionKey(transaction.cid), Self.bigEndian(height) + Self.bigEndian(UInt64(position)))
        }
        records += [
            (index, Self.heightKey(height), Self.pair(bodyCID, commitCID)),
            (index, Array("tip".utf8), Self.bigEndian(height)),
            (roots, bodyCID.bytes, []),
            (roots, commitCID.bytes, []),
        ]
        try RecordTable.put(records)
    }

    /// Where a transaction was included: its block's height and its index there.
    public func location(of transaction: CID) throws(StoreError) -> (height: UInt64, index: Int)? {
        guard let record = try index.get(Self.transactionKey(transaction)) else { return nil }
        guard record.count == 16 else { throw StoreError(.corruptStore, "the ledger's transaction index is damaged") }
        let height = record.prefix(8).reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        let position = record.suffix(8).reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        return (height, Int(position))
    }

    /// The block at `height` with its commit, or nil past the tip.
    public func entry(at height: UInt64) throws(StoreError) -> Entry? {
        guard let record = try index.get(Self.heightKey(height)) else { return nil }
        guard record.count >= 2, let (bodyCID, commitCID) = Self.unpair(record) else {
            throw StoreError(.corruptStore, "the ledger index entry for height \(height) is damaged")
        }
        do {
            guard case .map(let body) = try DagCBOR.decode(try block(bodyCID.bytes, what: "block \(height)")),
                case .link(let headerCID)? = body["header"], case .list(let links)? = body["transactions"]
            else { throw StoreError(.corruptStore, "block \(height)'s body is malformed") }
            let header = try BlockHeader(bytes: try block(headerCID.bytes, what: "header \(height)"))
            var transactions: [Transaction] = []
            for link in links {
                guard case .link(let cid) = link else {
                    throw StoreError(.corruptStore, "block \(height) lists a non-link")
                }
                transactions.append(
                    try Transaction(bytes: try block(cid.bytes, what: "a transaction of block \(height)")))
            }
            let commit = try Commit(bytes: try block(commitCID.bytes, what: "commit \(height)"))
            return Entry(
                block: ChainBlock(header: header, transactions: transactions), commit: commit, bodyCID: bodyCID)
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError(.corruptStore, "block \(height) does not decode: \(error)")
        }
    }

    // MARK: Helpers

    private func write(_ blocks: [(CID, [UInt8])]) throws(StoreError) {
        let writer = repository.blocks.makeWriter()
        do {
            for (cid, bytes) in blocks { try writer.add(cid, bytes) }
            try writer.commit()
        } catch {
            try? writer.abort()
            throw error
        }
    }

    private func block(_ cidBytes: [UInt8], what: String) throws(StoreError) -> [UInt8] {
        let cid: CID
        do { cid = try CID(bytes: cidBytes) } catch {
            throw StoreError(.corruptStore, "\(what): a stored CID is damaged")
        }
        guard let bytes = try repository.blocks.block(cid) else {
            throw StoreError(.corruptStore, "\(what) (\(cid)) is missing from the block store")
        }
        return bytes
    }

    static func heightKey(_ height: UInt64) -> [UInt8] { Array("b".utf8) + bigEndian(height) }

    static func transactionKey(_ cid: CID) -> [UInt8] { Array("t".utf8) + cid.bytes }

    static func bigEndian(_ value: UInt64) -> [UInt8] { withUnsafeBytes(of: value.bigEndian) { Array($0) } }

    static func pair(_ a: CID, _ b: CID) -> [UInt8] { [UInt8(a.bytes.count)] + a.bytes + b.bytes }

    static func unpair(_ bytes: [UInt8]) -> (CID, CID)? {
        let length = Int(bytes[0])
        guard bytes.count > 1 + length, let first = try? CID(bytes: Array(bytes[1..<(1 + length)])),
            let second = try? CID(bytes: Array(bytes[(1 + length)...]))
        else { return nil }
        return (first, second)
    }
}
