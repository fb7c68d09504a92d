public import CodedErrors

/// An error LevelDB reported, classified by its status, compared by ``code``.
public struct LevelDBError: CodedError {
    /// The kind of failure; the codes are listed below.
    public typealias Code = ErrorCode<LevelDBError>

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

extension ErrorCode where Domain == LevelDBError {
    /// On-disk data failed LevelDB's own checks (bad checksum, broken table).
    public static var corruption: Self { Self("corruption") }
    /// The file system failed: disk full, permissions, missing files.
    public static var ioError: Self { Self("I/O error") }
    /// LevelDB refused an argument (for example, opening a missing database without create).
    public static var invalidArgument: Self { Self("invalid argument") }
    /// Another process holds the database's lock.
    public static var locked: Self { Self("locked") }
    /// Anything else.
    public static var other: Self { Self("LevelDB error") }
}
