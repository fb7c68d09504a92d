import Benchmark
import Multiformats

/// sha2-256 multihash throughput: the hot path of `add`, verified reads and Merkle proofs.
///
/// Each iteration hashes one buffer; `throughput` counts bytes, so the report's ops/s × size is
/// the rate in bytes per second. Tools/bench compares it with `openssl speed -evp sha256` run
/// in the same session.
let benchmarks: @Sendable () -> Void = {
    for (label, size) in [("16 KiB", 16 << 10), ("1 MiB", 1 << 20)] {
        let input = (0..<size).map { UInt8(truncatingIfNeeded: $0 &* 2_654_435_761 >> 13) }
        Benchmark(
            "Multihash sha2-256 \(label)",
            configuration: .init(
                metrics: [.throughput, .wallClock],
                scalingFactor: .one,
                maxDuration: .seconds(3),
                maxIterations: 1_000_000
            )
        ) { benchmark in
            input.withUnsafeBytes { buffer in
                for _ in benchmark.scaledIterations {
                    blackHole(Multihash.sha256(buffer))
                }
            }
        }
    }
}
