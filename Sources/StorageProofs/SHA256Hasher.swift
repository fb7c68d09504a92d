import CSHA256

/// SHA-256 for the many short messages of Merkle trees and challenges.
///
/// Hand-written C (`CSHA256`: SHA-NI when the CPU has it, portable C otherwise) rather than
/// swift-crypto here: swift-crypto is as fast on large inputs (Multiformats uses it), but for a
/// 1 KiB leaf or a 65-byte node its per-call setup and allocation cost as much as the hashing,
/// and a tree of a 4 MiB shard is 8,191 such calls.
public enum SHA256Hasher {
    /// Whether the SHA-NI path is in use.
    public static var isAccelerated: Bool { cairn_sha256_accelerated() != 0 }

    /// SHA-256 of `bytes`.
    public static func hash(_ bytes: [UInt8]) -> [UInt8] {
        var digest = [UInt8](repeating: 0, count: 32)
        bytes.withUnsafeBufferPointer { input in
            digest.withUnsafeMutableBufferPointer { cairn_sha256(input.baseAddress, input.count, $0.baseAddress) }
        }
        return digest
    }

    /// SHA-256 of `bytes` by the portable C rounds, whatever the CPU: for testing that path.
    package static func portableHash(_ bytes: [UInt8]) -> [UInt8] {
        var digest = [UInt8](repeating: 0, count: 32)
        bytes.withUnsafeBufferPointer { input in
            digest.withUnsafeMutableBufferPointer {
                cairn_sha256_portable(input.baseAddress, input.count, $0.baseAddress)
            }
        }
        return digest
    }

    /// SHA-256 of one `prefix` byte followed by `bytes`.
    public static func hash(prefix: UInt8, _ bytes: [UInt8]) -> [UInt8] {
        bytes.withUnsafeBytes { hash(prefix: prefix, $0) }
    }

    /// SHA-256 of one `prefix` byte followed by `bytes`.
    public static func hash(prefix: UInt8, _ bytes: UnsafeRawBufferPointer) -> [UInt8] {
        var digest = [UInt8](repeating: 0, count: 32)
        digest.withUnsafeMutableBufferPointer { output in
            cairn_sha256_prefixed(
                prefix, bytes.baseAddress?.assumingMemoryBound(to: UInt8.self), bytes.count, output.baseAddress)
        }
        return digest
    }
}
