import CairnTestSupport
import CodedErrors
import JCS
import Testing

/// RFC 8785: number serialization (Appendix B), string escaping and member order (§3.2.3),
/// and the strict reader beneath it.
@Suite("JSON canonicalization (RFC 8785)")
struct JCSTests {
    /// RFC 8785 Appendix B: IEEE 754 bit patterns and the text ECMAScript writes for them.
    @Test(arguments: [
        ("0000000000000000", "0"), ("8000000000000000", "0"), ("0000000000000001", "5e-324"),
        ("8000000000000001", "-5e-324"), ("7fefffffffffffff", "1.7976931348623157e+308"),
        ("ffefffffffffffff", "-1.7976931348623157e+308"), ("4340000000000000", "9007199254740992"),
        ("c340000000000000", "-9007199254740992"), ("4430000000000000", "295147905179352830000"),
        ("44b52d02c7e14af5", "9.999999999999997e+22"), ("44b52d02c7e14af6", "1e+23"),
        ("44b52d02c7e14af7", "1.0000000000000001e+23"), ("444b1ae4d6e2ef4e", "999999999999999700000"),
        ("444b1ae4d6e2ef4f", "999999999999999900000"), ("444b1ae4d6e2ef50", "1e+21"),
        ("3eb0c6f7a0b5ed8c", "9.999999999999997e-7"), ("3eb0c6f7a0b5ed8d", "0.000001"),
        ("41b3de4355555553", "333333333.3333332"), ("41b3de4355555554", "333333333.33333325"),
        ("41b3de4355555555", "333333333.3333333"), ("41b3de4355555556", "333333333.3333334"),
        ("41b3de4355555557", "333333333.33333343"), ("becbf647612f3696", "-0.0000033333333333333333"),
        ("43143ff3c1cb0959", "1424953923781206.2"),
    ])
    func serializesNumbersAsECMAScriptDoes(bits: String, expected: String) throws {
        let value = Double(bitPattern: UInt64(bits, radix: 16)!)
        #expect(try JCS.serialize(value) == expected)
        // And the text reads back as the same double.
        #expect(try JSONParser.parse(expected) == .number(value))
    }

    @Test func refusesNaNAndInfinities() {
        for value in [Double.nan, .infinity, -.infinity] {
            #expect(throws: JSONError.self) { try JCS.serialize(value) }
        }
    }

    @Test func reproducesTheRFCsExample() throws {
        // RFC 8785 §3.2.3's input (with its escapes) and the canonical output it gives.
        let input = #"""
            {
              "numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],
              "string": "\u20ac$\u000F\u000aA'\u0042\u0022\u005c\\\"\/",
              "literals": [null, true, false]
            }
            """#
        let expected =
            #"{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],"string":"€$\u000f\nA'B\"\\\\\"/"}"#
        #expect(String(decoding: try JCS.canonicalize(json: Array(input.utf8)), as: UTF8.self) == expected)
    }

    @Test func sortsMembersByUTF16CodeUnits() throws {
        // RFC 8785 §3.2.3's sorting example: UTF-16 order puts the emoji (a surrogate pair,
        // 0xD83D…) before U+FB33, though its scalar value is larger.
        let input = #"""
            {"\u20ac": "Euro Sign", "\r": "Carriage Return", "\ufb33": "Hebrew Letter Dalet With Dagesh",
             "1": "One", "\ud83d\ude00": "Emoji: Grinning Face", "\u0080": "Control",
             "\u00f6": "Latin Small Letter O With Diaeresis"}
            """#
        guard case .object(let object) = try JSONParser.parse(input) else {
            Issue.record("not an object")
            return
        }
        let canonical = try JCS.canonicalize(.object(object))
        guard case .object(let reordered) = try JSONParser.parse(canonical) else { return }
        #expect(reordered.keys == ["\r", "1", "\u{80}", "\u{F6}", "\u{20AC}", "\u{1F600}", "\u{FB33}"])
    }

    @Test func escapesOnlyWhatTheRFCAsks() throws {
        let text = "\u{0}\u{1F}\u{7F}\"\\/\u{8}\u{9}\u{A}\u{C}\u{D}é😀"
        let canonical = String(decoding: try JCS.canonicalize(.string(text)), as: UTF8.self)
        #expect(canonical == "\"\\u0000\\u001f\u{7F}\\\"\\\\/\\b\\t\\n\\f\\ré😀\"")
    }

    @Test(arguments: [
        ("", "malformed"), ("{", "malformed"), ("[1,]", "malformed"), ("{\"a\":1,}", "malformed"),
        ("01", "malformed"), ("1.", "malformed"), (".5", "malformed"), ("-", "malformed"), ("1e", "malformed"),
        ("+1", "malformed"), ("'a'", "malformed"), ("tru", "malformed"), ("nul", "malformed"), ("[1] x", "malformed"),
        ("\"a\u{1}\"", "malformed"), ("\"\\x\"", "malformed"), ("\"\\u12\"", "malformed"), ("// c\n1", "malformed"),
        ("NaN", "malformed"), ("{\"a\":1,\"a\":2}", "duplicate-key"), ("1e400", "number-out-of-range"),
        ("-1e400", "number-out-of-range"), ("\"\\ud800\"", "invalid-unicode"), ("\"\\udc00\"", "invalid-unicode"),
        ("\"\\ud800\\u0041\"", "invalid-unicode"), (String(repeating: "[", count: 200), "too-large"),
    ])
    func refusesWhatIsNotIJSON(text: String, code: String) {
        #expect {
            try JSONParser.parse(text)
        } throws: { error in
            (error as? JSONError)?.code.name == code
        }
    }

    @Test func refusesInvalidUTF8() {
        #expect(throws: JSONError.self) { try JSONParser.parse([0x22, 0xC3, 0x28, 0x22]) }
        #expect(throws: JSONError.self) { try JSONParser.parse([0x22, 0xED, 0xA0, 0x80, 0x22]) }  // CESU surrogate
    }

    @Test func readsWhatItShouldAndKeepsOrder() throws {
        let value = try JSONParser.parse(" {\"b\": [1, -0.5e1, true, null], \"a\": \"\\u00e9\\ud83d\\ude00\"} ")
        guard case .object(let object) = value else {
            Issue.record("not an object")
            return
        }
        #expect(object.keys == ["b", "a"])
        #expect(object["a"] == .string("é😀"))
        #expect(object["b"] == .array([.number(1), .number(-5), .bool(true), .null]))
        #expect(String(decoding: try JCS.canonicalize(value), as: UTF8.self) == #"{"a":"é😀","b":[1,-5,true,null]}"#)
    }

    /// Random values survive canonicalize → parse → canonicalize unchanged.
    @Test func canonicalFormIsAFixedPoint() throws {
        var generator = SeededGenerator(seed: 8785)
        func random(_ depth: Int) -> JSONValue {
            switch Int.random(in: 0..<(depth > 3 ? 4 : 6), using: &generator) {
            case 0: return .null
            case 1: return .bool(Bool.random(using: &generator))
            case 2: return .number(Double(bitPattern: UInt64.random(in: 0...0x7FEF_FFFF_FFFF_FFFF, using: &generator)))
            case 3:
                let scalars = (0..<Int.random(in: 0...6, using: &generator)).compactMap { _ in
                    Unicode.Scalar(UInt32.random(in: 0...0x1_0000, using: &generator))
                }
                return .string(String(String.UnicodeScalarView(scalars)))
            case 4: return .array((0..<Int.random(in: 0...4, using: &generator)).map { _ in random(depth + 1) })
            default:
                return .object(
                    JSONObject(
                        (0..<Int.random(in: 0...4, using: &generator)).map { index in ("k\(index)", random(depth + 1)) }
                    ))
            }
        }
        for _ in 0..<300 {
            let value = random(0)
            let canonical = try JCS.canonicalize(value)
            #expect(try JSONParser.parse(canonical) == value)
            #expect(try JCS.canonicalize(json: canonical) == canonical)
        }
    }
}
