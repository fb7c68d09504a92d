import CSodium

/// libsodium must be initialized once before use; every entry point of this module calls
/// ``ensureInitialized()`` first. `sodium_init` is itself thread-safe and idempotent; the
/// static makes later calls free.
enum SodiumLibrary {
    private static let initialized: Bool = sodium_init() >= 0

    static func ensureInitialized() {
        precondition(initialized, "libsodium failed to initialize")
    }
}
