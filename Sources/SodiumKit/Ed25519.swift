import CSodium

/// Ed25519 signatures (RFC 8032) via libsodium, in CryptoKit's vocabulary.
///
/// libsodium rather than swift-crypto because its verifier is the strict one the ledger and
/// credentials rely on (it rejects small-order keys and non-canonical signatures), and because
/// the same library gives us `crypto_pwhash` and secretbox for keys at rest.
public enum Ed25519 {
    /// A signing key, kept as its 32-byte seed.
    public struct PrivateKey: Sendable {
        /// The 32-byte seed (RFC 8032's private key).
        public let rawRepresentation: [UInt8]
        /// libsodium's expanded 64-byte form (seed ‖ public key).
        private let expanded: [UInt8]
        public let publicKey: PublicKey

        /// A new key from libsodium's CSPRNG.
        public init() {
            SodiumLibrary.ensureInitialized()
            var seed = [UInt8](repeating: 0, count: Int(crypto_sign_SEEDBYTES))
            randombytes_buf(&seed, seed.count)
            try! self.init(rawRepresentation: seed)  // A 32-byte seed is always valid.
        }

        /// The key with this 32-byte seed.
        public init(rawRepresentation seed: [UInt8]) throws(SodiumError) {
            guard seed.count == Int(crypto_sign_SEEDBYTES) else {
                throw SodiumError(.invalidLength, "Ed25519 seed must be 32 bytes, not \(seed.count)")
            }
            SodiumLibrary.ensureInitialized()
            var publicKey = [UInt8](repeating: 0, count: Int(crypto_sign_PUBLICKEYBYTES))
            var secretKey = [UInt8](repeating: 0, count: Int(crypto_sign_SECRETKEYBYTES))
            _ = crypto_sign_seed_keypair(&publicKey, &secretKey, seed)
            self.rawRepresentation = seed
            self.expanded = secretKey
            self.publicKey = PublicKey(validated: publicKey)
        }

        /// The X25519 private key of the same secret (libsodium's birational map), which a
        /// did:key derives for key agreement.
        public var curve25519Representation: [UInt8] {
            var key = [UInt8](repeating: 0, count: Int(crypto_scalarmult_curve25519_BYTES))
            _ = crypto_sign_ed25519_sk_to_curve25519(&key, expanded)
            return key
        }

        /// The 64-byte detached signature of `message`.
        public func signature(for message: [UInt8]) -> [UInt8] {
            var signature = [UInt8](repeating: 0, count: Int(crypto_sign_BYTES))
            _ = crypto_sign_detached(&signature, nil, message, UInt64(message.count), expanded)
            return signature
        }
    }

    /// A verifying key: 32 bytes.
    public struct PublicKey: Hashable, Sendable {
        public let rawRepresentation: [UInt8]

        /// The key with these 32 bytes; whether they are a usable point is checked at verification.
        public init(rawRepresentation: [UInt8]) throws(SodiumError) {
            guard rawRepresentation.count == Int(crypto_sign_PUBLICKEYBYTES) else {
                throw SodiumError(.invalidLength, "Ed25519 public key must be 32 bytes, not \(rawRepresentation.count)")
            }
            self.init(validated: rawRepresentation)
        }

        fileprivate init(validated bytes: [UInt8]) {
            self.rawRepresentation = bytes
        }

        /// The X25519 public key of the same point (RFC 7748's birational map), or nil for bytes
        /// that are not a usable Ed25519 point.
        public var curve25519Representation: [UInt8]? {
            SodiumLibrary.ensureInitialized()
            var key = [UInt8](repeating: 0, count: Int(crypto_scalarmult_curve25519_BYTES))
            return crypto_sign_ed25519_pk_to_curve25519(&key, rawRepresentation) == 0 ? key : nil
        }

        /// Whether `signature` is a valid signature of `message` by this key. A signature of the
        /// wrong length is simply not valid.
        public func isValidSignature(_ signature: [UInt8], for message: [UInt8]) -> Bool {
            guard signature.count == Int(crypto_sign_BYTES) else { return false }
            SodiumLibrary.ensureInitialized()
            return crypto_sign_verify_detached(signature, message, UInt64(message.count), rawRepresentation) == 0
        }
    }
}
