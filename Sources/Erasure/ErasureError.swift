public import CodedErrors

/// An error from erasure coding, compared by ``code``.
public struct ErasureError: CodedError {
    /// The kind of failure; the codes are listed below.
    public typealias Code = ErrorCode<ErasureError>

    public let code: Code
    public let message: String

    package init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }
}

extension ErrorCode where Domain == ErasureError {
    /// k and m outside what the codec supports (k ≥ 1, m ≥ 1, k + m ≤ 255).
    public static var invalidShape: Self { Self("invalid shape") }
    /// Shards of different lengths, or the wrong number of them.
    public static var invalidShards: Self { Self("invalid shards") }
    /// Fewer than k shards survive: the data cannot be rebuilt.
    public static var tooFewShards: Self { Self("too few shards") }
    /// A shard does not match its commitment; it is named and never used.
    public static var corruptShard: Self { Self("corrupt shard") }
}
