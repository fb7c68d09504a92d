import CairnTestSupport
import Credentials
import JCS
import SodiumKit
import Testing

/// The verification report: every question with its reason, against the vectors and against
/// credentials Cairn issues and then tampers with.
@Suite("Credential verification")
struct CredentialVerifierTests {
    static let now = try! Timestamp("2025-06-01T00:00:00Z")
    static let listURL = "https://issuer.example/status/1"

    static func vectorLists() throws -> [String: JSONObject] {
        [listURL: try Vector.object("bitstring-status-list/status-list-credential.json")]
    }

    @Test func theVectorsGiveRevokedAndValid() throws {
        let revoked = CredentialVerifier.verify(
            try Vector.object("bitstring-status-list/credential-revoked.json"), now: Self.now,
            statusLists: try Self.vectorLists())
        #expect(revoked.wellFormed.passed && revoked.signature.passed && revoked.issuerBinding.passed)
        #expect(revoked.status.failed && revoked.status.reason.hasPrefix("revoked: bit 94567"))
        #expect(!revoked.verified)
        let valid = CredentialVerifier.verify(
            try Vector.object("bitstring-status-list/credential-valid.json"), now: Self.now,
            statusLists: try Self.vectorLists(), statusEvidence: "ledger pointer checked")
        #expect(valid.verified, "\(valid.checks.map { "\($0.name): \($0.check)" })")
        #expect(valid.status.reason.contains("not revoked (bit 94568"))
        #expect(valid.status.reason.contains("ledger pointer checked"))
        #expect(valid.anchor == .notChecked("not anchored on the ledger"))
        // Without the list, the status is unknown, which fails.
        let unknown = CredentialVerifier.verify(
            try Vector.object("bitstring-status-list/credential-valid.json"), now: Self.now)
        #expect(unknown.status.failed && !unknown.verified)
    }

    @Test func aTooShortListIsAClearStatusError() throws {
        let key = try EddsaJcs2022Tests.vectorKey()
        var list = try Vector.object("bitstring-status-list/status-list-credential.json")
        list["proof"] = nil
        var subject = try #require(list["credentialSubject"]?.objectValue)
        subject["encodedList"] = try Vector.object("bitstring-status-list/status-list-too-short.json")["encodedList"]
        list["credentialSubject"] = .object(subject)
        let signed = try CredentialIssuer.issue(list, key: key, now: try Timestamp("2025-01-01T00:00:00Z"))
        let report = CredentialVerifier.verify(
            try Vector.object("bitstring-status-list/credential-valid.json"), now: Self.now,
            statusLists: [Self.listURL: signed])
        #expect(report.status.failed && report.status.reason.contains("STATUS_LIST_LENGTH_ERROR"))
    }

    @Test func aValidSignatureByAKeyTheIssuerDoesNotControlFailsBinding() throws {
        // The vc-di-eddsa vector: signed by did:key:z6Mkr…, issued by https://vc.example/issuers/5678.
        let report = CredentialVerifier.verify(try Vector.object("eddsa-jcs-2022/signedJCS.json"), now: Self.now)
        #expect(report.signature.passed)
        #expect(report.issuerBinding.failed)
        #expect(report.issuerBinding.reason.contains("not the issuer https://vc.example/issuers/5678"))
        #expect(!report.verified)
    }

    /// A credential with a status entry issued by a fresh key, and its signed list.
    static func issued(revoked: Bool = false) throws -> (JSONObject, JSONObject, Ed25519.PrivateKey) {
        let key = Ed25519.PrivateKey()
        let did = DIDKey(publicKey: key.publicKey).description
        let issuedAt = try Timestamp("2025-01-01T00:00:00Z")
        let credential = try CredentialIssuer.issue(
            JSONObject([
                ("@context", .array([.string(CredentialShape.baseContext)])), ("id", .string("urn:uuid:1234")),
                ("type", .array([.string("VerifiableCredential")])),
                ("validUntil", .string("2026-01-01T00:00:00Z")),
                (
                    "credentialSubject",
                    .object(JSONObject([("id", .string("did:example:ada")), ("passed", .bool(true))]))
                ),
                (
                    "credentialStatus",
                    .object(
                        JSONObject([
                            ("type", .string(StatusEntry.type)), ("statusPurpose", .string("revocation")),
                            ("statusListIndex", .string("77")), ("statusListCredential", .string(listURL)),
                        ]))
                ),
            ]), key: key, now: issuedAt)
        var bits = BitstringStatusList()
        try bits.set(77, revoked)
        let list = try CredentialIssuer.issue(
            bits.credential(url: listURL, purpose: "revocation"), key: key, now: issuedAt)
        #expect(CredentialVerifier.issuerID(credential) == did)
        return (credential, list, key)
    }

    @Test func issuedCredentialsVerifyAndTamperingFailsWithTheRightReason() throws {
        let (credential, list, _) = try Self.issued()
        let lists = [Self.listURL: list]
        #expect(CredentialVerifier.verify(credential, now: Self.now, statusLists: lists).verified)
        func report(_ change: (inout JSONObject) -> Void, lists: [String: JSONObject]? = nil) -> VerificationReport {
            var copy = credential
            change(&copy)
            return CredentialVerifier.verify(copy, now: Self.now, statusLists: lists ?? [Self.listURL: list])
        }
        for key in credential.keys where key != "proof" && key != "@context" {
            #expect(report { $0[key] = .string("urn:changed") }.signature.failed, "\(key)")
        }
        // The issuer: another DID breaks the signature (and could not be bound anyway).
        let stranger = DIDKey(publicKey: Ed25519.PrivateKey().publicKey).description
        #expect(
            report { $0["issuer"] = .string(stranger) }.signature
                == .failed("the signature does not match the document"))
        // The dates: changed ones break the signature; a passed window fails the window.
        #expect(report { $0["validUntil"] = .string("2030-01-01T00:00:00Z") }.signature.failed)
        let late = CredentialVerifier.verify(credential, now: try Timestamp("2026-06-01T00:00:00Z"), statusLists: lists)
        #expect(late.validityWindow == .failed("expired at 2026-01-01T00:00:00Z") && !late.verified)
        let early = CredentialVerifier.verify(
            credential, now: try Timestamp("2024-06-01T00:00:00Z"), statusLists: lists)
        #expect(early.validityWindow.failed && early.signature == .failed("the proof's created time is in the future"))
        // The proof.
        #expect(report { $0["proof"] = nil }.signature == .failed("malformed proof: there is no proof"))
        // The status list: a bit flipped without the issuer's signature, another issuer's list,
        // a list for another purpose.
        var flipped = list
        var subject = try #require(flipped["credentialSubject"]?.objectValue)
        var bits = BitstringStatusList()
        try bits.set(77, true)
        subject["encodedList"] = .string(bits.encoded)
        flipped["credentialSubject"] = .object(subject)
        let forged = report({ _ in }, lists: [Self.listURL: flipped])
        #expect(forged.status.failed && forged.status.reason.contains("its proof fails"))
        let (_, otherList, _) = try Self.issued()
        let foreign = report({ _ in }, lists: [Self.listURL: otherList])
        #expect(foreign.status.failed && foreign.status.reason.contains("not the credential's issuer"))
    }

    @Test func revokedBitsFailTheStatus() throws {
        let (credential, list, _) = try Self.issued(revoked: true)
        let report = CredentialVerifier.verify(credential, now: Self.now, statusLists: [Self.listURL: list])
        #expect(report.status.failed && report.status.reason.hasPrefix("revoked: bit 77"))
        #expect(report.signature.passed && !report.verified)
    }

    @Test func anchorsMatchTheIssuer() throws {
        let (credential, list, _) = try Self.issued()
        let issuer = try #require(CredentialVerifier.issuerID(credential))
        let lists = [Self.listURL: list]
        let anchored = CredentialVerifier.verify(
            credential, now: Self.now, statusLists: lists, anchor: .init(issuer: issuer, height: 12))
        #expect(anchored.anchor == .passed("anchored at height 12 by its issuer") && anchored.verified)
        let other = CredentialVerifier.verify(
            credential, now: Self.now, statusLists: lists, anchor: .init(issuer: "did:example:x", height: 3))
        #expect(other.anchor.failed && !other.verified)
        // The anchor hash does not depend on member order or whitespace.
        let reordered = JSONObject(credential.members.reversed().map { ($0.key, $0.value) })
        #expect(try CredentialVerifier.anchorHash(reordered) == CredentialVerifier.anchorHash(credential))
        // Read back from its canonical bytes, it is the same credential; without its list the
        // report's JSON says why it is not verified.
        guard case .object(let reread) = try JSONParser.parse(try JCS.canonicalize(.object(credential))) else {
            Issue.record("not an object")
            return
        }
        let json = CredentialVerifier.verify(reread, now: Self.now).json
        #expect(json["verified"] == .bool(false))
        #expect(json["checks"]?["status"]?["result"] == .string("failed"))
        #expect(json["checks"]?["signature"]?["result"] == .string("passed"))
    }
}
