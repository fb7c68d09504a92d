public import Multiformats

/// A block: bytes and the CID that names them.
///
/// Building a `Block` from bytes and a codec hashes them, so its CID is right by construction;
/// ``init(verifying:bytes:)`` is for bytes that arrive with a claimed CID (from a CAR, a peer,
/// the disk) and checks the claim.
public struct Block: Hashable, Sendable {
    public let cid: CID
    public let bytes: [UInt8]

    /// Hashes `bytes` with sha2-256 and names them with a CIDv1 of `codec`.
    public init(codec: Multicodec, bytes: [UInt8]) {
        self.cid = CID(v1: codec, multihash: Multihash.sha256(bytes))
        self.bytes = bytes
    }

    /// Pairs `bytes` with a CID computed by the caller from exactly these bytes.
    package init(unchecked cid: CID, bytes: [UInt8]) {
        self.cid = cid
        self.bytes = bytes
    }

    /// Accepts `bytes` as the block `cid` names, after checking that they hash to it.
    ///
    /// - Throws: ``IPLDError`` `.invalidLink` when they do not, or when the CID's hash function
    ///   is one Cairn cannot compute.
    public init(verifying cid: CID, bytes: [UInt8]) throws(IPLDError) {
        let matches: Bool
        do {
            matches = try bytes.withUnsafeBytes { try cid.multihash.matches($0) }
        } catch {
            throw IPLDError(.invalidLink, "cannot check block \(cid): \(error)")
        }
        guard matches else {
            throw IPLDError(.invalidLink, "block bytes do not hash to \(cid)")
        }
        self.cid = cid
        self.bytes = bytes
    }
}
