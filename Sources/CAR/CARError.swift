public import CodedErrors

/// An error from reading or writing a CAR, compared by ``code``.
public struct CARError: CodedError {
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private let name: String
        private init(_ name: String) { self.name = name }

        /// The input ends in the middle of the header or a section.
        public static let truncated = Code("truncated CAR")
        /// The header is not a valid CARv1 or CARv2 header.
        public static let invalidHeader = Code("invalid CAR header")
        /// A section is malformed: a bad length or CID.
        public static let invalidSection = Code("invalid CAR section")
        /// A block does not hash to the CID it is filed under.
        public static let hashMismatch = Code("block does not match its CID")
        /// A header or block over the size limit.
        public static let tooLarge = Code("too large")
        /// A block the export needs is missing from the source.
        public static let missingBlock = Code("missing block")

        public var description: String { name }
    }

    public let code: Code
    public let message: String
    /// Byte offset in the CAR stream, when one can be named.
    public let offset: UInt64?

    package init(_ code: Code, _ message: String, offset: UInt64? = nil) {
        self.code = code
        self.message = message
        self.offset = offset
    }

    public var description: String {
        offset.map { "\(code): \(message) (at byte \($0))" } ?? "\(code): \(message)"
    }
}
