import Credentials
import Foundation
import HTTPTypes
import Hummingbird
import JCS
import Ledger
import LocalStore
import Multiformats
import NIOCore

/// The W3C VC API endpoints the node serves (`Specs/http.md`, "Credentials"), over
/// ``CredentialService``: issuing and status updates need a token; verifying and reading status
/// lists are public. `POST /api/v1/credentials/verify` gives Cairn's full six-check report with
/// the ledger proofs behind it.
struct CredentialAPI: Sendable {
    let service: CredentialService
    let maxJSONBytes: Int

    /// The issuing side, behind a token.
    func registerIssuing(on router: RouterGroup<some RequestContext>) {
        router.post("/issue") { request, context in
            let body = try await Self.object(request, limit: maxJSONBytes, allowed: ["credential", "options"])
            guard case .object(let credential)? = body["credential"] else {
                throw HTTPFailure(.badRequest, "the body is {\"credential\": {…}, \"options\": {…}}")
            }
            let options = body["options"]?.objectValue ?? JSONObject()
            if let extra = options.keys.first(where: { !["credentialId", "mandatoryPointers"].contains($0) }) {
                throw HTTPFailure(.badRequest, "unknown issue option \"\(extra.prefix(60))\"")
            }
            if let id = options["credentialId"], id.stringValue == nil {
                throw HTTPFailure(.badRequest, "options.credentialId is a string")
            }
            let service = self.service
            let issued = try await blocking {
                try Self.answering {
                    try service.issue(credential, credentialID: options["credentialId"]?.stringValue, now: Self.now())
                }
            }
            var headers = HTTPFields()
            headers[.location] = "/ipfs/\(issued.cid)"
            headers[HTTPField.Name("X-Cairn-Credential-Id")!] = issued.credentialID
            return try Self.json(
                .object(JSONObject([("verifiableCredential", .object(issued.credential))])), status: .created,
                headers: headers)
        }
        router.post("/status") { request, context in
            let body = try await Self.object(
                request, limit: maxJSONBytes, allowed: ["credentialId", "credentialStatus", "status", "indexAllocator"])
            let entryMembers: Set = ["id", "type", "statusPurpose", "statusListIndex", "statusListCredential"]
            guard let id = body["credentialId"]?.stringValue, !id.isEmpty,
                let status = body["credentialStatus"]?.objectValue, status.keys.allSatisfy(entryMembers.contains),
                status.allSatisfy({ $0.value.stringValue != nil }), status["type"] != nil,
                let purpose = status["statusPurpose"]?.stringValue, case .bool(let set)? = body["status"]
            else {
                throw HTTPFailure(
                    .badRequest,
                    "the body is {\"credentialId\": string, \"credentialStatus\": {\"type\", \"statusPurpose\"}, \"status\": bool}"
                )
            }
            let service = self.service
            let (transaction, cid) = try await blocking {
                try Self.answering {
                    try service.updateStatus(credentialID: id, purpose: purpose, set: set, now: Self.now())
                }
            }
            return try Self.json(
                .object(
                    JSONObject([
                        ("credentialId", .string(id)), ("statusPurpose", .string(purpose)), ("status", .bool(set)),
                        ("statusListCredential", .string(service.listURL(purpose))),
                        ("statusList", .string(cid.description)), ("transaction", .string(transaction.cid.description)),
                    ])))
        }
    }

    /// Cairn's own issuing extras, behind the admin token: anchoring a credential the node issued.
    func registerAdmin(on router: RouterGroup<some RequestContext>) {
        router.post("/credentials/anchor") { request, _ in
            let body = try await Self.object(request, limit: maxJSONBytes, allowed: ["cid"])
            guard body.count == 1, let text = body["cid"]?.stringValue else {
                throw HTTPFailure(.badRequest, "the body is {\"cid\": \"<credential CID>\"}")
            }
            let cid = try NodeAPI.cid(text)
            let service = self.service
            let transaction = try await blocking { try Self.answering { try service.anchor(cid) } }
            return try Self.json(
                .object(
                    JSONObject([
                        ("cid", .string(cid.description)), ("transaction", .string(transaction.cid.description)),
                    ])),
                status: .accepted)
        }
    }

    /// The public side.
    func registerPublic(on router: Router<some RequestContext>) {
        router.post("/credentials/verify") { request, _ in
            let body = try await Self.object(
                request, limit: maxJSONBytes, allowed: ["verifiableCredential", "options"])
            guard case .object(let credential)? = body["verifiableCredential"] else {
                throw HTTPFailure(.badRequest, "the body is {\"verifiableCredential\": {…}, \"options\": {…}}")
            }
            try Self.checkOptions(body["options"], strings: [])
            let service = self.service
            let (report, _) = try await blocking { service.verify(credential, now: Self.now()) }
            return try Self.json(Self.vcAPIResult(report, credential: credential))
        }
        router.post("/presentations/verify") { request, _ in
            let body = try await Self.object(
                request, limit: maxJSONBytes, allowed: ["verifiablePresentation", "options"])
            guard case .object(let presentation)? = body["verifiablePresentation"] else {
                throw HTTPFailure(.badRequest, "the body is {\"verifiablePresentation\": {…}, \"options\": {…}}")
            }
            try Self.checkOptions(body["options"], strings: ["challenge", "domain"])
            let options = body["options"]?.objectValue ?? JSONObject()
            let service = self.service
            let result = try await blocking {
                Self.verifyPresentation(presentation, options: options, service: service)
            }
            return try Self.json(result)
        }
        router.get("/status-lists/{id}") { _, context in
            let id = try context.parameters.require("id")
            guard CredentialService.purposes.contains(id) else {
                throw HTTPFailure(.notFound, "no status list \(id.prefix(60)); this node has revocation and suspension")
            }
            let service = self.service
            guard let list = try await blocking({ try Self.answering { try service.statusListCredential(id) } }) else {
                throw HTTPFailure(.notFound, "the \(id) list is published with the first credential issued")
            }
            return try Self.json(.object(list))
        }
        router.post("/api/v1/credentials/verify") { request, _ in try await self.report(request, bundle: false) }
        router.post("/api/v1/credentials/bundle") { request, _ in try await self.report(request, bundle: true) }
    }

    /// Cairn's report for a credential (or, with `bundle`, its offline verification bundle).
    func report(_ request: Request, bundle: Bool) async throws -> Response {
        // {"cid": …} naming a credential this node holds, or {"verifiableCredential": {…}}.
        let body = try await Self.object(request, limit: maxJSONBytes, allowed: ["cid", "verifiableCredential"])
        let service = self.service
        let credential: JSONObject
        switch (body["cid"], body["verifiableCredential"]) {
        case (.string(let text)?, nil):
            let cid = try NodeAPI.cid(text)
            guard let stored = try await blocking({ try Self.answering { try service.document(at: cid) } }) else {
                throw HTTPFailure(.notFound, "\(cid) is not on this node")
            }
            credential = stored
        case (nil, .object(let given)?):
            credential = given
        default:
            throw HTTPFailure(.badRequest, "the body is {\"cid\": CID} or {\"verifiableCredential\": {…}}")
        }
        let verified = credential
        if bundle {
            let made = try await blocking { try Self.answering { try service.bundle(for: verified) } }
            return try Self.json(made.json)
        }
        let (report, proofs) = try await blocking { service.verify(verified, now: Self.now()) }
        guard case .object(var answer) = report.json else { throw HTTPFailure(.internalServerError, "report") }
        answer["ledgerProofs"] = .object(JSONObject(proofs.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }))
        if let hash = try? CredentialVerifier.anchorHash(credential) {
            answer["anchorHash"] = .string(LedgerAPI.hex(hash))
        }
        return try Self.json(.object(answer))

    }

    // MARK: Results

    /// A Cairn report as the VC API's VerificationResult: one ProblemDetails per failed check.
    static func vcAPIResult(_ report: VerificationReport, credential: JSONObject) -> JSONValue {
        var results: [(String, JSONValue)] = []
        for field in ["validFrom", "validUntil"] {
            if let value = credential[field] {
                results.append(
                    (
                        field,
                        .object(JSONObject([("verified", .bool(!report.validityWindow.failed)), ("input", value)]))
                    ))
            }
        }
        if let statuses = credential["credentialStatus"] {
            let items = statuses.arrayValue ?? [statuses]
            results.append(
                (
                    "credentialStatus",
                    .array(
                        items.map { .object(JSONObject([("verified", .bool(!report.status.failed)), ("input", $0)])) })
                ))
        }
        if let proof = credential["proof"] {
            results.append(
                (
                    "proof",
                    .array([.object(JSONObject([("verified", .bool(report.signature.passed)), ("input", proof)]))])
                ))
        }
        return .object(
            JSONObject([
                ("verified", .bool(report.verified)), ("credential", .object(credential)),
                ("problemDetails", .array(problems(report))), ("results", .object(JSONObject(results))),
            ]))
    }

    /// ProblemDetails for each failed check: `type` `urn:cairn:problem:<check>`, a title in the
    /// W3C specs' style, the report's reason as `detail`.
    static func problems(_ report: VerificationReport) -> [JSONValue] {
        let titles = [
            "wellFormed": "MALFORMED_VALUE_ERROR", "signature": "PROOF_VERIFICATION_ERROR",
            "issuerBinding": "ISSUER_BINDING_ERROR", "validityWindow": "VALIDITY_PERIOD_ERROR",
            "status": "STATUS_VERIFICATION_ERROR", "anchor": "ANCHOR_MISMATCH_ERROR",
        ]
        return report.checks.filter { $0.check.failed }.map { item in
            var title = titles[item.name] ?? "VERIFICATION_ERROR"
            if item.name == "status" && item.check.reason.contains("STATUS_LIST_LENGTH_ERROR") {
                title = "STATUS_LIST_LENGTH_ERROR"
            }
            return .object(
                JSONObject([
                    ("type", .string("urn:cairn:problem:\(item.name)")), ("title", .string(title)),
                    ("detail", .string(item.check.reason)),
                ]))
        }
    }

    /// The presentation's own proof (purpose authentication, challenge and domain when the
    /// verifier gives them, the holder bound to the signer), then every credential in it.
    static func verifyPresentation(_ presentation: JSONObject, options: JSONObject, service: CredentialService)
        -> JSONValue
    {
        let now = Self.now()
        var problems: [JSONValue] = []
        func problem(_ name: String, _ title: String, _ detail: String) {
            problems.append(
                .object(
                    JSONObject([
                        ("type", .string("urn:cairn:problem:\(name)")), ("title", .string(title)),
                        ("detail", .string(detail)),
                    ])))
        }
        for shape in CredentialShape.problems(presentation: presentation) {
            problem("wellFormed", "MALFORMED_VALUE_ERROR", shape.description)
        }
        var presentationResults: [(String, JSONValue)] = []
        let proof = presentation["proof"]?.objectValue
        if proof != nil {
            switch EddsaJcs2022.verify(presentation, purpose: "authentication", now: now) {
            case .success(let verified):
                presentationResults.append(
                    ("proof", .array([.object(JSONObject([("verified", .bool(true)), ("input", .object(proof!))]))])))
                let holder = presentation["holder"]?.stringValue ?? presentation["holder"]?["id"]?.stringValue
                if let holder {
                    let bound = holder == verified.signer.description
                    if !bound {
                        problem("holder", "HOLDER_BINDING_ERROR", "the proof's key is not the holder \(holder)")
                    }
                    presentationResults.append(
                        ("holder", .object(JSONObject([("verified", .bool(bound)), ("input", .string(holder))]))))
                }
            case .failure(let failure):
                problem("signature", "PROOF_VERIFICATION_ERROR", failure.description)
                presentationResults.append(
                    ("proof", .array([.object(JSONObject([("verified", .bool(false)), ("input", .object(proof!))]))])))
            }
        } else if options["challenge"] != nil || options["domain"] != nil {
            problem(
                "signature", "PROOF_VERIFICATION_ERROR", "a challenge or domain was asked for, but there is no proof")
        }
        for name in ["challenge", "domain"] {
            guard let expected = options[name] else { continue }
            let matches = proof?[name] == expected
            if !matches { problem(name, "PROOF_VERIFICATION_ERROR", "the proof's \(name) is not the one asked for") }
            presentationResults.append(
                (name, .object(JSONObject([("verified", .bool(matches)), ("input", expected)]))))
        }
        var credentials: [JSONValue] = []
        var allVerified = true
        let embedded: [JSONValue] =
            switch presentation["verifiableCredential"] {
            case .array(let items)?: items
            case let one?: [one]
            case nil: []
            }
        for item in embedded {
            guard case .object(let credential) = item else { continue }
            let (report, _) = service.verify(credential, now: now)
            allVerified = allVerified && report.verified
            credentials.append(vcAPIResult(report, credential: credential))
        }
        return .object(
            JSONObject([
                ("verified", .bool(problems.isEmpty && allVerified)), ("problemDetails", .array(problems)),
                (
                    "results",
                    .object(
                        JSONObject([
                            ("presentation", .object(JSONObject(presentationResults))),
                            ("credentials", .array(credentials)),
                        ]))
                ),
            ]))
    }

    // MARK: Helpers

    /// `options`, when given, must be an object whose listed members are strings.
    static func checkOptions(_ options: JSONValue?, strings: [String]) throws {
        guard let options else { return }
        guard case .object(let object) = options else { throw HTTPFailure(.badRequest, "options is an object") }
        for name in strings where object[name] != nil && object[name]?.stringValue == nil {
            throw HTTPFailure(.badRequest, "options.\(name) is a string")
        }
    }

    /// Runs service work, turning its refusals into answers: a malformed credential is a 400
    /// (MALFORMED_VALUE_ERROR), a service error by its code (``HTTPFailure/init(_:)``).
    static func answering<Value>(_ work: () throws -> Value) throws -> Value {
        do { return try work() } catch let error as CredentialError {
            throw HTTPFailure(.badRequest, error.message, reason: "MALFORMED_VALUE_ERROR")
        } catch let error as NodeError {
            throw HTTPFailure(error)
        }
    }

    static func now() -> Credentials.Timestamp { Credentials.Timestamp(seconds: Int64(Date().timeIntervalSince1970)) }

    /// The request body as a JSON object, read strictly (``JSONParser``), or 400/413 saying why.
    static func object(_ request: Request, limit: Int, allowed: Set<String>? = nil) async throws -> JSONObject {
        let buffer: ByteBuffer
        do { buffer = try await request.body.collect(upTo: limit) } catch {
            throw HTTPFailure(.contentTooLarge, "a JSON body is at most \(limit) bytes")
        }
        let value: JSONValue
        do { value = try JSONParser.parse(Array(buffer.readableBytesView)) } catch {
            throw HTTPFailure(.badRequest, "the body is not JSON: \(error.message)", reason: "PARSING_ERROR")
        }
        guard case .object(let object) = value else { throw HTTPFailure(.badRequest, "the body is a JSON object") }
        if let allowed, let extra = object.keys.first(where: { !allowed.contains($0) }) {
            throw HTTPFailure(
                .badRequest,
                "unknown member \"\(extra.prefix(60))\"; the body has \(allowed.sorted().joined(separator: ", "))")
        }
        return object
    }

    static func json(_ value: JSONValue, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) throws
        -> Response
    {
        var headers = headers
        headers[.contentType] = "application/json"
        let bytes = try JCS.canonicalize(value)
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
    }
}
