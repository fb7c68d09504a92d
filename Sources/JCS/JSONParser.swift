/// Reads JSON text (RFC 8259) strictly, into the I-JSON (RFC 7493) data model that JCS
/// (RFC 8785) canonicalizes.
///
/// Hand-written rather than Foundation's `JSONSerialization`: that one accepts duplicate member
/// names (keeping one silently), does not say where an error is, and turns numbers into
/// `NSNumber`s whose integer-or-double choice would change a canonical form. Refused here, each
/// with its byte offset: anything not in RFC 8259's grammar (comments, trailing commas, leading
/// zeros, single quotes, bare control characters), invalid UTF-8, duplicate member names, lone
/// surrogate escapes, numbers beyond a double's range, nesting deeper than ``maxDepth``.
public struct JSONParser {
    public static let maxDepth = 128

    private let bytes: [UInt8]
    private var position = 0
    private var depth = 0

    /// Parses one JSON text: a value with optional whitespace around it, nothing else.
    public static func parse(_ bytes: [UInt8]) throws(JSONError) -> JSONValue {
        var parser = JSONParser(bytes: bytes)
        parser.skipWhitespace()
        let value = try parser.value()
        parser.skipWhitespace()
        guard parser.position == bytes.count else {
            throw JSONError(.malformed, "unexpected text after the JSON value", offset: parser.position)
        }
        return value
    }

    /// Parses JSON text given as a string.
    public static func parse(_ text: String) throws(JSONError) -> JSONValue { try parse(Array(text.utf8)) }

    private init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    private var current: UInt8? { position < bytes.count ? bytes[position] : nil }

    private mutating func skipWhitespace() {
        while let byte = current, byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D { position += 1 }
    }

    private func failure(_ what: String) -> JSONError {
        JSONError(
            .malformed, current == nil ? "the text ends where \(what) was expected" : "expected \(what)",
            offset: position)
    }

    private mutating func value() throws(JSONError) -> JSONValue {
        guard let byte = current else { throw failure("a JSON value") }
        switch byte {
        case UInt8(ascii: "{"): return .object(try object())
        case UInt8(ascii: "["): return .array(try array())
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "t"):
            try literal("true")
            return .bool(true)
        case UInt8(ascii: "f"):
            try literal("false")
            return .bool(false)
        case UInt8(ascii: "n"):
            try literal("null")
            return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try number())
        default: throw failure("a JSON value")
        }
    }

    private mutating func literal(_ word: StaticString) throws(JSONError) {
        let expected = UnsafeBufferPointer(start: word.utf8Start, count: word.utf8CodeUnitCount)
        guard bytes.count - position >= expected.count,
            bytes[position..<(position + expected.count)].elementsEqual(expected)
        else { throw failure("\(word)") }
        position += expected.count
    }

    private mutating func enter() throws(JSONError) {
        depth += 1
        guard depth <= Self.maxDepth else {
            throw JSONError(.tooLarge, "nested deeper than \(Self.maxDepth) levels", offset: position)
        }
    }

    private mutating func object() throws(JSONError) -> JSONObject {
        try enter()
        defer { depth -= 1 }
        position += 1  // {
        var object = JSONObject()
        var names = Set<String>()
        skipWhitespace()
        if current == UInt8(ascii: "}") {
            position += 1
            return object
        }
        while true {
            guard current == UInt8(ascii: "\"") else { throw failure("a member name in quotes") }
            let nameOffset = position
            let name = try string()
            guard names.insert(name).inserted else {
                throw JSONError(
                    .duplicateKey, "the member name \"\(name.prefix(80))\" appears twice", offset: nameOffset)
            }
            skipWhitespace()
            guard current == UInt8(ascii: ":") else { throw failure("':' after a member name") }
            position += 1
            skipWhitespace()
            object[name] = try value()
            if try closes(UInt8(ascii: "}"), in: "an object") { return object }
        }
    }

    private mutating func array() throws(JSONError) -> [JSONValue] {
        try enter()
        defer { depth -= 1 }
        position += 1  // [
        var items: [JSONValue] = []
        skipWhitespace()
        if current == UInt8(ascii: "]") {
            position += 1
            return items
        }
        while true {
            items.append(try value())
            if try closes(UInt8(ascii: "]"), in: "an array") { return items }
        }
    }

    /// After an item of an object or array: true past its closing bracket, false past a comma.
    private mutating func closes(_ closing: UInt8, in container: String) throws(JSONError) -> Bool {
        skipWhitespace()
        switch current {
        case UInt8(ascii: ","):
            position += 1
            skipWhitespace()
            return false
        case closing:
            position += 1
            return true
        default:
            throw failure("',' or '\(Unicode.Scalar(closing))' in \(container)")
        }
    }

    private mutating func number() throws(JSONError) -> Double {
        let start = position
        func digits() -> Int {
            let first = position
            while let byte = current, byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") { position += 1 }
            return position - first
        }
        if current == UInt8(ascii: "-") { position += 1 }
        if current == UInt8(ascii: "0") {
            position += 1
            if let byte = current, byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") {
                throw JSONError(.malformed, "a number has a leading zero", offset: start)
            }
        } else if digits() == 0 {
            throw failure("a digit")
        }
        if current == UInt8(ascii: ".") {
            position += 1
            guard digits() > 0 else { throw failure("a digit after the decimal point") }
        }
        if current == UInt8(ascii: "e") || current == UInt8(ascii: "E") {
            position += 1
            if current == UInt8(ascii: "+") || current == UInt8(ascii: "-") { position += 1 }
            guard digits() > 0 else { throw failure("a digit in the exponent") }
        }
        let text = String(decoding: bytes[start..<position], as: UTF8.self)
        // Swift's Double(String) rounds correctly (to nearest, ties to even), as I-JSON expects.
        guard let value = Double(text), value.isFinite else {
            throw JSONError(.numberOutOfRange, "\(text.prefix(40)) is beyond an IEEE 754 double", offset: start)
        }
        return value
    }

    private mutating func string() throws(JSONError) -> String {
        position += 1  // "
        var scalars = String.UnicodeScalarView()
        var runStart = position
        func flush() throws(JSONError) {
            guard runStart < position else { return }
            guard let run = String(validating: bytes[runStart..<position], as: UTF8.self) else {
                throw JSONError(.malformed, "a string holds bytes that are not UTF-8", offset: runStart)
            }
            scalars.append(contentsOf: run.unicodeScalars)
        }
        while true {
            guard let byte = current else { throw failure("the closing quote of a string") }
            switch byte {
            case UInt8(ascii: "\""):
                try flush()
                position += 1
                return String(scalars)
            case UInt8(ascii: "\\"):
                try flush()
                position += 1
                scalars.append(try escape())
                runStart = position
            case 0x00..<0x20:
                throw JSONError(.malformed, "a control character must be escaped in a string", offset: position)
            default:
                position += 1
            }
        }
    }

    private mutating func escape() throws(JSONError) -> Unicode.Scalar {
        guard let byte = current else { throw failure("an escape") }
        position += 1
        switch byte {
        case UInt8(ascii: "\""): return "\""
        case UInt8(ascii: "\\"): return "\\"
        case UInt8(ascii: "/"): return "/"
        case UInt8(ascii: "b"): return "\u{08}"
        case UInt8(ascii: "f"): return "\u{0C}"
        case UInt8(ascii: "n"): return "\n"
        case UInt8(ascii: "r"): return "\r"
        case UInt8(ascii: "t"): return "\t"
        case UInt8(ascii: "u"):
            let escapeOffset = position - 2
            let unit = try hexQuad()
            if (0xD800..<0xDC00).contains(unit) {
                guard current == UInt8(ascii: "\\"), position + 1 < bytes.count,
                    bytes[position + 1] == UInt8(ascii: "u")
                else {
                    throw JSONError(
                        .invalidUnicode, "a high surrogate escape without its low half", offset: escapeOffset)
                }
                position += 2
                let low = try hexQuad()
                guard (0xDC00..<0xE000).contains(low) else {
                    throw JSONError(
                        .invalidUnicode, "a high surrogate escape without its low half", offset: escapeOffset)
                }
                return Unicode.Scalar(0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00))!
            }
            guard let scalar = Unicode.Scalar(unit) else {
                throw JSONError(.invalidUnicode, "a low surrogate escape without its high half", offset: escapeOffset)
            }
            return scalar
        default:
            throw JSONError(.malformed, "\\\(Unicode.Scalar(byte)) is not a JSON escape", offset: position - 2)
        }
    }

    private mutating func hexQuad() throws(JSONError) -> UInt32 {
        var value: UInt32 = 0
        for _ in 0..<4 {
            guard let byte = current else { throw failure("four hex digits") }
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw failure("four hex digits")
            }
            value = value << 4 | UInt32(digit)
            position += 1
        }
        return value
    }
}
