public import JCS
import Multiformats
import ZlibKit

/// A W3C Bitstring Status List: one bit per issued credential (1 = revoked, or suspended, as the
/// list's purpose says), published in a status-list credential as `encodedList`: the
/// bitstring GZIP-compressed, then base64url multibase without padding (`u…`).
///
/// Bit i is bit (7 − i mod 8) of byte i / 8: index 0 is the most significant bit of the first
/// byte. A list holds at least ``minimumEntries`` (131,072, 16 KiB) so one credential's index
/// says little about who holds it; a shorter list is refused with the Recommendation's
/// STATUS_LIST_LENGTH_ERROR (`.statusListLength`).
public struct BitstringStatusList: Hashable, Sendable {
    public static let minimumEntries = 131_072
    /// The largest list Cairn decodes (128 Mi entries): a bound on what a hostile list can
    /// make a verifier allocate.
    public static let maximumBytes = 16 << 20

    public private(set) var bytes: [UInt8]

    /// An all-zero list of `entries` (rounded up to whole bytes, at least the minimum).
    public init(entries: Int = minimumEntries) {
        bytes = [UInt8](repeating: 0, count: (max(entries, Self.minimumEntries) + 7) / 8)
    }

    /// Decodes an `encodedList`.
    ///
    /// - Throws: ``CredentialError`` `.malformed` for text that is not base64url multibase of a
    ///   GZIP member, `.statusListLength` for fewer than 131,072 entries.
    public init(encodedList: String) throws(CredentialError) {
        guard encodedList.hasPrefix("u"),
            let compressed = try? Multibase.base64url.decodeWithoutPrefix(encodedList.dropFirst())
        else { throw CredentialError(.malformed, "encodedList is not base64url multibase (u…)") }
        do { bytes = try Gzip.decompress(compressed, maxOutputSize: Self.maximumBytes) } catch {
            throw CredentialError(.malformed, "encodedList is not a GZIP-compressed bitstring: \(error.message)")
        }
        guard bytes.count * 8 >= Self.minimumEntries else {
            throw CredentialError(
                .statusListLength,
                "STATUS_LIST_LENGTH_ERROR: the list holds \(bytes.count * 8) entries, fewer than \(Self.minimumEntries)"
            )
        }
    }

    public var count: Int { bytes.count * 8 }

    /// The bit at `index`.
    public func isSet(_ index: Int) throws(CredentialError) -> Bool {
        guard index >= 0 && index < count else {
            throw CredentialError(
                .statusIndexOutOfRange, "STATUS_RANGE_ERROR: index \(index) is outside the list's \(count) entries")
        }
        return bytes[index / 8] & (0x80 >> UInt8(index % 8)) != 0
    }

    /// Sets or clears the bit at `index`.
    public mutating func set(_ index: Int, _ value: Bool) throws(CredentialError) {
        guard index >= 0 && index < count else {
            throw CredentialError(
                .statusIndexOutOfRange, "STATUS_RANGE_ERROR: index \(index) is outside the list's \(count) entries")
        }
        let mask: UInt8 = 0x80 >> UInt8(index % 8)
        if value { bytes[index / 8] |= mask } else { bytes[index / 8] &= ~mask }
    }

    /// The `encodedList` form.
    public var encoded: String { Multibase.base64url.encode(Gzip.compress(bytes)) }
}

extension BitstringStatusList {
    /// The unsigned status-list credential publishing this list as `url` for `purpose`
    /// (`revocation` or `suspension`): what an issuer signs and stores
    /// (`Specs/credentials.md`, "The node as issuer").
    public func credential(url: String, purpose: String) -> JSONObject {
        JSONObject([
            ("@context", .array([.string(CredentialShape.baseContext)])), ("id", .string(url)),
            ("type", .array([.string("VerifiableCredential"), .string("BitstringStatusListCredential")])),
            (
                "credentialSubject",
                .object(
                    JSONObject([
                        ("id", .string(url + "#list")), ("type", .string("BitstringStatusList")),
                        ("statusPurpose", .string(purpose)), ("encodedList", .string(encoded)),
                    ]))
            ),
        ])
    }
}
