public import CodedErrors

/// An error from compressing or decompressing with zstd, compared by ``code``.
public struct ZstdError: CodedError {
    /// The kind of failure; the codes are listed below.
    public typealias Code = ErrorCode<ZstdError>

    public let code: Code
    public let message: String

    init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

}

extension ErrorCode where Domain == ZstdError {
    /// The input is not a zstd frame, or it is damaged.
    public static var corruptInput: Self { Self("corrupt input") }
    /// The frame would decompress to more than the caller allowed.
    public static var outputTooLarge: Self { Self("output too large") }
}
