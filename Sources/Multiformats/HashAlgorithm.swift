/// A hash function Cairn can compute, with its multihash code and digest length.
public enum HashAlgorithm: String, CaseIterable, Hashable, Sendable {
    /// SHA-256, the default for every CID Cairn makes (SHA-NI accelerated; see ``StreamingHasher``).
    case sha2_256 = "sha2-256"
    /// SHA-512.
    case sha2_512 = "sha2-512"
    /// BLAKE2b with a 32-byte digest, via libsodium.
    case blake2b_256 = "blake2b-256"
    /// The "hash" that is the content itself; for tiny blocks inlined in their CID.
    case identity

    /// Digests of identity multihashes are capped so a CID cannot smuggle a large block;
    /// 128 bytes is the limit kubo enforces too.
    public static let maxIdentityLength = 128

    /// The multicodec code of the function.
    public var code: Multicodec {
        switch self {
        case .sha2_256: .sha2_256
        case .sha2_512: .sha2_512
        case .blake2b_256: .blake2b_256
        case .identity: .identity
        }
    }

    /// The length of a full digest, or nil for identity, whose length is that of the input.
    public var digestLength: Int? {
        switch self {
        case .sha2_256, .blake2b_256: 32
        case .sha2_512: 64
        case .identity: nil
        }
    }

    /// The function with this multicodec code, if Cairn can compute it.
    public init?(code: Multicodec) {
        guard let function = Self.allCases.first(where: { $0.code == code }) else { return nil }
        self = function
    }

    /// The function with this name (`sha2-256`, …).
    public init?(name: String) {
        self.init(rawValue: name)
    }
}
