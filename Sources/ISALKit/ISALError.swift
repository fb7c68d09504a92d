public import CodedErrors

/// An error from an ISA-L operation, compared by ``code``.
public struct ISALError: CodedError {
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private let name: String
        private init(_ name: String) { self.name = name }

        /// The matrix has no inverse over GF(2^8).
        public static let singularMatrix = Code("singular matrix")

        public var description: String { name }
    }

    public let code: Code
    public let message: String

    init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

}
