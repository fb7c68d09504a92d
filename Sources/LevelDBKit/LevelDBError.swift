public import CodedErrors

/// An error LevelDB reported, classified by its status, compared by ``code``.
public struct LevelDBError: CodedError {
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private let name: String
        private init(_ name: String) { self.name = name }

        /// On-disk data failed LevelDB's own checks (bad checksum, broken table).
        public static let corruption = Code("corruption")
        /// The file system failed: disk full, permissions, missing files.
        public static let ioError = Code("I/O error")
        /// LevelDB refused an argument (for example, opening a missing database without create).
        public static let invalidArgument = Code("invalid argument")
        /// Another process holds the database's lock.
        public static let locked = Code("locked")
        /// Anything else.
        public static let other = Code("LevelDB error")

        public var description: String { name }
    }

    public let code: Code
    /// LevelDB's own message.
    public let message: String

    init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    /// Classifies LevelDB's status string (`Corruption: …`, `IO error: …`, `Invalid argument: …`).
    init(status message: String) {
        let code: Code
        if message.hasPrefix("Corruption") {
            code = .corruption
        } else if message.hasPrefix("IO error") {
            // LevelDB words a held lock as "IO error: lock <dir>/LOCK: …".
            code = message.contains("/LOCK") ? .locked : .ioError
        } else if message.hasPrefix("Invalid argument") {
            code = .invalidArgument
        } else {
            code = .other
        }
        self.init(code, message)
    }

}
