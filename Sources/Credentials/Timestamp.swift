/// An XML Schema `dateTimeStamp` (a date and time with a time zone): what VC Data Model 2.0's
/// `validFrom`/`validUntil` and Data Integrity's `created`/`expires` hold, e.g.
/// `2023-02-24T23:36:38Z` or `2025-01-01T08:00:00.5+01:00`.
///
/// Parsed by hand (pure, no locale or calendar service): `YYYY-MM-DDThh:mm:ss[.f…](Z|±hh:mm)`,
/// a real date (leap years counted), hours 0–23, minutes and seconds 0–59, offsets up to ±14:00.
/// Compared as instants, so `…T01:00:00+01:00` equals `…T00:00:00Z`.
public struct Timestamp: Comparable, Hashable, Sendable, CustomStringConvertible {
    /// Seconds since 1970-01-01T00:00:00Z.
    public let seconds: Int64
    /// Nanoseconds into that second (digits past the ninth are dropped).
    public let nanoseconds: Int32

    public init(seconds: Int64, nanoseconds: Int32 = 0) {
        self.seconds = seconds
        self.nanoseconds = nanoseconds
    }

    public init(_ text: String) throws(CredentialError) {
        let bytes = Array(text.utf8)
        var position = 0
        func failure() -> CredentialError {
            CredentialError(.malformed, "\"\(text.prefix(40))\" is not an XML Schema dateTimeStamp")
        }
        func number(_ count: Int) throws(CredentialError) -> Int {
            guard position + count <= bytes.count else { throw failure() }
            var value = 0
            for byte in bytes[position..<(position + count)] {
                guard byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") else { throw failure() }
                value = value * 10 + Int(byte - UInt8(ascii: "0"))
            }
            position += count
            return value
        }
        func expect(_ character: Character) throws(CredentialError) {
            guard position < bytes.count, bytes[position] == character.asciiValue! else { throw failure() }
            position += 1
        }
        let year = try number(4)
        try expect("-")
        let month = try number(2)
        try expect("-")
        let day = try number(2)
        try expect("T")
        let hour = try number(2)
        try expect(":")
        let minute = try number(2)
        try expect(":")
        let second = try number(2)
        var nanos = 0
        if position < bytes.count && bytes[position] == UInt8(ascii: ".") {
            position += 1
            let start = position
            while position < bytes.count, bytes[position] >= UInt8(ascii: "0") && bytes[position] <= UInt8(ascii: "9") {
                if position - start < 9 { nanos = nanos * 10 + Int(bytes[position] - UInt8(ascii: "0")) }
                position += 1
            }
            guard position > start else { throw failure() }
            for _ in min(position - start, 9)..<9 { nanos *= 10 }
        }
        var offset = 0
        guard position < bytes.count else { throw failure() }
        if bytes[position] == UInt8(ascii: "Z") {
            position += 1
        } else {
            let sign = bytes[position] == UInt8(ascii: "-") ? -1 : 1
            guard bytes[position] == UInt8(ascii: "+") || bytes[position] == UInt8(ascii: "-") else { throw failure() }
            position += 1
            let offsetHours = try number(2)
            try expect(":")
            let offsetMinutes = try number(2)
            guard offsetHours * 60 + offsetMinutes <= 14 * 60, offsetMinutes < 60 else { throw failure() }
            offset = sign * (offsetHours * 3600 + offsetMinutes * 60)
        }
        guard position == bytes.count, (1...12).contains(month), (1...Self.days(in: month, of: year)).contains(day),
            hour < 24, minute < 60, second < 60
        else { throw failure() }
        let days = Self.daysSinceEpoch(year: year, month: month, day: day)
        self.init(
            seconds: Int64(days) * 86_400 + Int64(hour * 3600 + minute * 60 + second - offset),
            nanoseconds: Int32(nanos))
    }

    /// The UTC form, `YYYY-MM-DDThh:mm:ssZ` (with a fraction when there is one).
    public var description: String {
        let days = Int(seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400)
        let secondOfDay = Int(seconds - Int64(days) * 86_400)
        let (year, month, day) = Self.civil(fromDays: days)
        func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
        var text =
            "\(String(repeating: "0", count: max(0, 4 - String(year).count)))\(year)-\(two(month))-\(two(day))"
            + "T\(two(secondOfDay / 3600)):\(two(secondOfDay / 60 % 60)):\(two(secondOfDay % 60))"
        if nanoseconds > 0 {
            var fraction = String(nanoseconds)
            fraction = String(repeating: "0", count: 9 - fraction.count) + fraction
            while fraction.hasSuffix("0") { fraction.removeLast() }
            text += "." + fraction
        }
        return text + "Z"
    }

    public static func < (lhs: Self, rhs: Self) -> Bool {
        (lhs.seconds, lhs.nanoseconds) < (rhs.seconds, rhs.nanoseconds)
    }

    static func days(in month: Int, of year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Days from 1970-01-01 to a proleptic Gregorian date (H. Hinnant's days_from_civil).
    static func daysSinceEpoch(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The date `days` after 1970-01-01 (civil_from_days, the inverse).
    static func civil(fromDays days: Int) -> (year: Int, month: Int, day: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}
