/// An RFC 4648–style encoding: each character carries a fixed number of bits.
///
/// Covers base2, base8, base16, base32 (all variants) and base64 (all variants). Hand-written
/// rather than Foundation's base64: we need every alphabet and a decoder that rejects
/// non-canonical input, which Foundation's does not.
struct BitAlphabet: Sendable {
    let characters: [UInt8]
    let bitsPerCharacter: Int
    let padded: Bool
    /// Upper- and lower-case letters decode alike (base16, base32).
    let caseInsensitive: Bool
    /// Zero bits that round the input up to whole characters go in front, as if the bytes were
    /// one big number (multibase's base8), rather than at the end (RFC 4648).
    let padsAtFront: Bool
    /// Character value by byte, or −1.
    let values: [Int8]

    init(_ characters: String, padded: Bool = false, caseInsensitive: Bool = false, padsAtFront: Bool = false) {
        let characters = Array(characters.utf8)
        self.characters = characters
        self.bitsPerCharacter = characters.count.trailingZeroBitCount
        self.padded = padded
        self.caseInsensitive = caseInsensitive
        self.padsAtFront = padsAtFront
        var values = [Int8](repeating: -1, count: 256)
        for (value, character) in characters.enumerated() {
            values[Int(character)] = Int8(value)
            if caseInsensitive {
                values[Int(Self.lowercase(character))] = Int8(value)
                values[Int(Self.uppercase(character))] = Int8(value)
            }
        }
        self.values = values
    }

    static let base2 = BitAlphabet("01")
    static let base8 = BitAlphabet("01234567", padsAtFront: true)
    static let base16 = BitAlphabet("0123456789abcdef", caseInsensitive: true)
    static let base16upper = BitAlphabet("0123456789ABCDEF", caseInsensitive: true)
    static let base32hex = BitAlphabet("0123456789abcdefghijklmnopqrstuv", caseInsensitive: true)
    static let base32hexupper = BitAlphabet("0123456789ABCDEFGHIJKLMNOPQRSTUV", caseInsensitive: true)
    static let base32hexpad = BitAlphabet("0123456789abcdefghijklmnopqrstuv", padded: true, caseInsensitive: true)
    static let base32hexpadupper = BitAlphabet(
        "0123456789ABCDEFGHIJKLMNOPQRSTUV",
        padded: true,
        caseInsensitive: true
    )
    static let base32 = BitAlphabet("abcdefghijklmnopqrstuvwxyz234567", caseInsensitive: true)
    static let base32upper = BitAlphabet("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", caseInsensitive: true)
    static let base32pad = BitAlphabet("abcdefghijklmnopqrstuvwxyz234567", padded: true, caseInsensitive: true)
    static let base32padupper = BitAlphabet("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", padded: true, caseInsensitive: true)
    static let base32z = BitAlphabet("ybndrfg8ejkmcpqxot1uwisza345h769")
    static let base64 = BitAlphabet("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")
    static let base64pad = BitAlphabet(
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/",
        padded: true
    )
    static let base64url = BitAlphabet("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
    static let base64urlpad = BitAlphabet(
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_",
        padded: true
    )

    /// Characters per padded group: 8 for base32 (40 bits), 4 for base64 (24 bits).
    private var groupLength: Int {
        switch bitsPerCharacter {
        case 5: 8
        case 6: 4
        default: 1
        }
    }

    func encode(_ bytes: [UInt8]) -> String {
        let bits = bitsPerCharacter
        let mask = UInt32(1 << bits) - 1
        var output: [UInt8] = []
        output.reserveCapacity((bytes.count * 8 + bits - 1) / bits + groupLength)
        var buffer: UInt32 = 0
        var buffered = 0
        if padsAtFront {
            let characterCount = (bytes.count * 8 + bits - 1) / bits
            buffered = characterCount * bits - bytes.count * 8
        }
        for byte in bytes {
            buffer = (buffer << 8) | UInt32(byte)
            buffered += 8
            while buffered >= bits {
                buffered -= bits
                output.append(characters[Int((buffer >> UInt32(buffered)) & mask)])
            }
            buffer &= (1 << UInt32(buffered)) - 1
        }
        if buffered > 0 {
            output.append(characters[Int((buffer << UInt32(bits - buffered)) & mask)])
        }
        if padded {
            while output.count % groupLength != 0 { output.append(UInt8(ascii: "=")) }
        }
        return String(decoding: output, as: UTF8.self)
    }

    func decode(_ input: [UInt8]) throws(MultiformatsError) -> [UInt8] {
        let bits = bitsPerCharacter
        var end = input.count
        if padded {
            if input.count % groupLength != 0 {
                throw MultiformatsError(
                    .invalidPadding,
                    "padded encoding has \(input.count) characters, not a multiple of \(groupLength)"
                )
            }
            while end > 0 && input[end - 1] == UInt8(ascii: "=") { end -= 1 }
            // A group holds at least one byte, so padding never fills a whole group; and the
            // data before the padding must be a length some byte count encodes to.
            let byteCount = end * bits / 8
            if input.count - end >= groupLength || (byteCount * 8 + bits - 1) / bits != end {
                throw MultiformatsError(.invalidPadding, "padding does not fit \(end) data characters", offset: end)
            }
        }
        var output: [UInt8] = []
        output.reserveCapacity(end * bits / 8)
        var buffer: UInt32 = 0
        var buffered = 0
        // With front padding, the first `frontBits` bits read are padding and must be zero.
        let frontBits = padsAtFront ? (end * bits) % 8 : 0
        if frontBits >= bits {
            throw MultiformatsError(.invalidLength, "\(end) characters cannot encode a whole number of bytes")
        }
        for index in 0..<end {
            let character = input[index]
            let value = values[Int(character)]
            if value < 0 {
                if character == UInt8(ascii: "=") {
                    throw MultiformatsError(
                        .invalidPadding,
                        padded ? "padding in the middle of the input" : "padding in an unpadded encoding",
                        offset: index
                    )
                }
                throw MultiformatsError(.invalidCharacter, Self.describe(character), offset: index)
            }
            buffer = (buffer << UInt32(bits)) | UInt32(value)
            buffered += bits
            if index == 0 && frontBits > 0 {
                if buffer >> UInt32(bits - frontBits) != 0 {
                    throw MultiformatsError(.nonCanonicalEncoding, "leading padding bits are not zero", offset: 0)
                }
                buffered -= frontBits
            }
            if buffered >= 8 {
                buffered -= 8
                output.append(UInt8(truncatingIfNeeded: buffer >> UInt32(buffered)))
                buffer &= (1 << UInt32(buffered)) - 1
            }
        }
        if buffered >= bits {
            throw MultiformatsError(.invalidLength, "\(end) characters cannot encode a whole number of bytes")
        }
        if buffer != 0 {
            throw MultiformatsError(.nonCanonicalEncoding, "last character has non-zero unused bits", offset: end - 1)
        }
        return output
    }

    static func describe(_ byte: UInt8) -> String {
        if byte >= 0x20 && byte < 0x7f {
            return "character \"\(Character(Unicode.Scalar(byte)))\" is not in the alphabet"
        }
        return "byte 0x\(String(byte, radix: 16)) is not in the alphabet"
    }

    private static func lowercase(_ c: UInt8) -> UInt8 {
        (c >= UInt8(ascii: "A") && c <= UInt8(ascii: "Z")) ? c + 32 : c
    }

    private static func uppercase(_ c: UInt8) -> UInt8 {
        (c >= UInt8(ascii: "a") && c <= UInt8(ascii: "z")) ? c - 32 : c
    }
}
