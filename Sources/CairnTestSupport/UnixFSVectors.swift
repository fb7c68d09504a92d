import Crypto
import SodiumKit

/// Inputs of the published UnixFS vectors (shared/vectors/ipfs/unixfs-cids.json, "_about").
public enum UnixFSVectors {
    /// sha256(b'ipfs-anchor' || uint64_be(i)) for i = 0, 1, 2, … cut to `length`.
    public static func sha256Counter(length: Int) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(length + 32)
        var counter: UInt64 = 0
        while output.count < length {
            var block = Array("ipfs-anchor".utf8)
            withUnsafeBytes(of: counter.bigEndian) { block.append(contentsOf: $0) }
            output.append(contentsOf: SHA256.hash(data: block))
            counter += 1
        }
        return Array(output.prefix(length))
    }

    /// The ChaCha20 keystream with key sha256(seed), a zero nonce and counter 0 (kubo's tests).
    public static func chacha20(seed: String, length: Int) -> [UInt8] {
        let key = Array(SHA256.hash(data: Array(seed.utf8)))
        return ChaCha20.keystream(count: length, key: key, nonce: [UInt8](repeating: 0, count: 12))
    }

    /// multiblock.txt of ipfs/gateway-conformance `dir-with-files`: the README's text as zsh's
    /// `echo -n $TEXT` writes it (paragraphs kept, 1,026 bytes), added with `--chunker=size-256`.
    public static let multiblockText =
        "Lorem ipsum dolor sit amet, consectetur adipiscing elit. Nunc non imperdiet nunc. Proin ac quam ut nibh eleifend aliquet. Vestibulum ante ipsum primis in faucibus orci luctus et ultrices posuere cubilia curae; Sed ligula dolor, imperdiet sagittis arcu et, semper tincidunt urna. Donec et tempor augue, quis sollicitudin metus. Curabitur semper ullamcorper aliquet. Mauris hendrerit sodales lectus eget fermentum. Proin sollicitudin vestibulum commodo. Vivamus nec lectus eu augue aliquet dignissim nec condimentum justo. In hac habitasse platea dictumst. Mauris vel sem neque.\n\nVivamus finibus, enim at lacinia semper, arcu erat gravida lacus, sit amet gravida magna orci sit amet est. Sed non leo lacus. Nullam viverra ipsum a tincidunt dapibus. Nulla pulvinar ligula sit amet ante ultrices tempus. Proin purus urna, semper sed lobortis quis, gravida vitae ipsum. Aliquam mi urna, pulvinar eu bibendum quis, convallis ac dolor. In gravida justo sed risus ullamcorper, vitae luctus massa hendrerit. Pellentesque habitant amet."
}
