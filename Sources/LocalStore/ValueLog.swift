import CodedErrors
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Append-only segment files that hold block bytes beside LevelDB (key–value separation, as in
/// WiscKey and Badger): a block is written once, here, and LevelDB indexes only where it is.
///
/// Layout, recovery and the measurement behind the choice are in `Specs/storage.md`. Segment
/// `N` is `blocks/NNNNNNNN.vlog`: an 8-byte magic, then records
/// `0xCB | flags | u16le multihash length | u32le stored length | multihash | stored bytes`.
/// The index (in LevelDB) records, per segment, how long it is committed and how many of its
/// bytes are live; anything past the committed length is the tail of an interrupted write and is
/// cut off when the store opens.
///
/// Writes are serialized by the block store; reads may run concurrently with them.
final class ValueLog: Sendable {
    static let magic: [UInt8] = Array("CAIRNVL1".utf8)
    static let recordMarker: UInt8 = 0xCB
    static let headerSize = 8

    let directory: String
    let maxSegmentSize: UInt64
    private let files: Mutex<[UInt32: SegmentFile]>

    init(directory: String, maxSegmentSize: UInt64) {
        self.directory = directory
        self.maxSegmentSize = maxSegmentSize
        self.files = Mutex([:])
    }

    func path(of segment: UInt32) -> String {
        let digits = String(segment)
        return "\(directory)/\(String(repeating: "0", count: max(0, 8 - digits.count)))\(digits).vlog"
    }

    /// The segment numbers that have files, in order.
    func segmentsOnDisk() throws(StoreError) -> [UInt32] {
        guard let handle = opendir(directory) else {
            throw StoreError(.ioError, "cannot list \(directory): \(String(cString: strerror(errno)))")
        }
        defer { closedir(handle) }
        var found: [UInt32] = []
        while let entry = readdir(handle) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { buffer in
                String(decoding: buffer.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            if name.hasSuffix(".vlog"), let number = UInt32(name.dropLast(5)) { found.append(number) }
        }
        return found.sorted()
    }

    /// The open file of `segment`, opening it if needed.
    func file(_ segment: UInt32, create: Bool = false) throws(StoreError) -> SegmentFile {
        if let open = files.withLock({ $0[segment] }) { return open }
        let file = try SegmentFile(path: path(of: segment), create: create)
        return files.withLock { files in
            if let raced = files[segment] { return raced }
            files[segment] = file
            return file
        }
    }

    /// Creates an empty segment holding only the magic, synced with its directory entry.
    func create(_ segment: UInt32) throws(StoreError) -> SegmentFile {
        let file = try file(segment, create: true)
        try file.truncate(to: 0)
        try Self.magic.withBytes { (buffer) throws(StoreError) in try file.write(buffer, at: 0) }
        try file.sync()
        try SegmentFile.syncDirectory(directory)
        return file
    }

    func remove(_ segment: UInt32) throws(StoreError) {
        _ = files.withLock { $0.removeValue(forKey: segment) }
        try SegmentFile.remove(path(of: segment))
    }

    /// The bytes stored at `offset` in `segment`.
    func read(segment: UInt32, offset: UInt64, count: Int) throws(StoreError) -> [UInt8] {
        try file(segment).read(count: count, at: offset)
    }

    /// Every record of a segment up to `length`, in order: what compaction and recovery walk.
    func records(
        in segment: UInt32,
        upTo length: UInt64,
        _ body: (_ multihash: [UInt8], _ flags: UInt8, _ offset: UInt64, _ storedLength: Int) throws -> Void
    ) throws {
        let file = try file(segment)
        var position = UInt64(Self.magic.count)
        while position < length {
            let header = try file.read(count: Self.headerSize, at: position)
            guard header[0] == Self.recordMarker else {
                throw StoreError(.corruptStore, "\(path(of: segment)): no record at offset \(position)")
            }
            let multihashLength = Int(header[2]) | Int(header[3]) << 8
            let storedLength = Int(header[4]) | Int(header[5]) << 8 | Int(header[6]) << 16 | Int(header[7]) << 24
            let multihash = try file.read(count: multihashLength, at: position + UInt64(Self.headerSize))
            let dataOffset = position + UInt64(Self.headerSize + multihashLength)
            guard dataOffset + UInt64(storedLength) <= length else {
                throw StoreError(.corruptStore, "\(path(of: segment)): record at \(position) runs past its end")
            }
            try body(multihash, header[1], dataOffset, storedLength)
            position = dataOffset + UInt64(storedLength)
        }
    }

    /// Appends a record's header to `buffer`.
    static func appendRecordHeader(multihash: [UInt8], flags: UInt8, storedLength: Int, to buffer: inout [UInt8]) {
        buffer.append(recordMarker)
        buffer.append(flags)
        buffer.append(UInt8(truncatingIfNeeded: multihash.count))
        buffer.append(UInt8(truncatingIfNeeded: multihash.count >> 8))
        withUnsafeBytes(of: UInt32(storedLength).littleEndian) { buffer.append(contentsOf: $0) }
        buffer.append(contentsOf: multihash)
    }
}
