import CairnTestSupport
import Credentials
import JCS
import SodiumKit
import Testing

/// VC Data Model 2.0 and Open Badges 3.0 structure, each broken rule named.
@Suite("Credential structure")
struct CredentialShapeTests {
    static let minimal = JSONObject([
        ("@context", .array([.string(CredentialShape.baseContext)])),
        ("type", .array([.string("VerifiableCredential")])), ("issuer", .string("did:example:issuer")),
        ("credentialSubject", .object(JSONObject([("name", .string("Ada"))]))),
    ])

    @Test func theMinimalCredentialAndTheVectorsAreWellFormed() throws {
        #expect(CredentialShape.problems(credential: Self.minimal).isEmpty)
        for path in [
            "eddsa-jcs-2022/signedJCS.json", "bitstring-status-list/credential-revoked.json",
            "bitstring-status-list/status-list-credential.json",
        ] {
            #expect(CredentialShape.problems(credential: try Vector.object(path)).isEmpty, "\(path)")
        }
    }

    @Test(
        arguments: [
            ("@context", JSONValue?.none, "@context"),
            ("@context", .array([.string("https://example.org")]), "@context"),
            ("@context", .string(CredentialShape.baseContext), "@context"),
            ("type", .none, "type"), ("type", .string("Credential"), "type"), ("type", .array([.number(1)]), "type"),
            ("issuer", .none, "issuer"), ("issuer", .string("not a url"), "issuer"),
            ("issuer", .object(JSONObject()), "issuer.id"),
            ("issuer", .number(5), "issuer"), ("id", .string("no-scheme"), "id"),
            ("credentialSubject", .none, "credentialSubject"),
            ("credentialSubject", .object(JSONObject()), "credentialSubject"),
            ("credentialSubject", .array([]), "credentialSubject"),
            ("credentialSubject", .array([.string("x")]), "credentialSubject[0]"),
            ("credentialSubject", .object(JSONObject([("id", .string("x y"))])), "credentialSubject.id"),
            ("validFrom", .string("2025-01-01"), "validFrom"), ("validUntil", .number(1), "validUntil"),
            ("name", .number(1), "name"), ("credentialSchema", .object(JSONObject()), "credentialSchema.type"),
            ("credentialStatus", .string("x"), "credentialStatus"),
            (
                "credentialStatus",
                .object(
                    JSONObject([
                        ("type", .string(StatusEntry.type)), ("statusPurpose", .string("revocation")),
                        ("statusListIndex", .string("007")), ("statusListCredential", .string("https://x/1")),
                    ])),
                "credentialStatus.statusListIndex"
            ),
            (
                "credentialStatus",
                .object(JSONObject([("type", .string(StatusEntry.type)), ("statusListIndex", .number(7))])),
                "credentialStatus.statusPurpose"
            ),
        ] as [(String, JSONValue?, String)])
    func namesTheBrokenRule(property: String, value: JSONValue?, named: String) {
        var credential = Self.minimal
        credential[property] = value
        let problems = CredentialShape.problems(credential: credential)
        #expect(problems.contains { $0.property == named }, "\(problems)")
    }

    @Test func validUntilMustNotPrecedeValidFrom() {
        var credential = Self.minimal
        credential["validFrom"] = .string("2025-01-02T00:00:00Z")
        credential["validUntil"] = .string("2025-01-01T00:00:00Z")
        #expect(CredentialShape.problems(credential: credential).map(\.property) == ["validUntil"])
    }

    @Test func presentationsHaveTheirOwnRules() {
        let presentation = JSONObject([
            ("@context", .array([.string(CredentialShape.baseContext)])),
            ("type", .string("VerifiablePresentation")), ("holder", .string("did:example:ada")),
            ("verifiableCredential", .array([.object(Self.minimal)])),
        ])
        #expect(CredentialShape.problems(presentation: presentation).isEmpty)
        var bad = presentation
        bad["type"] = .string("VerifiableCredential")
        bad["verifiableCredential"] = .array([.string("eyJhbGciOi…")])
        #expect(
            Set(CredentialShape.problems(presentation: bad).map(\.property)) == ["type", "verifiableCredential[0]"])
    }

    static func badge(_ key: Ed25519.PrivateKey) -> JSONObject {
        SampleCredential.openBadge(issuer: DIDKey(publicKey: key.publicKey).description)
    }

    @Test func openBadgesIssueAndVerify() throws {
        let key = Ed25519.PrivateKey()
        let now = try Timestamp("2025-03-01T00:00:00Z")
        let badge = try CredentialIssuer.issue(Self.badge(key), key: key, now: now)
        #expect(OpenBadge.problems(credential: badge).isEmpty)
        let report = CredentialVerifier.verify(badge, now: now)
        #expect(report.verified, "\(report.checks.map { "\($0.name): \($0.check)" })")
        var missing = Self.badge(key)
        var subject = try #require(missing["credentialSubject"]?.objectValue)
        var achievement = try #require(subject["achievement"]?.objectValue)
        achievement["criteria"] = nil
        achievement["name"] = nil
        subject["achievement"] = .object(achievement)
        missing["credentialSubject"] = .object(subject)
        #expect {
            try CredentialIssuer.issue(missing, key: key, now: now)
        } throws: { error in
            let message = (error as? CredentialError)?.message ?? ""
            return message.contains("credentialSubject.achievement.criteria")
                && message.contains("credentialSubject.achievement.name")
        }
    }

    @Test func issuersCannotIssueAsSomeoneElse() throws {
        var credential = Self.minimal
        credential["issuer"] = .string("did:example:someone-else")
        #expect(throws: CredentialError.self) {
            try CredentialIssuer.issue(credential, key: Ed25519.PrivateKey(), now: Timestamp(seconds: 0))
        }
        credential["issuer"] = nil
        let key = Ed25519.PrivateKey()
        let issued = try CredentialIssuer.issue(credential, key: key, now: Timestamp(seconds: 1_700_000_000))
        #expect(issued["issuer"] == .string(DIDKey(publicKey: key.publicKey).description))
        #expect(issued["validFrom"] == .string("2023-11-14T22:13:20Z"))
    }
}
