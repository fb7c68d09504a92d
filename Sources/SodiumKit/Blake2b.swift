import CSodium

/// BLAKE2b (RFC 7693) over data given in pieces, via libsodium's `crypto_generichash`.
///
/// A value type: copying a hasher forks its state (copy on write), so a prefix can be hashed
/// once and finished several ways.
public struct Blake2b: Sendable {
    /// The shortest and longest digests libsodium allows.
    public static let outputLengthRange = 16...64

    public let outputLength: Int
    private var storage: Storage

    /// Starts a hash with an `outputLength`-byte digest (1…64; 32 for blake2b-256).
    public init(outputLength: Int) {
        precondition(Self.outputLengthRange.contains(outputLength), "BLAKE2b output length out of range")
        SodiumLibrary.ensureInitialized()
        self.outputLength = outputLength
        self.storage = Storage()
        _ = crypto_generichash_init(storage.state, nil, 0, outputLength)
    }

    /// Feeds the next piece of input.
    public mutating func update(_ bytes: UnsafeRawBufferPointer) {
        if !isKnownUniquelyReferenced(&storage) { storage = storage.copy() }
        _ = crypto_generichash_update(
            storage.state,
            bytes.baseAddress?.assumingMemoryBound(to: UInt8.self),
            UInt64(bytes.count)
        )
    }

    /// Feeds the next piece of input.
    public mutating func update(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { update($0) }
    }

    /// The digest of everything fed so far. The hasher itself is left as it was.
    public func finalize() -> [UInt8] {
        let copy = storage.copy()
        var digest = [UInt8](repeating: 0, count: outputLength)
        _ = crypto_generichash_final(copy.state, &digest, outputLength)
        return digest
    }

    /// The digest of `bytes`.
    public static func hash(_ bytes: [UInt8], outputLength: Int = 32) -> [UInt8] {
        var hasher = Blake2b(outputLength: outputLength)
        hasher.update(bytes)
        return hasher.finalize()
    }

    /// libsodium's state must be 64-byte aligned, which a Swift stored property does not
    /// promise; it lives in its own aligned allocation. Never mutated once shared (the struct
    /// copies it first), hence `@unchecked Sendable`.
    private final class Storage: @unchecked Sendable {
        // Swift cannot import the 64-byte-aligned state struct, so it is handled as opaque.
        let state: OpaquePointer

        init() {
            state = OpaquePointer(
                UnsafeMutableRawPointer.allocate(byteCount: crypto_generichash_statebytes(), alignment: 64))
        }

        func copy() -> Storage {
            let other = Storage()
            UnsafeMutableRawPointer(other.state).copyMemory(
                from: UnsafeRawPointer(state),
                byteCount: crypto_generichash_statebytes()
            )
            return other
        }

        deinit {
            UnsafeMutableRawPointer(state).deallocate()
        }
    }
}
