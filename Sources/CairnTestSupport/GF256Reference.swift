/// GF(2^8) modulo x^8 + x^4 + x^3 + x^2 + 1 (0x11d), bit by bit: the independent reference the
/// erasure-coding tests check ISA-L and the GFNI kernel against.
public enum GF256Reference {
    public static func multiply(_ a: UInt8, _ b: UInt8) -> UInt8 {
        var (a, b, product) = (a, b, UInt8(0))
        while b != 0 {
            if b & 1 != 0 { product ^= a }
            let carry = a & 0x80 != 0
            a <<= 1
            if carry { a ^= 0x1d }
            b >>= 1
        }
        return product
    }

    /// 1 / a for a ≠ 0, found by search (the search is the point, not speed).
    public static func inverse(_ a: UInt8) -> UInt8 { inverses[Int(a)] }

    private static let inverses: [UInt8] = (0...255).map { a in
        a == 0 ? 0 : (1...255).map(UInt8.init).first { multiply(UInt8(a), $0) == 1 }!
    }
}
