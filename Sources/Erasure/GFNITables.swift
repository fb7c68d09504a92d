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

    /// outputs[i] = Σ_j coefficients[i][j] · inputs[j] over `length` bytes, from pointer arrays
    /// the caller owns. Requires ``isAvailable``.
    func apply(
        length: Int,
        inputs: UnsafeMutablePointer<UnsafeMutablePointer<UInt8>?>,
        outputs: UnsafeMutablePointer<UnsafeMutablePointer<UInt8>?>
    ) {
        precondition(Self.isAvailable, "GFNI kernel used on a CPU without GFNI")
        if length == 0 { return }
        matrices.withUnsafeBufferPointer { matrices in
            inputs.withMemoryRebound(to: UnsafePointer<UInt8>?.self, capacity: inputCount) { inputs in
                cairn_gfni_apply(length, Int32(inputCount), Int32(outputCount), matrices.baseAddress, inputs, outputs)
            }
        }
    }
}
