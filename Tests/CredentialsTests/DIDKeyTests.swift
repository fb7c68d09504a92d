import CairnTestSupport
import Credentials
import JCS
import Multiformats
import SodiumKit
import Testing

/// did:key for Ed25519 against the did:key method's published vectors, and refusals.
@Suite("did:key")
struct DIDKeyTests {
    @Test func reproducesThePublishedVectors() throws {
        let vectors = try Vector.object("did-key/ed25519-x25519.json")
        #expect(vectors.count == 5)
        for member in vectors {
            let did = member.key
            let vector = try #require(member.value.objectValue)
            let seed = Hex.decode(try #require(vector["seed"]?.stringValue))
            let key = try Ed25519.PrivateKey(rawRepresentation: seed)
            let made = DIDKey(publicKey: key.publicKey)
            #expect(made.description == did)
            #expect(try DIDKey(did) == made)
            let verification = try #require(vector["verificationKeyPair"]?.objectValue)
            let publicKey =
                verification["publicKeyBase58"]?.stringValue
                ?? verification["publicKeyJwk"]?["x"]?.stringValue
            #expect(
                publicKey == Multibase.base58btc.encodeWithoutPrefix(key.publicKey.rawRepresentation)
                    || publicKey == Multibase.base64url.encodeWithoutPrefix(key.publicKey.rawRepresentation))
            let agreement = try #require(vector["keyAgreementKeyPair"]?.objectValue)
            #expect(agreement["id"]?.stringValue?.hasSuffix("#" + (made.keyAgreementMultibase ?? "-")) == true)
            if let secret = agreement["privateKeyBase58"]?.stringValue {
                #expect(Multibase.base58btc.encodeWithoutPrefix(key.curve25519Representation) == secret)
            }
            // The resolved document, member for member (arrays in order), in the vector's style.
            let contexts = vector["didDocument"]?["@context"]?.arrayValue ?? []
            let style: DIDKey.DocumentStyle =
                contexts.contains(.string("https://w3id.org/security/suites/jws-2020/v1"))
                ? .jsonWebKey2020 : .verificationKey2018
            #expect(made.document(style) == vector["didDocument"], "\(did)")
        }
    }

    @Test func resolvesToAMultikeyDocument() throws {
        let did = try DIDKey("did:key:z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp")
        let document = did.document()
        #expect(document["id"] == .string(did.description))
        let method = try #require(document["verificationMethod"]?.arrayValue?.first)
        #expect(method["type"] == .string("Multikey"))
        #expect(method["controller"] == .string(did.description))
        #expect(method["publicKeyMultibase"] == .string("z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp"))
        #expect(document["assertionMethod"] == .array([.string(did.verificationMethod)]))
        #expect(try DIDKey.resolve(verificationMethod: did.verificationMethod) == did)
    }

    @Test(arguments: [
        "did:web:example.com", "did:key:", "did:key:6Mk", "did:key:z", "did:key:zzzz",
        "did:key:zDnaegE6RR3atJtHKwTRTWHsJ3kNHqFwv7n9YjTgmU7TyfU76",  // P-256: not supported
        "did:key:z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooW",
        "did:key:z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWpp",
    ])
    func refusesWhatIsNotAnEd25519DIDKey(text: String) {
        #expect(throws: CredentialError.self) { try DIDKey(text) }
    }

    @Test func verificationMethodsMustNameTheKeyTwice() {
        let did = "did:key:z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp"
        #expect(throws: CredentialError.self) { try DIDKey.resolve(verificationMethod: did) }
        #expect(throws: CredentialError.self) { try DIDKey.resolve(verificationMethod: did + "#key-1") }
    }
}
