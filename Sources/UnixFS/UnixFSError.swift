public import CodedErrors

/// An error from building or reading UnixFS, compared by ``code``.
public struct UnixFSError: CodedError {
    /// The kind of failure; the codes are listed below.
    public typealias Code = ErrorCode<UnixFSError>

    public let code: Code
    public let message: String

    package init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }
}

extension ErrorCode where Domain == UnixFSError {
    /// The UnixFS Data message is malformed.
    public static var invalidData: Self { Self("invalid UnixFS data") }
    /// A node's links, sizes or type contradict each other or the spec.
    public static var invalidNode: Self { Self("invalid UnixFS node") }
    /// The node is a kind this operation does not apply to (reading a directory as a file).
    public static var wrongType: Self { Self("wrong node type") }
    /// A path names an entry that does not exist.
    public static var notFound: Self { Self("not found") }
    /// A name that cannot be a directory entry (empty, `.`, `..`, or containing `/`).
    public static var invalidName: Self { Self("invalid name") }
    /// A block the reader needs is not available.
    public static var missingBlock: Self { Self("missing block") }
}
