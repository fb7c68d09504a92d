import CairnTestSupport
import SodiumKit
import Testing

@Suite struct SodiumTests {
    // RFC 8032 section 7.1, tests 1 and 2.
    static let rfc8032: [(seed: String, publicKey: String, message: String, signature: String)] = [
        (
            "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
            "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a",
            "",
            "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"
        ),
        (
            "4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb",
            "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c",
            "72",
            "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00"
        ),
    ]

    @Test(arguments: rfc8032.indices)
    func signsAndVerifiesRFC8032Vectors(index: Int) throws {
        let vector = Self.rfc8032[index]
        let key = try Ed25519.PrivateKey(rawRepresentation: Hex.decode(vector.seed))
        #expect(Hex.encode(key.publicKey.rawRepresentation) == vector.publicKey)
        let message = Hex.decode(vector.message)
        let signature = key.signature(for: message)
        #expect(Hex.encode(signature) == vector.signature)
        #expect(key.publicKey.isValidSignature(signature, for: message))
    }

    @Test func rejectsTamperedSignaturesMessagesAndKeys() throws {
        let key = Ed25519.PrivateKey()
        let message = Array("certificate".utf8)
        let signature = key.signature(for: message)
        #expect(key.publicKey.isValidSignature(signature, for: message))
        var badSignature = signature
        badSignature[10] ^= 1
        #expect(!key.publicKey.isValidSignature(badSignature, for: message))
        #expect(!key.publicKey.isValidSignature(signature, for: message + [0]))
        #expect(!key.publicKey.isValidSignature(Array(signature.dropLast()), for: message))
        #expect(!Ed25519.PrivateKey().publicKey.isValidSignature(signature, for: message))
    }

    @Test func refusesKeysOfTheWrongLength() {
        #expect(throws: SodiumError.self) { try Ed25519.PrivateKey(rawRepresentation: [1, 2, 3]) }
        #expect(throws: SodiumError.self) { try Ed25519.PublicKey(rawRepresentation: [UInt8](repeating: 0, count: 33)) }
    }

    @Test func hashesRFC7693Vector() {
        // RFC 7693 appendix A: BLAKE2b-512("abc").
        #expect(
            Hex.encode(Blake2b.hash(Array("abc".utf8), outputLength: 64))
                == "ba80a53f981c4d0d6a2797b69f12f6e94c212f14685ac4b74b12bb6fdbffa2d17d87c5392aab792dc252d5de4533cc9518d38aa8dbf1925ab92386edd4009923"
        )
    }

    @Test func copiesOfAHasherAreIndependent() {
        var first = Blake2b(outputLength: 32)
        first.update(Array("ab".utf8))
        var second = first
        second.update(Array("c".utf8))
        first.update(Array("x".utf8))
        #expect(second.finalize() == Blake2b.hash(Array("abc".utf8)))
        #expect(first.finalize() == Blake2b.hash(Array("abx".utf8)))
    }

    @Test func randomBytesDiffer() {
        #expect(SecureRandom.bytes(count: 32) != SecureRandom.bytes(count: 32))
        #expect(SecureRandom.bytes(count: 0).isEmpty)
    }
}
