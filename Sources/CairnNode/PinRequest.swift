public import Foundation

/// A Pinning Service API pin request (the spec's `PinStatus`): what was asked, and how far it got.
///
/// Stored as JSON under `r` ‖ request id; `created` is kept in milliseconds so the API's RFC 3339
/// timestamps (`2020-07-27T17:32:28.276Z`) round-trip exactly, which `before`/`after` paging
/// relies on.
public struct PinRequest: Codable, Sendable, Hashable {
    public enum Status: String, Codable, Sendable, CaseIterable {
        case queued, pinning, pinned, failed
    }

    /// The spec's `Pin` object.
    public struct Pin: Codable, Sendable, Hashable {
        public var cid: String
        public var name: String?
        public var origins: [String]?
        public var meta: [String: String]?

        public init(cid: String, name: String? = nil, origins: [String]? = nil, meta: [String: String]? = nil) {
            self.cid = cid
            self.name = name
            self.origins = origins
            self.meta = meta
        }
    }

    public var requestid: String
    public var status: Status
    /// Milliseconds since the Unix epoch.
    public var createdMilliseconds: Int64
    public var pin: Pin
    public var info: [String: String]?

    public var created: Date { Date(timeIntervalSince1970: Double(createdMilliseconds) / 1000) }
}

/// RFC 3339 timestamps with milliseconds, as the Pinning Service API writes them.
enum Timestamp {
    static func format(milliseconds: Int64) -> String {
        let seconds = milliseconds.quotientAndRemainder(dividingBy: 1000)
        var wholeSeconds = seconds.quotient
        var millis = seconds.remainder
        if millis < 0 {
            millis += 1000
            wholeSeconds -= 1
        }
        let date = Date(timeIntervalSince1970: TimeInterval(wholeSeconds))
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        let text = formatter.string(from: date)  // yyyy-MM-ddTHH:mm:ssZ
        return String(text.dropLast()) + "." + String(millis).leftPadded(to: 3) + "Z"
    }

    /// Parses an RFC 3339 date-time, with or without fractional seconds, in any offset.
    static func parse(_ text: String) -> Int64? {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let date = formatter.date(from: text) { return Int64((date.timeIntervalSince1970 * 1000).rounded()) }
        formatter.formatOptions = [.withInternetDateTime]
        if let date = formatter.date(from: text) { return Int64((date.timeIntervalSince1970 * 1000).rounded()) }
        return nil
    }
}
