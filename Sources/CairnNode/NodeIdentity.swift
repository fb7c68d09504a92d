import Foundation
import Multiformats
public import SodiumKit

/// The node's Ed25519 key pair (libsodium), kept as its 32-byte seed in `<repo>/identity.key`
/// (mode 0600), and the libp2p peer ID derived from it.
///
/// The peer ID is the libp2p form (libp2p peer-ids spec) so that delegated routing answers
/// and multiaddrs read as they do for any IPFS node: the protobuf `PublicKey{Type: Ed25519,
/// Data: key}` (36 bytes), under an identity multihash, printed in base58btc (`12D3KooW…`).
public struct NodeIdentity: Sendable {
    public static let fileName = "identity.key"

    public let privateKey: Ed25519.PrivateKey
    public var publicKey: Ed25519.PublicKey { privateKey.publicKey }

    public init(privateKey: Ed25519.PrivateKey) {
        self.privateKey = privateKey
    }

    /// The peer ID in base58btc, as libp2p prints it.
    public var peerID: String {
        let protobuf: [UInt8] = [0x08, 0x01, 0x12, 0x20] + publicKey.rawRepresentation
        return Multibase.base58btc.encodeWithoutPrefix([0x00, UInt8(protobuf.count)] + protobuf)
    }

    /// Creates `<repository>/identity.key` with a fresh key, or fails if one exists.
    public static func create(repository: String) throws(NodeError) -> NodeIdentity {
        let path = repository + "/" + fileName
        guard !FileManager.default.fileExists(atPath: path) else {
            throw NodeError(.badIdentity, "\(path) already exists; a node keeps its identity")
        }
        let identity = NodeIdentity(privateKey: Ed25519.PrivateKey())
        let created = FileManager.default.createFile(
            atPath: path, contents: Data(identity.privateKey.rawRepresentation),
            attributes: [.posixPermissions: 0o600])
        guard created else { throw NodeError(.ioError, "cannot write \(path)") }
        return identity
    }

    /// Reads `<repository>/identity.key`.
    public static func load(repository: String) throws(NodeError) -> NodeIdentity {
        let path = repository + "/" + fileName
        guard let data = FileManager.default.contents(atPath: path) else {
            throw NodeError(.badIdentity, "\(path) is missing (run `cairn init`)")
        }
        do {
            return NodeIdentity(privateKey: try Ed25519.PrivateKey(rawRepresentation: Array(data)))
        } catch {
            throw NodeError(.badIdentity, "\(path) is not a 32-byte Ed25519 seed: \(error.message)")
        }
    }

    /// Reads the identity, creating it first when the repository has none.
    public static func loadOrCreate(repository: String) throws(NodeError) -> NodeIdentity {
        if FileManager.default.fileExists(atPath: repository + "/" + fileName) {
            return try load(repository: repository)
        }
        return try create(repository: repository)
    }
}
