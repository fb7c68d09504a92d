import CSodium

/// Cryptographically secure random bytes from libsodium (`getrandom(2)` underneath).
///
/// For keys and nonces only; anything a test must reproduce takes an injected generator.
public enum SecureRandom {
    /// `count` random bytes.
    public static func bytes(count: Int) -> [UInt8] {
        SodiumLibrary.ensureInitialized()
        var bytes = [UInt8](repeating: 0, count: count)
        randombytes_buf(&bytes, count)
        return bytes
    }
}
