import CairnTestSupport
import Testing
import ZlibKit

/// GZIP through zlib: round trips, and every way a member can be wrong refused.
@Suite("GZIP (zlib)")
struct GzipTests {
    @Test(arguments: [0, 1, 16_384, 300_000])
    func roundTrips(count: Int) throws {
        var generator = SeededGenerator(seed: UInt64(count))
        let input = (0..<count).map { _ in UInt8.random(in: 0...3, using: &generator) }
        let member = Gzip.compress(input)
        #expect(Array(member.prefix(2)) == [0x1F, 0x8B])  // the GZIP magic
        #expect(try Gzip.decompress(member, maxOutputSize: count) == input)
    }

    @Test func refusesDamagedMembersAndTooMuchOutput() throws {
        let input = [UInt8](repeating: 0, count: 1 << 20)
        let member = Gzip.compress(input)
        #expect(member.count < 4096)
        #expect(throws: GzipError.self) { try Gzip.decompress(member, maxOutputSize: 1 << 19) }  // a small bomb
        #expect(throws: GzipError.self) { try Gzip.decompress(Array(member.dropLast(3)), maxOutputSize: 1 << 20) }
        #expect(throws: GzipError.self) { try Gzip.decompress(member + [0], maxOutputSize: 1 << 20) }
        var corrupt = member
        corrupt[corrupt.count - 6] ^= 0xFF  // the CRC-32
        #expect(throws: GzipError.self) { try Gzip.decompress(corrupt, maxOutputSize: 1 << 20) }
        #expect(throws: GzipError.self) { try Gzip.decompress([], maxOutputSize: 10) }
        #expect(throws: GzipError.self) { try Gzip.decompress(Array("not gzip".utf8), maxOutputSize: 10) }
    }
}
