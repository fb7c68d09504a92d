import CodedErrors
import Foundation
public import IPLD
import LevelDBKit
public import Multiformats
import Synchronization
import ZstdKit

/// Blocks on disk: bytes in a value log, an index in LevelDB, every read checked against its CID.
///
/// - Writes go through a ``BlockWriter``, which batches blocks, appends them to the value log,
///   syncs it, and only then writes their index entries in one synced LevelDB batch: a block is
///   acknowledged once both are on disk, and a crash at any point leaves either the whole batch
///   or none of it.
/// - Blocks are keyed by multihash, so the same bytes under a CIDv0 and a CIDv1 are stored once.
///   Identity CIDs are never stored: their bytes are the CID.
/// - Values are compressed with zstd when that saves an eighth or more; a probe of the first
///   4 KiB spares the effort on media that does not compress.
/// - Every read hashes what it returns; a mismatch is a ``StoreError`` `.corruptBlock`.
/// - A storage limit, when set, is checked before each batch is written.
public final class BlockStore: BlockSource, Sendable {
    /// What the store holds.
    public struct Statistics: Sendable, Hashable, Codable {
        public var blocks: UInt64
        /// Bytes of block content.
        public var rawBytes: UInt64
        /// Bytes on disk after compression (the storage limit counts these).
        public var storedBytes: UInt64
        public var segments: Int
        /// Bytes of value-log segments on disk (live blocks, dead ones not yet compacted, headers).
        public var diskBytes: UInt64
        public var storageLimit: UInt64?
    }

    struct SegmentState: Sendable {
        /// Length durable and recorded in the index; the file is cut back to it on open.
        var committed: UInt64
        /// Bytes of live (indexed) blocks.
        var live: UInt64
        /// Length written so far, committed or not: where the next record goes.
        var end: UInt64
        /// Bytes spilled here by open writers and not yet published or dropped; a segment with
        /// any is never removed, whatever its live count.
        var pending: UInt64 = 0
    }

    struct State: Sendable {
        var activeSegment: UInt32
        var segments: [UInt32: SegmentState]
        var blocks: UInt64
        var rawBytes: UInt64
        var storedBytes: UInt64
        /// Bytes written by open writers but not yet indexed, counted against the storage limit.
        var reservedBytes: UInt64 = 0
        /// Multihashes each open writer has added or relied on, so one writer's rollback never
        /// removes a block another writer counts on.
        var writers: [UInt64: Set<[UInt8]>] = [:]
        var nextWriter: UInt64 = 0
    }

    let database: LevelDB
    let log: ValueLog
    let storageLimit: UInt64?
    let state: Mutex<State>
    /// Writers share it; garbage collection takes it alone.
    let gate = WriterGate()

    /// Opens the store over `database` with its value log in `directory`, recovering from an
    /// interrupted write: log tails past their committed length are cut, segments the index never
    /// committed are removed.
    init(database: LevelDB, directory: String, storageLimit: UInt64?, maxSegmentSize: UInt64) throws(StoreError) {
        self.database = database
        self.log = ValueLog(directory: directory, maxSegmentSize: maxSegmentSize)
        self.storageLimit = storageLimit
        var segments: [UInt32: SegmentState] = [:]
        for (key, value) in try Self.scan(database, prefix: [IndexKey.segment]) {
            let number = key.dropFirst().reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
            let counters = try IndexKey.decodeUInt64s(value, count: 2)
            segments[number] = SegmentState(committed: counters[0], live: counters[1], end: counters[0])
        }
        for number in try log.segmentsOnDisk() {
            guard let segment = segments[number] else {
                try log.remove(number)  // never committed: the tail of an interrupted first write
                continue
            }
            let file = try log.file(number)
            let size = try file.size
            if size > segment.committed {
                try file.truncate(to: segment.committed)
                try file.sync()
            } else if size < segment.committed {
                throw StoreError(
                    .corruptStore,
                    "\(log.path(of: number)) is \(size) bytes but \(segment.committed) were committed"
                )
            }
        }
        let totals =
            try Self.get(database, IndexKey.totals).map { (bytes) throws(StoreError) in
                try IndexKey.decodeUInt64s(bytes, count: 3)
            } ?? [0, 0, 0]
        let active: UInt32
        if let last = segments.keys.max() {
            active = last
        } else {
            active = 1
            _ = try log.create(active)
            segments[active] = SegmentState(
                committed: UInt64(ValueLog.magic.count), live: 0, end: UInt64(ValueLog.magic.count))
            var batch = WriteBatch()
            batch.put(IndexKey.segment(active), IndexKey.uint64s([UInt64(ValueLog.magic.count), 0]))
            try Self.write(database, batch)
        }
        state = Mutex(
            State(
                activeSegment: active, segments: segments, blocks: totals[0], rawBytes: totals[1],
                storedBytes: totals[2])
        )
    }

    // MARK: Reading

    /// The block's bytes, checked against `cid`, or nil when the store does not have it.
    ///
    /// - Throws: ``StoreError`` `.corruptBlock` when the stored bytes do not hash to `cid`.
    public func block(_ cid: CID) throws(StoreError) -> [UInt8]? {
        switch try block(cid, atMost: .max) {
        case .found(let bytes): return bytes
        case .missing, .larger: return nil
        }
    }

    /// What ``block(_:atMost:)`` found.
    package enum SizedRead: Sendable {
        case found([UInt8])
        case missing
        /// The block is this many bytes, more than asked for; it was not read.
        case larger(Int)
    }

    /// The block's bytes, checked, if it holds at most `limit` bytes; its size, unread, if more.
    ///
    /// For callers that do small reads where they stand and hand larger ones to a thread pool:
    /// the size comes from the index entry, so a large block costs no read to find out.
    package func block(_ cid: CID, atMost limit: Int) throws(StoreError) -> SizedRead {
        if cid.multihash.code == .identity { return .found(cid.multihash.digest) }
        guard let entry = try entry(for: cid.multihash.bytes) else { return .missing }
        guard entry.rawLength <= limit else { return .larger(entry.rawLength) }
        let bytes = try load(entry, multihash: cid.multihash.bytes)
        let matches: Bool
        do {
            matches = try bytes.withUnsafeBytes { try cid.multihash.matches($0) }
        } catch {
            throw StoreError(.corruptBlock, "cannot check \(cid): \(error)")
        }
        guard matches else {
            throw StoreError(.corruptBlock, "block \(cid) on disk does not hash to its CID")
        }
        return .found(bytes)
    }

    /// Whether the store has the block (without reading it).
    public func has(_ cid: CID) throws(StoreError) -> Bool {
        if cid.multihash.code == .identity { return true }
        return try entry(for: cid.multihash.bytes) != nil
    }

    /// Counts and sizes.
    public var statistics: Statistics {
        state.withLock { state in
            Statistics(
                blocks: state.blocks,
                rawBytes: state.rawBytes,
                storedBytes: state.storedBytes,
                segments: state.segments.count,
                diskBytes: state.segments.values.reduce(0) { $0 + $1.committed },
                storageLimit: storageLimit
            )
        }
    }

    /// Starts a batch of writes. Garbage collection waits until the writer commits or aborts.
    public func makeWriter() -> BlockWriter {
        gate.enterWriter()
        let id = state.withLock { state in
            state.nextWriter += 1
            state.writers[state.nextWriter] = []
            return state.nextWriter
        }
        return BlockWriter(store: self, id: id)
    }

    /// Every stored multihash, in index order.
    package func forEachMultihash(_ body: ([UInt8]) throws -> Void) throws {
        let cursor = LevelDB.Cursor(database: database)
        cursor.seek(to: [IndexKey.block])
        while let key = cursor.key, key.first == IndexKey.block {
            try body(Array(key.dropFirst()))
            cursor.next()
        }
        try cursor.check()
    }

    /// Reads and checks one stored block by multihash; for `repo verify`.
    package func check(multihash: [UInt8]) throws(StoreError) {
        guard let entry = try entry(for: multihash) else { return }
        let bytes = try load(entry, multihash: multihash)
        let parsed: Multihash
        do { parsed = try Multihash(bytes: multihash) } catch {
            throw StoreError(.corruptStore, "index key is not a multihash: \(error)")
        }
        let matches = (try? bytes.withUnsafeBytes { try parsed.matches($0) }) ?? false
        guard matches else { throw StoreError(.corruptBlock, "block \(parsed) on disk does not hash to its multihash") }
    }

    func entry(for multihash: [UInt8]) throws(StoreError) -> BlockIndexEntry? {
        try Self.get(database, IndexKey.block(multihash)).map { (bytes) throws(StoreError) in
            try BlockIndexEntry(bytes: bytes)
        }
    }

    private func load(_ entry: BlockIndexEntry, multihash: [UInt8]) throws(StoreError) -> [UInt8] {
        let stored = try log.read(segment: entry.segment, offset: entry.offset, count: entry.storedLength)
        guard entry.compressed else { return stored }
        do {
            let bytes = try Zstd.decompress(stored, maxOutputSize: entry.rawLength)
            guard bytes.count == entry.rawLength else { throw StoreError(.corruptBlock, "wrong decompressed length") }
            return bytes
        } catch {
            throw StoreError(
                .corruptBlock, "stored block \(Multibase.base32.encode(multihash)) does not decompress: \(error)")
        }
    }

    // MARK: Writing (called by BlockWriter under the gate)

    struct PendingRecord {
        let multihash: [UInt8]
        let flags: UInt8
        /// Offset of the stored bytes within the pending buffer.
        let dataOffset: Int
        let storedLength: Int
        let rawLength: Int
    }

    /// A record written to the value log but not yet indexed.
    struct SpilledRecord {
        let multihash: [UInt8]
        let entry: BlockIndexEntry
    }

    /// One spill: where it went, how many bytes, and its records.
    struct SpilledBatch {
        let segment: UInt32
        let size: UInt64
        let records: [SpilledRecord]
    }

    /// Appends a buffer of records to the value log, without syncing, and says where each went.
    ///
    /// The bytes count against the storage limit from now on (as reserved) and become blocks
    /// only when ``publish(_:writer:)`` syncs and indexes them. A crash before that leaves
    /// them past the committed length, where the next open cuts them off.
    func spill(buffer: [UInt8], records: [PendingRecord]) throws(StoreError) -> SpilledBatch {
        try state.withLock { (state) throws(StoreError) -> SpilledBatch in
            let size = UInt64(buffer.count)
            if let storageLimit, state.storedBytes + state.reservedBytes + size > storageLimit {
                throw StoreError(
                    .storageLimitExceeded,
                    "storing \(size) more bytes would pass the limit of \(storageLimit) (\(state.storedBytes) in use)"
                )
            }
            // Start a new segment when this buffer would overflow a non-empty active one.
            var segment = state.activeSegment
            var base = state.segments[segment]!.end
            if base > UInt64(ValueLog.magic.count) && base + size > log.maxSegmentSize {
                segment += 1
                _ = try log.create(segment)
                base = UInt64(ValueLog.magic.count)
                state.segments[segment] = SegmentState(committed: 0, live: 0, end: base)
                state.activeSegment = segment
            }
            let file = try log.file(segment)
            try buffer.withBytes { (bytes) throws(StoreError) in try file.write(bytes, at: base) }
            state.segments[segment]!.end = base + size
            state.segments[segment]!.pending += size
            state.reservedBytes += size
            let spilled = records.map { record in
                SpilledRecord(
                    multihash: record.multihash,
                    entry: BlockIndexEntry(
                        flags: record.flags,
                        segment: segment,
                        offset: base + UInt64(record.dataOffset),
                        storedLength: record.storedLength,
                        rawLength: record.rawLength
                    )
                )
            }
            return SpilledBatch(segment: segment, size: size, records: spilled)
        }
    }

    /// Makes spilled records durable and visible: syncs their segments, then writes their index
    /// entries and the segments' committed lengths in one synced LevelDB batch. Records whose
    /// block is already indexed (written twice) stay as dead bytes. Returns the multihashes
    /// this call indexed.
    func publish(_ batches: [SpilledBatch], writer: UInt64) throws(StoreError) -> [[UInt8]] {
        let records = batches.flatMap(\.records)
        return try state.withLock { (state) throws(StoreError) -> [[UInt8]] in
            state.writers[writer, default: []].formUnion(records.map(\.multihash))
            let touched = Set(batches.map(\.segment))
            for segment in touched.sorted() { try log.file(segment).sync() }

            var batch = WriteBatch()
            var fresh: [[UInt8]] = []
            var seen: Set<[UInt8]> = []
            var live: [UInt32: UInt64] = [:]
            var raw: UInt64 = 0
            var stored: UInt64 = 0
            for record in records where seen.insert(record.multihash).inserted {
                guard try entry(for: record.multihash) == nil else { continue }
                batch.put(IndexKey.block(record.multihash), record.entry.encoded())
                live[record.entry.segment, default: 0] += UInt64(record.entry.storedLength)
                raw += UInt64(record.entry.rawLength)
                stored += UInt64(record.entry.storedLength)
                fresh.append(record.multihash)
            }
            var segments = state.segments
            Self.commit(touched, adding: live, to: &segments, in: &batch)
            let totals = [state.blocks + UInt64(fresh.count), state.rawBytes + raw, state.storedBytes + stored]
            batch.put(IndexKey.totals, IndexKey.uint64s(totals))
            try Self.write(database, batch)

            state.segments = segments
            Self.release(batches, from: &state)
            (state.blocks, state.rawBytes, state.storedBytes) = (totals[0], totals[1], totals[2])
            return fresh
        }
    }

    /// Marks `touched` segments committed up to their end (their data was just synced) with
    /// `live` more live bytes, in memory and in `batch`.
    static func commit(
        _ touched: Set<UInt32>,
        adding live: [UInt32: UInt64],
        to segments: inout [UInt32: SegmentState],
        in batch: inout WriteBatch
    ) {
        for segment in touched {
            var info = segments[segment]!
            // fdatasync made everything written to this segment so far durable.
            info.committed = max(info.committed, info.end)
            info.live += live[segment] ?? 0
            segments[segment] = info
            batch.put(IndexKey.segment(segment), IndexKey.uint64s([info.committed, info.live]))
        }
    }

    /// Gives back the reservation of spills that will never be published.
    func drop(_ batches: [SpilledBatch]) {
        state.withLock { Self.release(batches, from: &$0) }
    }

    static func release(_ batches: [SpilledBatch], from state: inout State) {
        for batch in batches {
            state.reservedBytes -= min(state.reservedBytes, batch.size)
            if var info = state.segments[batch.segment] {
                info.pending -= min(info.pending, batch.size)
                state.segments[batch.segment] = info
            }
        }
    }

    /// Ends a writer's claim on its blocks; on rollback, removes the blocks it indexed that no
    /// other open writer relies on.
    func release(writer: UInt64, rollback inserted: [[UInt8]]) throws(StoreError) {
        let doomed = state.withLock { state -> [[UInt8]] in
            state.writers[writer] = nil
            let others = state.writers.values.reduce(into: Set<[UInt8]>()) { $0.formUnion($1) }
            return inserted.filter { !others.contains($0) }
        }
        defer { gate.leaveWriter() }
        if !doomed.isEmpty { try delete(multihashes: doomed) }
    }

    /// Removes blocks from the index and updates the counters; segments left with nothing live
    /// are deleted. Space in partly live segments is reclaimed by ``compact(threshold:)``.
    package func delete(multihashes: [[UInt8]]) throws(StoreError) {
        try state.withLock { (state) throws(StoreError) in
            var batch = WriteBatch()
            var removed: [UInt32: UInt64] = [:]
            var (blocks, raw, stored) = (state.blocks, state.rawBytes, state.storedBytes)
            for multihash in Set(multihashes) {
                guard let entry = try entry(for: multihash) else { continue }
                batch.delete(IndexKey.block(multihash))
                removed[entry.segment, default: 0] += UInt64(entry.storedLength)
                blocks -= 1
                raw -= UInt64(entry.rawLength)
                stored -= UInt64(entry.storedLength)
            }
            var emptied: [UInt32] = []
            for (segment, bytes) in removed {
                var info = state.segments[segment] ?? SegmentState(committed: 0, live: bytes, end: 0)
                info.live -= min(info.live, bytes)
                state.segments[segment] = info
                if info.live == 0 && info.pending == 0 && segment != state.activeSegment {
                    batch.delete(IndexKey.segment(segment))
                    emptied.append(segment)
                } else {
                    batch.put(IndexKey.segment(segment), IndexKey.uint64s([info.committed, info.live]))
                }
            }
            batch.put(IndexKey.totals, IndexKey.uint64s([blocks, raw, stored]))
            try Self.write(database, batch)
            (state.blocks, state.rawBytes, state.storedBytes) = (blocks, raw, stored)
            // The index no longer points into these; a crash before the unlink leaves an orphan
            // file that the next open removes.
            for segment in emptied {
                state.segments[segment] = nil
                try log.remove(segment)
            }
        }
    }

    // MARK: LevelDB helpers

    static func get(_ database: LevelDB, _ key: [UInt8]) throws(StoreError) -> [UInt8]? {
        do { return try database.get(key) } catch { throw StoreError(.ioError, "index read failed: \(error)") }
    }

    static func write(_ database: LevelDB, _ batch: borrowing WriteBatch) throws(StoreError) {
        do { try database.write(batch, sync: true) } catch {
            throw StoreError(.ioError, "index write failed: \(error)")
        }
    }

    static func scan(_ database: LevelDB, prefix: [UInt8]) throws(StoreError) -> [(key: [UInt8], value: [UInt8])] {
        do { return try database.scan(prefix: prefix) } catch {
            throw StoreError(.ioError, "index scan failed: \(error)")
        }
    }
}
