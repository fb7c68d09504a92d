public import JCS

/// The structural rules of the W3C Verifiable Credentials Data Model 2.0 for credentials and
/// presentations, each failure naming the property and what is wrong (`Specs/credentials.md`,
/// "Well-formed").
///
/// Structure only: whether the proof verifies, who signed, dates against a clock and status are
/// the verifier's. `proof` is not looked at here.
public enum CredentialShape {
    public static let baseContext = "https://www.w3.org/ns/credentials/v2"

    /// One broken rule: the property (a path such as `credentialSubject[1].id`) and why.
    public struct Problem: Hashable, Sendable, CustomStringConvertible {
        public let property: String
        public let reason: String

        public var description: String { "\(property): \(reason)" }
    }

    /// What is wrong with `credential` as a VC DM 2.0 verifiable credential; empty when
    /// well-formed.
    public static func problems(credential: JSONObject) -> [Problem] {
        var problems = commonProblems(credential, requiredType: "VerifiableCredential")
        func add(_ property: String, _ reason: String) { problems.append(Problem(property: property, reason: reason)) }
        switch credential["issuer"] {
        case nil: add("issuer", "is required")
        case .string(let issuer)?: if !isURL(issuer) { add("issuer", "is a URL") }
        case .object(let issuer)?:
            if !(issuer["id"]?.stringValue.map(isURL) ?? false) { add("issuer.id", "is a URL") }
        case let other?: add("issuer", "is a URL or an object with an id, not \(other.kindName)")
        }
        switch credential["credentialSubject"] {
        case nil: add("credentialSubject", "is required")
        case .object(let subject)?: problems += subjectProblems(subject, "credentialSubject")
        case .array(let subjects)?:
            if subjects.isEmpty { add("credentialSubject", "lists at least one subject") }
            for (index, subject) in subjects.enumerated() {
                guard case .object(let object) = subject else {
                    add("credentialSubject[\(index)]", "is an object")
                    continue
                }
                problems += subjectProblems(object, "credentialSubject[\(index)]")
            }
        case let other?: add("credentialSubject", "is an object or a list of objects, not \(other.kindName)")
        }
        var validFrom: Timestamp?
        var validUntil: Timestamp?
        for (name, slot) in [("validFrom", 0), ("validUntil", 1)] {
            guard let value = credential[name] else { continue }
            guard case .string(let text) = value, let time = try? Timestamp(text) else {
                add(name, "is an XML Schema dateTimeStamp (e.g. 2025-01-01T00:00:00Z)")
                continue
            }
            if slot == 0 { validFrom = time } else { validUntil = time }
        }
        if let validFrom, let validUntil, validUntil < validFrom { add("validUntil", "is before validFrom") }
        for (index, entry) in list(credential["credentialStatus"]).enumerated() {
            problems += statusProblems(entry, index: index)
        }
        for name in ["credentialSchema", "evidence", "termsOfUse", "refreshService"] {
            for (index, item) in list(credential[name]).enumerated() {
                let path = credential[name]?.arrayValue == nil ? name : "\(name)[\(index)]"
                guard case .object(let object) = item else {
                    add(path, "is an object")
                    continue
                }
                if !hasType(object) { add(path + ".type", "is required") }
                if name == "credentialSchema" || name == "refreshService",
                    !(object["id"]?.stringValue.map(isURL) ?? false)
                {
                    add(path + ".id", "is a URL")
                }
            }
        }
        return problems
    }

    /// What is wrong with `presentation` as a VC DM 2.0 verifiable presentation; empty when
    /// well-formed. Embedded credentials are checked by their own verification.
    public static func problems(presentation: JSONObject) -> [Problem] {
        var problems = commonProblems(presentation, requiredType: "VerifiablePresentation")
        func add(_ property: String, _ reason: String) { problems.append(Problem(property: property, reason: reason)) }
        switch presentation["holder"] {
        case nil: break
        case .string(let holder)?: if !isURL(holder) { add("holder", "is a URL") }
        case .object(let holder)?:
            if !(holder["id"]?.stringValue.map(isURL) ?? false) { add("holder.id", "is a URL") }
        case let other?: add("holder", "is a URL or an object with an id, not \(other.kindName)")
        }
        for (index, item) in list(presentation["verifiableCredential"]).enumerated() where item.objectValue == nil {
            add("verifiableCredential[\(index)]", "is an embedded credential object")
        }
        return problems
    }

    // MARK: Rules shared by both

    private static func commonProblems(_ document: JSONObject, requiredType: String) -> [Problem] {
        var problems: [Problem] = []
        func add(_ property: String, _ reason: String) { problems.append(Problem(property: property, reason: reason)) }
        switch document["@context"] {
        case nil: add("@context", "is required")
        case .array(let contexts)?:
            if contexts.first != .string(baseContext) { add("@context", "starts with \(baseContext)") }
            for (index, context) in contexts.enumerated().dropFirst() {
                switch context {
                case .string(let url): if !isURL(url) { add("@context[\(index)]", "is a URL") }
                case .object: break
                default: add("@context[\(index)]", "is a URL or an object")
                }
            }
        default: add("@context", "is a list starting with \(baseContext)")
        }
        if let id = document["id"], !(id.stringValue.map(isURL) ?? false) { add("id", "is a URL") }
        let types = typeNames(document["type"])
        if document["type"] == nil {
            add("type", "is required")
        } else if types == nil {
            add("type", "is a string or a list of strings")
        } else if !(types!.contains(requiredType)) {
            add("type", "includes \(requiredType)")
        }
        for name in ["name", "description"] {
            guard let value = document[name] else { continue }
            switch value {
            case .string: break
            case .object(let object) where object["@value"]?.stringValue != nil: break
            case .array(let items) where items.allSatisfy({ $0.objectValue?["@value"]?.stringValue != nil }): break
            default: add(name, "is a string or language-tagged values")
            }
        }
        return problems
    }

    private static func subjectProblems(_ subject: JSONObject, _ path: String) -> [Problem] {
        var problems: [Problem] = []
        if subject.isEmpty { problems.append(Problem(property: path, reason: "makes at least one claim")) }
        if let id = subject["id"], !(id.stringValue.map(isURL) ?? false) {
            problems.append(Problem(property: path + ".id", reason: "is a URL"))
        }
        return problems
    }

    private static func statusProblems(_ entry: JSONValue, index: Int) -> [Problem] {
        let path = "credentialStatus" + (index > 0 ? "[\(index)]" : "")
        guard case .object(let status) = entry else { return [Problem(property: path, reason: "is an object")] }
        var problems: [Problem] = []
        func add(_ property: String, _ reason: String) {
            problems.append(Problem(property: path + "." + property, reason: reason))
        }
        if let id = status["id"], !(id.stringValue.map(isURL) ?? false) { add("id", "is a URL") }
        guard let type = status["type"]?.stringValue else {
            add("type", "is required")
            return problems
        }
        if type == StatusEntry.type {
            if status["statusPurpose"]?.stringValue?.isEmpty ?? true { add("statusPurpose", "is required") }
            if StatusEntry.index(status["statusListIndex"]) == nil {
                add("statusListIndex", "is a non-negative integer written as a string")
            }
            if !(status["statusListCredential"]?.stringValue.map(isURL) ?? false) {
                add("statusListCredential", "is a URL")
            }
        }
        return problems
    }

    // MARK: Helpers

    /// A URL in the data model's sense: a scheme, a colon, and something after it
    /// (`https://…`, `did:key:…`, `urn:uuid:…`).
    static func isURL(_ text: String) -> Bool {
        guard let colon = text.firstIndex(of: ":"), colon != text.startIndex, text.index(after: colon) != text.endIndex,
            let first = text.first, first.isASCII, first.isLetter
        else { return false }
        return text[..<colon].allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "+-.".contains($0)) }
            && !text.contains(where: { $0 == " " || $0.isNewline })
    }

    /// `type` as a list of names; nil when it is not a string or a list of strings.
    public static func typeNames(_ value: JSONValue?) -> [String]? {
        switch value {
        case .string(let name)?: [name]
        case .array(let items)?:
            items.allSatisfy({ $0.stringValue != nil }) ? items.compactMap(\.stringValue) : nil
        default: nil
        }
    }

    private static func hasType(_ object: JSONObject) -> Bool { typeNames(object["type"]).map { !$0.isEmpty } ?? false }

    /// A value that may be one item or a list of items, as a list.
    static func list(_ value: JSONValue?) -> [JSONValue] {
        switch value {
        case nil: []
        case .array(let items)?: items
        case let single?: [single]
        }
    }
}

/// A `BitstringStatusListEntry` in a credential's `credentialStatus`.
public struct StatusEntry: Hashable, Sendable {
    public static let type = "BitstringStatusListEntry"

    public let purpose: String
    public let index: Int
    /// The status-list credential's URL, which is also the ledger's stable id for the list.
    public let listCredential: String

    /// The Bitstring Status List entries of `credential` (well-formed ones only).
    public static func entries(of credential: JSONObject) -> [StatusEntry] {
        CredentialShape.list(credential["credentialStatus"]).compactMap { value in
            guard case .object(let status) = value, status["type"] == .string(type),
                let purpose = status["statusPurpose"]?.stringValue, let index = index(status["statusListIndex"]),
                let list = status["statusListCredential"]?.stringValue
            else { return nil }
            return StatusEntry(purpose: purpose, index: index, listCredential: list)
        }
    }

    /// `statusListIndex`: decimal digits as a string, no sign, no leading zeros but "0".
    static func index(_ value: JSONValue?) -> Int? {
        guard case .string(let text)? = value, !text.isEmpty, text.count <= 12, text.allSatisfy(\.isASCII),
            text.allSatisfy(\.isNumber), text == "0" || !text.hasPrefix("0")
        else { return nil }
        return Int(text)
    }
}
