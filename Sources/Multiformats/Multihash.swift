/// A self-describing digest: varint(function code) ‖ varint(digest length) ‖ digest.
///
/// Spec: multiformats/multihash. Parsing accepts any function code, so a CID made with a hash
/// Cairn cannot compute still parses and prints; but digests of the functions we know must
/// have their full length (we never accept truncated SHA-256), and every digest is bounded.
/// Equality and hashing are on the binary form.
public struct Multihash: Hashable, Sendable, CustomStringConvertible {
    /// Longest digest accepted for a function we do not know (SHA-3/BLAKE variants top out at 64).
    public static let maxUnknownDigestLength = 128

    /// The hash function's multicodec code.
    public let code: Multicodec
    /// The digest bytes.
    public let digest: [UInt8]
    /// The binary multihash.
    public let bytes: [UInt8]

    /// The function as one Cairn can compute, or nil.
    public var algorithm: HashAlgorithm? { HashAlgorithm(code: code) }

    /// Builds a multihash from a function code and a digest, checking the digest's length.
    public init(code: Multicodec, digest: [UInt8]) throws(MultiformatsError) {
        try Self.checkDigestLength(code: code, length: digest.count, offset: nil)
        self.init(validated: code, digest: digest)
    }

    /// Builds a multihash whose digest length is already known to fit its code.
    package init(validated code: Multicodec, digest: [UInt8]) {
        self.code = code
        self.digest = digest
        var bytes = Varint.encode(code.rawValue)
        Varint.encode(UInt64(digest.count), into: &bytes)
        bytes.append(contentsOf: digest)
        self.bytes = bytes
    }

    /// Parses a binary multihash that must fill `bytes` exactly.
    public init(bytes: [UInt8]) throws(MultiformatsError) {
        let (multihash, length) = try Self.decodePrefix(bytes)
        if length != bytes.count {
            throw MultiformatsError(
                .trailingBytes,
                "\(bytes.count - length) bytes after the multihash",
                offset: length
            )
        }
        self = multihash
    }

    /// Parses the multihash at the start of `bytes`, returning it and the bytes it used.
    public static func decodePrefix<Bytes: RandomAccessCollection<UInt8>>(
        _ bytes: Bytes
    ) throws(MultiformatsError) -> (multihash: Multihash, length: Int) where Bytes.Index == Int {
        let start = bytes.startIndex
        let (code, codeLength) = try Varint.decode(bytes)
        let lengthStart = start + codeLength
        let (declared, lengthLength) = try Varint.decodeField(
            bytes[lengthStart...],
            missing: "multihash ends before its digest length",
            offset: codeLength
        )
        let digestStart = lengthStart + lengthLength
        let available = bytes.endIndex - digestStart
        let length = Int(declared)
        try checkDigestLength(code: Multicodec(rawValue: code), length: length, offset: codeLength)
        if available < length {
            throw MultiformatsError(
                .wrongDigestLength,
                "multihash declares a \(length)-byte digest but only \(available) bytes follow",
                offset: digestStart - start
            )
        }
        let digest = Array(bytes[digestStart..<(digestStart + length)])
        return (Multihash(validated: Multicodec(rawValue: code), digest: digest), digestStart + length - start)
    }

    /// Hashes `bytes` in one call.
    public static func hash(_ bytes: UnsafeRawBufferPointer, with algorithm: HashAlgorithm) throws(MultiformatsError)
        -> Multihash
    {
        var hasher = StreamingHasher(algorithm)
        hasher.update(bytes)
        return try hasher.finalize()
    }

    /// Hashes `bytes` in one call.
    public static func hash(_ bytes: [UInt8], with algorithm: HashAlgorithm) throws(MultiformatsError) -> Multihash {
        var hasher = StreamingHasher(algorithm)
        hasher.update(bytes)
        return try hasher.finalize()
    }

    /// The SHA-256 multihash of `bytes`; this cannot fail.
    public static func sha256(_ bytes: UnsafeRawBufferPointer) -> Multihash {
        var hasher = StreamingHasher(.sha2_256)
        hasher.update(bytes)
        // SHA-256 finalization has no failure path; only identity input can be too long.
        return try! hasher.finalize()
    }

    /// The SHA-256 multihash of `bytes`.
    public static func sha256(_ bytes: [UInt8]) -> Multihash {
        bytes.withUnsafeBytes { sha256($0) }
    }

    /// Whether `bytes` hash to this multihash.
    ///
    /// - Throws: `.unsupportedHashFunction` when Cairn cannot compute the function, since
    ///   "cannot check" must not read as either "valid" or "corrupt".
    public func matches(_ bytes: UnsafeRawBufferPointer) throws(MultiformatsError) -> Bool {
        guard let algorithm else {
            throw MultiformatsError(.unsupportedHashFunction, "cannot compute hash function \(code)")
        }
        if algorithm == .identity { return digest.elementsEqual(bytes) }
        return try Self.hash(bytes, with: algorithm) == self
    }

    /// `sha2-256:` followed by the digest in hex.
    public var description: String {
        "\(code.name ?? "0x" + String(code.rawValue, radix: 16)):\(Multibase.base16.encodeWithoutPrefix(digest))"
    }

    private static func checkDigestLength(code: Multicodec, length: Int, offset: Int?) throws(MultiformatsError) {
        if let algorithm = HashAlgorithm(code: code) {
            if let required = algorithm.digestLength, length != required {
                throw MultiformatsError(
                    .wrongDigestLength,
                    "\(algorithm.rawValue) digest must be \(required) bytes, not \(length)",
                    offset: offset
                )
            }
            if algorithm == .identity && length > HashAlgorithm.maxIdentityLength {
                throw MultiformatsError(
                    .inputTooLong,
                    "identity digest of \(length) bytes is over the limit of \(HashAlgorithm.maxIdentityLength)",
                    offset: offset
                )
            }
        } else if length > maxUnknownDigestLength {
            throw MultiformatsError(
                .wrongDigestLength,
                "digest of \(length) bytes is over the limit of \(maxUnknownDigestLength) for hash function \(code)",
                offset: offset
            )
        } else if length == 0 {
            throw MultiformatsError(.wrongDigestLength, "empty digest for hash function \(code)", offset: offset)
        }
    }

    public static func == (lhs: Self, rhs: Self) -> Bool { lhs.bytes == rhs.bytes }
    public func hash(into hasher: inout Hasher) { hasher.combine(bytes) }
}
