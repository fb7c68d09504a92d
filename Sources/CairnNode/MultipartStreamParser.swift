/// A streaming `multipart/form-data` parser (RFC 7578, RFC 2046 §5.1): bytes in, in pieces of
/// any size; part headers, body pieces and part ends out.
///
/// Hand-written rather than MultipartKit's: MultipartKit 4.7.1 indexes a 128-entry table with
/// any header byte, so one byte ≥ 0x80 in a part header crashed the whole node (found by
/// schemathesis). This parser bounds every header section, accepts only ASCII header names,
/// and never holds more than one delimiter's length of body back.
struct MultipartStreamParser {
    enum Event: Equatable {
        case headers([(name: String, value: String)])
        case body([UInt8])
        case partEnd
        case end

        static func == (lhs: Event, rhs: Event) -> Bool {
            switch (lhs, rhs) {
            case (.headers(let a), .headers(let b)): a.map(\.name) == b.map(\.name) && a.map(\.value) == b.map(\.value)
            case (.body(let a), .body(let b)): a == b
            case (.partEnd, .partEnd), (.end, .end): true
            default: false
            }
        }
    }

    struct Failure: Error, Equatable {
        let reason: String
    }

    static let maxHeaderBytes = 16 << 10

    private enum State {
        /// Before the first delimiter (anything there is preamble).
        case preamble
        /// After a delimiter: `--` ends the body, CRLF starts a part.
        case afterDelimiter
        case headers
        case body
        case epilogue
    }

    /// `--boundary`, as the first delimiter appears (no CRLF before it).
    private let dashBoundary: [UInt8]
    /// CRLF `--boundary`: the delimiter inside the body.
    private let delimiter: [UInt8]
    private var state = State.preamble
    private var buffer: [UInt8] = []

    init(boundary: String) {
        dashBoundary = Array("--\(boundary)".utf8)
        delimiter = [0x0D, 0x0A] + dashBoundary
    }

    var isFinished: Bool {
        if case .epilogue = state { return true }
        return false
    }

    /// Parses the next bytes, returning what they complete.
    mutating func feed(_ bytes: some Collection<UInt8>) throws(Failure) -> [Event] {
        buffer.append(contentsOf: bytes)
        var events: [Event] = []
        var position = 0
        loop: while true {
            switch state {
            case .preamble:
                // The body starts with the delimiter (no CRLF before the first one) or has a preamble.
                if buffer.count - position >= dashBoundary.count,
                    buffer[position..<(position + dashBoundary.count)].elementsEqual(dashBoundary)
                {
                    position += dashBoundary.count
                    state = .afterDelimiter
                } else if let found = Self.find(delimiter, in: buffer, from: position) {
                    position = found + delimiter.count
                    state = .afterDelimiter
                } else {
                    position = max(position, buffer.count - delimiter.count + 1)
                    break loop
                }
            case .afterDelimiter:
                guard buffer.count - position >= 2 else { break loop }
                if buffer[position] == UInt8(ascii: "-") && buffer[position + 1] == UInt8(ascii: "-") {
                    position += 2
                    events.append(.end)
                    state = .epilogue
                } else if buffer[position] == 0x0D && buffer[position + 1] == 0x0A {
                    position += 2
                    state = .headers
                } else {
                    throw Failure(reason: "a multipart delimiter is followed by neither CRLF nor --")
                }
            case .headers:
                guard let end = Self.find([0x0D, 0x0A, 0x0D, 0x0A], in: buffer, from: position) else {
                    guard buffer.count - position <= Self.maxHeaderBytes else {
                        throw Failure(reason: "a part's headers are larger than \(Self.maxHeaderBytes) bytes")
                    }
                    // A part with no headers at all starts with the blank line directly.
                    if buffer.count - position >= 2 && buffer[position] == 0x0D && buffer[position + 1] == 0x0A {
                        position += 2
                        events.append(.headers([]))
                        state = .body
                        continue loop
                    }
                    break loop
                }
                guard end - position <= Self.maxHeaderBytes else {
                    throw Failure(reason: "a part's headers are larger than \(Self.maxHeaderBytes) bytes")
                }
                events.append(.headers(try Self.parseHeaders(buffer[position..<end])))
                position = end + 4
                state = .body
            case .body:
                if let found = Self.find(delimiter, in: buffer, from: position) {
                    if found > position { events.append(.body(Array(buffer[position..<found]))) }
                    events.append(.partEnd)
                    position = found + delimiter.count
                    state = .afterDelimiter
                } else {
                    // Hold back what could be the start of a delimiter split across pieces.
                    let safe = buffer.count - (delimiter.count - 1)
                    if safe > position {
                        events.append(.body(Array(buffer[position..<safe])))
                        position = safe
                    }
                    break loop
                }
            case .epilogue:
                position = buffer.count
                break loop
            }
        }
        buffer.removeFirst(min(position, buffer.count))
        return events
    }

    /// Header lines `Name: value`; names are ASCII tokens, values UTF-8 (as browsers send
    /// file names), folded lines refused.
    static func parseHeaders(_ bytes: ArraySlice<UInt8>) throws(Failure) -> [(name: String, value: String)] {
        var headers: [(name: String, value: String)] = []
        var lines: [ArraySlice<UInt8>] = []
        var start = bytes.startIndex
        var index = bytes.startIndex
        while index < bytes.endIndex {
            if bytes[index] == 0x0D, index + 1 < bytes.endIndex, bytes[index + 1] == 0x0A {
                lines.append(bytes[start..<index])
                index += 2
                start = index
            } else {
                index += 1
            }
        }
        if start < bytes.endIndex { lines.append(bytes[start..<bytes.endIndex]) }
        for line in lines {
            guard let colon = line.firstIndex(of: UInt8(ascii: ":")), colon > line.startIndex else {
                throw Failure(reason: "a part header line has no name")
            }
            let name = line[line.startIndex..<colon]
            guard name.allSatisfy({ $0 > 0x20 && $0 < 0x7F && $0 != UInt8(ascii: ":") }) else {
                throw Failure(reason: "a part header name holds a character outside ASCII tokens")
            }
            let rawValue = line[(colon + 1)...].drop { $0 == 0x20 || $0 == 0x09 }
            guard let value = String(validating: rawValue, as: UTF8.self) else {
                throw Failure(reason: "a part header value is not UTF-8")
            }
            headers.append((String(decoding: name, as: UTF8.self).lowercased(), value))
        }
        return headers
    }

    static func find(_ needle: [UInt8], in haystack: [UInt8], from start: Int) -> Int? {
        guard let first = needle.first, haystack.count - start >= needle.count else { return nil }
        var index = start
        let last = haystack.count - needle.count
        while index <= last {
            if haystack[index] == first && haystack[index..<(index + needle.count)].elementsEqual(needle) {
                return index
            }
            index += 1
        }
        return nil
    }
}
