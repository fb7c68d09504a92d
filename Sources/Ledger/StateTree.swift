import StorageProofs

/// The state's compact sparse Merkle tree kept as nodes, updated in place of recomputed: a
/// block that changes k of n entries costs about k·log2(n/k) + k hashes, and a proof is a walk
/// from the root, O(log n).
///
/// Same hashes and shape as ``SparseMerkleTree`` (`Specs/ledger.md`, "State commitment"), which
/// stays as the plain reference the tests compare this against. Nodes are immutable and
/// shared: an update copies only the paths it changes, so a state can be copied (the engine
/// builds a block on a copy) for the price of a reference, and the old tree stays valid.
///
/// Invariant: an inner node holds at least two leaves (a subtree with one leaf *is* that leaf,
/// the compact form), so after a removal a parent whose other side is empty collapses to the
/// leaf left on its other side.
public struct StateTree: Sendable {
    final class Node: Sendable {
        let hash: [UInt8]
        /// Set for a leaf.
        let leaf: SparseMerkleTree.Leaf?
        let left: Node?
        let right: Node?

        init(leaf: SparseMerkleTree.Leaf) {
            self.leaf = leaf
            hash = leaf.hash
            left = nil
            right = nil
        }

        init(left: Node?, right: Node?) {
            leaf = nil
            self.left = left
            self.right = right
            hash = SHA256Hasher.hash(
                prefix: 0x01, (left?.hash ?? SparseMerkleTree.empty) + (right?.hash ?? SparseMerkleTree.empty))
        }
    }

    private var top: Node?

    /// An empty tree.
    public init() {}

    /// A tree holding `entries` (state key → value bytes).
    public init(_ entries: [[UInt8]: [UInt8]]) {
        update(entries.mapValues { .some($0) })
    }

    /// The root hash: 32 zero bytes for an empty tree.
    public var root: [UInt8] { top?.hash ?? SparseMerkleTree.empty }

    /// Applies changes: for each state key, its new value, or nil to remove it.
    public mutating func update(_ changes: [[UInt8]: [UInt8]?]) {
        let sorted = changes.map { key, value in
            (keyHash: SHA256Hasher.hash(key), valueHash: value.map { SHA256Hasher.hash($0) })
        }
        .sorted { $0.keyHash.lexicographicallyPrecedes($1.keyHash) }
        top = Self.update(top, sorted[...], depth: 0)
    }

    /// A proof that `key` holds its value, or that it is absent.
    public func proof(for key: [UInt8]) -> StateProof {
        let path = SHA256Hasher.hash(key)
        var siblings: [[UInt8]] = []
        var node = top
        var depth = 0
        while let inner = node, inner.leaf == nil {
            if SparseMerkleTree.bit(path, depth) == 0 {
                siblings.append(inner.right?.hash ?? SparseMerkleTree.empty)
                node = inner.left
            } else {
                siblings.append(inner.left?.hash ?? SparseMerkleTree.empty)
                node = inner.right
            }
            depth += 1
        }
        return StateProof(siblings: siblings, terminal: node?.leaf)
    }

    private typealias Change = (keyHash: [UInt8], valueHash: [UInt8]?)

    /// `node` (at `depth`) with `changes` (sorted by key hash, all on this node's path) applied.
    private static func update(_ node: Node?, _ changes: ArraySlice<Change>, depth: Int) -> Node? {
        guard !changes.isEmpty else { return node }
        guard let node else {
            return build(
                changes.compactMap { change in change.valueHash.map { .init(keyHash: change.keyHash, valueHash: $0) } }[
                    ...], depth: depth)
        }
        if let leaf = node.leaf {
            // Merge the one leaf with the changes, then build the subtree they make.
            var leaves: [SparseMerkleTree.Leaf] = []
            var placed = false
            for change in changes {
                if !placed && leaf.keyHash.lexicographicallyPrecedes(change.keyHash) {
                    leaves.append(leaf)
                    placed = true
                }
                if change.keyHash == leaf.keyHash { placed = true }
                if let valueHash = change.valueHash {
                    leaves.append(SparseMerkleTree.Leaf(keyHash: change.keyHash, valueHash: valueHash))
                }
            }
            if !placed { leaves.append(leaf) }
            return build(leaves[...], depth: depth)
        }
        let split = changes.partitioningIndex { SparseMerkleTree.bit($0.keyHash, depth) == 1 }
        let left = update(node.left, changes[..<split], depth: depth + 1)
        let right = update(node.right, changes[split...], depth: depth + 1)
        switch (left, right) {
        case (nil, nil): return nil
        case (let only?, nil) where only.leaf != nil, (nil, let only?) where only.leaf != nil: return only
        default: return Node(left: left, right: right)
        }
    }

    /// The subtree at `depth` holding `leaves` (sorted by key hash).
    private static func build(_ leaves: ArraySlice<SparseMerkleTree.Leaf>, depth: Int) -> Node? {
        switch leaves.count {
        case 0: return nil
        case 1: return Node(leaf: leaves.first!)
        default:
            precondition(depth < 256, "two leaves with one key hash")
            let split = leaves.partitioningIndex { SparseMerkleTree.bit($0.keyHash, depth) == 1 }
            return Node(
                left: build(leaves[..<split], depth: depth + 1), right: build(leaves[split...], depth: depth + 1))
        }
    }
}

extension ArraySlice {
    /// The first index whose element satisfies `isSecond`, for a slice where every element
    /// that does comes after every element that does not.
    fileprivate func partitioningIndex(where isSecond: (Element) -> Bool) -> Index {
        var low = startIndex
        var high = endIndex
        while low < high {
            let middle = (low + high) / 2
            if isSecond(self[middle]) { high = middle } else { low = middle + 1 }
        }
        return low
    }
}
