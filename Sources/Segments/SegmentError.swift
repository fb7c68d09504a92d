public import CodedErrors

/// An error from cutting, coding or rebuilding segments, compared by ``code``.
public struct SegmentError: CodedError {
    /// The kind of failure; the codes are listed below.
    public typealias Code = ErrorCode<SegmentError>

    public let code: Code
    public let message: String

    package init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }
}

extension ErrorCode where Domain == SegmentError {
    /// Parameters out of range.
    public static var invalidParameters: Self { Self("invalid parameters") }
    /// A manifest that does not decode or is out of shape.
    public static var malformedManifest: Self { Self("malformed manifest") }
    /// A shard of the wrong size.
    public static var invalidShard: Self { Self("invalid shard") }
    /// Fewer than k shards match their commitments: the segment cannot be rebuilt.
    public static var tooFewShards: Self { Self("too few shards") }
    /// The rebuilt segment does not hash to the manifest's segment hash.
    public static var segmentMismatch: Self { Self("segment mismatch") }
}
