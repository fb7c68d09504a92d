import Crypto
public import JCS
public import Ledger
import Multiformats

/// Everything a verifier needs to check a credential with no network: the credential, the
/// status-list credentials it names, and the ledger's word on them — a committed block header,
/// its commit, and state proofs of each list's pointer and of the credential's anchor against
/// that header's state root (`Specs/credentials.md`, "Offline verification").
///
/// The one thing it cannot carry is trust in the chain: the verifier names the validators it
/// trusts (for the embedded chain, the node's did:key), and the commit must be theirs.
public struct VerificationBundle: Sendable {
    public var credential: JSONObject
    /// Status-list credentials by their URL (the ledger id of the list).
    public var statusLists: [String: JSONObject]
    public var header: BlockHeader
    public var commit: Commit
    /// Each list's ledger entry (nil: absent) and proof.
    public var listEntries: [String: (value: [UInt8]?, proof: StateProof)]
    /// The credential's anchor entry (nil: not anchored) and its proof.
    public var anchorEntry: (value: [UInt8]?, proof: StateProof)

    public init(
        credential: JSONObject, statusLists: [String: JSONObject], header: BlockHeader, commit: Commit,
        listEntries: [String: (value: [UInt8]?, proof: StateProof)], anchorEntry: (value: [UInt8]?, proof: StateProof)
    ) {
        self.credential = credential
        self.statusLists = statusLists
        self.header = header
        self.commit = commit
        self.listEntries = listEntries
        self.anchorEntry = anchorEntry
    }

    /// Verifies the credential from the bundle alone.
    ///
    /// The commit must be signed by every one of `validators` over the header; each status list
    /// is used only if its ledger entry is proved against the header's state root, names the
    /// credential's issuer as owner, and points at exactly that list's bytes (the CID of its
    /// JCS form); the anchor counts only if proved likewise. A list without such evidence is
    /// one the verifier could not obtain, so the status fails as unknown.
    public func verify(validators: Set<Address>, now: Timestamp) -> VerificationReport {
        guard commit.header == header.cid, commit.isValid(for: validators) else {
            var report = CredentialVerifier.verify(credential, now: now)
            report.status = .failed("the bundle's block is not committed by the trusted validators")
            return report
        }
        let issuer = CredentialVerifier.issuerID(credential)
        var lists: [String: JSONObject] = [:]
        var notes: [String] = []
        for entry in StatusEntry.entries(of: credential) {
            let url = entry.listCredential
            guard let evidence = listEntries[url], let list = statusLists[url] else {
                notes.append("no ledger evidence for \(url)")
                continue
            }
            let key = LedgerState.key(.statusList, Array(url.utf8))
            guard evidence.proof.verify(key: key, value: evidence.value, root: header.stateRoot) == .valid,
                let value = evidence.value,
                let state = try? LedgerState(
                    parameters: ChainParameters(chain: header.chain), height: header.height, entries: [key: value]),
                let pointer = state.statusLists[url]
            else {
                notes.append("the ledger entry for \(url) does not prove against height \(header.height)")
                continue
            }
            guard issuer == DIDKey.method + pointer.owner.description else {
                notes.append("the ledger's list \(url) belongs to \(pointer.owner), not the issuer")
                continue
            }
            guard let bytes = try? JCS.canonicalize(.object(list)),
                CID(v1: .raw, multihash: bytes.withUnsafeBytes { Multihash.sha256($0) }) == pointer.latest
            else {
                notes.append("the bundled list for \(url) is not the version the ledger points at (\(pointer.latest))")
                continue
            }
            lists[url] = list
            notes.append(
                "list \(pointer.latest) proved by the ledger at height \(header.height) "
                    + "(pointer set at height \(pointer.height), state proof checked)")
        }
        var anchor: CredentialVerifier.Anchor?
        if let hash = try? CredentialVerifier.anchorHash(credential) {
            let key = LedgerState.key(.anchor, hash)
            if anchorEntry.proof.verify(key: key, value: anchorEntry.value, root: header.stateRoot) == .valid,
                let value = anchorEntry.value,
                let state = try? LedgerState(
                    parameters: ChainParameters(chain: header.chain), height: header.height, entries: [key: value]),
                let record = state.anchors[hash]
            {
                anchor = CredentialVerifier.Anchor(issuer: record.issuer, height: record.height)
            }
        }
        return CredentialVerifier.verify(
            credential, now: now, statusLists: lists, anchor: anchor,
            statusEvidence: notes.isEmpty ? nil : notes.joined(separator: "; "))
    }
}

extension VerificationBundle {
    /// The bundle's JSON form: `{"credential", "statusLists": {url: credential}, "ledger":
    /// {"header": hex, "commit": hex, "statusLists": {url: {"value": hex | null, "proof": hex}},
    /// "anchor": {"value": hex | null, "proof": hex}}}` (hex of the dag-cbor encodings).
    public var json: JSONValue {
        func entry(_ item: (value: [UInt8]?, proof: StateProof)) -> JSONValue {
            .object(
                JSONObject([
                    ("value", item.value.map { .string(Self.hex($0)) } ?? .null),
                    ("proof", .string(Self.hex(item.proof.encoded()))),
                ]))
        }
        return .object(
            JSONObject([
                ("credential", .object(credential)),
                (
                    "statusLists",
                    .object(JSONObject(statusLists.sorted { $0.key < $1.key }.map { ($0.key, .object($0.value)) }))
                ),
                (
                    "ledger",
                    .object(
                        JSONObject([
                            ("header", .string(Self.hex(header.encoded))),
                            ("commit", .string(Self.hex(commit.encoded))),
                            (
                                "statusLists",
                                .object(
                                    JSONObject(listEntries.sorted { $0.key < $1.key }.map { ($0.key, entry($0.value)) })
                                )
                            ),
                            ("anchor", entry(anchorEntry)),
                        ]))
                ),
            ]))
    }

    /// Reads a bundle's JSON form.
    public init(json: JSONValue) throws(CredentialError) {
        func failure(_ what: String) -> CredentialError {
            CredentialError(.malformed, "the bundle's \(what) is missing or malformed")
        }
        func bytes(_ value: JSONValue?) -> [UInt8]? {
            value?.stringValue.flatMap { try? Multibase.base16.decodeWithoutPrefix($0.lowercased()) }
        }
        func entry(_ value: JSONValue?) throws(CredentialError) -> (value: [UInt8]?, proof: StateProof) {
            guard let object = value?.objectValue, let proofBytes = bytes(object["proof"]),
                let proof = try? StateProof(bytes: proofBytes)
            else { throw failure("ledger entry") }
            let entryValue = bytes(object["value"])
            guard entryValue != nil || object["value"] == .null else { throw failure("ledger entry value") }
            return (entryValue, proof)
        }
        guard let credential = json["credential"]?.objectValue else { throw failure("credential") }
        guard let ledger = json["ledger"]?.objectValue, let headerBytes = bytes(ledger["header"]),
            let header = try? BlockHeader(bytes: headerBytes), let commitBytes = bytes(ledger["commit"]),
            let commit = try? Commit(bytes: commitBytes)
        else { throw failure("ledger header or commit") }
        var lists: [String: JSONObject] = [:]
        for member in json["statusLists"]?.objectValue ?? JSONObject() {
            guard let list = member.value.objectValue else { throw failure("status list") }
            lists[member.key] = list
        }
        var entries: [String: (value: [UInt8]?, proof: StateProof)] = [:]
        for member in ledger["statusLists"]?.objectValue ?? JSONObject() {
            entries[member.key] = try entry(member.value)
        }
        self.init(
            credential: credential, statusLists: lists, header: header, commit: commit, listEntries: entries,
            anchorEntry: try entry(ledger["anchor"]))
    }

    static func hex(_ bytes: [UInt8]) -> String { Multibase.base16.encodeWithoutPrefix(bytes) }
}
