public import CodedErrors

/// An error from a libsodium operation, compared by ``code``.
public struct SodiumError: CodedError {
    /// The kind of failure; the codes are listed below.
    public typealias Code = ErrorCode<SodiumError>

    public let code: Code
    public let message: String

    init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

}

extension ErrorCode where Domain == SodiumError {
    /// A key, seed or signature of the wrong size.
    public static var invalidLength: Self { Self("invalid length") }
    /// libsodium refused the key (for example, a public key that is not a curve point).
    public static var invalidKey: Self { Self("invalid key") }
    /// A sealed secret did not open: wrong passphrase, or the box was altered.
    public static var wrongPassphrase: Self { Self("wrong passphrase") }
}
