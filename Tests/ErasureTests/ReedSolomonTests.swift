import CairnTestSupport
import Erasure
import Testing

/// Checked against arithmetic written here, independently of ISA-L: GF(2^8) modulo 0x11d and the
/// Cauchy matrix from its definition.
@Suite struct ReedSolomonTests {
    static func multiply(_ a: UInt8, _ b: UInt8) -> UInt8 { GF256Reference.multiply(a, b) }
    static func inverse(_ a: UInt8) -> UInt8 { GF256Reference.inverse(a) }

    /// Parity row p (0-based), column j: 1 / ((k + p) ⊕ j).
    static func referenceParity(_ data: [[UInt8]], parityShards m: Int) -> [[UInt8]] {
        let k = data.count
        return (0..<m).map { p in
            let row = (0..<k).map { j in inverse(UInt8((k + p) ^ j)) }
            return (0..<data[0].count).map { position in
                (0..<k).reduce(UInt8(0)) { sum, j in sum ^ multiply(row[j], data[j][position]) }
            }
        }
    }

    static let backends = ReedSolomon.Backend.allCases.filter(\.isAvailable)

    @Test(arguments: [(1, 1), (4, 2), (10, 4), (10, 6), (3, 5), (20, 12)])
    func encodesAsTheCauchyDefinitionSays(k: Int, m: Int) throws {
        var random = SeededGenerator(seed: UInt64(k * 31 + m))
        let data = (0..<k).map { _ in random.bytes(count: 333) }
        for backend in Self.backends {
            let codec = try ReedSolomon(dataShards: k, parityShards: m, backend: backend)
            #expect(try codec.encode(data) == Self.referenceParity(data, parityShards: m), "\(backend)")
        }
    }

    /// The GFNI kernel against ISA-L: random shapes and lengths around its 64-byte vectors.
    @Test(.enabled(if: ReedSolomon.Backend.gfni.isAvailable), arguments: 0..<20)
    func gfniIsBitIdenticalToISAL(seed: Int) throws {
        var random = SeededGenerator(seed: UInt64(seed) &+ 1000)
        let k = Int.random(in: 1...40, using: &random)
        let m = Int.random(in: 1...min(30, 255 - k), using: &random)
        let length = [1, 63, 64, 65, 127, 1000, 16 << 10, (16 << 10) + 17, 100_003].randomElement(using: &random)!
        let data = (0..<k).map { _ in random.bytes(count: length) }
        let isal = try ReedSolomon(dataShards: k, parityShards: m, backend: .isal)
        let gfni = try ReedSolomon(dataShards: k, parityShards: m, backend: .gfni)
        let parity = try isal.encode(data)
        #expect(try gfni.encode(data) == parity, "k=\(k) m=\(m) length=\(length)")
        var damaged: [[UInt8]?] = data + parity
        for index in (0..<(k + m)).shuffled(using: &random).prefix(m) { damaged[index] = nil }
        var viaISAL = damaged
        try isal.reconstruct(&viaISAL)
        try gfni.reconstruct(&damaged)
        #expect(damaged.map { $0! } == data + parity)
        #expect(viaISAL.map { $0! } == data + parity)
    }

    @Test func encodesAKnownAnswerForFourPlusTwo() throws {
        // Data bytes 1, 2, 3, 4; parity rows [1/4, 1/5, 1/6, 1/7] and [1/5, 1/4, 1/7, 1/6].
        let codec = try ReedSolomon(dataShards: 4, parityShards: 2)
        let parity = try codec.encode([[1], [2], [3], [4]])
        let expected0 =
            Self.multiply(Self.inverse(4), 1) ^ Self.multiply(Self.inverse(5), 2)
            ^ Self.multiply(Self.inverse(6), 3) ^ Self.multiply(Self.inverse(7), 4)
        #expect(parity[0] == [expected0])
        #expect(try codec.verify([[1], [2], [3], [4]] + parity))
    }

    /// Random shapes, sizes and loss patterns: every pattern of up to m losses rebuilds exactly.
    @Test(arguments: 0..<24)
    func rebuildsFromAnyKShards(seed: Int) throws {
        var random = SeededGenerator(seed: UInt64(seed) &* 0x9E37)
        let k = Int.random(in: 1...24, using: &random)
        let m = Int.random(in: 1...min(12, 255 - k), using: &random)
        let length = [1, 7, 1000, 16 << 10, (16 << 10) + 1, 50_000].randomElement(using: &random)!
        let codec = try ReedSolomon(
            dataShards: k, parityShards: m, backend: Self.backends.randomElement(using: &random)!)
        let data = (0..<k).map { _ in random.bytes(count: length) }
        let shards = data + (try codec.encode(data))
        for _ in 0..<6 {
            let lost = Set((0..<(k + m)).shuffled(using: &random).prefix(Int.random(in: 1...m, using: &random)))
            var damaged: [[UInt8]?] = shards.enumerated().map { lost.contains($0.offset) ? nil : $0.element }
            try codec.reconstruct(&damaged)
            #expect(damaged.map { $0! } == shards, "k=\(k) m=\(m) length=\(length) lost=\(lost.sorted())")
        }
    }

    @Test func rebuildsOnlyTheShardsAskedFor() throws {
        let codec = try ReedSolomon(dataShards: 6, parityShards: 3)
        var random = SeededGenerator(seed: 4)
        let data = (0..<6).map { _ in random.bytes(count: 4096) }
        let shards = data + (try codec.encode(data))
        var damaged: [[UInt8]?] = shards
        damaged[1] = nil
        damaged[4] = nil
        damaged[7] = nil
        try codec.reconstruct(&damaged, wanted: [4, 7])
        #expect(damaged[1] == nil)
        #expect(damaged[4] == shards[4] && damaged[7] == shards[7])
    }

    @Test func refusesWhenMoreThanMShardsAreLost() throws {
        let codec = try ReedSolomon(dataShards: 4, parityShards: 2)
        let data: [[UInt8]] = [[1, 2], [3, 4], [5, 6], [7, 8]]
        var damaged: [[UInt8]?] = data + (try codec.encode(data))
        damaged[0] = nil
        damaged[2] = nil
        damaged[5] = nil
        let error = try #require(throws: ErasureError.self) { try codec.reconstruct(&damaged) }
        #expect(error.code == .tooFewShards)
        #expect(damaged[1] == [3, 4], "nothing changed")
    }

    @Test func detectsWrongParity() throws {
        let codec = try ReedSolomon(dataShards: 3, parityShards: 2)
        let data: [[UInt8]] = [[1, 2, 3], [4, 5, 6], [7, 8, 9]]
        var shards = data + (try codec.encode(data))
        #expect(try codec.verify(shards))
        shards[4][1] ^= 0x40
        #expect(try codec.verify(shards) == false)
    }

    @Test(arguments: [(0, 1), (1, 0), (200, 56), (255, 1)])
    func refusesUnsupportedShapes(k: Int, m: Int) {
        #expect(throws: ErasureError(.invalidShape, "")) { try ReedSolomon(dataShards: k, parityShards: m) }
    }

    @Test func refusesMismatchedShards() throws {
        let codec = try ReedSolomon(dataShards: 2, parityShards: 1)
        #expect(throws: ErasureError(.invalidShards, "")) { try codec.encode([[1], [2, 3]]) }
        #expect(throws: ErasureError(.invalidShards, "")) { try codec.encode([[1]]) }
        var wrongCount: [[UInt8]?] = [[1], nil]
        #expect(throws: ErasureError(.invalidShards, "")) { try codec.reconstruct(&wrongCount) }
        var uneven: [[UInt8]?] = [[1], [2, 3], nil]
        #expect(throws: ErasureError(.invalidShards, "")) { try codec.reconstruct(&uneven) }
    }

    @Test func handlesTheWidestShapes() throws {
        var random = SeededGenerator(seed: 5)
        for (k, m) in [(29, 51), (200, 55), (1, 254)] {
            let codec = try ReedSolomon(dataShards: k, parityShards: m)
            let data = (0..<k).map { _ in random.bytes(count: 64) }
            let shards = data + (try codec.encode(data))
            var damaged: [[UInt8]?] = shards
            for index in (0..<(k + m)).shuffled(using: &random).prefix(m) { damaged[index] = nil }
            try codec.reconstruct(&damaged)
            #expect(damaged.map { $0! } == shards, "\(k)+\(m)")
        }
    }
}
