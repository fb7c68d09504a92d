import CairnTestSupport
import Crypto
import Ledger
import Testing

/// The state commitment: roots, proofs of presence and absence, and every tampering refused.
@Suite("Sparse Merkle tree")
struct SparseMerkleTreeTests {
    static func entries(_ count: Int, seed: UInt64) -> [[UInt8]: [UInt8]] {
        var generator = SeededGenerator(seed: seed)
        var entries: [[UInt8]: [UInt8]] = [:]
        while entries.count < count {
            let key = (0..<Int.random(in: 1...40, using: &generator)).map { _ in
                UInt8.random(in: 0...255, using: &generator)
            }
            entries[key] = (0..<Int.random(in: 0...64, using: &generator)).map { _ in
                UInt8.random(in: 0...255, using: &generator)
            }
        }
        return entries
    }

    static func sha256(_ bytes: [UInt8]) -> [UInt8] { Array(SHA256.hash(data: bytes)) }

    @Test func emptyAndSingleLeafRoots() {
        #expect(SparseMerkleTree([:]).root == [UInt8](repeating: 0, count: 32))
        // One leaf is the root itself: SHA-256(0x00 ‖ SHA-256(key) ‖ SHA-256(value)).
        let key = Array("alice".utf8)
        let value = Array("100".utf8)
        let expected = Self.sha256([0x00] + Self.sha256(key) + Self.sha256(value))
        #expect(SparseMerkleTree([key: value]).root == expected)
    }

    @Test func twoLeavesHashAsAnInnerNodeOrderedByPath() {
        let a = Array("a".utf8)
        let b = Array("b".utf8)
        let leafA = Self.sha256([0x00] + Self.sha256(a) + Self.sha256([1]))
        let leafB = Self.sha256([0x00] + Self.sha256(b) + Self.sha256([2]))
        let (hashA, hashB) = (Self.sha256(a), Self.sha256(b))
        // Walk down the common prefix of the two paths; the first differing bit decides sides.
        var depth = 0
        while (hashA[depth / 8] >> (7 - UInt8(depth % 8))) & 1 == (hashB[depth / 8] >> (7 - UInt8(depth % 8))) & 1 {
            depth += 1
        }
        let aIsLeft = (hashA[depth / 8] >> (7 - UInt8(depth % 8))) & 1 == 0
        var node = Self.sha256([0x01] + (aIsLeft ? leafA + leafB : leafB + leafA))
        for level in stride(from: depth - 1, through: 0, by: -1) {
            let right = (hashA[level / 8] >> (7 - UInt8(level % 8))) & 1 == 1
            node = Self.sha256(
                [0x01] + (right ? [UInt8](repeating: 0, count: 32) + node : node + [UInt8](repeating: 0, count: 32)))
        }
        #expect(SparseMerkleTree([a: [1], b: [2]]).root == node)
    }

    @Test(arguments: [1, 2, 3, 17, 256, 1000])
    func provesEveryKeyAndAbsentOnes(count: Int) throws {
        let entries = Self.entries(count, seed: UInt64(count))
        let tree = SparseMerkleTree(entries)
        let root = tree.root
        for (key, value) in entries.prefix(200) {
            let proof = tree.proof(for: key)
            #expect(proof.verify(key: key, value: value, root: root) == .valid)
            #expect(proof.verify(key: key, value: value + [0], root: root) == .invalid(.valueMismatch))
            #expect(proof.verify(key: key, value: nil, root: root) == .invalid(.valueMismatch))
            #expect(proof.siblings.count < 40)
            #expect(try StateProof(bytes: proof.encoded()) == proof)
        }
        var generator = SeededGenerator(seed: 99)
        for _ in 0..<50 {
            let absent = (0..<48).map { _ in UInt8.random(in: 0...255, using: &generator) }
            let proof = tree.proof(for: absent)
            #expect(proof.verify(key: absent, value: nil, root: root) == .valid)
            #expect(proof.verify(key: absent, value: [1], root: root) == .invalid(.keyAbsent))
        }
    }

    @Test func rootsDependOnEveryKeyAndValueNotOnOrder() {
        let entries = Self.entries(300, seed: 7)
        let root = SparseMerkleTree(entries).root
        #expect(SparseMerkleTree(Dictionary(uniqueKeysWithValues: entries.shuffled())).root == root)
        var changed = entries
        let key = entries.keys.first!
        changed[key] = entries[key]! + [1]
        #expect(SparseMerkleTree(changed).root != root)
        changed = entries
        changed[key] = nil
        #expect(SparseMerkleTree(changed).root != root)
    }

    @Test func refusesEveryTamperedByte() throws {
        let entries = Self.entries(64, seed: 11)
        let tree = SparseMerkleTree(entries)
        let root = tree.root
        let (key, value) = entries.first!
        let encoded = tree.proof(for: key).encoded()
        for index in encoded.indices {
            var tampered = encoded
            tampered[index] ^= 0x01
            guard let proof = try? StateProof(bytes: tampered) else { continue }  // no longer parses: refused
            #expect(proof.verify(key: key, value: value, root: root) != .valid, "byte \(index)")
        }
        for index in root.indices {
            var wrongRoot = root
            wrongRoot[index] ^= 0x80
            #expect(tree.proof(for: key).verify(key: key, value: value, root: wrongRoot) == .invalid(.wrongRoot))
        }
        var wrongKey = key
        wrongKey[0] ^= 0x01
        #expect(tree.proof(for: key).verify(key: wrongKey, value: value, root: root) != .valid)
        var wrongValue = value
        wrongValue.append(0)
        #expect(tree.proof(for: key).verify(key: key, value: wrongValue, root: root) != .valid)
    }

    @Test func refusesAbsenceProvedByAnUnrelatedLeaf() {
        let entries = Self.entries(64, seed: 5)
        let tree = SparseMerkleTree(entries)
        let keys = Array(entries.keys)
        // A genuine proof for one key, offered as evidence that a key on another path is absent.
        let proof = tree.proof(for: keys[0])
        let other = keys.first { tree.proof(for: $0).siblings.first != proof.siblings.first }!
        #expect(proof.verify(key: other, value: nil, root: tree.root) != .valid)
    }

    /// An empty map; a terminal of 1; a 1-byte sibling hash; a list; nothing.
    @Test(arguments: [
        [0xA0] as [UInt8],
        [0xA2, 0x68] + Array("siblings".utf8) + [0x80, 0x68] + Array("terminal".utf8) + [0x01],
        [0xA2, 0x68] + Array("siblings".utf8) + [0x81, 0x41, 0x00, 0x68] + Array("terminal".utf8) + [0xF6],
        [0x80],
        [],
    ])
    func refusesMalformedProofs(bytes: [UInt8]) {
        #expect(throws: LedgerError.self) { try StateProof(bytes: bytes) }
    }
}
