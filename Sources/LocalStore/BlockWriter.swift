import CodedErrors
public import Multiformats
import ZstdKit

/// A batch of block writes: buffered, spilled to the value log every few megabytes, and made
/// durable and visible at ``flush()`` and ``commit()``.
///
/// Blocks are acknowledged when ``flush()`` or ``commit()`` returns: then every one is synced
/// and indexed. In between, spilled bytes are on disk but unsynced and unindexed, so a large
/// add pays for one sync, not one per batch (measured: syncing every 8 MiB caps writes near
/// 340 MB/s here; one sync at the end, 1.9 GB/s). While a writer is open, garbage collection
/// waits, so nothing it has flushed can be collected before the caller pins it. ``abort()``
/// (or dropping the writer uncommitted) removes what it flushed that nothing else relies on.
///
/// Not thread-safe: one writer per task.
public final class BlockWriter {
    /// Spill to the value log when this many bytes are buffered.
    public static let spillThreshold = 8 << 20

    private let store: BlockStore
    private let id: UInt64
    private var buffer: [UInt8] = []
    private var records: [BlockStore.PendingRecord] = []
    private var spilled: [BlockStore.SpilledBatch] = []
    private var inserted: [[UInt8]] = []
    private var closed = false

    /// Blocks this writer added to the store (not counting ones it already had).
    public var insertedCount: Int { inserted.count }

    init(store: BlockStore, id: UInt64) {
        self.store = store
        self.id = id
        buffer.reserveCapacity(Self.spillThreshold + (1 << 20))
    }

    deinit {
        if !closed { try? abort() }
    }

    /// Adds a block whose CID the caller computed from these exact bytes.
    public func add(_ cid: CID, _ bytes: UnsafeRawBufferPointer) throws(StoreError) {
        precondition(!closed, "add after commit or abort")
        if cid.multihash.code == .identity { return }
        let multihash = cid.multihash.bytes
        var flags: UInt8 = 0
        var compressed: [UInt8]?
        if Self.worthCompressing(bytes) {
            let candidate = Zstd.compress(bytes, level: 1)
            if candidate.count <= bytes.count - bytes.count / 8 {
                compressed = candidate
                flags = BlockIndexEntry.zstdFlag
            }
        }
        let storedLength = compressed?.count ?? bytes.count
        ValueLog.appendRecordHeader(multihash: multihash, flags: flags, storedLength: storedLength, to: &buffer)
        let dataOffset = buffer.count
        if let compressed { buffer.append(contentsOf: compressed) } else { buffer.append(contentsOf: bytes) }
        records.append(
            BlockStore.PendingRecord(
                multihash: multihash,
                flags: flags,
                dataOffset: dataOffset,
                storedLength: storedLength,
                rawLength: bytes.count
            )
        )
        if buffer.count >= Self.spillThreshold { try spill() }
    }

    /// Adds a block whose CID the caller computed from these exact bytes.
    public func add(_ cid: CID, _ bytes: [UInt8]) throws(StoreError) {
        try bytes.withBytes { (buffer) throws(StoreError) in try add(cid, buffer) }
    }

    /// Makes every block added so far durable and visible (readable, pinnable); the writer can
    /// keep adding afterwards.
    public func flush() throws(StoreError) {
        try spill()
        guard !spilled.isEmpty else { return }
        let batches = spilled
        spilled.removeAll()
        do {
            inserted += try store.publish(batches, writer: id)
        } catch {
            store.drop(batches)
            throw error
        }
    }

    /// Flushes and ends the writer.
    public func commit() throws(StoreError) {
        precondition(!closed, "commit after commit or abort")
        try flush()
        closed = true
        try store.release(writer: id, rollback: [])
    }

    /// Ends the writer: what was never flushed is dropped, and what was flushed is removed
    /// unless another open writer relies on it.
    public func abort() throws(StoreError) {
        guard !closed else { return }
        closed = true
        records.removeAll()
        buffer.removeAll()
        store.drop(spilled)
        spilled.removeAll()
        try store.release(writer: id, rollback: inserted)
    }

    private func spill() throws(StoreError) {
        guard !records.isEmpty else { return }
        defer {
            buffer.removeAll(keepingCapacity: true)
            records.removeAll()
        }
        spilled.append(try store.spill(buffer: buffer, records: records))
    }

    /// Compressing media wastes time; the first 4 KiB tell whether the rest will shrink.
    private static func worthCompressing(_ bytes: UnsafeRawBufferPointer) -> Bool {
        guard bytes.count >= 512 else { return false }
        let probe = UnsafeRawBufferPointer(rebasing: bytes.prefix(4096))
        return Zstd.compress(probe, level: 1).count < probe.count * 7 / 8
    }
}
