/// The JSON Canonicalization Scheme (RFC 8785): the one byte sequence of a JSON value that
/// every conforming implementation produces, for hashing and signing.
///
/// Written to the RFC (no library on the list offers it): no whitespace; object members sorted
/// by their names as arrays of UTF-16 code units; strings with only the escapes RFC 8785 §3.2.2.2
/// asks for (`\"`, `\\`, `\b \t \n \f \r`, and `\u00xx` in lower-case hex for the other control
/// characters), everything else as raw UTF-8; numbers as ECMAScript's Number.prototype.toString
/// writes them (§3.2.2.3), from the shortest digit string that reads back as the same double.
public enum JCS {
    /// The canonical UTF-8 bytes of `value`.
    ///
    /// - Throws: ``JSONError`` `.numberOutOfRange` for NaN or an infinity, which JSON cannot hold.
    public static func canonicalize(_ value: JSONValue) throws(JSONError) -> [UInt8] {
        var output: [UInt8] = []
        try write(value, to: &output)
        return output
    }

    /// The canonical form of JSON text: parsed strictly (``JSONParser``), then canonicalized.
    public static func canonicalize(json: [UInt8]) throws(JSONError) -> [UInt8] {
        try canonicalize(try JSONParser.parse(json))
    }

    private static func write(_ value: JSONValue, to output: inout [UInt8]) throws(JSONError) {
        switch value {
        case .null: output += Array("null".utf8)
        case .bool(let flag): output += Array((flag ? "true" : "false").utf8)
        case .number(let number): output += Array(try serialize(number).utf8)
        case .string(let text): writeString(text, to: &output)
        case .array(let items):
            output.append(UInt8(ascii: "["))
            for (index, item) in items.enumerated() {
                if index > 0 { output.append(UInt8(ascii: ",")) }
                try write(item, to: &output)
            }
            output.append(UInt8(ascii: "]"))
        case .object(let object):
            output.append(UInt8(ascii: "{"))
            let sorted = object.members.sorted { $0.key.utf16.lexicographicallyPrecedes($1.key.utf16) }
            for (index, member) in sorted.enumerated() {
                if index > 0 { output.append(UInt8(ascii: ",")) }
                writeString(member.key, to: &output)
                output.append(UInt8(ascii: ":"))
                try write(member.value, to: &output)
            }
            output.append(UInt8(ascii: "}"))
        }
    }

    static func writeString(_ text: String, to output: inout [UInt8]) {
        output.append(UInt8(ascii: "\""))
        let hex = Array("0123456789abcdef".utf8)
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): output += [UInt8(ascii: "\\"), UInt8(ascii: "\"")]
            case UInt8(ascii: "\\"): output += [UInt8(ascii: "\\"), UInt8(ascii: "\\")]
            case 0x08: output += [UInt8(ascii: "\\"), UInt8(ascii: "b")]
            case 0x09: output += [UInt8(ascii: "\\"), UInt8(ascii: "t")]
            case 0x0A: output += [UInt8(ascii: "\\"), UInt8(ascii: "n")]
            case 0x0C: output += [UInt8(ascii: "\\"), UInt8(ascii: "f")]
            case 0x0D: output += [UInt8(ascii: "\\"), UInt8(ascii: "r")]
            case 0x00..<0x20:
                output += Array("\\u00".utf8) + [hex[Int(byte >> 4)], hex[Int(byte & 0x0F)]]
            default: output.append(byte)
            }
        }
        output.append(UInt8(ascii: "\""))
    }

    /// `number` as ECMAScript's Number::toString writes it (ECMA-262, Number::toString with
    /// radix 10; RFC 8785 §3.2.2.3).
    ///
    /// Swift's `description` already gives the shortest digits that read back as the same
    /// double, choosing the closest when several are as short, which is what ECMAScript asks
    /// for; this takes those digits (s, k of them) and the decimal exponent n (value =
    /// 0.s × 10^n), and lays them out by ECMAScript's rules instead of Swift's.
    public static func serialize(_ number: Double) throws(JSONError) -> String {
        guard number.isFinite else {
            throw JSONError(.numberOutOfRange, "\(number) is not a JSON number")
        }
        if number == 0 { return "0" }  // +0 and -0 alike
        if number < 0 { return "-" + (try serialize(-number)) }
        let (digits, n) = decimalDigits(number)
        let k = digits.count
        if k <= n && n <= 21 {
            return digits + String(repeating: "0", count: n - k)
        }
        if 0 < n && n <= 21 {
            return String(digits.prefix(n)) + "." + String(digits.dropFirst(n))
        }
        if -6 < n && n <= 0 {
            return "0." + String(repeating: "0", count: -n) + digits
        }
        let exponent = n - 1
        let sign = exponent < 0 ? "-" : "+"
        let mantissa = k == 1 ? digits : String(digits.prefix(1)) + "." + String(digits.dropFirst())
        return mantissa + "e" + sign + String(abs(exponent))
    }

    /// The shortest round-trip digits of a positive finite double (no leading or trailing
    /// zeros) and n such that the value is 0.d₁d₂… × 10^n.
    static func decimalDigits(_ number: Double) -> (digits: String, n: Int) {
        // Swift writes "123.45", "1e-07", "1.2345e+21", "5e-324", "0.001", "100.0".
        let text = number.description
        let parts = text.split(separator: "e", maxSplits: 1)
        let exponent = parts.count == 2 ? Int(parts[1])! : 0
        let mantissa = parts[0]
        let pieces = mantissa.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        let integerPart = pieces[0]
        let fractionPart = pieces.count == 2 ? pieces[1] : ""
        var digits = Substring(integerPart + fractionPart)
        var n = integerPart.count + exponent
        while digits.first == "0" {
            digits = digits.dropFirst()
            n -= 1
        }
        while digits.last == "0" { digits = digits.dropLast() }
        return (String(digits), n)
    }
}
