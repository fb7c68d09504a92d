/// A content identifier: a multihash of some content and the codec that reads it.
///
/// Spec: multiformats/cid, and `Specs/cid.md` for exactly what Cairn accepts and prints.
/// - CIDv1: varint(1) ‖ varint(codec) ‖ multihash; printed in multibase base32 (`b…`).
/// - CIDv0: a bare sha2-256 multihash of a dag-pb block; printed in base58btc with no multibase
///   prefix (`Qm…`). We parse and print it because users paste it; we make v1 by default.
///
/// Two CIDs are equal when their binary forms are: a v0 and the v1 of the same block differ,
/// as they do in every IPFS implementation.
public struct CID: Hashable, Sendable, CustomStringConvertible {
    public enum Version: Int, Hashable, Sendable {
        case v0 = 0
        case v1 = 1
    }

    /// Longest CID string we parse. The longest valid CID we accept (a 128-byte identity digest
    /// in base2) is about 1,200 characters; anything longer is refused before it is decoded.
    public static let maxStringLength = 2_048

    public let version: Version
    /// The content codec (dag-pb for every v0).
    public let codec: Multicodec
    public let multihash: Multihash
    /// The binary form: what is hashed for equality and written into blocks.
    public let bytes: [UInt8]

    /// Builds a CID. A v0 must be dag-pb with a sha2-256 multihash.
    public init(version: Version = .v1, codec: Multicodec, multihash: Multihash) throws(MultiformatsError) {
        switch version {
        case .v0:
            try Self.checkV0(codec: codec, multihash: multihash)
            self.init(validated: .v0, codec: codec, multihash: multihash, bytes: multihash.bytes)
        case .v1:
            self.init(v1: codec, multihash: multihash)
        }
    }

    /// A CIDv1; this cannot fail.
    public init(v1 codec: Multicodec, multihash: Multihash) {
        var bytes = Varint.encode(1)
        Varint.encode(codec.rawValue, into: &bytes)
        bytes.append(contentsOf: multihash.bytes)
        self.init(validated: .v1, codec: codec, multihash: multihash, bytes: bytes)
    }

    /// A CIDv0 for a sha2-256 multihash of a dag-pb block.
    ///
    /// Precondition: `multihash` is a 32-byte sha2-256, as `Multihash.sha256` makes.
    public init(v0 multihash: Multihash) {
        precondition(multihash.code == .sha2_256 && multihash.digest.count == 32, "a CIDv0 needs a sha2-256 multihash")
        self.init(validated: .v0, codec: .dagPB, multihash: multihash, bytes: multihash.bytes)
    }

    private init(validated version: Version, codec: Multicodec, multihash: Multihash, bytes: [UInt8]) {
        self.version = version
        self.codec = codec
        self.multihash = multihash
        self.bytes = bytes
    }

    /// Parses a CID string: `Qm…` (v0) or a multibase-prefixed v1.
    ///
    /// - Throws: ``MultiformatsError``: `.emptyInput`, `.inputTooLong`, `.unknownMultibase`,
    ///   the multibase decoding codes, `.invalidCIDv0` for a v0 in any form but bare base58btc,
    ///   and the binary codes of ``init(bytes:)``.
    public init(_ string: some StringProtocol) throws(MultiformatsError) {
        if string.isEmpty { throw MultiformatsError(.emptyInput, "empty CID string") }
        let length = string.utf8.count
        if length > Self.maxStringLength {
            throw MultiformatsError(
                .inputTooLong,
                "CID string of \(length) bytes is over the limit of \(Self.maxStringLength)"
            )
        }
        if length == 46 && string.hasPrefix("Qm") {
            let bytes = try Multibase.base58btc.decodeWithoutPrefix(string)
            let multihash: Multihash
            do throws(MultiformatsError) {
                multihash = try Multihash(bytes: bytes)
            } catch {
                throw MultiformatsError(.invalidCIDv0, "\"Qm…\" string is not a sha2-256 multihash: \(error.message)")
            }
            try self.init(version: .v0, codec: .dagPB, multihash: multihash)
            return
        }
        let (_, bytes) = try Multibase.decode(string)
        if Self.looksLikeV0(bytes) {
            throw MultiformatsError(
                .invalidCIDv0,
                "a CIDv0 must be written in base58btc without a multibase prefix (Qm…); use its CIDv1 form instead"
            )
        }
        try self.init(bytes: bytes)
    }

    /// Parses a binary CID that must fill `bytes` exactly.
    public init(bytes: [UInt8]) throws(MultiformatsError) {
        let (cid, length) = try Self.decodePrefix(bytes)
        if length != bytes.count {
            throw MultiformatsError(.trailingBytes, "\(bytes.count - length) bytes after the CID", offset: length)
        }
        self = cid
    }

    /// Parses the binary CID at the start of `bytes` (as in a CAR section or a dag-pb link),
    /// returning it and the number of bytes it used.
    public static func decodePrefix<Bytes: RandomAccessCollection<UInt8>>(
        _ bytes: Bytes
    ) throws(MultiformatsError) -> (cid: CID, length: Int) where Bytes.Index == Int {
        if bytes.isEmpty { throw MultiformatsError(.emptyInput, "empty CID") }
        let start = bytes.startIndex
        if looksLikeV0(bytes) {
            let (multihash, length) = try Multihash.decodePrefix(bytes)
            let cid = CID(validated: .v0, codec: .dagPB, multihash: multihash, bytes: multihash.bytes)
            return (cid, length)
        }
        let (version, versionLength) = try Varint.decode(bytes)
        guard version == 1 else {
            throw MultiformatsError(
                .unsupportedCIDVersion,
                version == 0
                    ? "CID version 0 is written as a bare multihash, never with a version number"
                    : "CID version \(version) is not defined (only 0 and 1 are)",
                offset: 0
            )
        }
        let codecStart = start + versionLength
        let (codec, codecLength) = try Varint.decodeField(
            bytes[codecStart...],
            missing: "CID ends before its codec",
            offset: versionLength
        )
        let multihashStart = codecStart + codecLength
        if multihashStart == bytes.endIndex {
            throw MultiformatsError(.truncatedVarint, "CID ends before its multihash", offset: multihashStart - start)
        }
        let (multihash, multihashLength) = try Multihash.decodePrefix(bytes[multihashStart...])
        let length = multihashStart - start + multihashLength
        let cid = CID(
            validated: .v1,
            codec: Multicodec(rawValue: codec),
            multihash: multihash,
            bytes: Array(bytes[start..<(start + length)])
        )
        return (cid, length)
    }

    /// The canonical string: base32 for v1, bare base58btc for v0.
    public var description: String {
        switch version {
        case .v0: Multibase.base58btc.encodeWithoutPrefix(bytes)
        case .v1: Multibase.base32.encode(bytes)
        }
    }

    /// The CID written in `base`. A v0 has only its base58btc form; for any other base this
    /// writes the CIDv1 of the same content, as kubo's `ipfs cid format -b` does.
    public func string(in base: Multibase) -> String {
        if version == .v0 && base == .base58btc { return description }
        return base.encode(toV1().bytes)
    }

    /// The CIDv1 of the same content; a v1 is returned unchanged.
    public func toV1() -> CID {
        version == .v1 ? self : CID(v1: codec, multihash: multihash)
    }

    /// The CIDv0 of the same content.
    ///
    /// - Throws: `.invalidCIDv0` unless the codec is dag-pb and the hash a full sha2-256.
    public func toV0() throws(MultiformatsError) -> CID {
        if version == .v0 { return self }
        return try CID(version: .v0, codec: codec, multihash: multihash)
    }

    private static func checkV0(codec: Multicodec, multihash: Multihash) throws(MultiformatsError) {
        guard codec == .dagPB else {
            throw MultiformatsError(.invalidCIDv0, "a CIDv0 can only name dag-pb content, not \(codec)")
        }
        guard multihash.code == .sha2_256, multihash.digest.count == 32 else {
            throw MultiformatsError(
                .invalidCIDv0,
                "a CIDv0 can only use a 32-byte sha2-256 multihash, not \(multihash.code)"
            )
        }
    }

    /// A binary v0 is a sha2-256 multihash: 0x12 0x20 and 32 bytes. No v1 starts with 0x12,
    /// since 0x12 would be its version.
    private static func looksLikeV0<Bytes: RandomAccessCollection<UInt8>>(_ bytes: Bytes) -> Bool
    where Bytes.Index == Int {
        bytes.count >= 2 && bytes[bytes.startIndex] == 0x12 && bytes[bytes.startIndex + 1] == 0x20
    }

    public static func == (lhs: Self, rhs: Self) -> Bool { lhs.bytes == rhs.bytes }
    public func hash(into hasher: inout Hasher) { hasher.combine(bytes) }
}
