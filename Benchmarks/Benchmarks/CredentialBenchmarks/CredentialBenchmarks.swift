import Benchmark
import CairnTestSupport
import Credentials
import JCS
import SodiumKit

/// The credentials figure (issue #7): a typical certificate — an Open Badges 3.0 credential
/// with two status entries, about 1.3 KB signed — issued (checked, canonicalized, hashed,
/// signed) and verified (checked, canonicalized, hashed, signature verified, its status read
/// from a 131,072-entry list whose own proof is verified) on one core; beside it, libsodium
/// signing and verifying the same 64-byte hash alone, in the same run.
let benchmarks: @Sendable () -> Void = {
    let key = try! Ed25519.PrivateKey(rawRepresentation: [UInt8](repeating: 7, count: 32))
    let did = DIDKey(publicKey: key.publicKey)
    let now = try! Timestamp("2026-01-01T00:00:00Z")
    let listURL = "urn:cairn:status:\(did.multibase):revocation"
    func status(_ purpose: String) -> JSONValue {
        .object(
            JSONObject([
                ("id", .string("urn:cairn:status:\(did.multibase):\(purpose)#4242")),
                ("type", .string(StatusEntry.type)), ("statusPurpose", .string(purpose)),
                ("statusListIndex", .string("4242")),
                ("statusListCredential", .string("urn:cairn:status:\(did.multibase):\(purpose)")),
            ]))
    }
    let certificate = {
        var badge = SampleCredential.openBadge(issuer: did.description)
        badge["credentialStatus"] = .array([status("revocation"), status("suspension")])
        return badge
    }()
    func list(_ purpose: String) -> JSONObject {
        try! CredentialIssuer.issue(
            BitstringStatusList().credential(url: "urn:cairn:status:\(did.multibase):\(purpose)", purpose: purpose),
            key: key, now: now)
    }
    let lists = [listURL: list("revocation"), "urn:cairn:status:\(did.multibase):suspension": list("suspension")]
    let configuration = Benchmark.Configuration(
        metrics: [.wallClock, .throughput], scalingFactor: .kilo, maxDuration: .seconds(3), maxIterations: 100)

    Benchmark("Credential issue + verify, typical certificate", configuration: configuration) { benchmark in
        for _ in benchmark.scaledIterations {
            let issued = try! CredentialIssuer.issue(certificate, key: key, now: now)
            let report = CredentialVerifier.verify(issued, now: now, statusLists: lists)
            precondition(report.verified)
            blackHole(report)
        }
    }
    // The anchor: the same key signing and verifying a 64-byte hash, nothing else.
    let message = [UInt8](repeating: 0xAB, count: 64)
    Benchmark("Ed25519 sign + verify 64 bytes (libsodium)", configuration: configuration) { benchmark in
        for _ in benchmark.scaledIterations {
            let signature = key.signature(for: message)
            blackHole(key.publicKey.isValidSignature(signature, for: message))
        }
    }
}
