public import CodedErrors

/// An error from the local repository and its stores, compared by ``code``.
public struct StoreError: CodedError {
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private let name: String
        private init(_ name: String) { self.name = name }

        /// A stored block does not hash to its CID: it is reported, never served.
        public static let corruptBlock = Code("corrupt block")
        /// The store's own structures are damaged (index, value log).
        public static let corruptStore = Code("corrupt store")
        /// The operation would take the repository past its storage limit.
        public static let storageLimitExceeded = Code("storage limit exceeded")
        /// Another process holds the repository.
        public static let repositoryLocked = Code("repository locked")
        /// No repository at the path (and creating one was not asked for).
        public static let noRepository = Code("no repository")
        /// The file system failed.
        public static let ioError = Code("I/O error")
        /// A pin, block or name that does not exist.
        public static let notFound = Code("not found")
        /// A DAG that is not complete in the store (a pin needs every block).
        public static let incompleteDAG = Code("incomplete DAG")
        /// An argument the store cannot accept.
        public static let invalidArgument = Code("invalid argument")

        public var description: String { name }
    }

    public let code: Code
    public let message: String

    package init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }
}
