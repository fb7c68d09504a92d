public import CodedErrors

/// An error from a libsodium operation, compared by ``code``.
public struct SodiumError: CodedError {
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private let name: String
        private init(_ name: String) { self.name = name }

        /// A key, seed or signature of the wrong size.
        public static let invalidLength = Code("invalid length")
        /// libsodium refused the key (for example, a public key that is not a curve point).
        public static let invalidKey = Code("invalid key")

        public var description: String { name }
    }

    public let code: Code
    public let message: String

    init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

}
