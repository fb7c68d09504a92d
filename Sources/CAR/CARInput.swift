/// Bytes a CAR is read from, in order. The file-backed input lives in the I/O layer; this
/// module only needs the next bytes.
public protocol CARInput {
    /// Up to `count` next bytes; fewer only at the end of the input, none once it is over.
    mutating func read(upTo count: Int) throws -> [UInt8]
}

/// A CAR held in memory.
public struct BufferInput: CARInput {
    private let bytes: [UInt8]
    private var offset = 0

    public init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    public mutating func read(upTo count: Int) -> [UInt8] {
        let end = min(bytes.count, offset + count)
        defer { offset = end }
        return Array(bytes[offset..<end])
    }
}
