public import CAR
import IPLD
public import Multiformats

/// Imports a CAR into the store (`cairn car import`): all or nothing.
///
/// Every block's hash is checked as it is read (by ``CARReader``); blocks go through one
/// ``BlockWriter``; then every root must have its whole DAG in the store, and each is pinned.
/// If anything fails — a truncated or corrupt CAR, a missing block, the storage limit — the
/// writer is aborted and the repository is as it was.
public enum CARImporter {
    public struct Result: Sendable, Hashable {
        public let roots: [CID]
        public let blocks: Int
    }

    public static func importCAR(
        _ input: some CARInput,
        into repository: Repository,
        pin: Bool = true,
        progress: (Int) -> Void = { _ in }
    ) throws -> Result {
        let writer = repository.blocks.makeWriter()
        do {
            var reader = try CARReader(input)
            var count = 0
            while let block = try reader.next() {
                try writer.add(block.cid, block.bytes)
                count += 1
                progress(count)
            }
            try writer.flush()
            for root in reader.roots {
                if let missing = try repository.pins.firstMissingBlock(under: root) {
                    throw StoreError(
                        .incompleteDAG, "the CAR does not hold the whole DAG of \(root): \(missing) is missing")
                }
            }
            if pin {
                for root in reader.roots { try repository.pins.add(root, name: nil, verifyComplete: false) }
            }
            try writer.commit()
            return Result(roots: reader.roots, blocks: count)
        } catch {
            try? writer.abort()
            throw error
        }
    }
}
