import Crypto
public import JCS
import Multiformats
public import SodiumKit

/// Data Integrity proofs with the `eddsa-jcs-2022` cryptosuite (W3C vc-di-eddsa), step for step:
///
/// - transformation: the unsecured document (no `proof`) canonicalized with JCS;
/// - proof configuration: the proof options (no `proofValue`) with the document's `@context`
///   when it has one, `type` `DataIntegrityProof`, `cryptosuite` `eddsa-jcs-2022`, `created`
///   a dateTimeStamp if present, canonicalized with JCS;
/// - hashing: SHA-256 of the canonical proof configuration, then SHA-256 of the canonical
///   document, concatenated in that order (64 bytes);
/// - the proof value: the Ed25519 signature of those 64 bytes, base58btc multibase (`z…`).
///
/// Verification reverses it and says why a proof fails: the proof's `@context` must be a
/// prefix of the document's (and replaces it for hashing), the verification method must
/// resolve (did:key), its purpose must be the expected one, `created` must not be in the future
/// and `expires` not in the past, and the signature must check. swift-crypto's SHA-256, Cairn's
/// strict JSON and JCS, libsodium's Ed25519.
public enum EddsaJcs2022 {
    public static let cryptosuite = "eddsa-jcs-2022"
    public static let proofType = "DataIntegrityProof"

    /// The intermediate values of one proof, as the Recommendation's test vectors list them.
    public struct HashData: Sendable {
        public let canonicalDocument: [UInt8]
        public let canonicalProofConfiguration: [UInt8]
        public let proofConfigurationHash: [UInt8]
        public let documentHash: [UInt8]
        /// proofConfigurationHash ‖ documentHash: what is signed.
        public var combined: [UInt8] { proofConfigurationHash + documentHash }
    }

    /// The proof configuration for `options` over `document`: `options` without `proofValue`,
    /// with the document's `@context` (step 2 of "Create Proof").
    public static func proofConfiguration(options: JSONObject, document: JSONObject) throws(CredentialError)
        -> JSONObject
    {
        var configuration = options
        configuration["proofValue"] = nil
        guard configuration["type"] == .string(proofType), configuration["cryptosuite"] == .string(cryptosuite) else {
            throw CredentialError(.malformed, "the proof options are not a DataIntegrityProof with \(cryptosuite)")
        }
        if let created = configuration["created"] {
            guard case .string(let text) = created, (try? Timestamp(text)) != nil else {
                throw CredentialError(.malformed, "the proof's created is not a dateTimeStamp")
            }
        }
        if let context = document["@context"] { configuration["@context"] = context }
        return configuration
    }

    /// Canonical forms and hashes of `document` (without its proof) under `configuration`.
    public static func hashData(document: JSONObject, configuration: JSONObject) throws(CredentialError) -> HashData {
        var unsecured = document
        unsecured["proof"] = nil
        let canonicalDocument = try canonical(.object(unsecured))
        let canonicalConfiguration = try canonical(.object(configuration))
        return HashData(
            canonicalDocument: canonicalDocument, canonicalProofConfiguration: canonicalConfiguration,
            proofConfigurationHash: Array(SHA256.hash(data: canonicalConfiguration)),
            documentHash: Array(SHA256.hash(data: canonicalDocument)))
    }

    /// The proof options a signer usually gives: the key's verification method and purpose,
    /// with `created` (and optionally `expires`).
    public static func options(
        verificationMethod: String, purpose: String = "assertionMethod", created: Timestamp, expires: Timestamp? = nil
    ) -> JSONObject {
        var options = JSONObject([
            ("type", .string(proofType)), ("cryptosuite", .string(cryptosuite)),
            ("created", .string(created.description)),
            ("verificationMethod", .string(verificationMethod)), ("proofPurpose", .string(purpose)),
        ])
        if let expires { options["expires"] = .string(expires.description) }
        return options
    }

    /// `document` secured with a proof made from `options` by `key` ("Add Proof").
    public static func sign(_ document: JSONObject, options: JSONObject, key: Ed25519.PrivateKey)
        throws(CredentialError)
        -> JSONObject
    {
        guard document["proof"] == nil else {
            throw CredentialError(.unsupported, "the document already has a proof (proof sets are not supported)")
        }
        let configuration = try proofConfiguration(options: options, document: document)
        let data = try hashData(document: document, configuration: configuration)
        var proof = configuration
        proof["proofValue"] = .string(Multibase.base58btc.encode(key.signature(for: data.combined)))
        var secured = document
        secured["proof"] = .object(proof)
        return secured
    }

    /// Why a proof does not verify.
    public enum Failure: Error, Hashable, Sendable, CustomStringConvertible {
        /// No proof, several, or one without the fields the suite needs.
        case malformedProof(String)
        /// A proof of another type or cryptosuite.
        case unsupportedCryptosuite(String)
        /// The proof's `@context` is not the start of the document's.
        case contextMismatch
        /// The verification method does not resolve to an Ed25519 key.
        case unresolvableVerificationMethod(String)
        /// The proof's purpose is not the one the verifier expects.
        case wrongPurpose(expected: String, found: String)
        /// `created` is after the verifier's clock.
        case createdInFuture
        /// `expires` is before the verifier's clock.
        case expired
        /// The signature does not verify over the document and proof configuration.
        case badSignature

        public var description: String {
            switch self {
            case .malformedProof(let why): "malformed proof: \(why)"
            case .unsupportedCryptosuite(let what): "unsupported proof: \(what)"
            case .contextMismatch: "the proof's @context does not start the document's"
            case .unresolvableVerificationMethod(let why): "verification method: \(why)"
            case .wrongPurpose(let expected, let found): "proof purpose is \(found), expected \(expected)"
            case .createdInFuture: "the proof's created time is in the future"
            case .expired: "the proof has expired"
            case .badSignature: "the signature does not match the document"
            }
        }
    }

    /// A proof that verified: who signed (the verification method's DID) and when.
    public struct Verified: Hashable, Sendable {
        public let signer: DIDKey
        public let verificationMethod: String
        public let created: Timestamp?
    }

    /// Verifies the proof on `secured` ("Verify Proof").
    ///
    /// - Parameters:
    ///   - purpose: the proof purpose the verifier requires (`assertionMethod` for credentials,
    ///     `authentication` for presentations).
    ///   - now: the verifier's clock, for `created` and `expires`; nil skips both checks.
    public static func verify(_ secured: JSONObject, purpose: String = "assertionMethod", now: Timestamp?)
        -> Result<Verified, Failure>
    {
        guard let proofValue = secured["proof"] else { return .failure(.malformedProof("there is no proof")) }
        guard case .object(let proof) = proofValue else {
            return .failure(.malformedProof("proof is \(proofValue.kindName), not one proof object"))
        }
        guard proof["type"] == .string(proofType) else {
            return .failure(.unsupportedCryptosuite("type \(proof["type"]?.stringValue ?? "missing")"))
        }
        guard proof["cryptosuite"] == .string(cryptosuite) else {
            return .failure(.unsupportedCryptosuite("cryptosuite \(proof["cryptosuite"]?.stringValue ?? "missing")"))
        }
        guard case .string(let value)? = proof["proofValue"], value.hasPrefix("z"),
            let signature = try? Multibase.base58btc.decodeWithoutPrefix(value.dropFirst()), signature.count == 64
        else { return .failure(.malformedProof("proofValue is not a base58btc Ed25519 signature")) }
        guard case .string(let method)? = proof["verificationMethod"] else {
            return .failure(.malformedProof("verificationMethod is missing"))
        }
        guard case .string(let foundPurpose)? = proof["proofPurpose"] else {
            return .failure(.malformedProof("proofPurpose is missing"))
        }
        var created: Timestamp?
        if let createdValue = proof["created"] {
            guard case .string(let text) = createdValue, let time = try? Timestamp(text) else {
                return .failure(.malformedProof("created is not a dateTimeStamp"))
            }
            created = time
        }
        var expires: Timestamp?
        if let expiresValue = proof["expires"] {
            guard case .string(let text) = expiresValue, let time = try? Timestamp(text) else {
                return .failure(.malformedProof("expires is not a dateTimeStamp"))
            }
            expires = time
        }
        var options = proof
        options["proofValue"] = nil
        var document = secured
        document["proof"] = nil
        if let proofContext = options["@context"] {
            // The proof's contexts must begin the document's, in order; they then stand for the
            // document's in the hash (the Recommendation's step 3).
            let documentContexts = Self.contexts(document["@context"])
            let proofContexts = Self.contexts(proofContext)
            guard proofContexts.count <= documentContexts.count,
                zip(proofContexts, documentContexts).allSatisfy({ $0 == $1 })
            else { return .failure(.contextMismatch) }
            document["@context"] = proofContext
        }
        let signer: DIDKey
        do { signer = try DIDKey.resolve(verificationMethod: method) } catch {
            return .failure(.unresolvableVerificationMethod(error.message))
        }
        guard foundPurpose == purpose else { return .failure(.wrongPurpose(expected: purpose, found: foundPurpose)) }
        if let now {
            if let created, created > now { return .failure(.createdInFuture) }
            if let expires, expires < now { return .failure(.expired) }
        }
        guard let data = try? hashData(document: document, configuration: options) else {
            return .failure(.malformedProof("the document or proof cannot be canonicalized"))
        }
        guard signer.publicKey.isValidSignature(signature, for: data.combined) else { return .failure(.badSignature) }
        return .success(Verified(signer: signer, verificationMethod: method, created: created))
    }

    /// `@context` as a list (a single value counts as a list of one).
    static func contexts(_ value: JSONValue?) -> [JSONValue] {
        switch value {
        case nil: []
        case .array(let items)?: items
        case let single?: [single]
        }
    }

    private static func canonical(_ value: JSONValue) throws(CredentialError) -> [UInt8] {
        do { return try JCS.canonicalize(value) } catch {
            throw CredentialError(.malformed, "cannot canonicalize: \(error.message)")
        }
    }
}
