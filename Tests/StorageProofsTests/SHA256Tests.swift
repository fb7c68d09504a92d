import CairnTestSupport
import Crypto
import Foundation
import StorageProofs
import Testing

/// The C SHA-256 behind the Merkle tree, against FIPS 180-4 examples and swift-crypto.
@Suite struct SHA256Tests {
    @Test(arguments: [
        ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        (
            "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"
        ),
    ])
    func matchesFIPS180Examples(message: String, digest: String) {
        #expect(Hex.encode(SHA256Hasher.hash(Array(message.utf8))) == digest)
    }

    @Test func matchesSwiftCryptoAtEveryLengthAroundTheBlocks() {
        var random = SeededGenerator(seed: 3)
        let bytes = random.bytes(count: 5000)
        for length in Array(0...200) + [1023, 1024, 1025, 4095, 4096, 5000] {
            let message = Array(bytes.prefix(length))
            #expect(SHA256Hasher.hash(message) == Array(SHA256.hash(data: message)), "length \(length)")
            #expect(
                SHA256Hasher.portableHash(message) == Array(SHA256.hash(data: message)), "portable, length \(length)")
            for prefix: UInt8 in [0x00, 0x01] {
                #expect(
                    SHA256Hasher.hash(prefix: prefix, message) == Array(SHA256.hash(data: [prefix] + message)),
                    "prefix \(prefix), length \(length)"
                )
            }
        }
    }

    @Test func usesSHANIWhereTheCPUHasIt() {
        // Informational on machines without it; on this project's machines it must be on.
        let cpuinfo = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
        if cpuinfo.contains(" sha_ni") { #expect(SHA256Hasher.isAccelerated) }
    }
}
