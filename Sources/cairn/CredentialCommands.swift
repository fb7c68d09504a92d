import ArgumentParser
import CairnClient
import Credentials
import Foundation
import JCS
import Ledger

/// `cairn cred issue|verify|revoke|suspend|show`: the node as issuer and verifier of W3C
/// Verifiable Credentials (through the daemon's VC API).
extension CredentialCommand {
    struct Issue: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Issue a credential as this node's did:key; prints its CID (what the learner shares).",
            discussion: """
                FILE holds an unsigned credential (VC Data Model 2.0 JSON; an Open Badges 3.0 \
                OpenBadgeCredential is checked as one). The node adds its revocation and suspension \
                status entries, signs it with eddsa-jcs-2022, stores and pins it.
                """)
        @Argument(help: "The unsigned credential (JSON), or - for standard input.") var file: String
        @Option(help: "An id to revoke or suspend it by later (default: its id, else its CID).") var id: String?
        @Option(name: .shortAndLong, help: "Also write the signed credential to this file.") var output: String?
        @Flag(help: "Also anchor its hash on the ledger, with this node as issuer.") var anchor = false
        @OptionGroup var repository: RepositoryOptions

        func run() async throws {
            let data =
                file == "-"
                ? FileHandle.standardInput.readDataToEndOfFile() : FileManager.default.contents(atPath: file)
            guard let data else { throw CommandFailure("cannot read \(file)") }
            let credential: JSONValue
            do { credential = try JSONParser.parse(Array(data)) } catch {
                throw CommandFailure("\(file) is not JSON: \(error.message)")
            }
            var request: [(String, JSONValue)] = [("credential", credential)]
            if let id { request.append(("options", .object(JSONObject([("credentialId", .string(id))])))) }
            let answer = try await requireDaemon(repository).send(
                "POST", "/credentials/issue", headers: [("Content-Type", "application/json")],
                body: Data(try JCS.canonicalize(.object(JSONObject(request)))))
            try answer.check()
            let location = answer.headers.first { $0.0.lowercased() == "location" }?.1 ?? ""
            if let output {
                let object = try JSONParser.parse(Array(answer.body))
                let signed = object["verifiableCredential"] ?? .null
                try Data(try JCS.canonicalize(signed)).write(to: URL(fileURLWithPath: output))
            }
            let cid = location.replacingOccurrences(of: "/ipfs/", with: "")
            if anchor {
                let anchored = try await requireDaemon(repository).send(
                    "POST", "/api/v1/credentials/anchor", headers: [("Content-Type", "application/json")],
                    body: Data(try JCS.canonicalize(.object(JSONObject([("cid", .string(cid))])))))
                try anchored.check()
                Terminal.printError("anchor submitted to the ledger")
            }
            print(cid)
            if let issuedID = answer.headers.first(where: { $0.0.lowercased() == "x-cairn-credential-id" })?.1 {
                Terminal.printError("credential id \(issuedID)")
            }
        }
    }

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Verify a credential (a CID on the node, or a JSON file): each check with its reason.",
            discussion: """
                Through the daemon, which follows the ledger. With --bundle, offline: the bundle \
                (from `cairn cred bundle`) carries the status lists and the ledger's proofs, and \
                --validator names the chain validator whose commit you trust.

                Exits 1 when the credential is not verified.
                """)
        @Argument(help: "A credential's CID, or a JSON file (not with --bundle).") var credential: String?
        @Option(help: "Verify offline from this bundle file.") var bundle: String?
        @Option(help: "A trusted validator (did:key or address; repeat for several), for --bundle.")
        var validator: [String] = []
        @OptionGroup var output: OutputOptions
        @OptionGroup var repository: RepositoryOptions

        func run() async throws {
            if let bundle {
                try verifyOffline(bundle)
                return
            }
            guard let credential else { throw CommandFailure("name a credential (CID or file), or give --bundle") }
            let body: Data
            if let data = FileManager.default.contents(atPath: credential) {
                let parsed: JSONValue
                do { parsed = try JSONParser.parse(Array(data)) } catch {
                    throw CommandFailure("\(credential) is not JSON: \(error.message)")
                }
                body = Data(try JCS.canonicalize(.object(JSONObject([("verifiableCredential", parsed)]))))
            } else {
                body = Data(try JCS.canonicalize(.object(JSONObject([("cid", .string(credential))]))))
            }
            let answer = try await requireDaemon(repository).send(
                "POST", "/api/v1/credentials/verify", headers: [("Content-Type", "application/json")], body: body)
            try answer.check()
            try show(try JSONParser.parse(Array(answer.body)))
        }

        func verifyOffline(_ path: String) throws {
            guard !validator.isEmpty else {
                throw CommandFailure("--bundle needs --validator: the chain validator whose commit you trust")
            }
            var validators = Set<Address>()
            for text in validator {
                do { validators.insert(try Address(text)) } catch {
                    throw CommandFailure("--validator \(text): \(error.message)")
                }
            }
            guard let data = FileManager.default.contents(atPath: path) else {
                throw CommandFailure("cannot read \(path)")
            }
            let bundle: VerificationBundle
            do { bundle = try VerificationBundle(json: try JSONParser.parse(Array(data))) } catch let error
                as CredentialError
            {
                throw CommandFailure("\(path): \(error.message)")
            } catch let error as JSONError {
                throw CommandFailure("\(path) is not JSON: \(error.message)")
            }
            let report = bundle.verify(
                validators: validators, now: Timestamp(seconds: Int64(Date().timeIntervalSince1970)))
            try show(report.json)
        }

        func show(_ report: JSONValue) throws {
            if output.json {
                print(String(decoding: try JCS.canonicalize(report), as: UTF8.self))
            } else {
                for name in ["wellFormed", "signature", "issuerBinding", "validityWindow", "status", "anchor"] {
                    let check = report["checks"]?[name]
                    let result = check?["result"]?.stringValue ?? "?"
                    print(
                        "\(name.padding(toLength: 15, withPad: " ", startingAt: 0)) \(result.padding(toLength: 12, withPad: " ", startingAt: 0)) \(check?["reason"]?.stringValue ?? "")"
                    )
                }
            }
            guard report["verified"] == .bool(true) else { throw ExitCode(1) }
            if !output.json { print("verified") }
        }
    }

    struct Bundle: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write a credential's offline verification bundle: it, its status lists, the ledger's proofs.")
        @Argument(help: "A credential's CID on the node, or a JSON file.") var credential: String
        @Option(name: .shortAndLong, help: "Write it here (default: standard output).") var output: String?
        @OptionGroup var repository: RepositoryOptions

        func run() async throws {
            let body: JSONObject
            if let data = FileManager.default.contents(atPath: credential) {
                body = JSONObject([("verifiableCredential", try JSONParser.parse(Array(data)))])
            } else {
                body = JSONObject([("cid", .string(credential))])
            }
            let answer = try await requireDaemon(repository).send(
                "POST", "/api/v1/credentials/bundle", headers: [("Content-Type", "application/json")],
                body: Data(try JCS.canonicalize(.object(body))))
            try answer.check()
            if let output {
                try answer.body.write(to: URL(fileURLWithPath: output))
            } else {
                print(String(decoding: answer.body, as: UTF8.self))
            }
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Revoke a credential this node issued: sets its bit, publishes the list, points the ledger at it."
        )
        @Argument(help: "The credential's id (as `cred issue` printed it).") var id: String
        @OptionGroup var repository: RepositoryOptions

        func run() async throws { try await updateStatus(id, purpose: "revocation", set: true, repository: repository) }
    }

    struct Suspend: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Suspend a credential this node issued, or lift it.")
        @Argument(help: "The credential's id.") var id: String
        @Flag(help: "Lift the suspension instead.") var lift = false
        @OptionGroup var repository: RepositoryOptions

        func run() async throws {
            try await updateStatus(id, purpose: "suspension", set: !lift, repository: repository)
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print a stored credential (by CID) as JSON.")
        @Argument var cid: String
        @OptionGroup var repository: RepositoryOptions

        func run() async throws {
            let answer = try await requireDaemon(repository).send("GET", "/ipfs/\(try parseCID(cid))")
            try answer.check()
            let value = try JSONParser.parse(Array(answer.body))
            let data = try JSONSerialization.data(
                withJSONObject: try JSONSerialization.jsonObject(with: Data(try JCS.canonicalize(value))),
                options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
            print(String(decoding: data, as: UTF8.self))
        }
    }
}

/// Sets or clears a status bit through `POST /credentials/status`, and says what the ledger got.
func updateStatus(_ id: String, purpose: String, set: Bool, repository: RepositoryOptions) async throws {
    let body = JSONObject([
        ("credentialId", .string(id)),
        (
            "credentialStatus",
            .object(JSONObject([("type", .string("BitstringStatusList")), ("statusPurpose", .string(purpose))]))
        ),
        ("status", .bool(set)),
    ])
    let answer = try await requireDaemon(repository).send(
        "POST", "/credentials/status", headers: [("Content-Type", "application/json")],
        body: Data(try JCS.canonicalize(.object(body))))
    try answer.check()
    let result = try JSONParser.parse(Array(answer.body))
    print(result["transaction"]?.stringValue ?? "")
    Terminal.printError("status list \(result["statusList"]?.stringValue ?? "?") submitted to the ledger")
}
