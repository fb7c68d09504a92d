import CISAL

/// A coefficient matrix expanded into ISA-L's lookup tables, ready to multiply data vectors.
///
/// Building the tables costs 32 bytes per coefficient and is done once per matrix; a codec keeps
/// them for as long as it uses the same shape (or the same set of surviving shards).
public struct EncodingTables: Sendable {
    /// Rows of the coefficient matrix: outputs produced per call.
    public let outputCount: Int
    /// Columns of the coefficient matrix: inputs read per call.
    public let inputCount: Int
    private let tables: [UInt8]

    /// Expands an `outputCount` × `inputCount` row-major coefficient matrix.
    public init(coefficients: [UInt8], outputCount: Int, inputCount: Int) {
        precondition(outputCount > 0 && inputCount > 0, "empty coefficient matrix")
        precondition(coefficients.count == outputCount * inputCount, "coefficient matrix has the wrong size")
        self.outputCount = outputCount
        self.inputCount = inputCount
        var coefficients = coefficients
        var tables = [UInt8](repeating: 0, count: 32 * outputCount * inputCount)
        ec_init_tables(Int32(inputCount), Int32(outputCount), &coefficients, &tables)
        self.tables = tables
    }

    /// outputs[i] = Σ_j coefficients[i][j] · inputs[j], over equal-length buffers.
    ///
    /// Runs ISA-L's best kernel for this CPU (AVX-512 here). Input buffers are only read.
    public func apply(inputs: [UnsafeRawBufferPointer], outputs: [UnsafeMutableRawBufferPointer]) {
        precondition(inputs.count == inputCount, "expected \(inputCount) inputs, got \(inputs.count)")
        precondition(outputs.count == outputCount, "expected \(outputCount) outputs, got \(outputs.count)")
        let length = inputs.first?.count ?? 0
        precondition(
            inputs.allSatisfy { $0.count == length } && outputs.allSatisfy { $0.count == length },
            "all buffers must have the same length"
        )
        if length == 0 { return }
        var inputPointers: [UnsafeMutablePointer<UInt8>?] = inputs.map {
            UnsafeMutablePointer(mutating: $0.baseAddress!.assumingMemoryBound(to: UInt8.self))
        }
        var outputPointers: [UnsafeMutablePointer<UInt8>?] = outputs.map {
            $0.baseAddress!.assumingMemoryBound(to: UInt8.self)
        }
        inputPointers.withUnsafeMutableBufferPointer { inputs in
            outputPointers.withUnsafeMutableBufferPointer { outputs in
                apply(length: length, inputs: inputs.baseAddress!, outputs: outputs.baseAddress!)
            }
        }
    }

    /// outputs[i] = Σ_j coefficients[i][j] · inputs[j] over `length` bytes, from arrays of
    /// pointers the caller owns — for callers that walk the same buffers in blocks and would
    /// otherwise build new arrays for every block.
    public func apply(
        length: Int,
        inputs: UnsafeMutablePointer<UnsafeMutablePointer<UInt8>?>,
        outputs: UnsafeMutablePointer<UnsafeMutablePointer<UInt8>?>
    ) {
        if length == 0 { return }
        tables.withUnsafeBufferPointer { tables in
            ec_encode_data(
                Int32(length),
                Int32(inputCount),
                Int32(outputCount),
                UnsafeMutablePointer(mutating: tables.baseAddress!),
                inputs,
                outputs
            )
        }
    }
}
