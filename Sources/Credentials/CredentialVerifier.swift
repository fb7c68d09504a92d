import Crypto
public import JCS

/// Verifies a credential and says, for each question a relying party asks, yes or no and why:
/// well-formed, signature, issuer binding, validity window, status, anchor
/// (`Specs/credentials.md`, "Verification").
///
/// Pure and offline: what the credential points at — its status-list credentials (already
/// fetched, following the ledger's pointer) and its anchor record — comes in as values, so a
/// verifier holding the credential, the list and a ledger proof needs no network.
public enum CredentialVerifier {
    /// What the ledger says about a credential's anchor.
    public struct Anchor: Hashable, Sendable {
        public let issuer: String
        public let height: UInt64

        public init(issuer: String, height: UInt64) {
            self.issuer = issuer
            self.height = height
        }
    }

    /// Verifies `credential` at `now`.
    ///
    /// - Parameters:
    ///   - statusLists: status-list credentials by the URL credentials name them with
    ///     (`statusListCredential`); a missing one fails the status check.
    ///   - anchor: the ledger's anchor record for the credential's hash, if any.
    ///   - statusEvidence: how the lists were obtained (e.g. "ledger pointer at height 12,
    ///     state proof checked"), added to a passing or failing status.
    public static func verify(
        _ credential: JSONObject, now: Timestamp, statusLists: [String: JSONObject] = [:], anchor: Anchor? = nil,
        statusEvidence: String? = nil
    ) -> VerificationReport {
        var report = VerificationReport()
        let problems = CredentialShape.problems(credential: credential)
        report.wellFormed =
            problems.isEmpty
            ? .passed("a VC Data Model 2.0 credential")
            : .failed(problems.map(\.description).joined(separator: "; "))

        let issuer = issuerID(credential)
        switch EddsaJcs2022.verify(credential, now: now) {
        case .success(let verified):
            report.signature = .passed("eddsa-jcs-2022 by \(verified.verificationMethod)")
            // did:key's one method is controlled by the DID itself.
            report.issuerBinding =
                issuer == verified.signer.description
                ? .passed("the issuer \(issuer ?? "") controls the signing key")
                : .failed("the key belongs to \(verified.signer), not the issuer \(issuer ?? "(none)")")
        case .failure(let failure):
            report.signature = .failed(failure.description)
            report.issuerBinding = .notChecked("no verified signature to bind")
        }

        report.validityWindow = window(credential, now: now)
        report.status = status(credential, issuer: issuer, now: now, lists: statusLists, evidence: statusEvidence)
        if let anchor {
            report.anchor =
                anchor.issuer == issuer
                ? .passed("anchored at height \(anchor.height) by its issuer")
                : .failed(
                    "anchored at height \(anchor.height) for \(anchor.issuer), not the issuer \(issuer ?? "(none)")")
        } else {
            report.anchor = .notChecked("not anchored on the ledger")
        }
        return report
    }

    /// The hash a credential is anchored by: SHA-256 of its canonical (JCS) form, proof
    /// included, so any copy of it — however formatted — gives the same hash.
    public static func anchorHash(_ credential: JSONObject) throws(CredentialError) -> [UInt8] {
        do { return Array(SHA256.hash(data: try JCS.canonicalize(.object(credential)))) } catch {
            throw CredentialError(.malformed, "the credential cannot be canonicalized: \(error.message)")
        }
    }

    /// The issuer's id: the `issuer` string, or its object's `id`.
    public static func issuerID(_ credential: JSONObject) -> String? {
        credential["issuer"]?.stringValue ?? credential["issuer"]?["id"]?.stringValue
    }

    private static func window(_ credential: JSONObject, now: Timestamp) -> VerificationReport.Check {
        let from = credential["validFrom"]?.stringValue.flatMap { try? Timestamp($0) }
        let until = credential["validUntil"]?.stringValue.flatMap { try? Timestamp($0) }
        if let from, now < from { return .failed("not valid before \(from)") }
        if let until, until < now { return .failed("expired at \(until)") }
        switch (from, until) {
        case (nil, nil): return .passed("no validity period is set")
        case (let from?, nil): return .passed("valid since \(from)")
        case (nil, let until?): return .passed("valid until \(until)")
        case (let from?, let until?): return .passed("valid from \(from) until \(until)")
        }
    }

    private static func status(
        _ credential: JSONObject, issuer: String?, now: Timestamp, lists: [String: JSONObject], evidence: String?
    ) -> VerificationReport.Check {
        let entries = StatusEntry.entries(of: credential)
        guard !entries.isEmpty else { return .notChecked("the credential has no Bitstring Status List entry") }
        var findings: [String] = []
        for entry in entries {
            guard let list = lists[entry.listCredential] else {
                return .failed("status list \(entry.listCredential) could not be obtained, so the status is unknown")
            }
            if let problem = listProblem(list, for: entry, issuer: issuer, now: now) {
                return .failed("status list \(entry.listCredential): \(problem)")
            }
            let encoded = list["credentialSubject"]?["encodedList"]?.stringValue ?? ""
            let bits: BitstringStatusList
            do { bits = try BitstringStatusList(encodedList: encoded) } catch {
                return .failed("status list \(entry.listCredential): \(error.message)")
            }
            let set: Bool
            do { set = try bits.isSet(entry.index) } catch { return .failed(error.message) }
            if set {
                let state =
                    entry.purpose == "revocation" ? "revoked" : entry.purpose == "suspension" ? "suspended" : "flagged"
                return .failed(
                    "\(state): bit \(entry.index) is set in \(entry.listCredential)"
                        + (evidence.map { " (\($0))" } ?? ""))
            }
            findings.append(
                "not \(entry.purpose == "suspension" ? "suspended" : entry.purpose == "revocation" ? "revoked" : "flagged") (bit \(entry.index) of \(entry.listCredential))"
            )
        }
        return .passed(findings.joined(separator: "; ") + (evidence.map { " (\($0))" } ?? ""))
    }

    /// Why `list` cannot answer for `entry`: it must be the named list, issued and signed by the
    /// credential's issuer, in its validity period, a BitstringStatusList of the same purpose.
    private static func listProblem(_ list: JSONObject, for entry: StatusEntry, issuer: String?, now: Timestamp)
        -> String?
    {
        guard list["id"]?.stringValue == entry.listCredential else { return "its id is not \(entry.listCredential)" }
        guard CredentialShape.typeNames(list["type"])?.contains("BitstringStatusListCredential") == true else {
            return "it is not a BitstringStatusListCredential"
        }
        guard issuerID(list) == issuer else {
            return "it was issued by \(issuerID(list) ?? "nobody"), not the credential's issuer"
        }
        switch EddsaJcs2022.verify(list, now: now) {
        case .failure(let failure): return "its proof fails: \(failure)"
        case .success(let verified) where verified.signer.description != issuer:
            return "it is signed by \(verified.signer), not its issuer"
        case .success: break
        }
        if case .failed(let why) = window(list, now: now) { return why }
        let subject = list["credentialSubject"]
        guard subject?["type"] == .string("BitstringStatusList") else {
            return "its subject is not a BitstringStatusList"
        }
        guard subject?["statusPurpose"]?.stringValue == entry.purpose else {
            return "its purpose is \(subject?["statusPurpose"]?.stringValue ?? "missing"), not \(entry.purpose)"
        }
        return nil
    }
}

/// The answers of one verification, each with its reason.
public struct VerificationReport: Hashable, Sendable {
    public enum Check: Hashable, Sendable {
        case passed(String)
        case failed(String)
        /// Not applicable or not possible (no status entry, not anchored, no signature to bind).
        case notChecked(String)

        public var passed: Bool { if case .passed = self { true } else { false } }
        public var failed: Bool { if case .failed = self { true } else { false } }

        public var reason: String {
            switch self {
            case .passed(let reason), .failed(let reason), .notChecked(let reason): reason
            }
        }

        var name: String {
            switch self {
            case .passed: "passed"
            case .failed: "failed"
            case .notChecked: "not-checked"
            }
        }
    }

    public var wellFormed: Check = .notChecked("")
    public var signature: Check = .notChecked("")
    public var issuerBinding: Check = .notChecked("")
    public var validityWindow: Check = .notChecked("")
    public var status: Check = .notChecked("")
    public var anchor: Check = .notChecked("")

    /// Well-formed, signed, bound to its issuer, in its validity period, and neither revoked nor
    /// suspended; an anchor is extra evidence, but a mismatched anchor fails too.
    public var verified: Bool {
        wellFormed.passed && signature.passed && issuerBinding.passed && validityWindow.passed && !status.failed
            && !anchor.failed
    }

    public var checks: [(name: String, check: Check)] {
        [
            ("wellFormed", wellFormed), ("signature", signature), ("issuerBinding", issuerBinding),
            ("validityWindow", validityWindow), ("status", status), ("anchor", anchor),
        ]
    }

    /// `{"verified": bool, "checks": {"signature": {"result": "passed", "reason": "…"}, …}}`.
    public var json: JSONValue {
        .object(
            JSONObject([
                ("verified", .bool(verified)),
                (
                    "checks",
                    .object(
                        JSONObject(
                            checks.map { item in
                                (
                                    item.name,
                                    .object(
                                        JSONObject([
                                            ("result", .string(item.check.name)),
                                            ("reason", .string(item.check.reason)),
                                        ]))
                                )
                            }))
                ),
            ]))
    }
}
