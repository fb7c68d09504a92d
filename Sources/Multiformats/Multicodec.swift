/// A code from the multicodec table: it names a content codec, a hash function or a key type.
///
/// Any code parses (a CID may name a codec Cairn cannot decode and still be resolved, printed
/// and converted); the constants below are the ones Cairn uses, with the table's names.
public struct Multicodec: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: UInt64

    public init(rawValue: UInt64) { self.rawValue = rawValue }

    // Hash functions.
    public static let identity = Multicodec(rawValue: 0x00)
    public static let sha1 = Multicodec(rawValue: 0x11)
    public static let sha2_256 = Multicodec(rawValue: 0x12)
    public static let sha2_512 = Multicodec(rawValue: 0x13)
    public static let blake3 = Multicodec(rawValue: 0x1e)
    public static let blake2b_256 = Multicodec(rawValue: 0xb220)

    // Content codecs.
    public static let cbor = Multicodec(rawValue: 0x51)
    public static let raw = Multicodec(rawValue: 0x55)
    public static let dagPB = Multicodec(rawValue: 0x70)
    public static let dagCBOR = Multicodec(rawValue: 0x71)
    public static let libp2pKey = Multicodec(rawValue: 0x72)
    public static let dagJSON = Multicodec(rawValue: 0x0129)
    public static let json = Multicodec(rawValue: 0x0200)

    // Keys.
    public static let ed25519Pub = Multicodec(rawValue: 0xed)

    private static let names: [UInt64: String] = [
        0x00: "identity", 0x11: "sha1", 0x12: "sha2-256", 0x13: "sha2-512", 0x1e: "blake3",
        0xb220: "blake2b-256", 0x51: "cbor", 0x55: "raw", 0x70: "dag-pb", 0x71: "dag-cbor",
        0x72: "libp2p-key", 0x0129: "dag-json", 0x0200: "json", 0xed: "ed25519-pub",
    ]

    /// The table's name for the code (`dag-pb`, `sha2-256`), or nil for a code we do not list.
    public var name: String? { Self.names[rawValue] }

    /// The code with the table's name, for the codes we list.
    public init?(name: String) {
        guard let code = Self.names.first(where: { $0.value == name })?.key else { return nil }
        self.init(rawValue: code)
    }

    /// `dag-pb (0x70)`, or just the hex code when the name is unknown.
    public var description: String {
        let hex = "0x" + String(rawValue, radix: 16)
        guard let name else { return hex }
        return "\(name) (\(hex))"
    }
}
