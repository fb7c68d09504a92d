import Multiformats

/// DAG-CBOR (multicodec 0x71): CBOR restricted to one canonical encoding per value.
///
/// Spec: ipld/specs `block-layer/codecs/dag-cbor.md`. Hand-written: no CBOR library on our
/// list, and the strict decoder is the point. Encoding is canonical; decoding accepts only
/// canonical input, so decode → encode gives back the same bytes and so the same CID:
/// - integers and lengths in their shortest form; no indefinite lengths;
/// - floats only as 64-bit, never NaN or ±infinity;
/// - map keys are strings, sorted shorter-first then bytewise, never repeated;
/// - the only tag is 42, a CID: a byte string of 0x00 followed by the binary CID;
/// - simple values only false, true and null; strings valid UTF-8; nothing after the value.
public enum DagCBOR {
    /// Decoding refuses nesting deeper than this, so hostile input cannot exhaust the stack.
    public static let maxDepth = 256

    /// The canonical bytes of `value`.
    ///
    /// - Throws: ``IPLDError`` `.unrepresentable` for NaN or infinite floats and integers out of
    ///   CBOR's range.
    public static func encode(_ value: IPLDValue) throws(IPLDError) -> [UInt8] {
        var output: [UInt8] = []
        try encode(value, into: &output)
        return output
    }

    /// Decodes one canonical DAG-CBOR value that fills `bytes`.
    public static func decode(_ bytes: [UInt8]) throws(IPLDError) -> IPLDValue {
        var decoder = Decoder(bytes: bytes)
        let value = try decoder.decodeValue(depth: 0)
        if decoder.offset != bytes.count {
            throw IPLDError(
                .trailingBytes, "\(bytes.count - decoder.offset) bytes after the value", offset: decoder.offset)
        }
        return value
    }

    // MARK: Encoding

    private static func appendHead(major: UInt8, _ argument: UInt64, to output: inout [UInt8]) {
        let type = major << 5
        switch argument {
        case 0..<24: output.append(type | UInt8(argument))
        case 24...0xff: output += [type | 24, UInt8(argument)]
        case 0x100...0xffff:
            output.append(type | 25)
            appendBigEndian(argument, count: 2, to: &output)
        case 0x10000...0xffff_ffff:
            output.append(type | 26)
            appendBigEndian(argument, count: 4, to: &output)
        default:
            output.append(type | 27)
            appendBigEndian(argument, count: 8, to: &output)
        }
    }

    private static func appendBigEndian(_ value: UInt64, count: Int, to output: inout [UInt8]) {
        for index in stride(from: count - 1, through: 0, by: -1) {
            output.append(UInt8(truncatingIfNeeded: value >> (8 * UInt64(index))))
        }
    }

    private static func encode(_ value: IPLDValue, into output: inout [UInt8]) throws(IPLDError) {
        switch value {
        case .null: output.append(0xf6)
        case .bool(let flag): output.append(flag ? 0xf5 : 0xf4)
        case .integer(let integer):
            guard IPLDValue.integerRange.contains(integer) else {
                throw IPLDError(.unrepresentable, "integer \(integer) is outside CBOR's range")
            }
            if integer >= 0 {
                appendHead(major: 0, UInt64(integer), to: &output)
            } else {
                appendHead(major: 1, UInt64(-1 - integer), to: &output)
            }
        case .float(let double):
            guard double.isFinite else {
                throw IPLDError(.unrepresentable, "DAG-CBOR has no NaN or infinity")
            }
            output.append(0xfb)
            appendBigEndian(double.bitPattern, count: 8, to: &output)
        case .string(let string):
            appendHead(major: 3, UInt64(string.utf8.count), to: &output)
            output.append(contentsOf: string.utf8)
        case .bytes(let bytes):
            appendHead(major: 2, UInt64(bytes.count), to: &output)
            output.append(contentsOf: bytes)
        case .list(let list):
            appendHead(major: 4, UInt64(list.count), to: &output)
            for element in list { try encode(element, into: &output) }
        case .map(let map):
            appendHead(major: 5, UInt64(map.count), to: &output)
            for entry in map.entries {
                appendHead(major: 3, UInt64(entry.key.utf8.count), to: &output)
                output.append(contentsOf: entry.key.utf8)
                try encode(entry.value, into: &output)
            }
        case .link(let cid):
            output += [0xd8, 42]
            appendHead(major: 2, UInt64(cid.bytes.count + 1), to: &output)
            output.append(0)
            output.append(contentsOf: cid.bytes)
        }
    }

    // MARK: Decoding

    private struct Decoder {
        let bytes: [UInt8]
        var offset = 0

        mutating func readByte() throws(IPLDError) -> UInt8 {
            guard offset < bytes.count else { throw IPLDError(.truncated, "input ends inside a value", offset: offset) }
            defer { offset += 1 }
            return bytes[offset]
        }

        mutating func readBigEndian(count: Int) throws(IPLDError) -> UInt64 {
            guard bytes.count - offset >= count else {
                throw IPLDError(.truncated, "input ends inside a \(count)-byte argument", offset: offset)
            }
            var value: UInt64 = 0
            for index in 0..<count { value = value << 8 | UInt64(bytes[offset + index]) }
            offset += count
            return value
        }

        /// Reads the argument of a head whose first byte is `initial`, requiring the shortest form.
        mutating func readArgument(_ initial: UInt8, at start: Int) throws(IPLDError) -> UInt64 {
            let info = initial & 0x1f
            let value: UInt64
            let minimum: UInt64
            switch info {
            case 0..<24: return UInt64(info)
            case 24:
                value = try readBigEndian(count: 1)
                minimum = 24
            case 25:
                value = try readBigEndian(count: 2)
                minimum = 0x100
            case 26:
                value = try readBigEndian(count: 4)
                minimum = 0x1_0000
            case 27:
                value = try readBigEndian(count: 8)
                minimum = 0x1_0000_0000
            case 31: throw IPLDError(.invalidEncoding, "indefinite-length items are not allowed", offset: start)
            default: throw IPLDError(.invalidEncoding, "reserved additional information \(info)", offset: start)
            }
            if value < minimum {
                throw IPLDError(.nonCanonical, "integer or length \(value) not in its shortest form", offset: start)
            }
            return value
        }

        mutating func readLength(_ initial: UInt8, at start: Int) throws(IPLDError) -> Int {
            let length = try readArgument(initial, at: start)
            // Every item takes at least one byte, so a length beyond what is left is impossible;
            // checking here stops a hostile length from reserving gigabytes.
            guard length <= UInt64(bytes.count - offset) else {
                throw IPLDError(.truncated, "length \(length) runs past the end of the input", offset: start)
            }
            return Int(length)
        }

        mutating func readString(_ initial: UInt8, at start: Int) throws(IPLDError) -> String {
            let length = try readLength(initial, at: start)
            let slice = bytes[offset..<(offset + length)]
            offset += length
            guard let string = String(validating: slice, as: UTF8.self) else {
                throw IPLDError(.invalidEncoding, "string is not valid UTF-8", offset: start)
            }
            return string
        }

        mutating func decodeValue(depth: Int) throws(IPLDError) -> IPLDValue {
            let start = offset
            if depth > DagCBOR.maxDepth {
                throw IPLDError(.tooDeep, "nesting deeper than \(DagCBOR.maxDepth)", offset: start)
            }
            let initial = try readByte()
            switch initial >> 5 {
            case 0:
                return .integer(Int128(try readArgument(initial, at: start)))
            case 1:
                return .integer(-1 - Int128(try readArgument(initial, at: start)))
            case 2:
                let length = try readLength(initial, at: start)
                defer { offset += length }
                return .bytes(Array(bytes[offset..<(offset + length)]))
            case 3:
                return .string(try readString(initial, at: start))
            case 4:
                let count = try readLength(initial, at: start)
                var list: [IPLDValue] = []
                list.reserveCapacity(count)
                for _ in 0..<count { list.append(try decodeValue(depth: depth + 1)) }
                return .list(list)
            case 5:
                let count = try readLength(initial, at: start)
                var entries: [IPLDMap.Entry] = []
                entries.reserveCapacity(count)
                for _ in 0..<count {
                    let keyStart = offset
                    let keyInitial = try readByte()
                    guard keyInitial >> 5 == 3 else {
                        throw IPLDError(.invalidEncoding, "map keys must be strings", offset: keyStart)
                    }
                    let key = try readString(keyInitial, at: keyStart)
                    if let previous = entries.last?.key {
                        if previous.utf8.elementsEqual(key.utf8) {
                            throw IPLDError(.duplicateKey, "map key \"\(key)\" appears twice", offset: keyStart)
                        }
                        if !IPLDMap.canonicalOrder(previous, key) {
                            throw IPLDError(.nonCanonical, "map key \"\(key)\" is out of order", offset: keyStart)
                        }
                    }
                    entries.append(IPLDMap.Entry(key: key, value: try decodeValue(depth: depth + 1)))
                }
                return .map(IPLDMap(canonicalEntries: entries))
            case 6:
                let tag = try readArgument(initial, at: start)
                guard tag == 42 else {
                    throw IPLDError(.invalidEncoding, "tag \(tag) is not allowed (only 42)", offset: start)
                }
                let contentStart = offset
                let contentInitial = try readByte()
                guard contentInitial >> 5 == 2 else {
                    throw IPLDError(.invalidLink, "tag 42 must wrap a byte string", offset: contentStart)
                }
                let length = try readLength(contentInitial, at: contentStart)
                let content = Array(bytes[offset..<(offset + length)])
                offset += length
                guard content.first == 0 else {
                    throw IPLDError(
                        .invalidLink, "CID bytes must start with the 0x00 multibase prefix", offset: contentStart)
                }
                do {
                    return .link(try CID(bytes: Array(content.dropFirst())))
                } catch {
                    throw IPLDError(.invalidLink, "tag 42 does not hold a valid CID: \(error)", offset: contentStart)
                }
            default:
                switch initial {
                case 0xf4: return .bool(false)
                case 0xf5: return .bool(true)
                case 0xf6: return .null
                case 0xfb:
                    let double = Double(bitPattern: try readBigEndian(count: 8))
                    guard double.isFinite else {
                        throw IPLDError(.unrepresentable, "NaN and infinity are not allowed", offset: start)
                    }
                    return .float(double)
                case 0xf9, 0xfa:
                    throw IPLDError(.nonCanonical, "floats must be 64-bit", offset: start)
                default:
                    throw IPLDError(
                        .invalidEncoding, "simple value 0x\(String(initial, radix: 16)) is not allowed", offset: start)
                }
            }
        }
    }
}
