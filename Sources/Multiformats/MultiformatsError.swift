public import CodedErrors

/// An error from parsing or building a multiformat value: what went wrong, where, and why.
///
/// Errors compare by ``code`` only, so callers and tests can match the kind of failure
/// without depending on the wording of ``message``.
public struct MultiformatsError: CodedError {
    /// The kind of failure; the codes are listed below. Extensible: new codes may be added
    /// without breaking callers.
    public typealias Code = ErrorCode<MultiformatsError>

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

extension ErrorCode where Domain == MultiformatsError {
    /// A varint ended before its last byte (one with the high bit clear).
    public static var truncatedVarint: Self { Self("truncated varint") }
    /// A varint longer than 9 bytes, or one whose value needs more than 63 bits.
    public static var varintTooLong: Self { Self("varint too long") }
    /// A varint with a redundant trailing zero group, such as `0x81 0x00` for 1.
    public static var nonMinimalVarint: Self { Self("non-minimal varint") }
    /// Nothing to parse.
    public static var emptyInput: Self { Self("empty input") }
    /// Input longer than the limit for its kind (limits exist so hostile input costs little).
    public static var inputTooLong: Self { Self("input too long") }
    /// A multibase prefix character, or a multibase name, that is not one we know.
    public static var unknownMultibase: Self { Self("unknown multibase") }
    /// A character outside the encoding's alphabet.
    public static var invalidCharacter: Self { Self("invalid character") }
    /// A length that no valid encoding produces.
    public static var invalidLength: Self { Self("invalid length") }
    /// Padding where there must be none, missing where it is required, or misplaced.
    public static var invalidPadding: Self { Self("invalid padding") }
    /// A string that decodes, but that no encoder would produce (non-zero trailing bits).
    public static var nonCanonicalEncoding: Self { Self("non-canonical encoding") }
    /// A hash function we cannot compute.
    public static var unsupportedHashFunction: Self { Self("unsupported hash function") }
    /// A digest whose length does not match its declared or required length.
    public static var wrongDigestLength: Self { Self("wrong digest length") }
    /// Bytes left over after a complete value.
    public static var trailingBytes: Self { Self("trailing bytes") }
    /// A CID version other than 0 or 1.
    public static var unsupportedCIDVersion: Self { Self("unsupported CID version") }
    /// Something that looks like a CIDv0 but breaks its rules.
    public static var invalidCIDv0: Self { Self("invalid CIDv0") }
    /// A codec name we do not know.
    public static var unknownCodec: Self { Self("unknown codec") }
}
