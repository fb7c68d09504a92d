import Multiformats

/// Where a block's bytes are: the LevelDB value under `b` ‖ multihash.
///
/// `flags u8 | varint segment | varint offset | varint stored length | varint raw length`.
struct BlockIndexEntry: Hashable, Sendable {
    static let zstdFlag: UInt8 = 0x01

    var flags: UInt8
    var segment: UInt32
    var offset: UInt64
    var storedLength: Int
    var rawLength: Int

    var compressed: Bool { flags & Self.zstdFlag != 0 }

    func encoded() -> [UInt8] {
        var output: [UInt8] = [flags]
        Varint.encode(UInt64(segment), into: &output)
        Varint.encode(offset, into: &output)
        Varint.encode(UInt64(storedLength), into: &output)
        Varint.encode(UInt64(rawLength), into: &output)
        return output
    }

    init(flags: UInt8, segment: UInt32, offset: UInt64, storedLength: Int, rawLength: Int) {
        self.flags = flags
        self.segment = segment
        self.offset = offset
        self.storedLength = storedLength
        self.rawLength = rawLength
    }

    init(bytes: [UInt8]) throws(StoreError) {
        do {
            guard let flags = bytes.first else { throw StoreError(.corruptStore, "empty index entry") }
            var rest = bytes[1...]
            func next() throws -> UInt64 {
                let (value, length) = try Varint.decode(rest)
                rest = rest.dropFirst(length)
                return value
            }
            let segment = try next()
            let offset = try next()
            let stored = try next()
            let raw = try next()
            guard rest.isEmpty, segment <= UInt64(UInt32.max), stored <= UInt64(Int32.max), raw <= UInt64(Int32.max)
            else { throw StoreError(.corruptStore, "malformed index entry") }
            self.init(
                flags: flags, segment: UInt32(segment), offset: offset, storedLength: Int(stored), rawLength: Int(raw))
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError(.corruptStore, "malformed index entry: \(error)")
        }
    }
}

/// LevelDB key layout of the repository index (see `Specs/storage.md`).
enum IndexKey {
    static let block: UInt8 = 0x62  // "b" ‖ multihash → BlockIndexEntry
    static let pin: UInt8 = 0x70  // "p" ‖ CID bytes → pin record
    static let segment: UInt8 = 0x73  // "s" ‖ u32be segment → committed length, live bytes
    static let meta: UInt8 = 0x6d  // "m" ‖ name → counters

    static func block(_ multihash: [UInt8]) -> [UInt8] { [block] + multihash }
    static func pin(_ cid: [UInt8]) -> [UInt8] { [pin] + cid }
    static func segment(_ number: UInt32) -> [UInt8] {
        [segment] + withUnsafeBytes(of: number.bigEndian) { Array($0) }
    }
    static let totals: [UInt8] = [meta] + Array("totals".utf8)

    static func uint64s(_ values: [UInt64]) -> [UInt8] {
        values.flatMap { value in withUnsafeBytes(of: value.littleEndian) { Array($0) } }
    }

    static func decodeUInt64s(_ bytes: [UInt8], count: Int) throws(StoreError) -> [UInt64] {
        guard bytes.count == count * 8 else { throw StoreError(.corruptStore, "index counter of \(bytes.count) bytes") }
        return (0..<count).map { index in
            bytes[(index * 8)..<(index * 8 + 8)].reversed().reduce(0) { $0 << 8 | UInt64($1) }
        }
    }
}
