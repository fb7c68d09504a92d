import CairnTestSupport
import Ledger
import Testing

/// The incremental tree agrees with the reference tree after any sequence of batches of
/// inserts, updates and removals: same root, same proofs.
@Suite("Incremental state tree")
struct StateTreeTests {
    @Test(arguments: [1, 2, 3, 4] as [UInt64])
    func agreesWithTheReferenceTreeThroughRandomBatches(seed: UInt64) throws {
        var generator = SeededGenerator(seed: seed)
        var entries: [[UInt8]: [UInt8]] = [:]
        var tree = StateTree()
        #expect(tree.root == SparseMerkleTree([:]).root)
        // Keys from a small space, so batches hit existing keys, remove them and bring them back.
        let space = seed == 1 ? 4 : 600
        for _ in 0..<40 {
            var batch: [[UInt8]: [UInt8]?] = [:]
            for _ in 0..<Int.random(in: 0...60, using: &generator) {
                let key =
                    [UInt8(Int.random(in: 0..<space, using: &generator) % 256), UInt8(seed)]
                    + (Int.random(in: 0..<space, using: &generator) >= 256 ? [1] : [])
                batch[key] =
                    Int.random(in: 0..<3, using: &generator) == 0
                    ? .some(nil) : .some([UInt8.random(in: 0...255, using: &generator)])
            }
            tree.update(batch)
            for (key, value) in batch { entries[key] = value }
            let reference = SparseMerkleTree(entries)
            #expect(tree.root == reference.root)
            for key in Array(entries.keys.prefix(5)) + [[0xEE, 0xEE, 0xEE]] {
                #expect(tree.proof(for: key) == reference.proof(for: key))
            }
        }
        // Emptied, it is the empty tree again.
        tree.update(entries.mapValues { _ -> [UInt8]? in nil })
        #expect(tree.root == SparseMerkleTree([:]).root)
        #expect(tree.proof(for: [1]).verify(key: [1], value: nil, root: tree.root) == .valid)
    }

    @Test func anOldCopyKeepsItsRootAfterTheNewOneChanges() {
        let base = StateTree([[1]: [1], [2]: [2], [3]: [3]])
        var next = base
        let changes: [[UInt8]: [UInt8]?] = [[2]: nil, [4]: [4]]
        next.update(changes)
        #expect(base.root == SparseMerkleTree([[1]: [1], [2]: [2], [3]: [3]]).root)
        #expect(next.root == SparseMerkleTree([[1]: [1], [3]: [3], [4]: [4]]).root)
        #expect(base.proof(for: [2]).verify(key: [2], value: [2], root: base.root) == .valid)
        #expect(next.proof(for: [2]).verify(key: [2], value: nil, root: next.root) == .valid)
    }
}
