public import CodedErrors

/// An error from reading or writing a CAR, compared by ``code``.
public struct CARError: CodedError {
    /// The kind of failure; the codes are listed below.
    public typealias Code = ErrorCode<CARError>

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

extension ErrorCode where Domain == CARError {
    /// The input ends in the middle of the header or a section.
    public static var truncated: Self { Self("truncated CAR") }
    /// The header is not a valid CARv1 or CARv2 header.
    public static var invalidHeader: Self { Self("invalid CAR header") }
    /// A section is malformed: a bad length or CID.
    public static var invalidSection: Self { Self("invalid CAR section") }
    /// A block does not hash to the CID it is filed under.
    public static var hashMismatch: Self { Self("block does not match its CID") }
    /// A header or block over the size limit.
    public static var tooLarge: Self { Self("too large") }
    /// A block the export needs is missing from the source.
    public static var missingBlock: Self { Self("missing block") }
}
