public import IPLD
public import Multiformats
public import SodiumKit

/// A signed ledger transaction: who, in which chain, in what order, at what fee, doing what.
///
/// Encoding (dag-cbor, so canonical and content-addressed; `Specs/ledger.md`, "Transactions"):
/// `{"chain": string, "fee": uint, "kind": string, "nonce": uint, "payload": map,
///   "signature": bytes(64), "signer": bytes(34)}`. The signature is Ed25519 over
/// `"cairn-tx-v1\0" ‖ dag-cbor(the same map without "signature")`: the prefix keeps a
/// transaction signature from ever passing for a signature of anything else the key signs.
/// A transaction's identity is the CIDv1 (dag-cbor, sha2-256) of its whole encoding.
/// Decoding is strict: the bytes must be exactly the canonical encoding (re-encoding gives the
/// same bytes), exactly these fields, within ``maxEncodedSize``.
public struct Transaction: Hashable, Sendable {
    /// The largest encoded transaction accepted (payloads are small records, never content).
    public static let maxEncodedSize = 16 << 10
    static let signingDomain: [UInt8] = Array("cairn-tx-v1".utf8) + [0]

    public let chain: String
    public let signer: Address
    public let nonce: UInt64
    public let fee: UInt64
    public let kind: String
    public let payload: IPLDMap
    public let signature: [UInt8]

    /// Builds and signs a transaction with `key` (whose public key becomes the signer).
    public init(
        chain: String, nonce: UInt64, fee: UInt64, kind: String, payload: IPLDMap, signedBy key: Ed25519.PrivateKey
    ) throws(LedgerError) {
        let unsigned = Transaction(
            chain: chain, signer: Address(publicKey: key.publicKey), nonce: nonce, fee: fee, kind: kind,
            payload: payload, signature: [])
        let message = Self.signingDomain + (try Self.encode(unsignedFieldsOf: unsigned))
        self.init(
            chain: chain, signer: unsigned.signer, nonce: nonce, fee: fee, kind: kind, payload: payload,
            signature: key.signature(for: message))
        guard encoded.count <= Self.maxEncodedSize else {
            throw LedgerError(.oversized, "the transaction encodes to more than \(Self.maxEncodedSize) bytes")
        }
    }

    private init(
        chain: String, signer: Address, nonce: UInt64, fee: UInt64, kind: String, payload: IPLDMap, signature: [UInt8]
    ) {
        self.chain = chain
        self.signer = signer
        self.nonce = nonce
        self.fee = fee
        self.kind = kind
        self.payload = payload
        self.signature = signature
    }

    /// The bytes the signature covers: the domain prefix and the encoding without the signature.
    public var signedBytes: [UInt8] {
        Self.signingDomain + ((try? Self.encode(unsignedFieldsOf: self)) ?? [])
    }

    /// Whether the signature is the signer's over this transaction.
    public var hasValidSignature: Bool {
        signer.publicKey.isValidSignature(signature, for: signedBytes)
    }

    /// The canonical dag-cbor encoding.
    public var encoded: [UInt8] {
        var fields = Self.unsignedFields(of: self)
        fields.append(("signature", .bytes(signature)))
        return try! DagCBOR.encode(.map(IPLDMap(fields)))  // the payload was encodable when made or read
    }

    /// The transaction's CID: CIDv1, dag-cbor, sha2-256 of ``encoded``.
    public var cid: CID {
        CID(v1: .dagCBOR, multihash: encoded.withUnsafeBytes { Multihash.sha256($0) })
    }

    /// Reads a transaction, refusing anything but the exact canonical encoding of the fields.
    public init(bytes: [UInt8]) throws(LedgerError) {
        guard bytes.count <= Self.maxEncodedSize else {
            throw LedgerError(.oversized, "a transaction is at most \(Self.maxEncodedSize) bytes, not \(bytes.count)")
        }
        let map = try LedgerError.decodeMap(bytes, what: "a transaction")
        let expected: Set<String> = ["chain", "fee", "kind", "nonce", "payload", "signature", "signer"]
        guard Set(map.entries.map(\.key)) == expected, map.count == expected.count else {
            throw LedgerError(.malformed, "a transaction has exactly the fields \(expected.sorted())")
        }
        guard case .string(let chain)? = map["chain"], !chain.isEmpty, chain.utf8.count <= 64 else {
            throw LedgerError(.malformed, "chain is a string of 1 to 64 bytes")
        }
        guard case .string(let kind)? = map["kind"], !kind.isEmpty, kind.utf8.count <= 64 else {
            throw LedgerError(.malformed, "kind is a string of 1 to 64 bytes")
        }
        guard case .integer(let nonceValue)? = map["nonce"], let nonce = UInt64(exactly: nonceValue) else {
            throw LedgerError(.malformed, "nonce is an unsigned 64-bit integer")
        }
        guard case .integer(let feeValue)? = map["fee"], let fee = UInt64(exactly: feeValue) else {
            throw LedgerError(.malformed, "fee is an unsigned 64-bit integer")
        }
        guard case .map(let payload)? = map["payload"] else { throw LedgerError(.malformed, "payload is a map") }
        guard case .bytes(let signerBytes)? = map["signer"] else { throw LedgerError(.malformed, "signer is bytes") }
        guard case .bytes(let signature)? = map["signature"], signature.count == 64 else {
            throw LedgerError(.malformed, "signature is 64 bytes")
        }
        self.init(
            chain: chain, signer: try Address(bytes: signerBytes), nonce: nonce, fee: fee, kind: kind, payload: payload,
            signature: signature)
        guard encoded == bytes else {
            throw LedgerError(.nonCanonical, "the transaction is not in canonical dag-cbor form")
        }
    }

    private static func unsignedFields(of transaction: Transaction) -> [(String, IPLDValue)] {
        [
            ("chain", .string(transaction.chain)), ("fee", .integer(Int128(transaction.fee))),
            ("kind", .string(transaction.kind)), ("nonce", .integer(Int128(transaction.nonce))),
            ("payload", .map(transaction.payload)), ("signer", .bytes(transaction.signer.bytes)),
        ]
    }

    private static func encode(unsignedFieldsOf transaction: Transaction) throws(LedgerError) -> [UInt8] {
        do { return try DagCBOR.encode(.map(IPLDMap(unsignedFields(of: transaction)))) } catch {
            throw LedgerError(.malformed, "the payload does not encode as dag-cbor: \(error.message)")
        }
    }
}
