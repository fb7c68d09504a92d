public import JCS
import Multiformats
public import SodiumKit

/// A `did:key` for an Ed25519 key (W3C CCG did:key method): the DID is `did:key:` and the key's
/// Multikey form, base58btc of the multicodec `ed25519-pub` (0xed, varint `ed 01`) followed by
/// the 32 key bytes, which always starts `z6Mk`.
///
/// Resolution is pure: the document is computed from the identifier. Its one verification
/// method is `did:key:z6Mk…#z6Mk…`, controlled by the DID itself, for authentication, assertion,
/// capability invocation and delegation; ``document(_:)`` also derives the X25519 key-agreement
/// key (`z6LS…`, multicodec `x25519-pub` 0xec) as the method's "enable encryption key
/// derivation" option describes.
public struct DIDKey: Hashable, Sendable, CustomStringConvertible {
    public static let method = "did:key:"
    static let ed25519Prefix: [UInt8] = [0xED, 0x01]
    static let x25519Prefix: [UInt8] = [0xEC, 0x01]

    public let publicKey: Ed25519.PublicKey

    public init(publicKey: Ed25519.PublicKey) {
        self.publicKey = publicKey
    }

    /// Parses `did:key:z6Mk…`.
    ///
    /// - Throws: ``CredentialError`` `.malformed` for text that is not a did:key, `.unsupported`
    ///   for a did:key of another key type.
    public init(_ did: String) throws(CredentialError) {
        guard did.hasPrefix(Self.method) else {
            throw CredentialError(.malformed, "\"\(did.prefix(80))\" is not a did:key")
        }
        self.init(publicKey: try Self.key(multibase: String(did.dropFirst(Self.method.count))))
    }

    /// The Ed25519 key in a Multikey `publicKeyMultibase` (`z6Mk…`).
    public static func key(multibase: String) throws(CredentialError) -> Ed25519.PublicKey {
        guard multibase.hasPrefix("z"), let bytes = try? Multibase.base58btc.decodeWithoutPrefix(multibase.dropFirst())
        else { throw CredentialError(.malformed, "\"\(multibase.prefix(80))\" is not base58btc multibase") }
        guard bytes.count >= 2 else { throw CredentialError(.malformed, "a Multikey is too short") }
        guard Array(bytes.prefix(2)) == ed25519Prefix else {
            throw CredentialError(.unsupported, "only Ed25519 Multikeys (z6Mk…) are supported")
        }
        guard bytes.count == 34, let key = try? Ed25519.PublicKey(rawRepresentation: Array(bytes.dropFirst(2))) else {
            throw CredentialError(.malformed, "an Ed25519 Multikey holds 32 key bytes")
        }
        return key
    }

    /// The key's Multikey form, `z6Mk…`.
    public var multibase: String {
        Multibase.base58btc.encode(Self.ed25519Prefix + publicKey.rawRepresentation)
    }

    /// `did:key:z6Mk…`.
    public var description: String { Self.method + multibase }

    /// The one verification method's id: `did:key:z6Mk…#z6Mk…`.
    public var verificationMethod: String { description + "#" + multibase }

    /// The X25519 key-agreement key's multibase (`z6LS…`), or nil when the key is not a usable
    /// point.
    public var keyAgreementMultibase: String? {
        publicKey.curve25519Representation.map { Multibase.base58btc.encode(Self.x25519Prefix + $0) }
    }

    /// The key a verification method URL names: `did:key:X#X` with X the same Multikey.
    public static func resolve(verificationMethod url: String) throws(CredentialError) -> DIDKey {
        guard let hash = url.firstIndex(of: "#") else {
            throw CredentialError(.malformed, "a verification method is did:key:…#fragment")
        }
        let did = try DIDKey(String(url[..<hash]))
        guard url[url.index(after: hash)...] == did.multibase else {
            throw CredentialError(.malformed, "a did:key's verification method fragment is its Multikey")
        }
        return did
    }

    /// How to write the DID document.
    public enum DocumentStyle: Sendable {
        /// `Multikey` methods with `publicKeyMultibase` (the did:key method's current form).
        case multikey
        /// `Ed25519VerificationKey2018` and `X25519KeyAgreementKey2019` with `publicKeyBase58`
        /// (the older form most of the method's published test vectors use).
        case verificationKey2018
        /// `JsonWebKey2020` with `publicKeyJwk` (OKP keys, RFC 8037), as one published vector does.
        case jsonWebKey2020
    }

    /// The DID document this DID resolves to.
    public func document(_ style: DocumentStyle = .multikey) -> JSONValue {
        let did = description
        let agreementKey = publicKey.curve25519Representation
        let agreementID = keyAgreementMultibase.map { did + "#" + $0 }
        var methods: [JSONValue]
        var contexts: [JSONValue] = [.string("https://www.w3.org/ns/did/v1")]
        switch style {
        case .multikey:
            contexts.append(.string("https://w3id.org/security/multikey/v1"))
            methods = [method(verificationMethod, "Multikey", ("publicKeyMultibase", multibase))]
            if let agreementID, let agreement = keyAgreementMultibase {
                methods.append(method(agreementID, "Multikey", ("publicKeyMultibase", agreement)))
            }
        case .verificationKey2018:
            contexts += [
                .string("https://w3id.org/security/suites/ed25519-2018/v1"),
                .string("https://w3id.org/security/suites/x25519-2019/v1"),
            ]
            methods = [
                method(
                    verificationMethod, "Ed25519VerificationKey2018",
                    ("publicKeyBase58", Multibase.base58btc.encodeWithoutPrefix(publicKey.rawRepresentation)))
            ]
            if let agreementID, let agreementKey {
                methods.append(
                    method(
                        agreementID, "X25519KeyAgreementKey2019",
                        ("publicKeyBase58", Multibase.base58btc.encodeWithoutPrefix(agreementKey))))
            }
        case .jsonWebKey2020:
            contexts.append(.string("https://w3id.org/security/suites/jws-2020/v1"))
            methods = [method(verificationMethod, "JsonWebKey2020", jwk: "Ed25519", publicKey.rawRepresentation)]
            if let agreementID, let agreementKey {
                methods.append(method(agreementID, "JsonWebKey2020", jwk: "X25519", agreementKey))
            }
        }
        let reference: JSONValue = .array([.string(verificationMethod)])
        var fields: [(String, JSONValue)] = [
            ("@context", .array(contexts)), ("id", .string(did)), ("verificationMethod", .array(methods)),
            ("assertionMethod", reference), ("authentication", reference), ("capabilityInvocation", reference),
            ("capabilityDelegation", reference),
        ]
        if let agreementID { fields.append(("keyAgreement", .array([.string(agreementID)]))) }
        return .object(JSONObject(fields))
    }

    private func method(_ id: String, _ type: String, jwk curve: String, _ key: [UInt8]) -> JSONValue {
        let jwk = JSONObject([
            ("kty", .string("OKP")), ("crv", .string(curve)),
            ("x", .string(Multibase.base64url.encodeWithoutPrefix(key))),
        ])
        return .object(
            JSONObject([
                ("id", .string(id)), ("type", .string(type)), ("controller", .string(description)),
                ("publicKeyJwk", .object(jwk)),
            ]))
    }

    private func method(_ id: String, _ type: String, _ key: (String, String)) -> JSONValue {
        .object(
            JSONObject([
                ("id", .string(id)), ("type", .string(type)), ("controller", .string(description)),
                (key.0, .string(key.1)),
            ]))
    }
}
