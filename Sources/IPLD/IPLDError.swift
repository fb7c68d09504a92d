public import CodedErrors

/// An error from encoding or decoding an IPLD block, compared by ``code``.
public struct IPLDError: CodedError {
    /// The kind of failure; the codes are listed below.
    public typealias Code = ErrorCode<IPLDError>

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

extension ErrorCode where Domain == IPLDError {
    /// The input ends in the middle of a value.
    public static var truncated: Self { Self("truncated") }
    /// Bytes follow a complete value.
    public static var trailingBytes: Self { Self("trailing bytes") }
    /// Something the codec's grammar does not allow (a wrong type, a reserved form).
    public static var invalidEncoding: Self { Self("invalid encoding") }
    /// Valid for the format, but not the one canonical encoding the codec requires
    /// (non-minimal integers, unsorted map keys, 16- or 32-bit floats).
    public static var nonCanonical: Self { Self("non-canonical encoding") }
    /// A map with the same key twice.
    public static var duplicateKey: Self { Self("duplicate map key") }
    /// A link that is not a valid CID.
    public static var invalidLink: Self { Self("invalid link") }
    /// A value the data model or codec cannot represent (NaN, an integer out of range).
    public static var unrepresentable: Self { Self("unrepresentable value") }
    /// Nesting deeper than the decoder allows.
    public static var tooDeep: Self { Self("nesting too deep") }
    /// A data-model value that is not in the shape the codec needs (dag-pb's schema).
    public static var invalidForm: Self { Self("invalid form") }
}
