import Credentials
import Foundation
import IPLD
import JCS
import Ledger
import LocalStore
import Multiformats
import SodiumKit
import Synchronization

/// The node as a credential issuer and verifier (`Specs/credentials.md`, "The node").
///
/// The node's identity key is its issuer key: it issues as its did:key. Every credential it
/// issues gets two Bitstring Status List entries — revocation and suspension — at the same
/// index, allocated once and never reused. The node keeps each list's bits in its index; each
/// change publishes a new signed status-list credential as content and points the ledger's
/// stable id for the list (`urn:cairn:status:<did>:<purpose>`) at it, so verifiers anywhere
/// follow the ledger, not this node. Issued credentials are stored and pinned as the raw block
/// of their JCS form, so their CID's digest is their anchor hash.
final class CredentialService: Sendable {
    static let purposes = ["revocation", "suspension"]

    let repository: Repository
    let ledger: LedgerEngine
    let key: Ed25519.PrivateKey
    let did: DIDKey
    private let records: RecordTable
    /// Serializes index allocation, list changes and the node's ledger submissions.
    private let lock = Mutex<Void>(())

    init(repository: Repository, ledger: LedgerEngine, key: Ed25519.PrivateKey) throws {
        self.repository = repository
        self.ledger = ledger
        self.key = key
        did = DIDKey(publicKey: key.publicKey)
        records = repository.table(.credential)
        try resubmitUnconfirmedLists()
    }

    /// A status change is acknowledged once its list is stored and its pointer update admitted
    /// to the mempool, which does not outlive the process: if the node stopped before the block,
    /// the ledger still points at an older list. On start, any list whose last published version
    /// is not the one the ledger points at is pointed at again.
    private func resubmitUnconfirmedLists() throws {
        for purpose in Self.purposes {
            guard let stored = try records.get(Self.publishedKey(purpose)),
                let published = try? CID(bytes: stored), try ledgerPointer(purpose)?.latest != published
            else { continue }
            _ = try ledger.submit(
                kind: "update-status-list",
                payload: IPLDMap([("latest", .link(published)), ("list", .string(listURL(purpose)))]), signedBy: key)
        }
    }

    /// The ledger id (and `statusListCredential` URL) of this node's list for `purpose`.
    func listURL(_ purpose: String) -> String { "urn:cairn:status:\(did.multibase):\(purpose)" }

    // MARK: Issuing

    struct Issued: Sendable {
        let credential: JSONObject
        let cid: CID
        let credentialID: String
        let statusIndex: Int?
    }

    /// Issues `credential`: status entries added (unless it brings its own `credentialStatus`),
    /// signed, stored and pinned, recorded under `credentialID` (else its `id`, else its CID).
    func issue(_ credential: JSONObject, credentialID: String?, now: Credentials.Timestamp) throws -> Issued {
        try lock.withLock { _ in
            var document = credential
            var index: Int?
            // An id names one credential: issuing again under it would orphan the first one's status.
            if let id = credentialID ?? credential["id"]?.stringValue, try records.get(Self.credentialKey(id)) != nil {
                throw NodeError(.conflict, "a credential with id \(id.prefix(200)) was already issued")
            }
            if document["credentialStatus"] == nil {
                let allocated = try nextIndex()
                index = allocated
                document["credentialStatus"] = .array(
                    Self.purposes.map { purpose in
                        .object(
                            JSONObject([
                                ("id", .string("\(listURL(purpose))#\(allocated)")),
                                ("type", .string(StatusEntry.type)), ("statusPurpose", .string(purpose)),
                                ("statusListIndex", .string(String(allocated))),
                                ("statusListCredential", .string(listURL(purpose))),
                            ]))
                    })
            }
            let issued = try CredentialIssuer.issue(document, key: key, now: now)
            let cid = try store(issued, name: "credential")
            let id = credentialID ?? issued["id"]?.stringValue ?? cid.description
            if let index {
                // The lists must be on the ledger before anyone checks the credential's status:
                // published once, with the first credential (their bits are recorded then).
                for purpose in Self.purposes where try records.get(Self.bitsKey(purpose)) == nil {
                    try publish(purpose, bits: try bits(purpose), now: now)
                }
                try records.put(
                    Self.credentialKey(id),
                    Array("\(index) \(cid)".utf8))
            }
            return Issued(credential: issued, cid: cid, credentialID: id, statusIndex: index)
        }
    }

    /// Sets or clears a credential's bit in the list for `purpose`, publishes the new list and
    /// points the ledger at it; returns the ledger transaction.
    func updateStatus(credentialID: String, purpose: String, set: Bool, now: Credentials.Timestamp) throws -> (
        Transaction, CID
    ) {
        guard Self.purposes.contains(purpose) else {
            throw NodeError(.invalidArgument, "statusPurpose is revocation or suspension, not \(purpose.prefix(40))")
        }
        return try lock.withLock { _ in
            guard let record = try records.get(Self.credentialKey(credentialID)),
                let index = String(decoding: record, as: UTF8.self).split(separator: " ").first.flatMap({ Int($0) })
            else {
                throw NodeError(.notFound, "this node issued no credential \(credentialID.prefix(200)) with a status")
            }
            var list = try bits(purpose)
            try list.set(index, set)
            return try publish(purpose, bits: list, now: now)
        }
    }

    /// Anchors a credential this node holds on the ledger: its anchor hash with this node's
    /// DID as issuer. Refuses a credential another issuer issued.
    func anchor(_ cid: CID) throws -> Transaction {
        guard let credential = try document(at: cid) else { throw NodeError(.notFound, "\(cid) is not on this node") }
        guard CredentialVerifier.issuerID(credential) == did.description else {
            throw NodeError(.notFound, "this node (\(did)) issued no credential \(cid)")
        }
        let hash = try CredentialVerifier.anchorHash(credential)
        return try lock.withLock { _ in
            try ledger.submit(
                kind: "anchor-credential",
                payload: IPLDMap([("hash", .bytes(hash)), ("issuer", .string(did.description))]),
                signedBy: key)
        }
    }

    /// The newest published status-list credential for `purpose`, if any.
    func statusListCredential(_ purpose: String) throws -> JSONObject? {
        guard let pointer = try ledgerPointer(purpose) else { return nil }
        return try document(at: pointer.latest)
    }

    private func nextIndex() throws -> Int {
        let key = Array("next-index".utf8)
        let next = try records.get(key).flatMap { Int(String(decoding: $0, as: UTF8.self)) } ?? 0
        guard next < BitstringStatusList.minimumEntries else {
            throw NodeError(.invalidArgument, "this node's status lists are full (\(next) credentials)")
        }
        try records.put(key, Array(String(next + 1).utf8))
        return next
    }

    private func bits(_ purpose: String) throws -> BitstringStatusList {
        var list = BitstringStatusList()
        if let stored = try records.get(Self.bitsKey(purpose)) {
            list = try BitstringStatusList(encodedList: String(decoding: stored, as: UTF8.self))
        }
        return list
    }

    /// Signs and stores the list credential for `purpose` with `bits`, records the bits, and
    /// submits the ledger pointer update.
    @discardableResult
    private func publish(_ purpose: String, bits: BitstringStatusList, now: Credentials.Timestamp) throws -> (
        Transaction, CID
    ) {
        let url = listURL(purpose)
        let list = try CredentialIssuer.issue(bits.credential(url: url, purpose: purpose), key: key, now: now)
        let cid = try store(list, name: "status list \(purpose)")
        let transaction = try ledger.submit(
            kind: "update-status-list", payload: IPLDMap([("latest", .link(cid)), ("list", .string(url))]),
            signedBy: key)
        try RecordTable.put([
            (records, Self.bitsKey(purpose), Array(bits.encoded.utf8)),
            (records, Self.publishedKey(purpose), cid.bytes),
        ])
        return (transaction, cid)
    }

    /// Stores `document`'s JCS bytes as one raw block and pins it.
    private func store(_ document: JSONObject, name: String) throws -> CID {
        let bytes = try JCS.canonicalize(.object(document))
        let cid = CID(v1: .raw, multihash: bytes.withUnsafeBytes { Multihash.sha256($0) })
        let writer = repository.blocks.makeWriter()
        do {
            try writer.add(cid, bytes)
            try writer.commit()
        } catch {
            try? writer.abort()
            throw error
        }
        try repository.pins.add(cid, name: name, verifyComplete: false)
        return cid
    }

    private func ledgerPointer(_ purpose: String) throws -> StatusListPointer? {
        ledger.snapshot.state.statusLists[listURL(purpose)]
    }

    // MARK: Verifying

    /// A stored JSON document (a credential) by CID.
    func document(at cid: CID) throws -> JSONObject? {
        guard let bytes = try repository.blocks.block(cid) else { return nil }
        guard case .object(let object)? = try? JSONParser.parse(bytes) else {
            // The content exists, but no credential does under this CID.
            throw NodeError(.notFound, "\(cid) is content on this node, but not a JSON credential")
        }
        return object
    }

    /// Verifies `credential` against the ledger as this node sees it: its bundle at the head
    /// (status lists by their ledger pointers, state proofs, the anchor), checked as an offline
    /// verifier checks it, trusting the chain's genesis validators; with the ledger entries and
    /// proofs behind each list. Before the first block nothing can be on the ledger.
    func verify(_ credential: JSONObject, now: Credentials.Timestamp) -> (VerificationReport, [String: JSONValue]) {
        guard let bundle = try? bundle(for: credential) else {
            return (CredentialVerifier.verify(credential, now: now), [:])
        }
        let report = bundle.verify(validators: Set(ledger.genesis.validators), now: now)
        var proofs: [String: JSONValue] = [:]
        for (list, entry) in bundle.listEntries {
            proofs[list] = .object(
                JSONObject([
                    ("height", .number(Double(bundle.header.height))),
                    ("stateRoot", .string(LedgerAPI.hex(bundle.header.stateRoot))),
                    ("key", .string(LedgerAPI.hex(LedgerState.key(.statusList, Array(list.utf8))))),
                    ("value", entry.value.map { .string(LedgerAPI.hex($0)) } ?? .null),
                    ("proof", .string(LedgerAPI.hex(entry.proof.encoded()))),
                ]))
        }
        return (report, proofs)
    }

    /// The offline verification bundle for `credential` at the current head: its status lists
    /// as the ledger points at them, with the head's header, commit and state proofs.
    func bundle(for credential: JSONObject) throws -> VerificationBundle {
        let (state, head) = ledger.snapshot
        guard let head, let (_, commit) = try ledger.store.headerAndCommit(at: head.height) else {
            throw NodeError(.notFound, "the ledger has no block yet to prove anything against")
        }
        var lists: [String: JSONObject] = [:]
        var entries: [String: (value: [UInt8]?, proof: StateProof)] = [:]
        for status in StatusEntry.entries(of: credential) {
            let key = LedgerState.key(.statusList, Array(status.listCredential.utf8))
            entries[status.listCredential] = (state.value(forKey: key), state.tree.proof(for: key))
            if let pointer = state.statusLists[status.listCredential], let list = try? document(at: pointer.latest) {
                lists[status.listCredential] = list
            }
        }
        let anchorKey = LedgerState.key(.anchor, try CredentialVerifier.anchorHash(credential))
        return VerificationBundle(
            credential: credential, statusLists: lists, header: head, commit: commit, listEntries: entries,
            anchorEntry: (state.value(forKey: anchorKey), state.tree.proof(for: anchorKey)))
    }

    static func bitsKey(_ purpose: String) -> [UInt8] { Array("bits:\(purpose)".utf8) }

    static func publishedKey(_ purpose: String) -> [UInt8] { Array("published:\(purpose)".utf8) }

    static func credentialKey(_ id: String) -> [UInt8] { Array("credential:".utf8) + Array(id.utf8) }
}
