import CairnTestSupport
import Credentials
import JCS
import Multiformats
import SodiumKit
import Testing

/// eddsa-jcs-2022 against the W3C vc-di-eddsa vectors, step by step, then verification and
/// every kind of tampering.
@Suite("Data Integrity eddsa-jcs-2022")
struct EddsaJcs2022Tests {
    static func vectorKey() throws -> Ed25519.PrivateKey {
        let keyPair = try Vector.object("eddsa-jcs-2022/keyPair.json")
        let secret = try #require(keyPair["privateKeyMultibase"]?.stringValue)
        let bytes = try Multibase.base58btc.decodeWithoutPrefix(secret.dropFirst())
        #expect(Array(bytes.prefix(2)) == [0x80, 0x26])  // multicodec ed25519-priv
        return try Ed25519.PrivateKey(rawRepresentation: Array(bytes.dropFirst(2)))
    }

    @Test func reproducesEveryIntermediateStep() throws {
        let key = try Self.vectorKey()
        let keyPair = try Vector.object("eddsa-jcs-2022/keyPair.json")
        #expect(DIDKey(publicKey: key.publicKey).multibase == keyPair["publicKeyMultibase"]?.stringValue)
        let document = try Vector.object("eddsa-jcs-2022/unsigned.json")
        var options = try Vector.object("eddsa-jcs-2022/proofConfigJCS.json")
        options["@context"] = nil  // the configuration step adds the document's
        let configuration = try EddsaJcs2022.proofConfiguration(options: options, document: document)
        let data = try EddsaJcs2022.hashData(document: document, configuration: configuration)
        #expect(
            String(decoding: data.canonicalDocument, as: UTF8.self)
                == (try Vector.text("eddsa-jcs-2022/canonDocJCS.txt")))
        #expect(
            String(decoding: data.canonicalProofConfiguration, as: UTF8.self)
                == (try Vector.text("eddsa-jcs-2022/proofCanonJCS.txt")))
        #expect(Hex.encode(data.documentHash) == (try Vector.text("eddsa-jcs-2022/docHashJCS.txt")))
        #expect(Hex.encode(data.proofConfigurationHash) == (try Vector.text("eddsa-jcs-2022/proofHashJCS.txt")))
        #expect(Hex.encode(data.combined) == (try Vector.text("eddsa-jcs-2022/combinedHashJCS.txt")))
        let signature = key.signature(for: data.combined)
        #expect(Hex.encode(signature) == (try Vector.text("eddsa-jcs-2022/sigHexJCS.txt")))
        #expect(Multibase.base58btc.encode(signature) == (try Vector.text("eddsa-jcs-2022/sigBTC58JCS.txt")))
        // The whole signed credential, member for member.
        let signed = try EddsaJcs2022.sign(document, options: options, key: key)
        #expect(signed == (try Vector.object("eddsa-jcs-2022/signedJCS.json")))
    }

    @Test func theSignedVectorVerifies() throws {
        let signed = try Vector.object("eddsa-jcs-2022/signedJCS.json")
        let verified = try EddsaJcs2022.verify(signed, now: Timestamp("2024-01-01T00:00:00Z")).get()
        #expect(verified.signer.multibase == "z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2")
        #expect(verified.created == (try Timestamp("2023-02-24T23:36:38Z")))
    }

    @Test func signsAndVerifiesWithAFreshKey() throws {
        let key = Ed25519.PrivateKey()
        let did = DIDKey(publicKey: key.publicKey)
        let document = JSONObject([
            ("@context", .array([.string("https://www.w3.org/ns/credentials/v2")])),
            ("type", .array([.string("VerifiableCredential")])), ("issuer", .string(did.description)),
            ("credentialSubject", .object(JSONObject([("name", .string("Ada")), ("score", .number(0.1 + 0.2))]))),
        ])
        let options = EddsaJcs2022.options(
            verificationMethod: did.verificationMethod, created: try Timestamp("2026-01-01T00:00:00Z"),
            expires: try Timestamp("2027-01-01T00:00:00Z"))
        let signed = try EddsaJcs2022.sign(document, options: options, key: key)
        #expect((try? EddsaJcs2022.verify(signed, now: Timestamp("2026-06-01T00:00:00Z")).get())?.signer == did)
        #expect(EddsaJcs2022.verify(signed, now: try Timestamp("2025-12-31T23:59:59Z")) == .failure(.createdInFuture))
        #expect(EddsaJcs2022.verify(signed, now: try Timestamp("2027-01-01T00:00:01Z")) == .failure(.expired))
        #expect(
            EddsaJcs2022.verify(signed, purpose: "authentication", now: nil)
                == .failure(.wrongPurpose(expected: "authentication", found: "assertionMethod")))
        // Re-serialized with other member order and whitespace, it still verifies: JCS.
        var members = signed.members
        members.reverse()
        let again = JSONObject(members.map { ($0.key, $0.value) })
        #expect(again.keys.first == "proof")
        #expect((try? EddsaJcs2022.verify(again, now: nil).get()) != nil)
    }

    /// Changing any field of the document or the proof makes verification fail, with a reason
    /// that fits the change.
    @Test func refusesEveryTampering() throws {
        let signed = try Vector.object("eddsa-jcs-2022/signedJCS.json")
        let now = try Timestamp("2024-01-01T00:00:00Z")
        func verdict(_ change: (inout JSONObject) -> Void) -> Result<EddsaJcs2022.Verified, EddsaJcs2022.Failure> {
            var copy = signed
            change(&copy)
            return EddsaJcs2022.verify(copy, now: now)
        }
        func proof(_ change: @escaping (inout JSONObject) -> Void) -> (inout JSONObject) -> Void {
            { document in
                guard case .object(var proof)? = document["proof"] else { return }
                change(&proof)
                document["proof"] = .object(proof)
            }
        }
        // Every member of the document.
        for key in signed.keys where key != "proof" {
            // The proof's @context must start the document's; any other member breaks the signature.
            let expected: EddsaJcs2022.Failure = key == "@context" ? .contextMismatch : .badSignature
            #expect(verdict { $0[key] = .string("changed") } == .failure(expected), "\(key)")
            #expect(verdict { $0[key] = nil } == .failure(expected), "\(key)")
        }
        #expect(verdict { $0["extra"] = .bool(true) } == .failure(.badSignature))
        #expect(
            verdict { $0["credentialSubject"] = .object(JSONObject([("id", .string("did:example:abcdefgh"))])) }
                == .failure(.badSignature))
        #expect(verdict { $0["validFrom"] = .string("2023-01-01T00:00:01Z") } == .failure(.badSignature))
        #expect(
            verdict { $0["issuer"] = .string("did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2") }
                == .failure(.badSignature))
        // The proof's fields.
        #expect(verdict(proof { $0["created"] = .string("2023-02-24T23:36:39Z") }) == .failure(.badSignature))
        #expect(
            verdict(proof { $0["created"] = .string("yesterday") })
                == .failure(.malformedProof("created is not a dateTimeStamp")))
        #expect(
            verdict(proof { $0["cryptosuite"] = .string("eddsa-rdfc-2022") })
                == .failure(.unsupportedCryptosuite("cryptosuite eddsa-rdfc-2022")))
        #expect(
            verdict(proof { $0["type"] = .string("Ed25519Signature2020") })
                == .failure(.unsupportedCryptosuite("type Ed25519Signature2020")))
        #expect(
            verdict(proof { $0["proofPurpose"] = .string("authentication") })
                == .failure(.wrongPurpose(expected: "assertionMethod", found: "authentication")))
        #expect(
            verdict(proof { $0["@context"] = .array([.string("https://www.w3.org/ns/credentials/examples/v2")]) })
                == .failure(.contextMismatch))
        let other = DIDKey(publicKey: Ed25519.PrivateKey().publicKey)
        #expect(
            verdict(proof { $0["verificationMethod"] = .string(other.verificationMethod) }) == .failure(.badSignature))
        if case .failure(.unresolvableVerificationMethod) = verdict(
            proof { $0["verificationMethod"] = .string("https://vc.example/key/1") })
        {
        } else {
            Issue.record("a non-did:key method resolved")
        }
        // The proof value: every byte of the signature.
        let value = try #require((signed["proof"]?.objectValue?["proofValue"])?.stringValue)
        let signature = try Multibase.base58btc.decodeWithoutPrefix(value.dropFirst())
        for index in signature.indices {
            var bad = signature
            bad[index] ^= 0x01
            #expect(
                verdict(proof { $0["proofValue"] = .string(Multibase.base58btc.encode(bad)) })
                    == .failure(.badSignature))
        }
        #expect(
            verdict(proof { $0["proofValue"] = .string("u" + value.dropFirst()) })
                == .failure(.malformedProof("proofValue is not a base58btc Ed25519 signature")))
        #expect(verdict { $0["proof"] = nil } == .failure(.malformedProof("there is no proof")))
        #expect(
            verdict { $0["proof"] = .array([]) } == .failure(.malformedProof("proof is an array, not one proof object"))
        )
    }
}
