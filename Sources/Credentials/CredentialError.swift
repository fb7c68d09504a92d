public import CodedErrors

/// An error reading or making a credential, a DID, a proof or a status list, compared by
/// ``code``. A verification that fails is a verdict with a reason, not this error.
public struct CredentialError: CodedError {
    public typealias Code = ErrorCode<CredentialError>

    public let code: Code
    public let message: String

    package init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }
}

extension ErrorCode where Domain == CredentialError {
    /// Not the documented shape: a DID, a date, a proof, a list.
    public static var malformed: Self { Self("malformed") }
    /// Well-formed but something Cairn does not handle (another DID method, key type or suite).
    public static var unsupported: Self { Self("unsupported") }
    /// A status list shorter than the 131,072 entries the Recommendation requires
    /// (its STATUS_LIST_LENGTH_ERROR).
    public static var statusListLength: Self { Self("status-list-length") }
    /// A status index outside the list.
    public static var statusIndexOutOfRange: Self { Self("status-index-out-of-range") }
}
