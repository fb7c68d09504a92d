import CairnTestSupport
import Crypto
import StorageProofs
import Testing

/// The tree checked against RFC 6962's recursive definitions, written here independently.
@Suite struct MerkleTreeTests {
    static func hash(_ bytes: [UInt8]) -> [UInt8] { Array(SHA256.hash(data: bytes)) }

    /// RFC 6962 §2.1 MTH.
    static func referenceRoot(_ leaves: ArraySlice<[UInt8]>) -> [UInt8] {
        if leaves.count == 1 { return hash([0x00] + leaves.first!) }
        var split = 1
        while split * 2 < leaves.count { split *= 2 }
        let middle = leaves.startIndex + split
        return hash([0x01] + referenceRoot(leaves[..<middle]) + referenceRoot(leaves[middle...]))
    }

    /// RFC 6962 §2.1.1 PATH(m, D[n]).
    static func referencePath(_ index: Int, _ leaves: ArraySlice<[UInt8]>) -> [[UInt8]] {
        if leaves.count == 1 { return [] }
        var split = 1
        while split * 2 < leaves.count { split *= 2 }
        let middle = leaves.startIndex + split
        if index < split {
            return referencePath(index, leaves[..<middle]) + [referenceRoot(leaves[middle...])]
        }
        return referencePath(index - split, leaves[middle...]) + [referenceRoot(leaves[..<middle])]
    }

    static func content(leaves: Int, seed: UInt64) -> (bytes: [UInt8], leaves: [[UInt8]]) {
        var random = SeededGenerator(seed: seed)
        let bytes = random.bytes(count: leaves * 1024)
        return (bytes, stride(from: 0, to: bytes.count, by: 1024).map { Array(bytes[$0..<($0 + 1024)]) })
    }

    @Test func hashesOneAndTwoLeavesWithDomainSeparation() throws {
        let (bytes, leaves) = Self.content(leaves: 2, seed: 1)
        let one = try MerkleTree(content: Array(bytes.prefix(1024)))
        #expect(one.root == Self.hash([0x00] + leaves[0]))
        let two = try MerkleTree(content: bytes)
        #expect(two.root == Self.hash([0x01] + Self.hash([0x00] + leaves[0]) + Self.hash([0x00] + leaves[1])))
        #expect(two.root != Self.hash(leaves[0] + leaves[1]), "not a plain hash of the content")
    }

    @Test(arguments: Array(1...40) + [63, 64, 65, 127, 128, 129])
    func matchesRFC6962ForEveryTreeSize(leafCount: Int) throws {
        let (bytes, leaves) = Self.content(leaves: leafCount, seed: UInt64(leafCount))
        let tree = try MerkleTree(content: bytes)
        #expect(tree.leafCount == leafCount)
        #expect(tree.root == Self.referenceRoot(leaves[...]))
        for index in 0..<leafCount {
            #expect(tree.path(for: index) == Self.referencePath(index, leaves[...]), "leaf \(index) of \(leafCount)")
        }
    }

    @Test(arguments: [0, 1, 1023, 1025, 4095])
    func refusesContentThatIsNotWholeLeaves(length: Int) {
        #expect(throws: ProofError(.invalidLength, "")) {
            try MerkleTree(content: [UInt8](repeating: 0, count: length))
        }
    }
}
