/// A storage challenge: a 32-byte seed and a number of leaves to prove.
///
/// The leaves are derived from the seed alone, so prover and verifier agree on them without
/// talking, and nobody can know them before the seed exists (the ledger draws each epoch's seed
/// from the finalized chain; see `Specs/proofs.md`).
public struct Challenge: Hashable, Sendable {
    public static let seedSize = 32
    /// Most leaves one challenge may ask for: keeps a proof under ~1.5 MB.
    public static let maxLeaves = 1024

    public let seed: [UInt8]
    public let leaves: Int

    public init(seed: [UInt8], leaves: Int) throws(ProofError) {
        guard seed.count == Self.seedSize else {
            throw ProofError(.invalidChallenge, "challenge seed must be 32 bytes, not \(seed.count)")
        }
        guard leaves >= 1, leaves <= Self.maxLeaves else {
            throw ProofError(.invalidChallenge, "a challenge asks for 1 to \(Self.maxLeaves) leaves, not \(leaves)")
        }
        self.seed = seed
        self.leaves = leaves
    }

    /// The distinct leaf indices this challenge names in a tree of `leafCount` leaves, in the
    /// order they are derived: min(leaves, leafCount) of them.
    ///
    /// Candidate j is the first 8 bytes, big-endian, of
    /// SHA-256("cairn/challenge/v1" ‖ seed ‖ u64be(leafCount) ‖ u32be(j)), for j = 0, 1, 2, …;
    /// candidates at or above the largest multiple of leafCount that fits in 64 bits are skipped
    /// (no modulo bias), the rest taken modulo leafCount, repeats skipped.
    public func indices(leafCount: Int) -> [Int] {
        precondition(leafCount >= 1, "a tree has at least one leaf")
        let wanted = min(leaves, leafCount)
        let count = UInt64(leafCount)
        let limit = UInt64.max - (UInt64.max % count + 1) % count  // largest multiple of count, minus one
        var chosen: [Int] = []
        var seen: Set<Int> = []
        var candidate: UInt32 = 0
        // "cairn/challenge/v1" ‖ seed ‖ u64be(leafCount), then u32be(candidate) per candidate.
        var prefix = Array("cairn/challenge/v1".utf8) + seed
        withUnsafeBytes(of: count.bigEndian) { prefix.append(contentsOf: $0) }
        while chosen.count < wanted {
            var message = prefix
            withUnsafeBytes(of: candidate.bigEndian) { message.append(contentsOf: $0) }
            let digest = SHA256Hasher.hash(message)
            candidate += 1
            let value = digest.prefix(8).reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
            if value > limit { continue }
            let index = Int(value % count)
            if seen.insert(index).inserted { chosen.append(index) }
        }
        return chosen
    }
}
