public import CodedErrors

/// An error reading JSON: what is wrong and the byte offset where it was found.
public struct JSONError: CodedError {
    public typealias Code = ErrorCode<JSONError>

    public let code: Code
    public let message: String
    /// Byte offset in the input, when the error has a place.
    public let offset: Int?

    package init(_ code: Code, _ message: String, offset: Int? = nil) {
        self.code = code
        self.message = offset.map { "\(message) (at byte \($0))" } ?? message
        self.offset = offset
    }
}

extension ErrorCode where Domain == JSONError {
    /// Not JSON text (RFC 8259): a syntax error, bad UTF-8, an unescaped control character.
    public static var malformed: Self { Self("malformed") }
    /// An object names a member twice (I-JSON forbids it, and JCS could not sort it).
    public static var duplicateKey: Self { Self("duplicate-key") }
    /// A number no IEEE 754 double holds (I-JSON), or NaN or an infinity to serialize.
    public static var numberOutOfRange: Self { Self("number-out-of-range") }
    /// A `\u` escape of a lone surrogate (I-JSON forbids it).
    public static var invalidUnicode: Self { Self("invalid-unicode") }
    /// Nested deeper than the reader allows, or larger than it allows.
    public static var tooLarge: Self { Self("too-large") }
}
