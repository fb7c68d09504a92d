import CGFNI

/// A coefficient matrix prepared for the GFNI kernel: one 8×8 bit matrix per coefficient.
///
/// The kernel (C, `CGFNI`) multiplies 64 bytes per instruction with `vgf2p8affineqb`, where
/// ISA-L 2.30 as Debian builds it uses table lookups (`vpshufb`); see `Specs/erasure.md`.
struct GFNITables: Sendable {
    let outputCount: Int
    let inputCount: Int
    private let matrices: [UInt64]

    /// Whether this CPU (and OS) can run the kernel: GFNI, AVX-512 F and BW, ZMM state.
    static let isAvailable = cairn_gfni_available() != 0

    init(coefficients: [UInt8], outputCount: Int, inputCount: Int) {
        precondition(coefficients.count == outputCount * inputCount, "coefficient matrix has the wrong size")
        self.outputCount = outputCount
        self.inputCount = inputCount
        matrices = coefficients.map { cairn_gfni_matrix($0) }
    }

    func apply(inputs: [UnsafeRawBufferPointer], outputs: [UnsafeMutableRawBufferPointer]) {
        precondition(Self.isAvailable, "GFNI kernel used on a CPU without GFNI")
        precondition(inputs.count == inputCount && outputs.count == outputCount, "wrong number of buffers")
        let length = inputs.first?.count ?? 0
        if length == 0 { return }
        let inputPointers: [UnsafePointer<UInt8>?] = inputs.map { $0.baseAddress!.assumingMemoryBound(to: UInt8.self) }
        let outputPointers: [UnsafeMutablePointer<UInt8>?] = outputs.map {
            $0.baseAddress!.assumingMemoryBound(to: UInt8.self)
        }
        matrices.withUnsafeBufferPointer { matrices in
            inputPointers.withUnsafeBufferPointer { inputs in
                outputPointers.withUnsafeBufferPointer { outputs in
                    cairn_gfni_apply(
                        length, Int32(inputCount), Int32(outputCount), matrices.baseAddress, inputs.baseAddress,
                        outputs.baseAddress)
                }
            }
        }
    }
}
