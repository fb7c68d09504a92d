/// The few protobuf primitives dag-pb and UnixFS need: varints, tags and length-delimited bytes.
///
/// Hand-written instead of swift-protobuf: two small messages whose field order decides the
/// bytes (dag-pb writes Links before Data, against protobuf's usual order), and decoders that
/// must refuse what protobuf libraries quietly accept. The generator would cost more than it gives.
package enum Protobuf {
    /// Wire types used here.
    package static let varint: UInt8 = 0
    package static let lengthDelimited: UInt8 = 2

    package static func appendVarint(_ value: UInt64, to output: inout [UInt8]) {
        var rest = value
        while rest >= 0x80 {
            output.append(UInt8(truncatingIfNeeded: rest) | 0x80)
            rest >>= 7
        }
        output.append(UInt8(rest))
    }

    package static func varintLength(_ value: UInt64) -> Int {
        var length = 1
        var rest = value >> 7
        while rest != 0 {
            length += 1
            rest >>= 7
        }
        return length
    }

    package static func appendTag(field: UInt64, wireType: UInt8, to output: inout [UInt8]) {
        appendVarint(field << 3 | UInt64(wireType), to: &output)
    }

    package static func appendBytes(field: UInt64, _ bytes: some Collection<UInt8>, to output: inout [UInt8]) {
        appendTag(field: field, wireType: lengthDelimited, to: &output)
        appendVarint(UInt64(bytes.count), to: &output)
        output.append(contentsOf: bytes)
    }

    package static func appendUInt(field: UInt64, _ value: UInt64, to output: inout [UInt8]) {
        appendTag(field: field, wireType: varint, to: &output)
        appendVarint(value, to: &output)
    }

    /// Reads protobuf fields from a byte buffer, strictly: varints of at most 10 bytes that fit
    /// 64 bits, no over-long encodings, lengths within the buffer.
    package struct Reader {
        private let bytes: [UInt8]
        private(set) var offset: Int
        private let end: Int

        package init(_ bytes: [UInt8], range: Range<Int>? = nil) {
            self.bytes = bytes
            self.offset = range?.lowerBound ?? 0
            self.end = range?.upperBound ?? bytes.count
        }

        package var isAtEnd: Bool { offset >= end }
        package var position: Int { offset }

        package mutating func readVarint() throws(IPLDError) -> UInt64 {
            var value: UInt64 = 0
            var shift: UInt64 = 0
            let start = offset
            while true {
                guard offset < end else { throw IPLDError(.truncated, "varint runs past the end", offset: start) }
                let byte = bytes[offset]
                offset += 1
                if shift == 63 && byte > 1 {
                    throw IPLDError(.invalidEncoding, "varint overflows 64 bits", offset: start)
                }
                value |= UInt64(byte & 0x7f) << shift
                if byte & 0x80 == 0 {
                    if byte == 0 && offset - start > 1 {
                        throw IPLDError(.nonCanonical, "varint has a redundant trailing zero byte", offset: start)
                    }
                    return value
                }
                shift += 7
            }
        }

        /// Reads a tag: (field number, wire type).
        package mutating func readTag() throws(IPLDError) -> (field: UInt64, wireType: UInt8) {
            let start = offset
            let tag = try readVarint()
            let field = tag >> 3
            if field == 0 { throw IPLDError(.invalidEncoding, "protobuf field number 0", offset: start) }
            return (field, UInt8(tag & 7))
        }

        /// Reads a length-delimited field's range in the underlying buffer.
        package mutating func readLengthDelimited() throws(IPLDError) -> Range<Int> {
            let start = offset
            let length = try readVarint()
            guard length <= UInt64(end - offset) else {
                throw IPLDError(.truncated, "field of \(length) bytes runs past the end", offset: start)
            }
            let range = offset..<(offset + Int(length))
            offset = range.upperBound
            return range
        }

        /// Reads a fixed32 field's value (wire type 5), little-endian.
        package mutating func readFixed32() throws(IPLDError) -> UInt32 {
            guard end - offset >= 4 else { throw IPLDError(.truncated, "fixed32 runs past the end", offset: offset) }
            var value: UInt32 = 0
            for index in 0..<4 { value |= UInt32(bytes[offset + index]) << (8 * UInt32(index)) }
            offset += 4
            return value
        }

        package func slice(_ range: Range<Int>) -> ArraySlice<UInt8> { bytes[range] }
    }
}
