public import CodedErrors

/// An error from the local repository and its stores, compared by ``code``.
public struct StoreError: CodedError {
    /// The kind of failure; the codes are listed below.
    public typealias Code = ErrorCode<StoreError>

    public let code: Code
    public let message: String

    package init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }
}

extension ErrorCode where Domain == StoreError {
    /// A stored block does not hash to its CID: it is reported, never served.
    public static var corruptBlock: Self { Self("corrupt block") }
    /// The store's own structures are damaged (index, value log).
    public static var corruptStore: Self { Self("corrupt store") }
    /// The operation would take the repository past its storage limit.
    public static var storageLimitExceeded: Self { Self("storage limit exceeded") }
    /// Another process holds the repository.
    public static var repositoryLocked: Self { Self("repository locked") }
    /// No repository at the path (and creating one was not asked for).
    public static var noRepository: Self { Self("no repository") }
    /// The file system failed.
    public static var ioError: Self { Self("I/O error") }
    /// A pin, block or name that does not exist.
    public static var notFound: Self { Self("not found") }
    /// A DAG that is not complete in the store (a pin needs every block).
    public static var incompleteDAG: Self { Self("incomplete DAG") }
    /// An argument the store cannot accept.
    public static var invalidArgument: Self { Self("invalid argument") }
}
