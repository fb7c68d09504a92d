import IPLD
import Multiformats

/// Removes every block no pin (and no retained root, such as a ledger block) reaches.
///
/// Runs alone: it waits for open ``BlockWriter``s to finish and holds new ones back until it is
/// done, so a block written by an add in flight is never collected before that add pins it.
/// Marking reads (and so verifies) every block of every recursive pin; if one is corrupt the
/// collection stops before deleting anything, since the children of an unreadable node cannot
/// be found and would otherwise be lost. Afterwards, value-log segments less than half live are
/// rewritten, so the disk space of what was removed comes back.
public enum GarbageCollector {
    public struct Report: Sendable, Hashable, Codable {
        public var removedBlocks: Int
        /// Stored bytes of the removed blocks.
        public var removedBytes: UInt64
        public var keptBlocks: Int
        /// Disk space given back: segments emptied, and mostly dead ones rewritten.
        public var reclaimedBytes: UInt64
    }

    public static func collect(store: BlockStore, pins: PinStore) throws(StoreError) -> Report {
        store.gate.enterCollector()
        defer { store.gate.leaveCollector() }
        var marked: Set<[UInt8]> = []
        // Roots a subsystem retains (the ledger's blocks) are kept like recursive pins.
        let retained = try RecordTable(database: store.database, prefix: .retainedRoot).all().compactMap {
            (try? CID(bytes: $0.key)).map { Pin(cid: $0, kind: .recursive, name: nil, created: 0) }
        }
        for pin in try pins.list() + retained {
            switch pin.kind {
            case .direct:
                marked.insert(pin.cid.multihash.bytes)
            case .recursive:
                var stack = [pin.cid]
                while let cid = stack.popLast() {
                    guard marked.insert(cid.multihash.bytes).inserted else { continue }
                    // Missing blocks have no children to protect; corrupt ones do.
                    guard let bytes = try store.block(cid) else { continue }
                    do {
                        stack.append(contentsOf: try BlockLinks.links(of: cid, bytes: bytes))
                    } catch {
                        throw StoreError(
                            .corruptBlock, "pinned block \(cid) does not decode (\(error)); nothing was collected")
                    }
                }
            }
        }
        var doomed: [[UInt8]] = []
        var kept = 0
        do {
            try store.forEachMultihash { multihash in
                if marked.contains(multihash) { kept += 1 } else { doomed.append(multihash) }
            }
        } catch {
            throw StoreError(.ioError, "cannot list blocks: \(error)")
        }
        let before = store.statistics
        for start in stride(from: 0, to: doomed.count, by: 10_000) {
            try store.delete(multihashes: Array(doomed[start..<min(doomed.count, start + 10_000)]))
        }
        let removed = before.storedBytes - store.statistics.storedBytes
        _ = try store.compact()
        return Report(
            removedBlocks: doomed.count,
            removedBytes: removed,
            keptBlocks: kept,
            reclaimedBytes: before.diskBytes - min(before.diskBytes, store.statistics.diskBytes)
        )
    }
}
