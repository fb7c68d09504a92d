public import JCS

/// Open Badges 3.0 (1EdTech): an `OpenBadgeCredential` (alias `AchievementCredential`) is a
/// VC DM 2.0 credential whose subject holds an `Achievement`. These are the shape rules Cairn
/// checks on top of the data model's (`Specs/credentials.md`, "Open Badges 3.0").
public enum OpenBadge {
    public static let contextPrefix = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0."

    /// Whether `credential` says it is an Open Badge (by its type).
    public static func claims(_ credential: JSONObject) -> Bool {
        let types = CredentialShape.typeNames(credential["type"]) ?? []
        return types.contains("OpenBadgeCredential") || types.contains("AchievementCredential")
    }

    /// What keeps `credential` from being an Open Badges 3.0 credential; empty when it is one.
    public static func problems(credential: JSONObject) -> [CredentialShape.Problem] {
        var problems: [CredentialShape.Problem] = []
        func add(_ property: String, _ reason: String) {
            problems.append(CredentialShape.Problem(property: property, reason: reason))
        }
        if !claims(credential) { add("type", "includes OpenBadgeCredential or AchievementCredential") }
        let contexts = credential["@context"]?.arrayValue ?? []
        if !contexts.contains(where: { $0.stringValue?.hasPrefix(contextPrefix) == true }) {
            add("@context", "includes the Open Badges 3.0 context (\(contextPrefix)…)")
        }
        if credential["name"]?.stringValue == nil { add("name", "is required (a string)") }
        if let issuer = credential["issuer"]?.objectValue {
            if !(CredentialShape.typeNames(issuer["type"])?.contains("Profile") ?? false) {
                add("issuer.type", "includes Profile")
            }
        } else {
            add("issuer", "is a Profile object with id and type")
        }
        guard let subject = credential["credentialSubject"]?.objectValue else {
            add("credentialSubject", "is one AchievementSubject object")
            return problems
        }
        if !(CredentialShape.typeNames(subject["type"])?.contains("AchievementSubject") ?? false) {
            add("credentialSubject.type", "includes AchievementSubject")
        }
        guard let achievement = subject["achievement"]?.objectValue else {
            add("credentialSubject.achievement", "is required (an Achievement object)")
            return problems
        }
        if !(achievement["id"]?.stringValue.map(CredentialShape.isURL) ?? false) {
            add("credentialSubject.achievement.id", "is a URL")
        }
        if !(CredentialShape.typeNames(achievement["type"])?.contains("Achievement") ?? false) {
            add("credentialSubject.achievement.type", "includes Achievement")
        }
        for field in ["name", "description"] where achievement[field]?.stringValue?.isEmpty ?? true {
            add("credentialSubject.achievement.\(field)", "is a non-empty string")
        }
        if let criteria = achievement["criteria"]?.objectValue {
            if criteria["id"] == nil && criteria["narrative"] == nil {
                add("credentialSubject.achievement.criteria", "has an id or a narrative")
            }
        } else {
            add("credentialSubject.achievement.criteria", "is required (an object with an id or a narrative)")
        }
        return problems
    }
}
