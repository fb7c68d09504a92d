/// A big-number encoding: the bytes are read as one base-256 integer and written in base N.
///
/// Covers base10, base36 and base58. Leading zero bytes are written as leading zero digits,
/// one for one, as the multibase and base58 specs require. Conversion works on 32-bit limbs
/// of several digits at a time, so a 100-byte key costs microseconds, but it is still
/// quadratic: inputs are bounded by ``Multibase/maxRadixInputLength``.
struct RadixAlphabet: Sendable {
    let characters: [UInt8]
    let radix: UInt32
    let values: [Int8]
    /// Digits per limb, and radix^digitsPerLimb, the largest power that fits in 32 bits.
    let digitsPerLimb: Int
    let limbBase: UInt64

    init(_ characters: String, caseInsensitive: Bool = false) {
        let characters = Array(characters.utf8)
        self.characters = characters
        self.radix = UInt32(characters.count)
        var values = [Int8](repeating: -1, count: 256)
        for (value, character) in characters.enumerated() {
            values[Int(character)] = Int8(value)
            if caseInsensitive {
                let lower = (character >= 65 && character <= 90) ? character + 32 : character
                let upper = (character >= 97 && character <= 122) ? character - 32 : character
                values[Int(lower)] = Int8(value)
                values[Int(upper)] = Int8(value)
            }
        }
        self.values = values
        var digits = 0
        var power: UInt64 = 1
        while power * UInt64(characters.count) <= UInt64(UInt32.max) {
            power *= UInt64(characters.count)
            digits += 1
        }
        self.digitsPerLimb = digits
        self.limbBase = power
    }

    static let base10 = RadixAlphabet("0123456789")
    static let base36 = RadixAlphabet("0123456789abcdefghijklmnopqrstuvwxyz", caseInsensitive: true)
    static let base36upper = RadixAlphabet("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ", caseInsensitive: true)
    static let base58btc = RadixAlphabet("123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz")
    static let base58flickr = RadixAlphabet("123456789abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ")

    func encode(_ bytes: [UInt8]) -> String {
        let zeros = bytes.prefix(while: { $0 == 0 }).count
        // Little-endian limbs in base limbBase; each input byte multiplies by 256 and adds.
        var limbs: [UInt32] = []
        limbs.reserveCapacity(bytes.count / 3 + 1)
        var index = zeros
        while index < bytes.count {
            // Feed up to 3 bytes at a time: 2^24 × limbBase still fits in 64 bits.
            let take = min(3, bytes.count - index)
            var chunk: UInt64 = 0
            for offset in 0..<take { chunk = chunk << 8 | UInt64(bytes[index + offset]) }
            let multiplier = UInt64(1) << (8 * UInt64(take))
            var carry = chunk
            for limb in 0..<limbs.count {
                let value = UInt64(limbs[limb]) * multiplier + carry
                limbs[limb] = UInt32(value % limbBase)
                carry = value / limbBase
            }
            while carry > 0 {
                limbs.append(UInt32(carry % limbBase))
                carry /= limbBase
            }
            index += take
        }
        var digits: [UInt8] = []
        digits.reserveCapacity(zeros + limbs.count * digitsPerLimb)
        for (position, limb) in limbs.enumerated() {
            var value = limb
            let isLast = position == limbs.count - 1
            var written = 0
            while (isLast && value > 0) || (!isLast && written < digitsPerLimb) {
                digits.append(characters[Int(value % radix)])
                value /= radix
                written += 1
            }
        }
        digits.append(contentsOf: repeatElement(characters[0], count: zeros))
        digits.reverse()
        return String(decoding: digits, as: UTF8.self)
    }

    func decode(_ input: [UInt8]) throws(MultiformatsError) -> [UInt8] {
        if input.count > Multibase.maxRadixInputLength {
            throw MultiformatsError(
                .inputTooLong,
                "\(input.count) characters is over the limit of \(Multibase.maxRadixInputLength) for base\(radix)"
            )
        }
        var digits: [UInt32] = []
        digits.reserveCapacity(input.count)
        for (index, character) in input.enumerated() {
            let value = values[Int(character)]
            if value < 0 {
                throw MultiformatsError(.invalidCharacter, BitAlphabet.describe(character), offset: index)
            }
            digits.append(UInt32(value))
        }
        let zeros = digits.prefix(while: { $0 == 0 }).count
        // Little-endian 32-bit limbs of the value; each group of digits multiplies and adds.
        var limbs: [UInt32] = []
        limbs.reserveCapacity(input.count / 4 + 1)
        var index = zeros
        while index < digits.count {
            let take = min(digitsPerLimb, digits.count - index)
            var chunk: UInt64 = 0
            var multiplier: UInt64 = 1
            for offset in 0..<take {
                chunk = chunk * UInt64(radix) + UInt64(digits[index + offset])
                multiplier *= UInt64(radix)
            }
            var carry = chunk
            for limb in 0..<limbs.count {
                let value = UInt64(limbs[limb]) * multiplier + carry
                limbs[limb] = UInt32(truncatingIfNeeded: value)
                carry = value >> 32
            }
            if carry > 0 { limbs.append(UInt32(carry)) }
            index += take
        }
        var output = [UInt8](repeating: 0, count: zeros)
        output.reserveCapacity(zeros + limbs.count * 4)
        var started = false
        for limb in limbs.reversed() {
            for shift in stride(from: 24, through: 0, by: -8) {
                let byte = UInt8(truncatingIfNeeded: limb >> UInt32(shift))
                if byte != 0 { started = true }
                if started { output.append(byte) }
            }
        }
        return output
    }
}
