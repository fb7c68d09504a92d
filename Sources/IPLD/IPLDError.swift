public import CodedErrors

/// An error from encoding or decoding an IPLD block, compared by ``code``.
public struct IPLDError: CodedError {
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private let name: String
        private init(_ name: String) { self.name = name }

        /// The input ends in the middle of a value.
        public static let truncated = Code("truncated")
        /// Bytes follow a complete value.
        public static let trailingBytes = Code("trailing bytes")
        /// Something the codec's grammar does not allow (a wrong type, a reserved form).
        public static let invalidEncoding = Code("invalid encoding")
        /// Valid for the format, but not the one canonical encoding the codec requires
        /// (non-minimal integers, unsorted map keys, 16- or 32-bit floats).
        public static let nonCanonical = Code("non-canonical encoding")
        /// A map with the same key twice.
        public static let duplicateKey = Code("duplicate map key")
        /// A link that is not a valid CID.
        public static let invalidLink = Code("invalid link")
        /// A value the data model or codec cannot represent (NaN, an integer out of range).
        public static let unrepresentable = Code("unrepresentable value")
        /// Nesting deeper than the decoder allows.
        public static let tooDeep = Code("nesting too deep")
        /// A data-model value that is not in the shape the codec needs (dag-pb's schema).
        public static let invalidForm = Code("invalid form")

        public var description: String { name }
    }

    public let code: Code
    public let message: String
    /// Byte offset in the input, when one can be named.
    public let offset: Int?

    package init(_ code: Code, _ message: String, offset: Int? = nil) {
        self.code = code
        self.message = message
        self.offset = offset
    }

    public var description: String {
        offset.map { "\(code): \(message) (at byte \($0))" } ?? "\(code): \(message)"
    }
}
