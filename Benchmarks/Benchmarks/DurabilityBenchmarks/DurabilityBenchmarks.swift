import Benchmark
import Crypto
import Erasure
import ISALReference
import StorageProofs

/// Reed–Solomon through Cairn's Swift API against ISA-L called directly from C on the same
/// buffers (Tools/bench prints the ratios), and the Merkle tree and proofs against SHA-256.
let benchmarks: @Sendable () -> Void = {
    let segment = 64 << 20

    /// k data and m parity buffers for a segment, 64-byte aligned, data filled.
    final class Shards: @unchecked Sendable {
        let k: Int
        let m: Int
        let length: Int
        let buffers: [UnsafeMutableRawBufferPointer]

        init(k: Int, m: Int, segment: Int) {
            self.k = k
            self.m = m
            length = (segment + k - 1) / k
            buffers = (0..<(k + m)).map { _ in
                UnsafeMutableRawBufferPointer.allocate(byteCount: (segment + k - 1) / k, alignment: 64)
            }
            var state: UInt64 = 0x9E37_79B9_7F4A_7C15
            for buffer in buffers.prefix(k) {
                for index in stride(from: 0, to: buffer.count - 7, by: 8) {
                    state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                    buffer.storeBytes(of: state, toByteOffset: index, as: UInt64.self)
                }
            }
        }

        var data: [UnsafeRawBufferPointer] { buffers.prefix(k).map { UnsafeRawBufferPointer($0) } }
        var parity: [UnsafeMutableRawBufferPointer] { Array(buffers.suffix(m)) }
        var pointers: [UnsafeMutablePointer<UInt8>?] {
            buffers.map { $0.baseAddress!.assumingMemoryBound(to: UInt8.self) }
        }
    }

    let configuration = Benchmark.Configuration(
        metrics: [.wallClock, .throughput],
        scalingFactor: .one,
        maxDuration: .seconds(5),
        maxIterations: 200
    )

    for (k, m) in [(10, 4), (10, 6), (29, 51)] {
        let shards = Shards(k: k, m: m, segment: segment)
        for backend in ReedSolomon.Backend.allCases where backend.isAvailable {
            let codec = try! ReedSolomon(dataShards: k, parityShards: m, backend: backend)
            Benchmark("RS \(k)+\(m) encode 64 MiB Cairn-\(backend)", configuration: configuration) { benchmark in
                for _ in benchmark.scaledIterations { codec.encode(data: shards.data, parity: shards.parity) }
            }
        }
        var tables = [UInt8](repeating: 0, count: 32 * k * m)
        isal_reference_encode_tables(Int32(k), Int32(m), &tables)
        Benchmark("RS \(k)+\(m) encode 64 MiB ISA-L", configuration: configuration) { benchmark in
            var pointers = shards.pointers
            for _ in benchmark.scaledIterations {
                pointers.withUnsafeMutableBufferPointer { all in
                    isal_reference_apply(
                        Int32(shards.length), Int32(k), Int32(m), &tables, all.baseAddress!, all.baseAddress! + k)
                }
            }
        }
    }

    // The kernels themselves, on a segment that stays in cache (1 MiB), where memory bandwidth
    // does not cap them as it does at 64 MiB.
    let small = Shards(k: 10, m: 4, segment: 1 << 20)
    for backend in ReedSolomon.Backend.allCases where backend.isAvailable {
        let codec = try! ReedSolomon(dataShards: 10, parityShards: 4, backend: backend)
        Benchmark("RS 10+4 encode 1 MiB in cache Cairn-\(backend)", configuration: configuration) { benchmark in
            for _ in benchmark.scaledIterations { codec.encode(data: small.data, parity: small.parity) }
        }
    }
    var smallTables = [UInt8](repeating: 0, count: 32 * 10 * 4)
    isal_reference_encode_tables(10, 4, &smallTables)
    Benchmark("RS 10+4 encode 1 MiB in cache ISA-L", configuration: configuration) { benchmark in
        var pointers = small.pointers
        for _ in benchmark.scaledIterations {
            pointers.withUnsafeMutableBufferPointer { all in
                isal_reference_apply(Int32(small.length), 10, 4, &smallTables, all.baseAddress!, all.baseAddress! + 10)
            }
        }
    }

    // Decode 10+4 with the first four data shards lost: rebuild them from shards 4…13.
    let lost = Shards(k: 10, m: 4, segment: segment)
    try! ReedSolomon(dataShards: 10, parityShards: 4).encode(data: lost.data, parity: lost.parity)
    let present = Array(4..<14)
    let wanted = Array(0..<4)
    let rebuilt = (0..<4).map { _ in UnsafeMutableRawBufferPointer.allocate(byteCount: lost.length, alignment: 64) }
    for backend in ReedSolomon.Backend.allCases where backend.isAvailable {
        let codec = try! ReedSolomon(dataShards: 10, parityShards: 4, backend: backend)
        Benchmark("RS 10+4 decode 4 data lost 64 MiB Cairn-\(backend)", configuration: configuration) { benchmark in
            let inputs = Dictionary(
                uniqueKeysWithValues: present.map { ($0, UnsafeRawBufferPointer(lost.buffers[$0])) })
            let outputs = Dictionary(uniqueKeysWithValues: zip(wanted, rebuilt))
            for _ in benchmark.scaledIterations { try codec.reconstruct(present: inputs, into: outputs) }
        }
    }
    var decodeTables = [UInt8](repeating: 0, count: 32 * 10 * 4)
    _ = present.map(Int32.init).withUnsafeBufferPointer { presentIndices in
        wanted.map(Int32.init).withUnsafeBufferPointer { wantedIndices in
            isal_reference_decode_tables(
                10, 4, presentIndices.baseAddress!, wantedIndices.baseAddress!, 4, &decodeTables)
        }
    }
    Benchmark("RS 10+4 decode 4 data lost 64 MiB ISA-L", configuration: configuration) { benchmark in
        var inputs = present.map { lost.pointers[$0] }
        var outputs: [UnsafeMutablePointer<UInt8>?] = rebuilt.map {
            $0.baseAddress!.assumingMemoryBound(to: UInt8.self)
        }
        for _ in benchmark.scaledIterations {
            isal_reference_apply(Int32(lost.length), 10, 4, &decodeTables, &inputs, &outputs)
        }
    }

    // Merkle tree over a 4 MiB shard, against plain SHA-256 of the same bytes.
    let shard = (0..<(4 << 20)).map { UInt8(truncatingIfNeeded: $0 &* 2_654_435_761 >> 11) }
    Benchmark("Merkle build 4 MiB", configuration: configuration) { benchmark in
        try shard.withUnsafeBytes { bytes in
            for _ in benchmark.scaledIterations { blackHole(try MerkleTree(content: bytes)) }
        }
    }
    Benchmark("SHA-256 4 MiB", configuration: configuration) { benchmark in
        shard.withUnsafeBytes { bytes in
            for _ in benchmark.scaledIterations {
                var hasher = SHA256()
                hasher.update(bufferPointer: bytes)
                blackHole(hasher.finalize())
            }
        }
    }

    let tree = try! MerkleTree(content: shard)
    let challenge = try! Challenge(seed: [UInt8](repeating: 5, count: 32), leaves: 64)
    let proof = StorageProof.prove(challenge, tree: tree, content: shard)
    Benchmark("Proof 64 leaves of 4 MiB prove", configuration: .init(metrics: [.wallClock], maxDuration: .seconds(3))) {
        benchmark in
        for _ in benchmark.scaledIterations { blackHole(StorageProof.prove(challenge, tree: tree, content: shard)) }
    }
    Benchmark("Proof 64 leaves of 4 MiB verify", configuration: .init(metrics: [.wallClock], maxDuration: .seconds(3)))
    { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(proof.verify(root: tree.root, leafCount: tree.leafCount, challenge: challenge))
        }
    }
}
