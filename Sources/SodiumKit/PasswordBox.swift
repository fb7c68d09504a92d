import CSodium

/// Secrets sealed under a passphrase: Argon2id (`crypto_pwhash`) derives a key from the
/// passphrase and a random salt, and XSalsa20-Poly1305 (`crypto_secretbox_easy`) seals the
/// secret under it with a random nonce. Used for ledger keys at rest.
public enum PasswordBox {
    /// What opening needs besides the passphrase.
    public struct Sealed: Hashable, Sendable {
        public let salt: [UInt8]
        public let nonce: [UInt8]
        public let ciphertext: [UInt8]
        /// Argon2id cost parameters used (libsodium's "moderate" unless told otherwise).
        public let operations: UInt64
        public let memory: Int

        public init(salt: [UInt8], nonce: [UInt8], ciphertext: [UInt8], operations: UInt64, memory: Int) {
            self.salt = salt
            self.nonce = nonce
            self.ciphertext = ciphertext
            self.operations = operations
            self.memory = memory
        }
    }

    public static let moderateOperations = UInt64(crypto_pwhash_OPSLIMIT_MODERATE)
    public static let moderateMemory = Int(crypto_pwhash_MEMLIMIT_MODERATE)
    /// Cheap parameters, for tests only.
    public static let interactiveOperations = UInt64(crypto_pwhash_OPSLIMIT_INTERACTIVE)
    public static let interactiveMemory = Int(crypto_pwhash_MEMLIMIT_INTERACTIVE)

    public static func seal(
        _ secret: [UInt8], passphrase: String, operations: UInt64 = moderateOperations, memory: Int = moderateMemory
    ) throws(SodiumError) -> Sealed {
        SodiumLibrary.ensureInitialized()
        let salt = SecureRandom.bytes(count: Int(crypto_pwhash_SALTBYTES))
        let nonce = SecureRandom.bytes(count: Int(crypto_secretbox_NONCEBYTES))
        let key = try derive(passphrase, salt: salt, operations: operations, memory: memory)
        var ciphertext = [UInt8](repeating: 0, count: secret.count + Int(crypto_secretbox_MACBYTES))
        _ = crypto_secretbox_easy(&ciphertext, secret, UInt64(secret.count), nonce, key)
        return Sealed(salt: salt, nonce: nonce, ciphertext: ciphertext, operations: operations, memory: memory)
    }

    /// The secret, or `.wrongPassphrase` when the passphrase (or any byte of the box) is wrong.
    public static func open(_ sealed: Sealed, passphrase: String) throws(SodiumError) -> [UInt8] {
        SodiumLibrary.ensureInitialized()
        guard sealed.salt.count == Int(crypto_pwhash_SALTBYTES), sealed.nonce.count == Int(crypto_secretbox_NONCEBYTES),
            sealed.ciphertext.count >= Int(crypto_secretbox_MACBYTES)
        else { throw SodiumError(.invalidLength, "a sealed box has a wrong-sized salt, nonce or ciphertext") }
        guard sealed.operations <= 64, sealed.memory <= 1 << 30 else {
            throw SodiumError(.invalidLength, "a sealed box asks for more key-derivation work than allowed")
        }
        let key = try derive(passphrase, salt: sealed.salt, operations: sealed.operations, memory: sealed.memory)
        var secret = [UInt8](repeating: 0, count: sealed.ciphertext.count - Int(crypto_secretbox_MACBYTES))
        guard
            crypto_secretbox_open_easy(&secret, sealed.ciphertext, UInt64(sealed.ciphertext.count), sealed.nonce, key)
                == 0
        else { throw SodiumError(.wrongPassphrase, "the passphrase is wrong, or the sealed key is damaged") }
        return secret
    }

    private static func derive(
        _ passphrase: String, salt: [UInt8], operations: UInt64, memory: Int
    ) throws(SodiumError) -> [UInt8] {
        var key = [UInt8](repeating: 0, count: Int(crypto_secretbox_KEYBYTES))
        // A NUL-terminated copy, so an empty passphrase still has a valid pointer.
        let chars = passphrase.utf8CString
        let length = UInt64(chars.count - 1)
        let result = chars.withUnsafeBufferPointer { password in
            crypto_pwhash(
                &key, UInt64(key.count), password.baseAddress!, length, salt, operations, memory,
                crypto_pwhash_ALG_ARGON2ID13)
        }
        guard result == 0 else { throw SodiumError(.invalidKey, "Argon2id could not derive a key (out of memory?)") }
        return key
    }
}
