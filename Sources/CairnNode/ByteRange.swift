import Foundation

/// A single byte range from a `Range` header (RFC 9110 §14.1.2), resolved against a length.
///
/// Only single ranges are served; a multi-range request gets the whole representation (200),
/// which RFC 9110 allows.
enum ByteRange {
    enum Outcome: Equatable {
        /// No usable range: send everything.
        case whole
        case partial(Range<UInt64>)
        /// 416: the range starts past the end.
        case unsatisfiable
    }

    static func resolve(_ header: String?, length: UInt64) -> Outcome {
        guard let header else { return .whole }
        let trimmed = header.trimmingCharacters(in: .whitespaces)
        guard trimmed.lowercased().hasPrefix("bytes=") else { return .whole }
        let spec = trimmed.dropFirst(6)
        guard !spec.contains(",") else { return .whole }
        let parts = spec.split(separator: "-", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count == 2 else { return .whole }
        let first = parts[0].trimmingCharacters(in: .whitespaces)
        let last = parts[1].trimmingCharacters(in: .whitespaces)
        if first.isEmpty {
            // A suffix: the last N bytes.
            guard let suffix = UInt64(last), suffix > 0 else { return last == "0" ? .unsatisfiable : .whole }
            if length == 0 { return .unsatisfiable }
            return .partial((length - min(suffix, length))..<length)
        }
        guard let start = UInt64(first) else { return .whole }
        guard start < length else { return .unsatisfiable }
        if last.isEmpty { return .partial(start..<length) }
        guard let end = UInt64(last), end >= start else { return .whole }
        return .partial(start..<(min(end, length - 1) + 1))
    }
}
