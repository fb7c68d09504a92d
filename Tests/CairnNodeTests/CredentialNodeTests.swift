import CairnTestSupport
import Credentials
import Foundation
import JCS
import NIOHTTP1
import SodiumKit
import Testing

/// Credentials end to end against a real daemon: issue, fetch by CID through the gateway,
/// verify; revoke on the ledger; verify again → revoked, with the ledger proof behind it.
@Suite("Credentials through a real daemon")
struct CredentialNodeTests {
    static let unsigned = #"""
        {"@context": ["https://www.w3.org/ns/credentials/v2",
                      "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],
         "id": "urn:uuid:6c1ad5c2-0c2b-4d55-9a37-3f0c1a0b0001",
         "type": ["VerifiableCredential", "OpenBadgeCredential"],
         "name": "Intro to Swift",
         "issuer": {"id": "ISSUER", "type": ["Profile"], "name": "Cairn Academy"},
         "credentialSubject": {"id": "did:example:learner42", "type": ["AchievementSubject"],
           "achievement": {"id": "https://academy.example/a/swift-1", "type": ["Achievement"],
             "name": "Intro to Swift", "description": "Completed the course.",
             "criteria": {"narrative": "Pass the final exam."}}}}
        """#

    static func waitForTransaction(_ url: String, _ cid: String) async throws {
        for _ in 0..<200 {
            if try await HTTPExchange.send(.GET, url + "/api/v1/ledger/transactions/\(cid)").status == 200 { return }
            try await Task.sleep(for: .milliseconds(25))
        }
        Issue.record("transaction \(cid) was never included")
    }

    @Test func issuesFetchesVerifiesRevokesAndVerifiesAgain() async throws {
        let node = try NodeFixture(configuration: ["blockIntervalMilliseconds": 30])
        func cairn(_ arguments: [String]) throws -> CairnExecutable.Result {
            try CairnExecutable.run(arguments + ["--repo", node.repository])
        }
        let id = try await HTTPExchange.send(.GET, node.url + "/api/v1/id", token: node.token)
        let did = try #require(id.object["did"] as? String)
        let file = node.directory.path("badge.json")
        try Data(Self.unsigned.replacingOccurrences(of: "ISSUER", with: did).utf8).write(
            to: URL(fileURLWithPath: file))

        let issued = try cairn(["cred", "issue", file, "--id", "learner-42", "--anchor"])
        #expect(issued.status == 0, "\(issued.standardError)")
        let cid = issued.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(cid.hasPrefix("bafkrei"))

        // The gateway serves the signed credential by its CID; its bytes are its canonical form.
        let fetched = try await HTTPExchange.send(.GET, node.url + "/ipfs/\(cid)")
        #expect(fetched.status == 200)
        let credential = try #require(try JSONSerialization.jsonObject(with: fetched.body) as? [String: Any])
        #expect((credential["proof"] as? [String: Any])?["cryptosuite"] as? String == "eddsa-jcs-2022")
        #expect((credential["credentialStatus"] as? [Any])?.count == 2)

        // The status lists and the anchor reach the ledger; then it verifies, with every check.
        let anchorHash = try #require(
            try await HTTPExchange.send(
                .POST, node.url + "/api/v1/credentials/verify", headers: [("Content-Type", "application/json")],
                body: Data(#"{"cid": "\#(cid)"}"#.utf8)
            ).object["anchorHash"] as? String)
        for _ in 0..<200 {
            let anchor = try await HTTPExchange.send(.GET, node.url + "/api/v1/ledger/credentials/\(anchorHash)")
            if anchor.object["anchored"] as? Bool == true { break }
            try await Task.sleep(for: .milliseconds(25))
        }
        let verified = try cairn(["cred", "verify", cid])
        #expect(verified.status == 0, "\(verified.standardOutput)\(verified.standardError)")
        #expect(verified.standardOutput.contains("verified"))
        #expect(verified.standardOutput.contains("state proof checked"))
        #expect(verified.standardOutput.contains("anchored at height"))

        // The VC API's verifier agrees.
        let vcAPI = try await HTTPExchange.send(
            .POST, node.url + "/credentials/verify", headers: [("Content-Type", "application/json")],
            body: Data(#"{"verifiableCredential": "#.utf8) + fetched.body + Data("}".utf8))
        #expect(vcAPI.object["verified"] as? Bool == true, "\(vcAPI.text)")
        #expect((vcAPI.object["problemDetails"] as? [Any])?.isEmpty == true)

        // Offline: a bundle of the credential, its lists and the ledger's proofs verifies with no
        // daemon, given the validator to trust; not with another, nor once tampered with.
        let bundleFile = node.directory.path("bundle.json")
        #expect(try cairn(["cred", "bundle", cid, "-o", bundleFile]).status == 0)
        let offline = try CairnExecutable.run(["cred", "verify", "--bundle", bundleFile, "--validator", did])
        #expect(offline.status == 0, "\(offline.standardOutput)\(offline.standardError)")
        #expect(offline.standardOutput.contains("proved by the ledger at height"))
        let stranger = DIDKey(publicKey: Ed25519.PrivateKey().publicKey).description
        let untrusted = try CairnExecutable.run(["cred", "verify", "--bundle", bundleFile, "--validator", stranger])
        #expect(untrusted.status == 1)
        #expect(untrusted.standardOutput.contains("not committed by the trusted validators"))
        let tamperedFile = node.directory.path("tampered.json")
        let bundleText = try String(contentsOfFile: bundleFile, encoding: .utf8)
        try Data(bundleText.replacingOccurrences(of: "Completed the course.", with: "Completed two courses.").utf8)
            .write(to: URL(fileURLWithPath: tamperedFile))
        let tampered = try CairnExecutable.run(["cred", "verify", "--bundle", tamperedFile, "--validator", did])
        #expect(tampered.status == 1)
        #expect(tampered.standardOutput.contains("signature       failed"))

        // Revoke on the ledger; once the block lands, verification fails on status, with the proof.
        let revoked = try cairn(["cred", "revoke", "learner-42"])
        #expect(revoked.status == 0, "\(revoked.standardError)")
        try await Self.waitForTransaction(
            node.url, revoked.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines))
        let again = try cairn(["cred", "verify", cid])
        #expect(again.status == 1)
        #expect(again.standardOutput.contains("status          failed       revoked: bit 0"))
        let report = try await HTTPExchange.send(
            .POST, node.url + "/api/v1/credentials/verify", headers: [("Content-Type", "application/json")],
            body: Data(#"{"cid": "\#(cid)"}"#.utf8))
        #expect(report.object["verified"] as? Bool == false)
        let proofs = try #require(report.object["ledgerProofs"] as? [String: Any])
        #expect(proofs.count == 2)
        #expect(proofs.values.allSatisfy { (($0 as? [String: Any])?["proof"] as? String)?.isEmpty == false })
        let problems = try await HTTPExchange.send(
            .POST, node.url + "/credentials/verify", headers: [("Content-Type", "application/json")],
            body: Data(#"{"verifiableCredential": "#.utf8) + fetched.body + Data("}".utf8))
        #expect(
            (problems.object["problemDetails"] as? [[String: Any]])?.first?["title"] as? String
                == "STATUS_VERIFICATION_ERROR")

        #expect(try cairn(["cred", "bundle", cid, "-o", bundleFile]).status == 0)
        let offlineRevoked = try CairnExecutable.run(["cred", "verify", "--bundle", bundleFile, "--validator", did])
        #expect(offlineRevoked.status == 1)
        #expect(offlineRevoked.standardOutput.contains("revoked: bit 0"))

        // Suspension is its own list: suspend and lift.
        #expect(try cairn(["cred", "suspend", "learner-42"]).status == 0)
        #expect(try cairn(["cred", "suspend", "learner-42", "--lift"]).status == 0)
        let lists = try await HTTPExchange.send(.GET, node.url + "/status-lists/revocation")
        #expect(lists.status == 200)
        #expect(lists.object["id"] as? String == "urn:cairn:status:\(did.dropFirst(8)):revocation")
    }

    @Test func refusesBadRequestsWithReasons() async throws {
        let node = try NodeFixture()
        func post(_ path: String, _ body: String, token: String? = nil) async throws -> HTTPExchange.Answer {
            try await HTTPExchange.send(
                .POST, node.url + path, headers: [("Content-Type", "application/json")], body: Data(body.utf8),
                token: token)
        }
        let minimal =
            #"{"@context": ["https://www.w3.org/ns/credentials/v2"], "type": ["VerifiableCredential"], "credentialSubject": {"name": "Ada"}}"#
        #expect(try await post("/credentials/issue", #"{"credential": \#(minimal)}"#).status == 401)
        let good = try await post("/credentials/issue", #"{"credential": \#(minimal)}"#, token: node.token)
        #expect(good.status == 201, "\(good.text)")
        #expect(good.headers.contains { $0.0.lowercased() == "location" && $0.1.hasPrefix("/ipfs/bafkrei") })
        let cases: [(String, String, Int, String)] = [
            ("/credentials/issue", "{", 400, "not JSON"),
            ("/credentials/issue", "[]", 400, "JSON object"),
            ("/credentials/issue", #"{"credential": 5}"#, 400, "credential"),
            (
                "/credentials/issue",
                #"{"credential": {"@context": ["https://www.w3.org/ns/credentials/v2"], "type": ["VerifiableCredential"]}}"#,
                400, "credentialSubject"
            ),
            (
                "/credentials/issue",
                #"{"credential": {"@context": ["https://www.w3.org/ns/credentials/v2"], "type": ["VerifiableCredential"], "issuer": "did:example:other", "credentialSubject": {"a": 1}}}"#,
                400, "this key can only issue as"
            ),
            ("/credentials/issue", #"{"credential": \#(minimal), "options": {"colour": "red"}}"#, 400, "colour"),
            ("/credentials/issue", #"{"a": 1, "a": 2}"#, 400, "appears twice"),
            (
                "/credentials/status",
                #"{"credentialId": "nobody", "credentialStatus": {"type": "BitstringStatusList", "statusPurpose": "revocation"}, "status": true}"#,
                404, "no credential"
            ),
            (
                "/credentials/status",
                #"{"credentialId": "x", "credentialStatus": {"type": "BitstringStatusList", "statusPurpose": "refresh"}, "status": true}"#,
                400, "revocation or suspension"
            ),
            ("/credentials/status", #"{"credentialId": "x"}"#, 400, "credentialStatus"),
            ("/credentials/verify", #"{"verifiableCredential": []}"#, 400, "verifiableCredential"),
            ("/presentations/verify", "nope", 400, "not JSON"),
        ]
        for (path, body, status, says) in cases {
            let answer = try await post(path, body, token: node.token)
            #expect(answer.status == status, "\(path) \(body): \(answer.status) \(answer.text)")
            #expect(answer.text.contains(says), "\(path) \(body): \(answer.text)")
        }
        // A forged credential verifies as not verified (200), naming the proof.
        let forged = try await post(
            "/credentials/verify", #"{"verifiableCredential": \#(minimal.dropLast()), "issuer": "did:example:x"}}"#)
        #expect(forged.status == 200)
        #expect(forged.object["verified"] as? Bool == false)
        #expect(try await HTTPExchange.send(.GET, node.url + "/status-lists/other").status == 404)
        // Cairn's report by CID: a CID that is not a credential, not a CID, not on the node.
        let notJSON = try await node.upload([("a.bin", Data([0xFF, 0x00]))], query: "?raw-leaves=true")
        let byCID: [(String, Int)] = [
            (notJSON, 404), ("nope", 400), ("bafkreicysg23kiwv34eg2d7qweipxwosdo2py4ldv42nbauguluen5v6am", 404),
        ]
        for (cid, status) in byCID {
            #expect(try await post("/api/v1/credentials/verify", #"{"cid": "\#(cid)"}"#).status == status, "\(cid)")
        }
        #expect(try await HTTPExchange.send(.GET, node.url + "/credentials/verify").status == 405)
    }

    @Test func verifiesPresentationsWithChallengeAndHolder() async throws {
        let node = try NodeFixture()
        let minimal =
            #"{"@context": ["https://www.w3.org/ns/credentials/v2"], "type": ["VerifiableCredential"], "credentialSubject": {"name": "Ada"}}"#
        let issued = try await HTTPExchange.send(
            .POST, node.url + "/credentials/issue", headers: [("Content-Type", "application/json")],
            body: Data(#"{"credential": \#(minimal)}"#.utf8), token: node.token)
        guard case .object(let answer) = try JSONParser.parse(Array(issued.body)),
            let credential = answer["verifiableCredential"]
        else {
            Issue.record("no credential issued: \(issued.text)")
            return
        }
        let holder = Ed25519.PrivateKey()
        let holderDID = DIDKey(publicKey: holder.publicKey)
        func presentation(holder holderName: String, challenge: String) throws -> Data {
            let unsigned = JSONObject([
                ("@context", .array([.string(CredentialShape.baseContext)])),
                ("type", .array([.string("VerifiablePresentation")])), ("holder", .string(holderName)),
                ("verifiableCredential", .array([credential])),
            ])
            var options = EddsaJcs2022.options(
                verificationMethod: holderDID.verificationMethod, purpose: "authentication",
                created: Timestamp(seconds: Int64(Date().timeIntervalSince1970) - 60))
            options["challenge"] = .string(challenge)
            let signed = try EddsaJcs2022.sign(unsigned, options: options, key: holder)
            let body = JSONObject([
                ("verifiablePresentation", .object(signed)),
                ("options", .object(JSONObject([("challenge", .string("c-123"))]))),
            ])
            return Data(try JCS.canonicalize(.object(body)))
        }
        func verify(_ body: Data) async throws -> HTTPExchange.Answer {
            try await HTTPExchange.send(
                .POST, node.url + "/presentations/verify", headers: [("Content-Type", "application/json")], body: body)
        }
        let good = try await verify(try presentation(holder: holderDID.description, challenge: "c-123"))
        #expect(good.object["verified"] as? Bool == true, "\(good.text)")
        let credentials = (good.object["results"] as? [String: Any])?["credentials"] as? [[String: Any]]
        #expect(credentials?.first?["verified"] as? Bool == true)
        let replayed = try await verify(try presentation(holder: holderDID.description, challenge: "old"))
        #expect(replayed.object["verified"] as? Bool == false)
        #expect(replayed.text.contains("challenge"))
        let stranger = DIDKey(publicKey: Ed25519.PrivateKey().publicKey).description
        let unbound = try await verify(try presentation(holder: stranger, challenge: "c-123"))
        #expect(unbound.object["verified"] as? Bool == false)
        #expect(unbound.text.contains("HOLDER_BINDING_ERROR"))
    }

    @Test func assignsStatusIndexesOnceAcrossRestarts() async throws {
        let node = try NodeFixture()
        func issue(_ url: String, _ token: String) async throws -> String? {
            let minimal =
                #"{"credential": {"@context": ["https://www.w3.org/ns/credentials/v2"], "type": ["VerifiableCredential"], "credentialSubject": {"name": "Ada"}}}"#
            let answer = try await HTTPExchange.send(
                .POST, url + "/credentials/issue", headers: [("Content-Type", "application/json")],
                body: Data(minimal.utf8), token: token)
            let credential = try JSONParser.parse(Array(answer.body))["verifiableCredential"]
            return credential?["credentialStatus"]?.arrayValue?.first?["statusListIndex"]?.stringValue
        }
        #expect(try await issue(node.url, node.token) == "0")
        #expect(try await issue(node.url, node.token) == "1")
        // An id names one credential: a second issue under it is refused and uses no index.
        let named =
            #"{"credential": {"@context": ["https://www.w3.org/ns/credentials/v2"], "id": "urn:uuid:42", "type": ["VerifiableCredential"], "credentialSubject": {"name": "Ada"}}}"#
        for expected in [201, 409] {
            let answer = try await HTTPExchange.send(
                .POST, node.url + "/credentials/issue", headers: [("Content-Type", "application/json")],
                body: Data(named.utf8), token: node.token)
            #expect(answer.status == expected, "\(answer.text)")
        }
        #expect(node.daemon.stop() == 0)
        let restarted = try DaemonProcess(repository: node.repository)
        #expect(try await issue(restarted.url, restarted.token) == "3")
        #expect(restarted.stop() == 0)
    }

    /// A revocation acknowledged just before a kill -9, its block never made, still reaches the
    /// ledger: the restarted node points the ledger at the list it last published.
    @Test func aRevocationAcknowledgedBeforeACrashReachesTheLedger() async throws {
        let node = try NodeFixture(configuration: ["blockIntervalMilliseconds": 30])
        let minimal =
            #"{"credential": {"@context": ["https://www.w3.org/ns/credentials/v2"], "type": ["VerifiableCredential"], "credentialSubject": {"name": "Ada"}}, "options": {"credentialId": "ada"}}"#
        let issued = try await HTTPExchange.send(
            .POST, node.url + "/credentials/issue", headers: [("Content-Type", "application/json")],
            body: Data(minimal.utf8), token: node.token)
        let location = try #require(issued.headers.first { $0.0.lowercased() == "location" }?.1)
        let cid = String(location.dropFirst("/ipfs/".count))
        // Let the lists reach the ledger, then slow the blocks down to a minute and revoke.
        for _ in 0..<200 {
            let status = try await HTTPExchange.send(.GET, node.url + "/status-lists/revocation")
            if status.status == 200 { break }
            try await Task.sleep(for: .milliseconds(25))
        }
        #expect(node.daemon.stop() == 0)
        try Self.setBlockInterval(node.repository, 60_000)
        let slow = try DaemonProcess(repository: node.repository)
        let revoked = try await HTTPExchange.send(
            .POST, slow.url + "/credentials/status", headers: [("Content-Type", "application/json")],
            body: Data(
                #"{"credentialId": "ada", "credentialStatus": {"type": "BitstringStatusList", "statusPurpose": "revocation"}, "status": true}"#
                    .utf8), token: slow.token)
        #expect(revoked.status == 200)
        slow.kill9()
        try Self.setBlockInterval(node.repository, 30)
        let restarted = try DaemonProcess(repository: node.repository)
        var status = ""
        for _ in 0..<200 {
            let report = try await HTTPExchange.send(
                .POST, restarted.url + "/api/v1/credentials/verify", headers: [("Content-Type", "application/json")],
                body: Data(#"{"cid": "\#(cid)"}"#.utf8))
            status =
                ((report.object["checks"] as? [String: Any])?["status"] as? [String: Any])?["reason"] as? String ?? ""
            if status.hasPrefix("revoked") { break }
            try await Task.sleep(for: .milliseconds(25))
        }
        #expect(status.hasPrefix("revoked: bit 0"), "\(status)")
        #expect(restarted.stop() == 0)
    }

    static func setBlockInterval(_ repository: String, _ milliseconds: Int) throws {
        let path = repository + "/node.json"
        var object = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any])
        object["blockIntervalMilliseconds"] = milliseconds
        try JSONSerialization.data(withJSONObject: object).write(to: URL(fileURLWithPath: path))
    }
}
