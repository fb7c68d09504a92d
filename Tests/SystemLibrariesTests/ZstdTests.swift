import CairnTestSupport
import Testing
import ZstdKit

@Suite struct ZstdTests {
    @Test(arguments: [0, 1, 100, 4096, 1 << 20])
    func roundTripsCompressibleAndRandomData(size: Int) throws {
        var random = SeededGenerator(seed: UInt64(size))
        let text = (0..<size).map { UInt8(truncatingIfNeeded: $0 % 7 + 65) }
        let noise = random.bytes(count: size)
        for input in [text, noise] {
            let frame = Zstd.compress(input)
            #expect(try Zstd.decompress(frame, maxOutputSize: size) == input)
        }
        if size >= 4096 { #expect(Zstd.compress(text).count < size / 10) }
    }

    @Test func refusesFramesOverTheLimitBeforeDecompressing() throws {
        let frame = Zstd.compress([UInt8](repeating: 0, count: 1 << 20))
        #expect(frame.count < 1000)
        let error = try #require(throws: ZstdError.self) { try Zstd.decompress(frame, maxOutputSize: (1 << 20) - 1) }
        #expect(error.code == .outputTooLarge)
    }

    @Test func refusesInputThatIsNotOneFrame() throws {
        let frame = Zstd.compress(Array("hello, hello, hello".utf8))
        let cases: [[UInt8]] = [
            [],
            Array("not zstd at all".utf8),
            Array(frame.dropLast()),  // truncated
            frame + frame,  // two frames
            frame + [0],  // trailing garbage
        ]
        for input in cases {
            let error = try #require(throws: ZstdError.self) { try Zstd.decompress(input, maxOutputSize: 1000) }
            #expect(error.code == .corruptInput, "\(input.count) bytes: \(error)")
        }
    }

    @Test func detectsACorruptedBlock() throws {
        var random = SeededGenerator(seed: 3)
        let input = (0..<100_000).map { _ in UInt8.random(in: 0...3, using: &random) }
        var frame = Zstd.compress(input)
        frame[frame.count / 2] ^= 0x55
        let result = Result { () throws(ZstdError) in try Zstd.decompress(frame, maxOutputSize: input.count) }
        switch result {
        case .failure(let error): #expect(error.code == .corruptInput)
        // zstd frames carry no checksum by default; a flip may decode to other bytes, which the
        // stores catch by the block hash. It must never decode to the original.
        case .success(let output): #expect(output != input)
        }
    }
}
