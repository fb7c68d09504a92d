import ISALKit
import Synchronization

/// Reed–Solomon erasure coding over GF(2^8): k data shards, m parity shards, any k of the k + m
/// rebuild the rest.
///
/// The code is systematic with ISA-L's Cauchy matrix (an identity over 1 / (i ⊕ j) rows), which
/// is MDS for every shape with k + m ≤ 255 — unlike ISA-L's Vandermonde generator, which is not
/// for many. Arithmetic runs in Cairn's GFNI kernel where the CPU has GFNI and AVX-512, else in
/// ISA-L's vector kernels; both give identical bytes (see ``Backend``). Work is done in
/// column blocks of ``columnBlock`` bytes per shard, so the k + m slices being combined stay in
/// cache on wide shapes. Decode matrices are computed once per set of surviving shards and kept.
///
/// The decoder cannot tell a corrupt shard from a good one: callers check each shard against its
/// commitment first (see `Specs/erasure.md`).
public final class ReedSolomon: Sendable {
    /// Which kernel does the arithmetic. Both give the same bytes (tests compare them).
    public enum Backend: String, Sendable, CaseIterable {
        /// ISA-L's kernels, as the system library provides them.
        case isal
        /// Cairn's GFNI/AVX-512 kernel, where the CPU has GFNI.
        case gfni

        /// The fastest available here: GFNI when the CPU has it, else ISA-L.
        public static var best: Backend { GFNITables.isAvailable ? .gfni : .isal }

        /// Whether this backend can run on this machine.
        public var isAvailable: Bool { self == .isal || GFNITables.isAvailable }
    }

    /// The matrix of one product, prepared for the chosen backend.
    enum Kernel: Sendable {
        case isal(EncodingTables)
        case gfni(GFNITables)

        init(_ backend: Backend, coefficients: [UInt8], outputCount: Int, inputCount: Int) {
            switch backend {
            case .isal:
                self = .isal(
                    EncodingTables(coefficients: coefficients, outputCount: outputCount, inputCount: inputCount))
            case .gfni:
                self = .gfni(GFNITables(coefficients: coefficients, outputCount: outputCount, inputCount: inputCount))
            }
        }

        /// Bytes per shard per call: as many as keep one pass's inputs within about 1 MiB, and at
        /// least 16 KiB. Blocking keeps wide shapes in cache (29+51 runs 1.4x faster through
        /// ISA-L than one call over whole shards, 3x through GFNI), and blocks this size cost
        /// narrow shapes nothing against whole-shard calls.
        var columnBlock: Int {
            let inputs: Int
            switch self {
            case .isal(let tables): inputs = tables.inputCount
            case .gfni(let tables): inputs = tables.inputCount
            }
            return min(1 << 20, max(ReedSolomon.columnBlock, (1 << 20) / inputs / 64 * 64))
        }
    }

    public let backend: Backend
    public let dataShards: Int
    public let parityShards: Int
    public var totalShards: Int { dataShards + parityShards }

    /// The smallest column block: bytes per shard processed per call (see `Kernel.columnBlock`).
    public static let columnBlock = 16 << 10
    /// Most decode matrices kept; shapes see few distinct loss patterns at once.
    static let cacheLimit = 64

    /// The (k + m) × k encoding matrix, row-major.
    let matrix: [UInt8]
    private let parityTables: Kernel
    private let decodeCache = Mutex<[DecodeKey: Kernel]>([:])

    private struct DecodeKey: Hashable {
        let inputs: [Int]
        let outputs: [Int]
    }

    public init(dataShards: Int, parityShards: Int, backend: Backend = .best) throws(ErasureError) {
        guard backend.isAvailable else {
            throw ErasureError(.invalidShape, "the \(backend) backend needs a CPU with GFNI and AVX-512")
        }
        self.backend = backend
        guard dataShards >= 1, parityShards >= 1, dataShards + parityShards <= 255 else {
            throw ErasureError(
                .invalidShape,
                "\(dataShards)+\(parityShards) is not a supported shape (k >= 1, m >= 1, k + m <= 255)"
            )
        }
        self.dataShards = dataShards
        self.parityShards = parityShards
        matrix = GaloisField.cauchyMatrix(totalRows: dataShards + parityShards, dataColumns: dataShards)
        parityTables = Kernel(
            backend,
            coefficients: Array(matrix[(dataShards * dataShards)...]),
            outputCount: parityShards,
            inputCount: dataShards
        )
    }

    /// Computes the m parity shards of k equal-length data shards.
    public func encode(data: [UnsafeRawBufferPointer], parity: [UnsafeMutableRawBufferPointer]) {
        precondition(data.count == dataShards && parity.count == parityShards, "wrong number of shards")
        Self.apply(parityTables, inputs: data, outputs: parity)
    }

    /// Computes the parity shards of `data` (k equal-length shards).
    public func encode(_ data: [[UInt8]]) throws(ErasureError) -> [[UInt8]] {
        guard data.count == dataShards else {
            throw ErasureError(.invalidShards, "expected \(dataShards) data shards, got \(data.count)")
        }
        let length = data[0].count
        guard data.allSatisfy({ $0.count == length }) else {
            throw ErasureError(.invalidShards, "data shards differ in length")
        }
        var parity = [[UInt8]](repeating: [UInt8](repeating: 0, count: length), count: parityShards)
        Self.withBuffers(data, &parity) { inputs, outputs in encode(data: inputs, parity: outputs) }
        return parity
    }

    /// Whether the parity shards are the ones the data shards give.
    public func verify(_ shards: [[UInt8]]) throws(ErasureError) -> Bool {
        guard shards.count == totalShards else {
            throw ErasureError(.invalidShards, "expected \(totalShards) shards, got \(shards.count)")
        }
        return try encode(Array(shards[..<dataShards])) == Array(shards[dataShards...])
    }

    /// Rebuilds missing shards in place: nil entries are filled (all of them, or only those in
    /// `wanted`) from the first k shards present.
    ///
    /// - Throws: ``ErasureError`` `.tooFewShards` when fewer than k are present, `.invalidShards`
    ///   for the wrong count or unequal lengths.
    public func reconstruct(_ shards: inout [[UInt8]?], wanted: Set<Int>? = nil) throws(ErasureError) {
        guard shards.count == totalShards else {
            throw ErasureError(.invalidShards, "expected \(totalShards) shard slots, got \(shards.count)")
        }
        let present = shards.indices.filter { shards[$0] != nil }
        guard present.count >= dataShards else {
            throw ErasureError(
                .tooFewShards,
                "\(present.count) of \(totalShards) shards survive; \(dataShards) are needed"
            )
        }
        let length = shards[present[0]]!.count
        guard present.allSatisfy({ shards[$0]!.count == length }) else {
            throw ErasureError(.invalidShards, "surviving shards differ in length")
        }
        let missing = shards.indices.filter { shards[$0] == nil && (wanted?.contains($0) ?? true) }
        if missing.isEmpty { return }
        let inputs = Array(present.prefix(dataShards))
        var rebuilt = [[UInt8]](repeating: [UInt8](repeating: 0, count: length), count: missing.count)
        var failure: ErasureError?
        Self.withBuffers(inputs.map { shards[$0]! }, &rebuilt) { input, output in
            do throws(ErasureError) {
                try reconstruct(
                    present: Dictionary(uniqueKeysWithValues: zip(inputs, input)),
                    into: Dictionary(uniqueKeysWithValues: zip(missing, output))
                )
            } catch {
                failure = error
            }
        }
        if let failure { throw failure }
        for (index, shard) in zip(missing, rebuilt) { shards[index] = shard }
    }

    /// Rebuilds shards into caller-owned buffers, without copies: `present` maps shard indices
    /// to their bytes (at least k of them; the k lowest are used), `outputs` maps the indices to
    /// rebuild to buffers of the same length.
    public func reconstruct(
        present: [Int: UnsafeRawBufferPointer],
        into outputs: [Int: UnsafeMutableRawBufferPointer]
    ) throws(ErasureError) {
        guard present.count >= dataShards else {
            throw ErasureError(
                .tooFewShards, "\(present.count) of \(totalShards) shards survive; \(dataShards) are needed")
        }
        let inputs = Array(present.keys.sorted().prefix(dataShards))
        let wanted = outputs.keys.sorted()
        guard (inputs + wanted).allSatisfy({ $0 >= 0 && $0 < totalShards }) else {
            throw ErasureError(.invalidShards, "shard index out of range for \(dataShards)+\(parityShards)")
        }
        let length = present[inputs[0]]!.count
        guard inputs.allSatisfy({ present[$0]!.count == length }), outputs.values.allSatisfy({ $0.count == length })
        else { throw ErasureError(.invalidShards, "shards differ in length") }
        if wanted.isEmpty { return }
        let tables = try decodeTables(inputs: inputs, outputs: wanted)
        Self.apply(tables, inputs: inputs.map { present[$0]! }, outputs: wanted.map { outputs[$0]! })
    }

    /// The matrix that turns the shards at `inputs` (k of them) into the shards at `outputs`.
    ///
    /// With S the k × k rows of the encoding matrix for `inputs`, data = S⁻¹ · inputs; a data
    /// shard i is row i of S⁻¹, a parity shard j is (row j of the matrix) · S⁻¹.
    private func decodeTables(inputs: [Int], outputs: [Int]) throws(ErasureError) -> Kernel {
        let key = DecodeKey(inputs: inputs, outputs: outputs)
        if let cached = decodeCache.withLock({ $0[key] }) { return cached }
        let k = dataShards
        let selected = inputs.flatMap { matrix[($0 * k)..<($0 * k + k)] }
        let inverse: [UInt8]
        do {
            inverse = try GaloisField.invert(selected, size: k)
        } catch {
            // Cannot happen for a Cauchy code; it would mean a broken matrix.
            throw ErasureError(.invalidShape, "the decode matrix for \(inputs) is singular: \(error)")
        }
        var coefficients: [UInt8] = []
        coefficients.reserveCapacity(outputs.count * k)
        for output in outputs {
            if output < k {
                coefficients += inverse[(output * k)..<(output * k + k)]
            } else {
                for column in 0..<k {
                    var sum: UInt8 = 0
                    for index in 0..<k {
                        sum ^= GaloisField.multiply(matrix[output * k + index], inverse[index * k + column])
                    }
                    coefficients.append(sum)
                }
            }
        }
        let tables = Kernel(backend, coefficients: coefficients, outputCount: outputs.count, inputCount: k)
        decodeCache.withLock { cache in
            if cache.count >= Self.cacheLimit { cache.removeAll() }
            cache[key] = tables
        }
        return tables
    }

    /// Runs `tables` over the buffers a column block at a time. The two pointer arrays are made
    /// once and moved along, so a 64 MiB segment costs no allocation per block.
    private static func apply(
        _ tables: Kernel,
        inputs: [UnsafeRawBufferPointer],
        outputs: [UnsafeMutableRawBufferPointer]
    ) {
        let length = inputs.first?.count ?? 0
        precondition(
            inputs.allSatisfy { $0.count == length } && outputs.allSatisfy { $0.count == length },
            "all buffers must have the same length"
        )
        if length == 0 { return }
        let block = tables.columnBlock
        let inputBases = inputs.map {
            UnsafeMutablePointer(mutating: $0.baseAddress!.assumingMemoryBound(to: UInt8.self))
        }
        let outputBases = outputs.map { $0.baseAddress!.assumingMemoryBound(to: UInt8.self) }
        let inputPointers = UnsafeMutablePointer<UnsafeMutablePointer<UInt8>?>.allocate(capacity: inputs.count)
        let outputPointers = UnsafeMutablePointer<UnsafeMutablePointer<UInt8>?>.allocate(capacity: outputs.count)
        defer {
            inputPointers.deallocate()
            outputPointers.deallocate()
        }
        var offset = 0
        while offset < length {
            let count = min(block, length - offset)
            for (index, base) in inputBases.enumerated() { inputPointers[index] = base + offset }
            for (index, base) in outputBases.enumerated() { outputPointers[index] = base + offset }
            switch tables {
            case .isal(let isal): isal.apply(length: count, inputs: inputPointers, outputs: outputPointers)
            case .gfni(let gfni): gfni.apply(length: count, inputs: inputPointers, outputs: outputPointers)
            }
            offset += count
        }
    }

    /// Lends `inputs` and `outputs` as buffer pointers for the duration of `body`.
    private static func withBuffers(
        _ inputs: [[UInt8]],
        _ outputs: inout [[UInt8]],
        _ body: ([UnsafeRawBufferPointer], [UnsafeMutableRawBufferPointer]) -> Void
    ) {
        let inputCopies = inputs.map { bytes -> UnsafeMutableRawBufferPointer in
            let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: bytes.count, alignment: 64)
            buffer.copyBytes(from: bytes)
            return buffer
        }
        let outputBuffers = outputs.map { UnsafeMutableRawBufferPointer.allocate(byteCount: $0.count, alignment: 64) }
        defer { for buffer in inputCopies + outputBuffers { buffer.deallocate() } }
        body(inputCopies.map { UnsafeRawBufferPointer($0) }, outputBuffers)
        for index in outputs.indices { outputs[index] = Array(outputBuffers[index]) }
    }
}
