import CLevelDB

/// An open LevelDB database: ordered byte keys to byte values, crash-safe with synced writes.
///
/// Thread-safe: LevelDB's `DB` supports concurrent reads and writes from any thread, and the
/// handle is only closed in `deinit`. Calls block on disk I/O; callers on the cooperative pool
/// must hop to a thread pool first (the stores do).
///
/// LevelDB's own Snappy compression is turned off: the stores compress values with zstd, and
/// only where that saves space.
public final class LevelDB: @unchecked Sendable {
    /// How to open a database.
    public struct Options: Sendable {
        /// Create the database when the directory holds none.
        public var createIfMissing = true
        /// Fail when a database already exists.
        public var errorIfExists = false
        /// Check every block read against its checksum, and stop on any corruption.
        public var paranoidChecks = true
        /// Bytes buffered in memory before a table is written; larger means fewer, larger tables.
        public var writeBufferSize = 64 << 20
        /// Bytes of uncompressed blocks cached in memory.
        public var blockCacheSize = 64 << 20
        /// Bits per key of the Bloom filter that spares disk reads for absent keys (0: none).
        public var bloomFilterBitsPerKey: Int32 = 10
        /// Open file handles LevelDB may keep.
        public var maxOpenFiles: Int32 = 1_000
        /// Target size of the files LevelDB writes.
        public var maxFileSize = 32 << 20

        public init() {}
    }

    private let handle: OpaquePointer
    private let options: OpaquePointer
    private let cache: OpaquePointer?
    private let filterPolicy: OpaquePointer?
    private let readOptions: OpaquePointer
    private let verifiedReadOptions: OpaquePointer
    private let syncWriteOptions: OpaquePointer
    private let asyncWriteOptions: OpaquePointer

    /// The directory the database lives in.
    public let path: String

    /// Opens (or creates) the database in the directory at `path`.
    ///
    /// Opening after a crash replays LevelDB's log: every write that returned from a synced
    /// ``write(_:sync:)`` is there.
    public init(path: String, options settings: Options = Options()) throws(LevelDBError) {
        let options = leveldb_options_create()!
        leveldb_options_set_create_if_missing(options, settings.createIfMissing ? 1 : 0)
        leveldb_options_set_error_if_exists(options, settings.errorIfExists ? 1 : 0)
        leveldb_options_set_paranoid_checks(options, settings.paranoidChecks ? 1 : 0)
        leveldb_options_set_write_buffer_size(options, settings.writeBufferSize)
        leveldb_options_set_max_open_files(options, settings.maxOpenFiles)
        leveldb_options_set_max_file_size(options, settings.maxFileSize)
        leveldb_options_set_compression(options, Int32(leveldb_no_compression))
        let cache = settings.blockCacheSize > 0 ? leveldb_cache_create_lru(settings.blockCacheSize) : nil
        if let cache { leveldb_options_set_cache(options, cache) }
        let filterPolicy =
            settings.bloomFilterBitsPerKey > 0 ? leveldb_filterpolicy_create_bloom(settings.bloomFilterBitsPerKey) : nil
        if let filterPolicy { leveldb_options_set_filter_policy(options, filterPolicy) }

        var error: UnsafeMutablePointer<CChar>?
        let handle = leveldb_open(options, path, &error)
        if let error {
            let message = String(cString: error)
            leveldb_free(error)
            leveldb_options_destroy(options)
            if let cache { leveldb_cache_destroy(cache) }
            if let filterPolicy { leveldb_filterpolicy_destroy(filterPolicy) }
            throw LevelDBError(status: message)
        }
        self.handle = handle!
        self.options = options
        self.cache = cache
        self.filterPolicy = filterPolicy
        self.path = path
        readOptions = leveldb_readoptions_create()!
        verifiedReadOptions = leveldb_readoptions_create()!
        leveldb_readoptions_set_verify_checksums(verifiedReadOptions, 1)
        syncWriteOptions = leveldb_writeoptions_create()!
        leveldb_writeoptions_set_sync(syncWriteOptions, 1)
        asyncWriteOptions = leveldb_writeoptions_create()!
    }

    deinit {
        // Close first: the database still uses the options, cache and filter until then.
        leveldb_close(handle)
        leveldb_readoptions_destroy(readOptions)
        leveldb_readoptions_destroy(verifiedReadOptions)
        leveldb_writeoptions_destroy(syncWriteOptions)
        leveldb_writeoptions_destroy(asyncWriteOptions)
        leveldb_options_destroy(options)
        if let cache { leveldb_cache_destroy(cache) }
        if let filterPolicy { leveldb_filterpolicy_destroy(filterPolicy) }
    }

    /// The value stored under `key`, or nil.
    ///
    /// - Parameter verifyChecksums: check LevelDB's block checksums on this read even when the
    ///   block is cached.
    public func get(_ key: [UInt8], verifyChecksums: Bool = false) throws(LevelDBError) -> [UInt8]? {
        var length = 0
        var error: UnsafeMutablePointer<CChar>?
        let value = key.withUnsafeBufferPointer { key in
            key.withMemoryRebound(to: CChar.self) { key in
                leveldb_get(
                    handle,
                    verifyChecksums ? verifiedReadOptions : readOptions,
                    key.baseAddress,
                    key.count,
                    &length,
                    &error
                )
            }
        }
        try Self.check(error)
        guard let value else { return nil }
        defer { leveldb_free(value) }
        return Array(UnsafeRawBufferPointer(start: value, count: length))
    }

    /// Stores `value` under `key`, replacing any value there.
    public func put(_ key: [UInt8], _ value: [UInt8], sync: Bool = true) throws(LevelDBError) {
        var batch = WriteBatch()
        batch.put(key, value)
        try write(batch, sync: sync)
    }

    /// Removes `key`; removing an absent key is not an error.
    public func delete(_ key: [UInt8], sync: Bool = true) throws(LevelDBError) {
        var batch = WriteBatch()
        batch.delete(key)
        try write(batch, sync: sync)
    }

    /// Applies every operation of `batch` atomically.
    ///
    /// - Parameter sync: when true (the default), returns only after the log is on disk, so a
    ///   crash of the process or the machine loses nothing this call acknowledged. Without sync
    ///   a machine crash may lose recent writes, though a process crash does not.
    public func write(_ batch: borrowing WriteBatch, sync: Bool = true) throws(LevelDBError) {
        var error: UnsafeMutablePointer<CChar>?
        leveldb_write(handle, sync ? syncWriteOptions : asyncWriteOptions, batch.pointer, &error)
        try Self.check(error)
    }

    /// The key–value pairs in key order, starting at `start` (or the first key), keeping to keys
    /// that begin with `prefix`, and at most `limit` of them.
    public func scan(
        from start: [UInt8]? = nil,
        prefix: [UInt8] = [],
        limit: Int = .max
    ) throws(LevelDBError) -> [(key: [UInt8], value: [UInt8])] {
        let cursor = Cursor(database: self)
        let first = start.map { $0.lexicographicallyPrecedes(prefix) ? prefix : $0 } ?? prefix
        cursor.seek(to: first)
        var pairs: [(key: [UInt8], value: [UInt8])] = []
        while pairs.count < limit, let key = cursor.key, key.starts(with: prefix) {
            pairs.append((key, cursor.value ?? []))
            cursor.next()
        }
        try cursor.check()
        return pairs
    }

    /// A LevelDB property, such as `leveldb.stats` (per-level sizes and compaction I/O, from
    /// which write amplification is measured) or `leveldb.num-files-at-level0`.
    public func property(_ name: String) -> String? {
        guard let value = leveldb_property_value(handle, name) else { return nil }
        defer { leveldb_free(value) }
        return String(cString: value)
    }

    /// Compacts the whole key range now, rather than when LevelDB decides to.
    public func compact() {
        leveldb_compact_range(handle, nil, 0, nil, 0)
    }

    /// An iterator over the database, for scans too large to collect.
    ///
    /// Not thread-safe: use one cursor from one task at a time.
    public final class Cursor {
        private let database: LevelDB
        private let iterator: OpaquePointer

        public init(database: LevelDB) {
            self.database = database
            self.iterator = leveldb_create_iterator(database.handle, database.readOptions)
        }

        deinit { leveldb_iter_destroy(iterator) }

        /// Moves to the first key at or after `key`.
        public func seek(to key: [UInt8]) {
            key.withUnsafeBufferPointer { key in
                key.withMemoryRebound(to: CChar.self) { leveldb_iter_seek(iterator, $0.baseAddress, $0.count) }
            }
        }

        /// Moves to the next key.
        public func next() {
            if leveldb_iter_valid(iterator) != 0 { leveldb_iter_next(iterator) }
        }

        /// The key under the cursor, or nil past the end.
        public var key: [UInt8]? {
            guard leveldb_iter_valid(iterator) != 0 else { return nil }
            var length = 0
            let key = leveldb_iter_key(iterator, &length)!
            return Array(UnsafeRawBufferPointer(start: key, count: length))
        }

        /// The value under the cursor, or nil past the end.
        public var value: [UInt8]? {
            guard leveldb_iter_valid(iterator) != 0 else { return nil }
            var length = 0
            guard let value = leveldb_iter_value(iterator, &length) else { return [] }
            return Array(UnsafeRawBufferPointer(start: value, count: length))
        }

        /// Throws the error that ended the iteration early, if one did.
        public func check() throws(LevelDBError) {
            var error: UnsafeMutablePointer<CChar>?
            leveldb_iter_get_error(iterator, &error)
            try LevelDB.check(error)
        }
    }

    fileprivate static func check(_ error: UnsafeMutablePointer<CChar>?) throws(LevelDBError) {
        guard let error else { return }
        let message = String(cString: error)
        leveldb_free(error)
        throw LevelDBError(status: message)
    }
}
