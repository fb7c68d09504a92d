import CairnTestSupport
import IPLD
import Ledger
import Multiformats
import SodiumKit
import Testing

/// Addresses and signed transactions: encodings, signatures, and every bad input refused.
@Suite("Addresses and transactions")
struct TransactionTests {
    static let seed = [UInt8](repeating: 7, count: 32)

    static func key() throws -> Ed25519.PrivateKey { try Ed25519.PrivateKey(rawRepresentation: seed) }

    static func transfer(nonce: UInt64 = 1, amount: Int128 = 250, key: Ed25519.PrivateKey? = nil) throws -> Transaction
    {
        let recipient = Address(publicKey: Ed25519.PrivateKey().publicKey)
        return try Transaction(
            chain: "cairn-devnet", nonce: nonce, fee: 10, kind: "transfer",
            payload: IPLDMap([("amount", .integer(amount)), ("to", .bytes(recipient.bytes))]),
            signedBy: key ?? Self.key())
    }

    @Test func addressesAreDidKeyIdentifiers() throws {
        let address = Address(publicKey: try Self.key().publicKey)
        #expect(address.description.hasPrefix("z6Mk"))
        #expect(address.description.count == 48)
        #expect(address.did == "did:key:" + address.description)
        #expect(try Address(address.description) == address)
        #expect(try Address(address.did) == address)
        #expect(try Address(bytes: address.bytes) == address)
    }

    /// did:key's published Ed25519 example (W3C did:key spec) parses to its 32-byte key.
    @Test func readsThePublishedDidKeyExample() throws {
        let address = try Address("did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK")
        #expect(address.publicKey.rawRepresentation.count == 32)
        #expect(address.description == "z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK")
    }

    /// Empty; prefix only; no multibase prefix; a CID; an X25519 key (not Ed25519); one character
    /// short; characters outside base58.
    @Test(arguments: [
        "", "z", "6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK", "bafkqaaa",
        "z6LSbysY2xFMRpGMhb7tFTLMpeuPRaqaWM1yECx2AtzE3KCc",
        "z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2do", "z0OIl",
    ])
    func refusesBadAddresses(text: String) {
        #expect(throws: LedgerError.self) { try Address(text) }
    }

    @Test func signsAndRoundTrips() throws {
        let transaction = try Self.transfer()
        #expect(transaction.hasValidSignature)
        let decoded = try Transaction(bytes: transaction.encoded)
        #expect(decoded == transaction)
        #expect(decoded.hasValidSignature)
        #expect(decoded.cid == transaction.cid)
        #expect(transaction.cid.codec == .dagCBOR)
        #expect(transaction.signer == Address(publicKey: try Self.key().publicKey))
    }

    @Test func anyChangedByteBreaksTheSignatureOrTheEncoding() throws {
        let encoded = try Self.transfer().encoded
        for index in encoded.indices {
            var tampered = encoded
            tampered[index] ^= 0x01
            guard let decoded = try? Transaction(bytes: tampered) else { continue }
            #expect(!decoded.hasValidSignature, "byte \(index) changed and the signature still holds")
        }
    }

    @Test func refusesNonCanonicalAndMalformedEncodings() throws {
        let transaction = try Self.transfer()
        var bytes = transaction.encoded
        // The nonce 1 written as a two-byte integer (0x18 0x01): valid CBOR, not canonical.
        let nonceKey = [0x65] + Array("nonce".utf8)
        let position = try #require(bytes.indices.first { Array(bytes[$0..<min($0 + 6, bytes.count)]) == nonceKey })
        bytes.replaceSubrange((position + 6)..<(position + 7), with: [0x18, 0x01])
        #expect(throws: LedgerError.self) { try Transaction(bytes: bytes) }

        let valid = transaction.encoded
        let cases: [[UInt8]] = [
            [], [0xA0], Array(valid.dropLast()), valid + [0x00],
            try DagCBOR.encode(.list([.string("not a map")])),
            try DagCBOR.encode(.map(IPLDMap([("chain", .string("x"))]))),
        ]
        for bad in cases {
            #expect(throws: LedgerError.self) { try Transaction(bytes: bad) }
        }
        #expect(throws: LedgerError.self) { try Transaction(bytes: [UInt8](repeating: 0xA0, count: 20_000)) }
    }

    @Test func refusesOversizedTransactions() throws {
        let big = IPLDMap([("memo", .bytes([UInt8](repeating: 1, count: 17_000)))])
        #expect(throws: LedgerError.self) {
            try Transaction(chain: "c", nonce: 0, fee: 0, kind: "transfer", payload: big, signedBy: try Self.key())
        }
    }

    @Test func aSignatureDoesNotCarryToAnotherSigner() throws {
        let mine = try Self.transfer()
        let theirs = try Self.transfer(key: Ed25519.PrivateKey())
        // Splice my signature into a transaction signed by another key: same bytes otherwise.
        var spliced = theirs.encoded
        let position = try #require(
            spliced.indices.first { Array(spliced[$0..<min($0 + 64, spliced.count)]) == theirs.signature })
        spliced.replaceSubrange(position..<(position + 64), with: mine.signature)
        let decoded = try Transaction(bytes: spliced)
        #expect(!decoded.hasValidSignature)
    }
}
