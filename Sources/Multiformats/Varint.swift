/// The multiformats unsigned varint: LEB128 without sign, minimal, at most 9 bytes (63 bits).
///
/// Spec: multiformats/unsigned-varint. Decoding refuses the three ways an input can break it —
/// truncated, longer than 9 bytes (or a 9th byte with its high bit set), and non-minimal
/// (a trailing zero group) — so every value has exactly one encoding.
public enum Varint {
    /// The longest encoding the spec allows.
    public static let maxLength = 9
    /// The largest value the spec allows, 2^63 − 1.
    public static let maxValue: UInt64 = (1 << 63) - 1

    /// The number of bytes `value` takes.
    public static func encodedLength(of value: UInt64) -> Int {
        precondition(value <= maxValue, "varint value over 2^63 - 1")
        var length = 1
        var rest = value >> 7
        while rest != 0 {
            length += 1
            rest >>= 7
        }
        return length
    }

    /// Appends the encoding of `value`.
    public static func encode(_ value: UInt64, into output: inout [UInt8]) {
        precondition(value <= maxValue, "varint value over 2^63 - 1")
        var rest = value
        while rest >= 0x80 {
            output.append(UInt8(truncatingIfNeeded: rest) | 0x80)
            rest >>= 7
        }
        output.append(UInt8(rest))
    }

    /// The encoding of `value`.
    public static func encode(_ value: UInt64) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(encodedLength(of: value))
        encode(value, into: &output)
        return output
    }

    /// Decodes the varint at the start of `bytes`.
    ///
    /// - Returns: the value and the number of bytes it occupied; bytes after it are not read.
    /// - Throws: ``MultiformatsError`` with code `.emptyInput`, `.truncatedVarint`,
    ///   `.varintTooLong` or `.nonMinimalVarint`.
    public static func decode<Bytes: Collection<UInt8>>(
        _ bytes: Bytes
    ) throws(MultiformatsError) -> (value: UInt64, length: Int) {
        if bytes.isEmpty { throw MultiformatsError(.emptyInput, "expected a varint, found no bytes") }
        var value: UInt64 = 0
        var length = 0
        for byte in bytes {
            if length == maxLength {
                throw MultiformatsError(.varintTooLong, "varint longer than \(maxLength) bytes", offset: length)
            }
            value |= UInt64(byte & 0x7f) << (7 * UInt64(length))
            length += 1
            if byte & 0x80 == 0 {
                if byte == 0 && length > 1 {
                    throw MultiformatsError(
                        .nonMinimalVarint,
                        "varint has a redundant trailing zero byte",
                        offset: length - 1
                    )
                }
                return (value, length)
            }
        }
        if length == maxLength {
            throw MultiformatsError(.varintTooLong, "varint longer than \(maxLength) bytes", offset: length)
        }
        throw MultiformatsError(.truncatedVarint, "varint ends after \(length) bytes with its continuation bit set")
    }

    /// Decodes a varint that must follow earlier fields of a value (a CID's codec, a multihash's
    /// length): no bytes left means the value was cut short, reported as `.truncatedVarint` with
    /// `missing` naming what is absent.
    static func decodeField<Bytes: Collection<UInt8>>(
        _ bytes: Bytes,
        missing: String,
        offset: Int
    ) throws(MultiformatsError) -> (value: UInt64, length: Int) {
        if bytes.isEmpty { throw MultiformatsError(.truncatedVarint, missing, offset: offset) }
        return try decode(bytes)
    }
}
