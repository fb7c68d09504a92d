public import JCS
public import SodiumKit

/// Issues credentials: checks the document, names the issuer, signs with eddsa-jcs-2022
/// (`Specs/credentials.md`, "Issuing").
public enum CredentialIssuer {
    /// `credential` secured by `key`, whose did:key is the issuer.
    ///
    /// The issuer may be left out (it is set to the key's DID) or given as that DID, as a string
    /// or as an object's `id`; `validFrom` defaults to `now`. The result must be a well-formed
    /// VC DM 2.0 credential, and an Open Badges 3.0 one when it says it is.
    ///
    /// - Throws: ``CredentialError`` `.malformed` naming every broken rule, or the issuer that
    ///   is not the key's.
    public static func issue(
        _ credential: JSONObject, key: Ed25519.PrivateKey, now: Timestamp, expires: Timestamp? = nil
    ) throws(CredentialError) -> JSONObject {
        let did = DIDKey(publicKey: key.publicKey)
        var document = credential
        document["proof"] = nil
        if document["issuer"] == nil { document["issuer"] = .string(did.description) }
        guard CredentialVerifier.issuerID(document) == did.description else {
            throw CredentialError(
                .malformed,
                "the issuer is \(CredentialVerifier.issuerID(document) ?? "not a URL"); this key can only issue as \(did)"
            )
        }
        if document["validFrom"] == nil { document["validFrom"] = .string(now.description) }
        var problems = CredentialShape.problems(credential: document)
        if OpenBadge.claims(document) { problems += OpenBadge.problems(credential: document) }
        guard problems.isEmpty else {
            throw CredentialError(.malformed, problems.map(\.description).joined(separator: "; "))
        }
        let options = EddsaJcs2022.options(verificationMethod: did.verificationMethod, created: now, expires: expires)
        return try EddsaJcs2022.sign(document, options: options, key: key)
    }
}
