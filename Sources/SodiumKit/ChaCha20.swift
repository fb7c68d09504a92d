import CSodium

/// The ChaCha20 stream cipher (RFC 8439: 32-byte key, 96-bit nonce, 32-bit block counter).
///
/// Its keystream is also how kubo's tests make reproducible pseudo-random file contents, which
/// is why Cairn's UnixFS vectors use it.
public enum ChaCha20 {
    /// `count` bytes of keystream for `key` and `nonce`, starting at block `counter`.
    public static func keystream(count: Int, key: [UInt8], nonce: [UInt8], counter: UInt32 = 0) -> [UInt8] {
        precondition(key.count == Int(crypto_stream_chacha20_ietf_KEYBYTES), "ChaCha20 key must be 32 bytes")
        precondition(nonce.count == Int(crypto_stream_chacha20_ietf_NONCEBYTES), "ChaCha20 nonce must be 12 bytes")
        SodiumLibrary.ensureInitialized()
        var output = [UInt8](repeating: 0, count: count)
        _ = crypto_stream_chacha20_ietf_xor_ic(&output, output, UInt64(count), nonce, counter, key)
        return output
    }
}
