public import CodedErrors

/// An error from building or reading UnixFS, compared by ``code``.
public struct UnixFSError: CodedError {
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private let name: String
        private init(_ name: String) { self.name = name }

        /// The UnixFS Data message is malformed.
        public static let invalidData = Code("invalid UnixFS data")
        /// A node's links, sizes or type contradict each other or the spec.
        public static let invalidNode = Code("invalid UnixFS node")
        /// The node is a kind this operation does not apply to (reading a directory as a file).
        public static let wrongType = Code("wrong node type")
        /// A path names an entry that does not exist.
        public static let notFound = Code("not found")
        /// A name that cannot be a directory entry (empty, `.`, `..`, or containing `/`).
        public static let invalidName = Code("invalid name")
        /// A block the reader needs is not available.
        public static let missingBlock = Code("missing block")

        public var description: String { name }
    }

    public let code: Code
    public let message: String

    package init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }
}
