import CairnTestSupport
import Foundation
import Testing

/// `cairn shard encode|decode|prove|verify-proof` through the built binary.
@Suite struct ShardCommandTests {
    @Test func encodesLosesShardsAndRebuilds() throws {
        let directory = try TemporaryDirectory()
        let input = directory.path("input.bin")
        let bytes = UnixFSVectors.chacha20(seed: "shards", length: 3_000_000)
        try Data(bytes).write(to: URL(fileURLWithPath: input))
        let encode = try CairnExecutable.run([
            "shard", "encode", input, "-k", "4", "-m", "2", "--shard-size", "524288", "-o", directory.path("enc"),
        ])
        #expect(encode.status == 0, "\(encode.standardError)")
        #expect(encode.standardOutput.split(separator: "\n").count == 2, "3,000,000 bytes in 2 MiB segments")
        // Lose one shard, damage another (in a different segment): still rebuilt.
        try FileManager.default.removeItem(atPath: directory.path("enc/segment-000000/shard-003.bin"))
        var damaged = [UInt8](
            try Data(contentsOf: URL(fileURLWithPath: directory.path("enc/segment-000001/shard-004.bin"))))
        damaged[5] ^= 0x10
        try Data(damaged).write(to: URL(fileURLWithPath: directory.path("enc/segment-000001/shard-004.bin")))
        let decode = try CairnExecutable.run([
            "shard", "decode", directory.path("enc"), "-o", directory.path("out.bin"),
        ])
        #expect(decode.status == 0, "\(decode.standardError)")
        #expect(decode.standardOutput.contains("missing [3]"))
        #expect(decode.standardOutput.contains("corrupt [4], not used"))
        #expect(try Data(contentsOf: URL(fileURLWithPath: directory.path("out.bin"))) == Data(bytes))
        // Lose three shards of a 4+2 segment: refused, and no output file left behind.
        for number in [0, 1, 2] {
            try FileManager.default.removeItem(atPath: directory.path("enc/segment-000001/shard-00\(number).bin"))
        }
        let refused = try CairnExecutable.run([
            "shard", "decode", directory.path("enc"), "-o", directory.path("again.bin"),
        ])
        #expect(refused.status == 1)
        #expect(refused.standardError.contains("too few shards"))
        #expect(!FileManager.default.fileExists(atPath: directory.path("again.bin")))
        #expect(!FileManager.default.fileExists(atPath: directory.path("again.bin.partial")))
    }

    @Test func provesAndVerifiesStorageOfAShard() throws {
        let directory = try TemporaryDirectory()
        let input = directory.path("input.bin")
        try Data(UnixFSVectors.chacha20(seed: "prove", length: 400_000)).write(to: URL(fileURLWithPath: input))
        _ = try CairnExecutable.run(["shard", "encode", input, "-k", "4", "-m", "2", "-o", directory.path("enc")])
        let shard = directory.path("enc/segment-000000/shard-002.bin")
        let seed = String(repeating: "ab", count: 32)
        let prove = try CairnExecutable.run([
            "shard", "prove", shard, "--seed", seed, "--leaves", "16", "-o", directory.path("p.cbor"),
        ])
        #expect(prove.status == 0, "\(prove.standardError)")
        let parts = prove.standardOutput.split(separator: " ")
        let cid = String(parts[0])
        let leafCount = String(parts[1])
        let arguments = [
            "shard", "verify-proof", directory.path("p.cbor"), "--shard-cid", cid, "--leaf-count", leafCount,
        ]
        let valid = try CairnExecutable.run(arguments + ["--seed", seed, "--leaves", "16"])
        #expect(valid.status == 0 && valid.standardOutput == "valid\n")
        let replayed = try CairnExecutable.run(
            arguments + ["--seed", String(repeating: "cd", count: 32), "--leaves", "16"])
        #expect(replayed.status == 1 && replayed.standardOutput.contains("wrongSeed"))
        let badSeed = try CairnExecutable.run(arguments + ["--seed", "xyz", "--leaves", "16"])
        #expect(badSeed.status == 64)
        var tampered = [UInt8](try Data(contentsOf: URL(fileURLWithPath: directory.path("p.cbor"))))
        tampered[tampered.count / 2] ^= 0x01
        try Data(tampered).write(to: URL(fileURLWithPath: directory.path("t.cbor")))
        let broken = try CairnExecutable.run([
            "shard", "verify-proof", directory.path("t.cbor"), "--shard-cid", cid, "--leaf-count", leafCount, "--seed",
            seed,
            "--leaves", "16",
        ])
        #expect(broken.status == 1)
    }
}
