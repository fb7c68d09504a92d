public import CodedErrors

/// An error from parsing or building a multiformat value: what went wrong, where, and why.
///
/// Errors compare by ``code`` only, so callers and tests can match the kind of failure
/// without depending on the wording of ``message``.
public struct MultiformatsError: CodedError {
    /// The kind of failure. Extensible: new codes may be added without breaking callers.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String, Hashable, Sendable {
            case truncatedVarint = "truncated varint"
            case varintTooLong = "varint too long"
            case nonMinimalVarint = "non-minimal varint"
            case emptyInput = "empty input"
            case inputTooLong = "input too long"
            case unknownMultibase = "unknown multibase"
            case invalidCharacter = "invalid character"
            case invalidLength = "invalid length"
            case invalidPadding = "invalid padding"
            case nonCanonicalEncoding = "non-canonical encoding"
            case unsupportedHashFunction = "unsupported hash function"
            case wrongDigestLength = "wrong digest length"
            case trailingBytes = "trailing bytes"
            case unsupportedCIDVersion = "unsupported CID version"
            case invalidCIDv0 = "invalid CIDv0"
            case unknownCodec = "unknown codec"
        }

        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// A varint ended before its last byte (one with the high bit clear).
        public static let truncatedVarint = Code(.truncatedVarint)
        /// A varint longer than 9 bytes, or one whose value needs more than 63 bits.
        public static let varintTooLong = Code(.varintTooLong)
        /// A varint with a redundant trailing zero group, such as `0x81 0x00` for 1.
        public static let nonMinimalVarint = Code(.nonMinimalVarint)
        /// Nothing to parse.
        public static let emptyInput = Code(.emptyInput)
        /// Input longer than the limit for its kind (limits exist so hostile input costs little).
        public static let inputTooLong = Code(.inputTooLong)
        /// A multibase prefix character, or a multibase name, that is not one we know.
        public static let unknownMultibase = Code(.unknownMultibase)
        /// A character outside the encoding's alphabet.
        public static let invalidCharacter = Code(.invalidCharacter)
        /// A length that no valid encoding produces.
        public static let invalidLength = Code(.invalidLength)
        /// Padding where there must be none, missing where it is required, or misplaced.
        public static let invalidPadding = Code(.invalidPadding)
        /// A string that decodes, but that no encoder would produce (non-zero trailing bits).
        public static let nonCanonicalEncoding = Code(.nonCanonicalEncoding)
        /// A hash function we cannot compute.
        public static let unsupportedHashFunction = Code(.unsupportedHashFunction)
        /// A digest whose length does not match its declared or required length.
        public static let wrongDigestLength = Code(.wrongDigestLength)
        /// Bytes left over after a complete value.
        public static let trailingBytes = Code(.trailingBytes)
        /// A CID version other than 0 or 1.
        public static let unsupportedCIDVersion = Code(.unsupportedCIDVersion)
        /// Something that looks like a CIDv0 but breaks its rules.
        public static let invalidCIDv0 = Code(.invalidCIDv0)
        /// A codec name we do not know.
        public static let unknownCodec = Code(.unknownCodec)

        public var description: String { base.rawValue }
    }

    /// The kind of failure.
    public let code: Code
    /// What is wrong, in words a user can act on.
    public let message: String
    /// Offset of the offending byte or character in the input, when one can be named.
    public let offset: Int?
    /// Where in Cairn the error was raised.
    public let file: String
    public let line: UInt

    package init(
        _ code: Code,
        _ message: String,
        offset: Int? = nil,
        file: String = #fileID,
        line: UInt = #line
    ) {
        self.code = code
        self.message = message
        self.offset = offset
        self.file = file
        self.line = line
    }

    public var description: String {
        if let offset { return "\(code): \(message) (at offset \(offset))" }
        return "\(code): \(message)"
    }
}
