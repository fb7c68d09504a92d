import CairnTestSupport
import StorageProofs
import Testing

@Suite struct StorageProofTests {
    static let shard: (bytes: [UInt8], tree: MerkleTree) = {
        var random = SeededGenerator(seed: 77)
        let bytes = random.bytes(count: 4 << 20)
        return (bytes, try! MerkleTree(content: bytes))
    }()

    static func seed(_ value: UInt8) -> [UInt8] { [UInt8](repeating: value, count: 32) }

    static func proof(leaves: Int = 64, seed: UInt8 = 1) throws -> (StorageProof, Challenge) {
        let challenge = try Challenge(seed: Self.seed(seed), leaves: leaves)
        return (StorageProof.prove(challenge, tree: shard.tree, content: shard.bytes), challenge)
    }

    @Test func aValidProofVerifies() throws {
        let (proof, challenge) = try Self.proof()
        #expect(proof.leaves.count == 64)
        #expect(proof.verify(root: Self.shard.tree.root, leafCount: 4096, challenge: challenge) == .valid)
    }

    @Test func derivesDistinctIndicesDeterministically() throws {
        let challenge = try Challenge(seed: Self.seed(9), leaves: 64)
        let indices = challenge.indices(leafCount: 4096)
        #expect(indices.count == 64 && Set(indices).count == 64)
        #expect(indices == challenge.indices(leafCount: 4096))
        #expect(indices != (try Challenge(seed: Self.seed(10), leaves: 64)).indices(leafCount: 4096))
        #expect(indices.allSatisfy { $0 >= 0 && $0 < 4096 })
        #expect(
            Set((try Challenge(seed: Self.seed(9), leaves: 64)).indices(leafCount: 10)) == Set(0..<10),
            "all leaves of a small shard")
        // Spread: over many seeds every leaf of a small tree is chosen about equally often.
        var counts = [Int](repeating: 0, count: 8)
        for value in 0..<200 {
            var seed = [UInt8](repeating: 0, count: 32)
            seed[0] = UInt8(value)
            seed[1] = UInt8(value >> 8)
            for index in try Challenge(seed: seed, leaves: 1).indices(leafCount: 8) { counts[index] += 1 }
        }
        #expect(counts.allSatisfy { $0 > 10 }, "\(counts)")
    }

    @Test func anyChangedLeafOrPathElementFails() throws {
        let (proof, challenge) = try Self.proof(leaves: 8)
        let root = Self.shard.tree.root
        for (position, leaf) in proof.leaves.enumerated() {
            var data = leaf.data
            data[17] ^= 1
            var leaves = proof.leaves
            leaves[position] = .init(index: leaf.index, data: data, path: leaf.path)
            let tampered = StorageProof(root: proof.root, leafCount: proof.leafCount, seed: proof.seed, leaves: leaves)
            #expect(
                tampered.verify(root: root, leafCount: 4096, challenge: challenge)
                    == .invalid(.badPath(index: leaf.index)))
            for step in leaf.path.indices {
                var path = leaf.path
                path[step][0] ^= 0x80
                leaves = proof.leaves
                leaves[position] = .init(index: leaf.index, data: leaf.data, path: path)
                let bad = StorageProof(root: proof.root, leafCount: proof.leafCount, seed: proof.seed, leaves: leaves)
                #expect(!bad.verify(root: root, leafCount: 4096, challenge: challenge).isValid)
            }
            // A path one element short, or one too long.
            leaves = proof.leaves
            leaves[position] = .init(index: leaf.index, data: leaf.data, path: Array(leaf.path.dropLast()))
            #expect(
                !StorageProof(root: proof.root, leafCount: 4096, seed: proof.seed, leaves: leaves).verify(
                    root: root, leafCount: 4096, challenge: challenge
                ).isValid)
            leaves[position] = .init(index: leaf.index, data: leaf.data, path: leaf.path + [leaf.path[0]])
            #expect(
                !StorageProof(root: proof.root, leafCount: 4096, seed: proof.seed, leaves: leaves).verify(
                    root: root, leafCount: 4096, challenge: challenge
                ).isValid)
        }
    }

    @Test func aChangedIndexRootSeedOrSizeFails() throws {
        let (proof, challenge) = try Self.proof(leaves: 4)
        let root = Self.shard.tree.root
        var leaves = proof.leaves
        let first = leaves[0]
        leaves[0] = .init(index: (first.index + 1) % 4096, data: first.data, path: first.path)
        #expect(
            StorageProof(root: root, leafCount: 4096, seed: proof.seed, leaves: leaves).verify(
                root: root, leafCount: 4096, challenge: challenge) == .invalid(.wrongLeaves))
        var otherRoot = root
        otherRoot[3] ^= 1
        #expect(proof.verify(root: otherRoot, leafCount: 4096, challenge: challenge) == .invalid(.wrongRoot))
        #expect(proof.verify(root: root, leafCount: 4095, challenge: challenge) == .invalid(.wrongLeafCount))
        // Replaying this answer to another epoch's challenge fails.
        let later = try Challenge(seed: Self.seed(2), leaves: 4)
        #expect(proof.verify(root: root, leafCount: 4096, challenge: later) == .invalid(.wrongSeed))
        // Claiming the other challenge's seed with this challenge's leaves fails too.
        let forged = StorageProof(root: root, leafCount: 4096, seed: later.seed, leaves: proof.leaves)
        #expect(forged.verify(root: root, leafCount: 4096, challenge: later) == .invalid(.wrongLeaves))
    }

    @Test func roundTripsItsWireFormAndStaysSmall() throws {
        let (proof, challenge) = try Self.proof(leaves: 64)
        let bytes = proof.encoded()
        #expect(bytes.count < 100_000, "\(bytes.count) bytes for 64 leaves of a 4 MiB shard")
        let decoded = try StorageProof(bytes: bytes)
        #expect(decoded == proof)
        #expect(decoded.verify(root: Self.shard.tree.root, leafCount: 4096, challenge: challenge) == .valid)
        let (single, _) = try Self.proof(leaves: 1)
        // 1 KiB leaf + 12 path hashes (about 1.4 KB) plus the root, seed and framing.
        #expect(single.encoded().count < 1_600, "one leaf: \(single.encoded().count) bytes")
    }

    @Test func refusesMalformedProofBytes() throws {
        let (proof, _) = try Self.proof(leaves: 2)
        let good = proof.encoded()
        let cases: [[UInt8]] = [
            [],
            [UInt8](repeating: 0, count: StorageProof.maxEncodedSize + 1),
            Array(good.prefix(good.count / 2)),
            [0xa0],  // empty map
            [0x80],  // a list
            good + [0x00],
        ]
        for bytes in cases {
            #expect(throws: ProofError(.malformedProof, ""), "\(bytes.count) bytes") { try StorageProof(bytes: bytes) }
        }
        // Well-formed dag-cbor with a short leaf or a short hash.
        let shortLeaf = StorageProof(
            root: proof.root,
            leafCount: proof.leafCount,
            seed: proof.seed,
            leaves: [.init(index: 0, data: [1, 2, 3], path: [])]
        )
        #expect(throws: ProofError(.malformedProof, "")) { try StorageProof(bytes: shortLeaf.encoded()) }
        let shortHash = StorageProof(
            root: proof.root,
            leafCount: proof.leafCount,
            seed: proof.seed,
            leaves: [.init(index: 0, data: proof.leaves[0].data, path: [[1, 2]])]
        )
        #expect(throws: ProofError(.malformedProof, "")) { try StorageProof(bytes: shortHash.encoded()) }
    }

    @Test(arguments: [(31, 1), (32, 0), (32, 1025)])
    func refusesBadChallenges(seedLength: Int, leaves: Int) {
        #expect(throws: ProofError(.invalidChallenge, "")) {
            try Challenge(seed: [UInt8](repeating: 0, count: seedLength), leaves: leaves)
        }
    }
}
