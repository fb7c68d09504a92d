public import CodedErrors

/// An error from the node: its configuration, identity, tokens and services, compared by ``code``.
///
/// HTTP handlers do not throw these to clients; they answer with ``HTTPFailure``.
public struct NodeError: CodedError {
    public typealias Code = ErrorCode<NodeError>

    public let code: Code
    public let message: String

    package init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }
}

extension ErrorCode where Domain == NodeError {
    /// `node.json` or a command-line setting is wrong.
    public static var badConfiguration: Self { Self("bad configuration") }
    /// The node's identity key is missing or damaged.
    public static var badIdentity: Self { Self("bad identity") }
    /// The file system failed.
    public static var ioError: Self { Self("I/O error") }
    /// A token, pin request or other record that does not exist.
    public static var notFound: Self { Self("not found") }
    /// An argument the node cannot accept.
    public static var invalidArgument: Self { Self("invalid argument") }
    /// A record with that name already exists (an issued credential's id).
    public static var conflict: Self { Self("conflict") }
}
