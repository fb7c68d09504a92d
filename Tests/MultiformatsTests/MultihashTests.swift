import CairnTestSupport
import Multiformats
import Testing

@Suite struct MultihashTests {
    // FIPS 180-2 ("abc") for SHA-2; RFC 7693 and the BLAKE2 reference for blake2b-256.
    static let knownDigests: [(HashAlgorithm, String, String)] = [
        (.sha2_256, "abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        (.sha2_256, "", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        (
            .sha2_512, "abc",
            "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f"
        ),
        (.blake2b_256, "abc", "bddd813c634239723171ef3fee98579b94964e3bb1cb3e427262c8c068d52319"),
        (.blake2b_256, "", "0e5751c026e543b2e8ab2eb06099daa1d1e5df47778f7787faab45cdf12fe3a8"),
        (.identity, "abc", "616263"),
    ]

    @Test(arguments: knownDigests.indices)
    func computesKnownDigests(index: Int) throws {
        let (algorithm, input, hex) = Self.knownDigests[index]
        let multihash = try Multihash.hash(Array(input.utf8), with: algorithm)
        #expect(multihash.code == algorithm.code)
        #expect(Hex.encode(multihash.digest) == hex)
        #expect(
            multihash.bytes == Varint.encode(algorithm.code.rawValue) + Varint.encode(UInt64(hex.count / 2))
                + Hex.decode(hex))
        #expect(try Multihash(bytes: multihash.bytes) == multihash)
        #expect(try Array(input.utf8).withUnsafeBytes { try multihash.matches($0) })
    }

    @Test func sha256MultihashHasTheWellKnownPrefix() {
        let multihash = Multihash.sha256(Array("abc".utf8))
        #expect(Array(multihash.bytes.prefix(2)) == [0x12, 0x20])
        #expect(multihash.bytes.count == 34)
        #expect(multihash.description == "sha2-256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }

    @Test(arguments: HashAlgorithm.allCases)
    func streamingEqualsOneShotForAnySplit(algorithm: HashAlgorithm) throws {
        var random = SeededGenerator(seed: 0x5eed)
        let data = random.bytes(count: algorithm == .identity ? 100 : 100_000)
        let whole = try Multihash.hash(data, with: algorithm)
        for _ in 0..<20 {
            var hasher = StreamingHasher(algorithm)
            var offset = 0
            while offset < data.count {
                let next = min(data.count, offset + Int.random(in: 0...5000, using: &random))
                hasher.update(Array(data[offset..<next]))
                offset = next
            }
            #expect(try hasher.finalize() == whole)
        }
        #expect(try data.withUnsafeBytes { try whole.matches($0) })
        var tampered = data
        tampered[data.count / 2] ^= 1
        #expect(try tampered.withUnsafeBytes { try whole.matches($0) } == false)
    }

    @Test func finalizingDoesNotDisturbTheHasher() throws {
        var hasher = StreamingHasher(.blake2b_256)
        hasher.update(Array("ab".utf8))
        let prefix = try hasher.finalize()
        hasher.update(Array("c".utf8))
        #expect(try hasher.finalize() == Multihash.hash(Array("abc".utf8), with: .blake2b_256))
        #expect(prefix == (try Multihash.hash(Array("ab".utf8), with: .blake2b_256)))
    }

    @Test func refusesOversizedIdentity() {
        let data = [UInt8](repeating: 1, count: HashAlgorithm.maxIdentityLength + 1)
        #expect(throws: MultiformatsError(.inputTooLong, "")) { try Multihash.hash(data, with: .identity) }
        #expect(throws: MultiformatsError(.inputTooLong, "")) {
            try Multihash(bytes: [0x00, 0x81, 0x01] + data)
        }
    }

    @Test func parsesUnknownFunctionsButCannotVerifyThem() throws {
        // blake3 (0x1e), 32-byte digest: parses, prints, but cannot be checked.
        let multihash = try Multihash(bytes: [0x1e, 0x20] + [UInt8](repeating: 7, count: 32))
        #expect(multihash.algorithm == nil)
        #expect(multihash.code == .blake3)
        #expect(throws: MultiformatsError(.unsupportedHashFunction, "")) {
            try [UInt8]().withUnsafeBytes { try multihash.matches($0) }
        }
    }

    @Test(
        arguments: [
            [0x12, 0x20] + [UInt8](repeating: 0, count: 31),  // declares 32, has 31
            [0x12, 0x1f] + [UInt8](repeating: 0, count: 31),  // truncated sha2-256
            [0x12, 0x21] + [UInt8](repeating: 0, count: 33),  // over-long sha2-256
            [0x13, 0x20] + [UInt8](repeating: 0, count: 32),  // sha2-512 must be 64
            [0xa0, 0xe4, 0x02, 0x10] + [UInt8](repeating: 0, count: 16),  // blake2b-256 must be 32
            [0x1e, 0x81, 0x02] + [UInt8](repeating: 0, count: 257),  // unknown function, over 128
            [0x1e, 0x00],  // unknown function, empty digest
        ] as [[UInt8]])
    func rejectsWrongDigestLength(bytes: [UInt8]) {
        #expect(throws: MultiformatsError(.wrongDigestLength, "")) { try Multihash(bytes: bytes) }
    }

    @Test func rejectsTrailingBytes() throws {
        let error = try #require(throws: MultiformatsError.self) {
            try Multihash(bytes: Multihash.sha256([1, 2, 3]).bytes + [0])
        }
        #expect(error.code == .trailingBytes)
        #expect(error.offset == 34)
    }

    @Test(arguments: [[], [0x12], [0x92]] as [[UInt8]])
    func rejectsTruncatedHeader(bytes: [UInt8]) {
        let result = Result { try Multihash(bytes: bytes) }
        guard case .failure(let error as MultiformatsError) = result else {
            Issue.record("parsed \(bytes)")
            return
        }
        #expect([.emptyInput, .truncatedVarint].contains(error.code))
    }

    @Test func refusesDigestOfTheWrongLengthWhenBuilt() {
        #expect(throws: MultiformatsError(.wrongDigestLength, "")) {
            try Multihash(code: .sha2_256, digest: [1, 2, 3])
        }
    }
}
