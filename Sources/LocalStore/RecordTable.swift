import LevelDBKit

/// A namespace of small records in the repository's LevelDB index, for stores above this one
/// (access tokens, pin requests) that want the index's atomic, synced writes without a second
/// database.
///
/// Keys are `prefix ‖ key`; the prefixes in use are listed in `Specs/storage.md`. Every write is
/// synced before it returns, like every other index write.
package struct RecordTable: Sendable {
    /// Prefixes that stores above `LocalStore` own; the block store's own are `b`, `p`, `s`, `m`.
    package enum Prefix: UInt8, Sendable {
        /// Pinning Service API access tokens, by the SHA-256 of the secret.
        case accessToken = 0x74  // "t"
        /// Pinning Service API pin requests, by request id.
        case pinRequest = 0x72  // "r"
        /// Roots a subsystem keeps (the ledger's blocks), by CID bytes: garbage collection
        /// keeps their DAGs as it keeps recursive pins, without their showing as user pins.
        case retainedRoot = 0x52  // "R"
        /// The node's credential issuing: status-list bits, the next status index, issued
        /// credentials by id.
        case credential = 0x63  // "c"
        /// The ledger's indexes and state: genesis, block by height, tip, transactions, wallet
        /// history, and the state's entries as of the tip.
        case ledger = 0x6C  // "l"
    }

    let database: LevelDB
    package let prefix: Prefix

    package func get(_ key: [UInt8]) throws(StoreError) -> [UInt8]? {
        try BlockStore.get(database, [prefix.rawValue] + key)
    }

    package func put(_ key: [UInt8], _ value: [UInt8]) throws(StoreError) {
        var batch = WriteBatch()
        batch.put([prefix.rawValue] + key, value)
        try BlockStore.write(database, batch)
    }

    /// Writes several records, possibly across tables, in one synced batch: all or none.
    package static func put(_ records: [(RecordTable, [UInt8], [UInt8])]) throws(StoreError) {
        try write(records.map { ($0.0, $0.1, $0.2) })
    }

    /// Puts (a value) and deletes (nil), possibly across tables, in one synced batch: all or none.
    package static func write(_ records: [(RecordTable, [UInt8], [UInt8]?)]) throws(StoreError) {
        guard let database = records.first?.0.database else { return }
        var batch = WriteBatch()
        for (table, key, value) in records {
            if let value {
                batch.put([table.prefix.rawValue] + key, value)
            } else {
                batch.delete([table.prefix.rawValue] + key)
            }
        }
        try BlockStore.write(database, batch)
    }

    package func delete(_ key: [UInt8]) throws(StoreError) {
        var batch = WriteBatch()
        batch.delete([prefix.rawValue] + key)
        try BlockStore.write(database, batch)
    }

    /// Every record whose key starts with `start`, in key order, with the table's prefix taken
    /// off the keys.
    package func all(startingWith start: [UInt8] = []) throws(StoreError) -> [(key: [UInt8], value: [UInt8])] {
        try BlockStore.scan(database, prefix: [prefix.rawValue] + start).map { (Array($0.key.dropFirst()), $0.value) }
    }
}

extension Repository {
    /// The records under `prefix`.
    package func table(_ prefix: RecordTable.Prefix) -> RecordTable {
        RecordTable(database: blocks.database, prefix: prefix)
    }
}
