public import Multiformats

/// A value of the IPLD data model: what dag-cbor (and dag-json, dag-pb) blocks decode to.
///
/// Integers span what CBOR can carry, −2^64 … 2^64 − 1, hence `Int128`. Strings compare by their
/// UTF-8 bytes, not by Swift's Unicode equivalence: two blocks that differ in one byte are
/// different values. Maps keep their entries in dag-cbor's canonical key order.
public enum IPLDValue: Hashable, Sendable {
    case null
    case bool(Bool)
    case integer(Int128)
    case float(Double)
    case string(String)
    case bytes([UInt8])
    case list([IPLDValue])
    case map(IPLDMap)
    case link(CID)

    /// The smallest and largest integers the data model holds here (CBOR's range).
    public static let integerRange: ClosedRange<Int128> = -(Int128(1) << 64)...(Int128(1) << 64) - 1

    public static func == (lhs: IPLDValue, rhs: IPLDValue) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): true
        case (.bool(let a), .bool(let b)): a == b
        case (.integer(let a), .integer(let b)): a == b
        // Bit patterns: -0.0 and 0.0 encode differently, so they are different values.
        case (.float(let a), .float(let b)): a.bitPattern == b.bitPattern
        case (.string(let a), .string(let b)): a.utf8.elementsEqual(b.utf8)
        case (.bytes(let a), .bytes(let b)): a == b
        case (.list(let a), .list(let b)): a == b
        case (.map(let a), .map(let b)): a == b
        case (.link(let a), .link(let b)): a == b
        default: false
        }
    }

    public func hash(into hasher: inout Hasher) {
        switch self {
        case .null: hasher.combine(0)
        case .bool(let value): hasher.combine(value)
        case .integer(let value): hasher.combine(value)
        case .float(let value): hasher.combine(value.bitPattern)
        case .string(let value): hasher.combine(Array(value.utf8))
        case .bytes(let value): hasher.combine(value)
        case .list(let value): hasher.combine(value)
        case .map(let value): hasher.combine(value)
        case .link(let value): hasher.combine(value)
        }
    }
}

/// An IPLD map: string keys, each once, kept in dag-cbor's canonical order (shorter keys first,
/// then bytewise), so equal maps have equal entry lists.
public struct IPLDMap: Hashable, Sendable, Sequence {
    public struct Entry: Hashable, Sendable {
        public let key: String
        public let value: IPLDValue

        public static func == (lhs: Entry, rhs: Entry) -> Bool {
            lhs.key.utf8.elementsEqual(rhs.key.utf8) && lhs.value == rhs.value
        }

        public func hash(into hasher: inout Hasher) {
            hasher.combine(Array(key.utf8))
            hasher.combine(value)
        }
    }

    public private(set) var entries: [Entry]

    /// A map of `pairs`; the last value wins when a key repeats.
    public init(_ pairs: [(String, IPLDValue)]) {
        var entries: [Entry] = []
        for (key, value) in pairs {
            if let index = entries.firstIndex(where: { $0.key.utf8.elementsEqual(key.utf8) }) {
                entries[index] = Entry(key: key, value: value)
            } else {
                entries.append(Entry(key: key, value: value))
            }
        }
        self.entries = entries.sorted { Self.canonicalOrder($0.key, $1.key) }
    }

    /// Entries already in canonical order with no repeated key.
    package init(canonicalEntries entries: [Entry]) {
        self.entries = entries
    }

    public var count: Int { entries.count }

    public subscript(key: String) -> IPLDValue? {
        entries.first { $0.key.utf8.elementsEqual(key.utf8) }?.value
    }

    public func makeIterator() -> IndexingIterator<[Entry]> { entries.makeIterator() }

    /// dag-cbor's key order (RFC 7049 canonical CBOR): shorter UTF-8 first, then bytewise.
    public static func canonicalOrder(_ a: String, _ b: String) -> Bool {
        let (x, y) = (a.utf8, b.utf8)
        if x.count != y.count { return x.count < y.count }
        return x.lexicographicallyPrecedes(y)
    }
}
