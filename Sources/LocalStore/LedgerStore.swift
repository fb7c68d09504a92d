import IPLD
public import Ledger
public import Multiformats

/// The ledger on disk: genesis, blocks, transactions and commits as content-addressed dag-cbor
/// blocks in the block store (so the gateway serves them like any content), and an index in
/// LevelDB from height to block.
///
/// Appending a block writes its header, transactions, body and commit through one
/// ``BlockWriter`` (synced), then in one synced index batch records the height, the
/// transactions' locations, the wallet-history entries, the retained roots and the state
/// entries the block changed — the commit point: a crash before it leaves only unindexed
/// blocks, which garbage collection removes, and the state of the block before; after it, the
/// block and its state are both there on restart (`Specs/ledger.md`, "Storage").
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
        let entries: [[UInt8]: [UInt8]]
        do { entries = try genesis.state().entries } catch {
            throw StoreError(.invalidArgument, "the genesis: \(error.message)")
        }
        try write([(cid, genesis.encoded)])
        var records: [(RecordTable, [UInt8], [UInt8]?)] = entries.map { (index, Self.stateKey($0.key), $0.value) }
        records += [
            (index, Array("genesis".utf8), cid.bytes), (index, Array("state".utf8), Self.bigEndian(0)),
            (roots, cid.bytes, []),
        ]
        try RecordTable.write(records)
    }

    // MARK: Blocks

    /// The height of the last stored block; 0 when there is none.
    public func tip() throws(StoreError) -> UInt64 {
        guard let bytes = try index.get(Array("tip".utf8)) else { return 0 }
        guard bytes.count == 8 else { throw StoreError(.corruptStore, "the ledger tip record is damaged") }
        return bytes.reduce(0) { $0 << 8 | UInt64($1) }
    }

    /// Stores the next block and its commit, the state entries it changed (a value, or nil for
    /// an entry it removed: ``BlockExecutor/Outcome/changes``), and for each of its transactions the
    /// accounts it concerns (``BlockExecutor/Outcome/parties``). The block's height must be
    /// ``tip()`` + 1.
    public func append(
        _ block: ChainBlock, commit: Commit, stateChanges: [[UInt8]: [UInt8]?], parties: [Set<Address>]
    ) throws(StoreError) {
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
        guard try index.get(Array("state".utf8)) == Self.bigEndian(height - 1) else {
            throw StoreError(.invalidArgument, "the stored state is not the tip's; replace it before appending")
        }
        guard parties.count == block.transactions.count else {
            throw StoreError(.invalidArgument, "parties are given for each of the block's transactions")
        }
        var records: [(RecordTable, [UInt8], [UInt8]?)] = []
        for (position, transaction) in block.transactions.enumerated() {
            let location = Self.bigEndian(height) + Self.bigEndian(UInt64(position))
            records.append((index, Self.transactionKey(transaction.cid), location))
            for party in parties[position] {
                records.append((index, Self.historyPrefix(party) + location, transaction.cid.bytes))
            }
        }
        for (key, value) in stateChanges { records.append((index, Self.stateKey(key), value)) }
        records += [
            (index, Self.heightKey(height), Self.pair(bodyCID, commitCID)),
            (index, Array("tip".utf8), Self.bigEndian(height)),
            (index, Array("state".utf8), Self.bigEndian(height)),
            (roots, bodyCID.bytes, []),
            (roots, commitCID.bytes, []),
        ]
        try RecordTable.write(records)
    }

    // MARK: State

    /// The state entries as of the tip, or nil when the stored state is not the tip's (a
    /// repository from before states were stored): then the caller replays and calls
    /// ``replaceState(_:height:)``.
    public func stateEntries() throws(StoreError) -> [[UInt8]: [UInt8]]? {
        guard let marker = try index.get(Array("state".utf8)), marker == Self.bigEndian(try tip()) else { return nil }
        var entries: [[UInt8]: [UInt8]] = [:]
        for (key, value) in try index.all(startingWith: Array("S".utf8)) { entries[Array(key.dropFirst())] = value }
        return entries
    }

    /// Replaces the stored state with `entries`, the state after block `height` (the tip), in
    /// one batch.
    public func replaceState(_ entries: [[UInt8]: [UInt8]], height: UInt64) throws(StoreError) {
        guard height == (try tip()) else {
            throw StoreError(.invalidArgument, "the state to store is for height \(height), not the tip")
        }
        var records: [(RecordTable, [UInt8], [UInt8]?)] = try index.all(startingWith: Array("S".utf8)).map {
            (index, $0.key, nil)
        }
        for (key, value) in entries { records.append((index, Self.stateKey(key), value)) }
        records.append((index, Array("state".utf8), Self.bigEndian(height)))
        try RecordTable.write(records)
    }

    /// A stored transaction by its CID (in a block or not), decoded.
    public func transaction(_ cid: CID) throws(StoreError) -> Transaction? {
        guard let bytes = try repository.blocks.block(cid) else { return nil }
        do { return try Transaction(bytes: bytes) } catch {
            throw StoreError(.corruptStore, "stored transaction \(cid) does not decode: \(error.message)")
        }
    }

    /// The height of the block whose header has `cid`, if this chain holds it.
    public func height(ofBlock cid: CID) throws(StoreError) -> UInt64? {
        guard let bytes = try repository.blocks.block(cid), let header = try? BlockHeader(bytes: bytes),
            let record = try index.get(Self.heightKey(header.height)), let (bodyCID, _) = Self.unpair(record),
            let body = try repository.blocks.block(bodyCID), case .map(let map)? = try? DagCBOR.decode(body),
            case .link(let stored)? = map["header"], stored == cid
        else { return nil }
        return header.height
    }

    // MARK: History

    /// Transactions that concern `address`, newest first: at most `limit`, and only those
    /// before `before` (a height and an index there) when it is given, for paging.
    public func history(
        of address: Address, limit: Int, before: (height: UInt64, index: Int)? = nil
    ) throws(StoreError) -> [(height: UInt64, index: Int, transaction: CID)] {
        let prefix = Self.historyPrefix(address)
        var found: [(height: UInt64, index: Int, transaction: CID)] = []
        for (key, value) in try index.all(startingWith: prefix).reversed() {
            let location = key.dropFirst(prefix.count)
            guard location.count == 16, let cid = try? CID(bytes: value) else {
                throw StoreError(.corruptStore, "the ledger's history index is damaged")
            }
            let height = location.prefix(8).reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
            let position = Int(location.suffix(8).reduce(UInt64(0)) { $0 << 8 | UInt64($1) })
            if let before, (height, position) >= (before.height, before.index) { continue }
            found.append((height, position, cid))
            if found.count == limit { break }
        }
        return found
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
        guard let parts = try parts(at: height) else { return nil }
        var transactions: [Transaction] = []
        for cid in parts.transactions {
            do {
                transactions.append(
                    try Transaction(bytes: try block(cid.bytes, what: "a transaction of block \(height)")))
            } catch let error as StoreError {
                throw error
            } catch {
                throw StoreError(.corruptStore, "a transaction of block \(height) does not decode: \(error)")
            }
        }
        return Entry(
            block: ChainBlock(header: parts.header, transactions: transactions), commit: parts.commit,
            bodyCID: parts.body)
    }

    /// The header and commit of the block at `height`, without reading its transactions (what a
    /// proof against that block needs), or nil past the tip.
    public func headerAndCommit(at height: UInt64) throws(StoreError) -> (header: BlockHeader, commit: Commit)? {
        try parts(at: height).map { ($0.header, $0.commit) }
    }

    /// A stored block's header, commit, body CID and transaction CIDs.
    private func parts(at height: UInt64) throws(StoreError) -> (
        header: BlockHeader, commit: Commit, body: CID, transactions: [CID]
    )? {
        guard let record = try index.get(Self.heightKey(height)) else { return nil }
        guard record.count >= 2, let (bodyCID, commitCID) = Self.unpair(record) else {
            throw StoreError(.corruptStore, "the ledger index entry for height \(height) is damaged")
        }
        do {
            guard case .map(let body) = try DagCBOR.decode(try block(bodyCID.bytes, what: "block \(height)")),
                case .link(let headerCID)? = body["header"], case .list(let links)? = body["transactions"]
            else { throw StoreError(.corruptStore, "block \(height)'s body is malformed") }
            let header = try BlockHeader(bytes: try block(headerCID.bytes, what: "header \(height)"))
            var transactions: [CID] = []
            for link in links {
                guard case .link(let cid) = link else {
                    throw StoreError(.corruptStore, "block \(height) lists a non-link")
                }
                transactions.append(cid)
            }
            let commit = try Commit(bytes: try block(commitCID.bytes, what: "commit \(height)"))
            return (header, commit, bodyCID, transactions)
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

    static func historyPrefix(_ address: Address) -> [UInt8] { Array("h".utf8) + address.bytes }

    static func stateKey(_ key: [UInt8]) -> [UInt8] { Array("S".utf8) + key }

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
