import CodedErrors
import LevelDBKit
import Synchronization

extension BlockStore {
    /// What compaction did.
    public struct CompactionReport: Sendable, Hashable, Codable {
        public var segmentsRewritten: Int
        public var blocksMoved: Int
        /// Disk bytes given back: the rewritten segments' length less what was copied forward.
        public var bytesReclaimed: UInt64
    }

    /// Rewrites segments whose live bytes are under `threshold` of their length: copies their
    /// live records, as stored, to the end of the log, re-points the index, and removes them.
    ///
    /// Runs under the collector gate (no writer open). Crash-safe at every step: the copies are
    /// synced before the index moves to them, and the old segment is marked empty in the same
    /// batch; a crash before its file is removed leaves an empty segment the next compaction
    /// (or open, once its entry is gone) removes.
    package func compact(threshold: Double = 0.5) throws(StoreError) -> CompactionReport {
        var report = CompactionReport(segmentsRewritten: 0, blocksMoved: 0, bytesReclaimed: 0)
        let magic = UInt64(ValueLog.magic.count)
        let candidates = state.withLock { state in
            state.segments.filter { _, info in
                info.pending == 0 && info.committed > magic
                    && Double(info.live) < threshold * Double(info.committed - magic)
            }.keys.sorted()
        }
        for segment in candidates {
            try rotate(awayFrom: segment)
            let committed = state.withLock { $0.segments[segment]?.committed } ?? 0
            var buffer: [UInt8] = []
            var records: [PendingRecord] = []
            var batches: [SpilledBatch] = []
            var moved = 0
            do {
                try log.records(in: segment, upTo: committed) { multihash, flags, offset, storedLength in
                    guard let entry = try entry(for: multihash), entry.segment == segment, entry.offset == offset
                    else { return }  // dead: collected, or written twice
                    let stored = try log.read(segment: segment, offset: offset, count: storedLength)
                    ValueLog.appendRecordHeader(
                        multihash: multihash, flags: flags, storedLength: storedLength, to: &buffer)
                    records.append(
                        PendingRecord(
                            multihash: multihash,
                            flags: flags,
                            dataOffset: buffer.count,
                            storedLength: storedLength,
                            rawLength: entry.rawLength
                        )
                    )
                    buffer.append(contentsOf: stored)
                    moved += 1
                    if buffer.count >= BlockWriter.spillThreshold {
                        batches.append(try spill(buffer: buffer, records: records))
                        buffer.removeAll(keepingCapacity: true)
                        records.removeAll()
                    }
                }
                if !records.isEmpty { batches.append(try spill(buffer: buffer, records: records)) }
                try relocate(batches, from: segment)
            } catch {
                drop(batches)
                throw (error as? StoreError) ?? StoreError(.ioError, "compacting segment \(segment): \(error)")
            }
            let copied = batches.reduce(UInt64(0)) { $0 + $1.size }
            report.segmentsRewritten += 1
            report.blocksMoved += moved
            report.bytesReclaimed += committed - min(committed, copied)
        }
        return report
    }

    /// Makes sure new records do not go into `segment`.
    private func rotate(awayFrom segment: UInt32) throws(StoreError) {
        try state.withLock { (state) throws(StoreError) in
            guard state.activeSegment == segment else { return }
            let next = (state.segments.keys.max() ?? segment) + 1
            _ = try log.create(next)
            let magic = UInt64(ValueLog.magic.count)
            var batch = WriteBatch()
            batch.put(IndexKey.segment(next), IndexKey.uint64s([magic, 0]))
            try Self.write(database, batch)
            state.segments[next] = SegmentState(committed: magic, live: 0, end: magic)
            state.activeSegment = next
        }
    }

    /// Syncs the copies, re-points their index entries and retires `old`, in one batch.
    private func relocate(_ batches: [SpilledBatch], from old: UInt32) throws(StoreError) {
        try state.withLock { (state) throws(StoreError) in
            let touched = Set(batches.map(\.segment))
            for segment in touched.sorted() { try log.file(segment).sync() }
            var batch = WriteBatch()
            var live: [UInt32: UInt64] = [:]
            for record in batches.flatMap(\.records) {
                batch.put(IndexKey.block(record.multihash), record.entry.encoded())
                live[record.entry.segment, default: 0] += UInt64(record.entry.storedLength)
            }
            var segments = state.segments
            Self.commit(touched, adding: live, to: &segments, in: &batch)
            batch.delete(IndexKey.segment(old))
            segments[old] = nil
            try Self.write(database, batch)
            state.segments = segments
            Self.release(batches, from: &state)
            try log.remove(old)
        }
    }
}
