import Testing

@testable import CairnNode

/// The multipart parser: the same events however the body is cut, and bad bodies refused.
@Suite("Multipart stream parser")
struct MultipartStreamParserTests {
    static let body = Array(
        ("preamble\r\n--xyz\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a/b.txt\"\r\n"
            + "Content-Type: text/plain\r\n\r\nhello\r\n--xy not quite\r\n--xyz\r\n"
            + "Content-Disposition: form-data; name=\"file\"; filename=\"ü.bin\"\r\n\r\n\r\n--x\r\n--xyz--\r\nepilogue")
            .utf8)

    static func parse(_ body: [UInt8], cut: Int) throws -> [MultipartStreamParser.Event] {
        var parser = MultipartStreamParser(boundary: "xyz")
        var events = try parser.feed(body.prefix(cut))
        events += try parser.feed(body.dropFirst(cut))
        #expect(parser.isFinished)
        // Join adjacent body pieces, which depend on where the body was cut.
        var joined: [MultipartStreamParser.Event] = []
        for event in events {
            if case .body(let more) = event, case .body(let bytes)? = joined.last {
                joined[joined.count - 1] = .body(bytes + more)
            } else {
                joined.append(event)
            }
        }
        return joined
    }

    @Test func givesTheSameEventsWhereverTheBodyIsCut() throws {
        let whole = try Self.parse(Self.body, cut: Self.body.count)
        #expect(
            whole == [
                .headers([
                    ("content-disposition", "form-data; name=\"file\"; filename=\"a/b.txt\""),
                    ("content-type", "text/plain"),
                ]),
                .body(Array("hello\r\n--xy not quite".utf8)), .partEnd,
                .headers([("content-disposition", "form-data; name=\"file\"; filename=\"ü.bin\"")]),
                .body(Array("\r\n--x".utf8)), .partEnd, .end,
            ])
        for cut in 0...Self.body.count { #expect(try Self.parse(Self.body, cut: cut) == whole, "cut at \(cut)") }
    }

    @Test(arguments: [
        "--xyz\r\n\u{C7}x: y\r\n\r\nbody\r\n--xyz--",  // a header name byte ≥ 0x80 (crashed MultipartKit)
        "--xyz\r\nno colon here\r\n\r\nbody\r\n--xyz--",
        "--xyz\r\n: empty name\r\n\r\nbody\r\n--xyz--",
        "--xyzGARBAGE",
    ])
    func refusesMalformedBodies(text: String) {
        var parser = MultipartStreamParser(boundary: "xyz")
        #expect(throws: MultipartStreamParser.Failure.self) { _ = try parser.feed(Array(text.utf8)) }
    }

    @Test func boundsHeadersAndNoticesAMissingEnd() throws {
        var parser = MultipartStreamParser(boundary: "xyz")
        #expect(throws: MultipartStreamParser.Failure.self) {
            _ = try parser.feed(Array("--xyz\r\nX-Big: \(String(repeating: "a", count: 20_000))".utf8))
        }
        var truncated = MultipartStreamParser(boundary: "xyz")
        _ = try truncated.feed(Array("--xyz\r\nContent-Type: a\r\n\r\npartial body".utf8))
        #expect(!truncated.isFinished)
    }
}
