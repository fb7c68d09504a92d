import Multiformats
public import SodiumKit

/// An account: an Ed25519 public key, printed the way `did:key` prints it.
///
/// Text form: multibase base58btc (`z`) of the multicodec `ed25519-pub` varint (`0xed 0x01`)
/// followed by the 32-byte key — `z6Mk…`, 48 characters. So `did:key:<address>` is the same
/// key's DID, and a credential issuer and a ledger account can be the same thing. Parsing is
/// strict: only that prefix, that codec and 32 key bytes (`Specs/ledger.md`, "Accounts").
public struct Address: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// `ed25519-pub` as an unsigned varint.
    static let codecPrefix: [UInt8] = [0xED, 0x01]

    public let publicKey: Ed25519.PublicKey

    public init(publicKey: Ed25519.PublicKey) {
        self.publicKey = publicKey
    }

    /// The 34 bytes the address encodes: codec prefix and key, as they go into dag-cbor.
    public var bytes: [UInt8] { Self.codecPrefix + publicKey.rawRepresentation }

    public init(bytes: [UInt8]) throws(LedgerError) {
        guard bytes.count == 34, Array(bytes.prefix(2)) == Self.codecPrefix else {
            throw LedgerError(.malformed, "an address is 0xed01 followed by a 32-byte Ed25519 key")
        }
        do {
            publicKey = try Ed25519.PublicKey(rawRepresentation: Array(bytes.dropFirst(2)))
        } catch {
            throw LedgerError(.malformed, "an address's key is not an Ed25519 key: \(error.message)")
        }
    }

    /// Parses `z6Mk…` (or `did:key:z6Mk…`).
    public init(_ text: String) throws(LedgerError) {
        var body = Substring(text)
        if body.hasPrefix("did:key:") { body = body.dropFirst("did:key:".count) }
        guard body.first == "z", body.count < 100 else {
            throw LedgerError(.malformed, "an address is base58btc multibase, starting with z")
        }
        let decoded: [UInt8]
        do { decoded = try Multibase.base58btc.decodeWithoutPrefix(body.dropFirst()) } catch {
            throw LedgerError(.malformed, "\"\(text.prefix(60))\" is not base58btc: \(error.message)")
        }
        try self.init(bytes: decoded)
    }

    public var description: String { "z" + Multibase.base58btc.encodeWithoutPrefix(bytes) }

    /// The key's `did:key` DID.
    public var did: String { "did:key:" + description }

    public static func < (lhs: Address, rhs: Address) -> Bool {
        lhs.publicKey.rawRepresentation.lexicographicallyPrecedes(rhs.publicKey.rawRepresentation)
    }
}
