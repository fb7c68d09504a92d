/// A multibase encoding: a prefix character that names how the rest of a string encodes bytes.
///
/// Spec: multiformats/multibase (the `multibase.csv` table). We read and write every base
/// below; `base256emoji`, `proquint`, `base45` and `identity` are refused as unknown, because
/// nothing Cairn exchanges uses them. Decoders are strict: characters outside the alphabet,
/// impossible lengths, misplaced padding and non-zero trailing bits are all errors, so a string
/// decodes only if an encoder could have produced it (up to letter case, which the spec lets
/// base16, base32 and base36 readers ignore).
public enum Multibase: String, CaseIterable, Hashable, Sendable {
    case base2
    case base8
    case base10
    case base16
    case base16upper
    case base32hex
    case base32hexupper
    case base32hexpad
    case base32hexpadupper
    case base32
    case base32upper
    case base32pad
    case base32padupper
    case base32z
    case base36
    case base36upper
    case base58flickr
    case base58btc
    case base64
    case base64pad
    case base64url
    case base64urlpad

    /// Radix (base10, base36, base58) decoding is quadratic in the input, so we bound it; this is
    /// far above any key or CID.
    public static let maxRadixInputLength = 8 * 1024

    /// The spec's name for the encoding, such as `base58btc`.
    public var name: String { rawValue }

    /// The character that starts a string in this encoding.
    public var prefix: Character {
        switch self {
        case .base2: "0"
        case .base8: "7"
        case .base10: "9"
        case .base16: "f"
        case .base16upper: "F"
        case .base32hex: "v"
        case .base32hexupper: "V"
        case .base32hexpad: "t"
        case .base32hexpadupper: "T"
        case .base32: "b"
        case .base32upper: "B"
        case .base32pad: "c"
        case .base32padupper: "C"
        case .base32z: "h"
        case .base36: "k"
        case .base36upper: "K"
        case .base58flickr: "Z"
        case .base58btc: "z"
        case .base64: "m"
        case .base64pad: "M"
        case .base64url: "u"
        case .base64urlpad: "U"
        }
    }

    /// The encoding a prefix character names, if we support it.
    public init?(prefix: Character) {
        guard let base = Self.allCases.first(where: { $0.prefix == prefix }) else { return nil }
        self = base
    }

    /// The encoding with the spec's name (`base32`, `base58btc`, …), if we support it.
    public init?(name: String) {
        self.init(rawValue: name)
    }

    /// Encodes `bytes` and puts the prefix in front.
    public func encode<Bytes: Collection<UInt8>>(_ bytes: Bytes) -> String {
        String(prefix) + encodeWithoutPrefix(bytes)
    }

    /// Encodes `bytes` with no prefix (the form a CIDv0 uses, for example).
    public func encodeWithoutPrefix<Bytes: Collection<UInt8>>(_ bytes: Bytes) -> String {
        switch alphabet {
        case .bits(let alphabet): alphabet.encode(Array(bytes))
        case .radix(let alphabet): alphabet.encode(Array(bytes))
        }
    }

    /// Decodes a multibase string: reads its prefix, then decodes the rest.
    ///
    /// - Throws: ``MultiformatsError`` with `.emptyInput`, `.unknownMultibase`, or any code of
    ///   ``decodeWithoutPrefix(_:)``.
    public static func decode(_ string: some StringProtocol) throws(MultiformatsError) -> (
        base: Multibase, bytes: [UInt8]
    ) {
        guard let first = string.first else {
            throw MultiformatsError(.emptyInput, "empty multibase string")
        }
        guard let base = Multibase(prefix: first) else {
            throw MultiformatsError(
                .unknownMultibase,
                "unknown multibase prefix \"\(first.unicodeScalars.map { "U+" + String($0.value, radix: 16, uppercase: true) }.joined())\"",
                offset: 0
            )
        }
        do throws(MultiformatsError) {
            return (base, try base.decodeWithoutPrefix(string.dropFirst()))
        } catch {
            // Count offsets from the start of the whole string, prefix included.
            throw MultiformatsError(error.code, error.message, offset: error.offset.map { $0 + first.utf8.count })
        }
    }

    /// Decodes a string in this encoding that carries no prefix.
    ///
    /// - Throws: ``MultiformatsError`` with `.invalidCharacter`, `.invalidLength`,
    ///   `.invalidPadding`, `.nonCanonicalEncoding` or `.inputTooLong`. Offsets count UTF-8
    ///   bytes from the start of `string`.
    public func decodeWithoutPrefix(_ string: some StringProtocol) throws(MultiformatsError) -> [UInt8] {
        let utf8 = Array(string.utf8)
        switch alphabet {
        case .bits(let alphabet): return try alphabet.decode(utf8)
        case .radix(let alphabet): return try alphabet.decode(utf8)
        }
    }
}

extension Multibase {
    private enum Alphabet {
        case bits(BitAlphabet)
        case radix(RadixAlphabet)
    }

    private var alphabet: Alphabet {
        switch self {
        case .base2: .bits(.base2)
        case .base8: .bits(.base8)
        case .base10: .radix(.base10)
        case .base16: .bits(.base16)
        case .base16upper: .bits(.base16upper)
        case .base32hex: .bits(.base32hex)
        case .base32hexupper: .bits(.base32hexupper)
        case .base32hexpad: .bits(.base32hexpad)
        case .base32hexpadupper: .bits(.base32hexpadupper)
        case .base32: .bits(.base32)
        case .base32upper: .bits(.base32upper)
        case .base32pad: .bits(.base32pad)
        case .base32padupper: .bits(.base32padupper)
        case .base32z: .bits(.base32z)
        case .base36: .radix(.base36)
        case .base36upper: .radix(.base36upper)
        case .base58flickr: .radix(.base58flickr)
        case .base58btc: .radix(.base58btc)
        case .base64: .bits(.base64)
        case .base64pad: .bits(.base64pad)
        case .base64url: .bits(.base64url)
        case .base64urlpad: .bits(.base64urlpad)
        }
    }
}
