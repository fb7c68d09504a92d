public import CAR
import IPLD
public import Multiformats

/// Imports a CAR into the store (`cairn car import`): all or nothing.
///
/// Every block's hash is checked as it is read (by ``CARReader``); blocks go through one
/// ``BlockWriter``; every root's whole DAG must be in the CAR or already in the store before
/// anything is published; then the blocks are published and the roots pinned.
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
            // The links of every block in the CAR, to check each root's DAG is complete before
            // anything is published.
            var links: [CID: [CID]] = [:]
            var count = 0
            while let block = try reader.next() {
                try writer.add(block.cid, block.bytes)
                links[block.cid] = try BlockLinks.links(of: block.cid, bytes: block.bytes)
                count += 1
                progress(count)
            }
            var seen: Set<CID> = []
            var stack = reader.roots
            while let cid = stack.popLast() {
                guard seen.insert(cid).inserted else { continue }
                if let children = links[cid] {
                    stack.append(contentsOf: children)
                } else if let bytes = try repository.blocks.block(cid) {
                    stack.append(contentsOf: try BlockLinks.links(of: cid, bytes: bytes))
                } else {
                    throw StoreError(
                        .incompleteDAG, "the CAR does not hold the whole DAG of its roots: \(cid) is missing")
                }
            }
            try writer.flush()
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
