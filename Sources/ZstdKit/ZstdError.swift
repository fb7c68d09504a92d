public import CodedErrors

/// An error from compressing or decompressing with zstd, compared by ``code``.
public struct ZstdError: CodedError {
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private let name: String
        private init(_ name: String) { self.name = name }

        /// The input is not a zstd frame, or it is damaged.
        public static let corruptInput = Code("corrupt input")
        /// The frame would decompress to more than the caller allowed.
        public static let outputTooLarge = Code("output too large")

        public var description: String { name }
    }

    public let code: Code
    public let message: String

    init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

}
