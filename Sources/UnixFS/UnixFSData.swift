import IPLD

/// The UnixFS `Data` message carried in a dag-pb node's Data field.
///
/// Spec: ipfs/specs `UNIXFS.md`. Fields are written in field-number order, each only when
/// set, with `blocksizes` unpacked — exactly as go-unixfs writes them, since those bytes decide
/// every CID kubo prints.
public struct UnixFSData: Hashable, Sendable {
    public enum Kind: UInt64, Sendable {
        case raw = 0
        case directory = 1
        case file = 2
        case metadata = 3
        case symlink = 4
        case hamtShard = 5
    }

    public var kind: Kind
    public var data: [UInt8]?
    public var fileSize: UInt64?
    public var blockSizes: [UInt64]
    public var hashType: UInt64?
    public var fanout: UInt64?
    public var mode: UInt32?
    public var mtime: UnixTime?

    /// Seconds and optional nanoseconds since the Unix epoch.
    public struct UnixTime: Hashable, Sendable {
        public var seconds: Int64
        public var nanoseconds: UInt32?

        public init(seconds: Int64, nanoseconds: UInt32? = nil) {
            self.seconds = seconds
            self.nanoseconds = nanoseconds
        }
    }

    public init(
        kind: Kind,
        data: [UInt8]? = nil,
        fileSize: UInt64? = nil,
        blockSizes: [UInt64] = [],
        hashType: UInt64? = nil,
        fanout: UInt64? = nil,
        mode: UInt32? = nil,
        mtime: UnixTime? = nil
    ) {
        self.kind = kind
        self.data = data
        self.fileSize = fileSize
        self.blockSizes = blockSizes
        self.hashType = hashType
        self.fanout = fanout
        self.mode = mode
        self.mtime = mtime
    }

    /// The message's bytes.
    public func encoded() -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity((data?.count ?? 0) + 16 + blockSizes.count * 5)
        Protobuf.appendUInt(field: 1, kind.rawValue, to: &output)
        if let data { Protobuf.appendBytes(field: 2, data, to: &output) }
        if let fileSize { Protobuf.appendUInt(field: 3, fileSize, to: &output) }
        for size in blockSizes { Protobuf.appendUInt(field: 4, size, to: &output) }
        if let hashType { Protobuf.appendUInt(field: 5, hashType, to: &output) }
        if let fanout { Protobuf.appendUInt(field: 6, fanout, to: &output) }
        if let mode { Protobuf.appendUInt(field: 7, UInt64(mode), to: &output) }
        if let mtime {
            var time: [UInt8] = []
            // UnixTime.Seconds is int64: negative times are two's complement in a 10-byte varint.
            Protobuf.appendUInt(field: 1, UInt64(bitPattern: mtime.seconds), to: &time)
            if let nanoseconds = mtime.nanoseconds {
                // FractionalNanoseconds is fixed32 (wire type 5), little-endian.
                Protobuf.appendTag(field: 2, wireType: 5, to: &time)
                withUnsafeBytes(of: nanoseconds.littleEndian) { time.append(contentsOf: $0) }
            }
            Protobuf.appendBytes(field: 8, time, to: &output)
        }
        return output
    }

    /// Decodes a UnixFS Data message. Unknown fields are refused: a reader that skipped them
    /// could serve a file that means something else to another implementation.
    public init(bytes: [UInt8]) throws(UnixFSError) {
        do {
            var reader = Protobuf.Reader(bytes)
            var kind: Kind?
            var result = UnixFSData(kind: .raw)
            while !reader.isAtEnd {
                let (field, wireType) = try reader.readTag()
                switch (field, wireType) {
                case (1, Protobuf.varint):
                    let raw = try reader.readVarint()
                    guard let value = Kind(rawValue: raw) else {
                        throw UnixFSError(.invalidData, "unknown UnixFS type \(raw)")
                    }
                    kind = value
                case (2, Protobuf.lengthDelimited): result.data = Array(reader.slice(try reader.readLengthDelimited()))
                case (3, Protobuf.varint): result.fileSize = try reader.readVarint()
                case (4, Protobuf.varint): result.blockSizes.append(try reader.readVarint())
                case (5, Protobuf.varint): result.hashType = try reader.readVarint()
                case (6, Protobuf.varint): result.fanout = try reader.readVarint()
                case (7, Protobuf.varint):
                    let mode = try reader.readVarint()
                    guard mode <= UInt64(UInt32.max) else {
                        throw UnixFSError(.invalidData, "mode \(mode) over 32 bits")
                    }
                    result.mode = UInt32(mode)
                case (8, Protobuf.lengthDelimited):
                    result.mtime = try Self.decodeTime(reader.slice(try reader.readLengthDelimited()))
                default:
                    throw UnixFSError(.invalidData, "unexpected field \(field) with wire type \(wireType)")
                }
            }
            guard let kind else { throw UnixFSError(.invalidData, "UnixFS data has no Type") }
            result.kind = kind
            self = result
        } catch let error as UnixFSError {
            throw error
        } catch {
            throw UnixFSError(.invalidData, "malformed UnixFS data: \(error)")
        }
    }

    private static func decodeTime(_ bytes: ArraySlice<UInt8>) throws -> UnixTime {
        var reader = Protobuf.Reader(Array(bytes))
        var time = UnixTime(seconds: 0)
        while !reader.isAtEnd {
            let (field, wireType) = try reader.readTag()
            switch (field, wireType) {
            case (1, Protobuf.varint): time.seconds = Int64(bitPattern: try reader.readVarint())
            case (2, 5):
                let range = try reader.readFixed32()
                time.nanoseconds = range
            default: throw UnixFSError(.invalidData, "unexpected field \(field) in mtime")
            }
        }
        return time
    }
}
