public import JCS

/// Credentials that tests and benchmarks share: one typical certificate, so a figure and the
/// tests that check it talk about the same document.
public enum SampleCredential {
    /// An unsigned Open Badges 3.0 `OpenBadgeCredential` (Profile issuer, AchievementSubject,
    /// Achievement with criteria) issued by `issuer`.
    public static func openBadge(issuer: String) -> JSONObject {
        JSONObject([
            (
                "@context",
                .array([
                    .string("https://www.w3.org/ns/credentials/v2"),
                    .string("https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"),
                ])
            ),
            ("id", .string("urn:uuid:6c1ad5c2-0c2b-4d55-9a37-3f0c1a0b0001")),
            ("type", .array([.string("VerifiableCredential"), .string("OpenBadgeCredential")])),
            ("name", .string("Swift Fundamentals")),
            (
                "issuer",
                .object(
                    JSONObject([
                        ("id", .string(issuer)), ("type", .array([.string("Profile")])),
                        ("name", .string("Cairn Academy")),
                    ]))
            ),
            (
                "credentialSubject",
                .object(
                    JSONObject([
                        ("id", .string("did:example:learner42")), ("type", .array([.string("AchievementSubject")])),
                        (
                            "achievement",
                            .object(
                                JSONObject([
                                    ("id", .string("https://academy.example/achievements/swift-1")),
                                    ("type", .array([.string("Achievement")])), ("name", .string("Swift Fundamentals")),
                                    ("description", .string("Completed the Swift fundamentals course.")),
                                    ("criteria", .object(JSONObject([("narrative", .string("Pass all four exams."))]))),
                                ]))
                        ),
                    ]))
            ),
        ])
    }
}
