import CodedErrors
public import Multiformats
import ZstdKit

/// A batch of block writes, flushed to disk every few megabytes and at ``commit()``.
///
/// Blocks are acknowledged when ``commit()`` returns: then every one is synced to disk. While a
/// writer is open, garbage collection waits, so nothing it has written can be collected before
/// the caller pins it. ``abort()`` (or dropping the writer uncommitted) removes what it wrote
/// that nothing else relies on.
///
/// Not thread-safe: one writer per task.
public final class BlockWriter {
    /// Flush when this many bytes are pending.
    public static let flushThreshold = 8 << 20

    private let store: BlockStore
    private let id: UInt64
    private var buffer: [UInt8] = []
    private var records: [BlockStore.PendingRecord] = []
    private var inserted: [[UInt8]] = []
    private var closed = false

    /// Blocks this writer added to the store (not counting ones it already had).
    public var insertedCount: Int { inserted.count }

    init(store: BlockStore, id: UInt64) {
        self.store = store
        self.id = id
        buffer.reserveCapacity(Self.flushThreshold + (1 << 20))
    }

    deinit {
        if !closed { try? store.release(writer: id, rollback: inserted + records.map(\.multihash)) }
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
        if buffer.count >= Self.flushThreshold { try flush() }
    }

    /// Adds a block whose CID the caller computed from these exact bytes.
    public func add(_ cid: CID, _ bytes: [UInt8]) throws(StoreError) {
        try bytes.withBytes { (buffer) throws(StoreError) in try add(cid, buffer) }
    }

    /// Writes everything pending and syncs it; the writer can keep adding afterwards.
    public func flush() throws(StoreError) {
        guard !records.isEmpty else { return }
        do {
            inserted += try store.commit(buffer: buffer, records: records, writer: id)
        } catch {
            buffer.removeAll(keepingCapacity: true)
            records.removeAll()
            throw error
        }
        buffer.removeAll(keepingCapacity: true)
        records.removeAll()
    }

    /// Flushes and ends the writer: every block added is now durable.
    public func commit() throws(StoreError) {
        precondition(!closed, "commit after commit or abort")
        try flush()
        closed = true
        try store.release(writer: id, rollback: [])
    }

    /// Ends the writer and removes what it wrote that nothing else relies on.
    public func abort() throws(StoreError) {
        guard !closed else { return }
        closed = true
        records.removeAll()
        try store.release(writer: id, rollback: inserted)
    }

    /// Compressing media wastes time; the first 4 KiB tell whether the rest will shrink.
    private static func worthCompressing(_ bytes: UnsafeRawBufferPointer) -> Bool {
        guard bytes.count >= 512 else { return false }
        let probe = UnsafeRawBufferPointer(rebasing: bytes.prefix(4096))
        return Zstd.compress(probe, level: 1).count < probe.count * 7 / 8
    }
}
