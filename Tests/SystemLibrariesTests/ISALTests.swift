import CairnTestSupport
import ISALKit
import Testing

/// ISA-L checked against a scalar GF(2^8) written here, independently of ISA-L.
@Suite struct ISALTests {
    static func referenceMultiply(_ a: UInt8, _ b: UInt8) -> UInt8 { GF256Reference.multiply(a, b) }
    static func referenceInverse(_ a: UInt8) -> UInt8 { GF256Reference.inverse(a) }

    @Test func multipliesAndInvertsLikeTheReference() {
        for a in 0...255 {
            for b in 0...255 {
                #expect(GaloisField.multiply(UInt8(a), UInt8(b)) == Self.referenceMultiply(UInt8(a), UInt8(b)))
            }
            if a != 0 { #expect(GaloisField.inverse(UInt8(a)) == Self.referenceInverse(UInt8(a))) }
        }
    }

    @Test func generatesTheCauchyMatrix() {
        let (k, total) = (4, 7)
        let matrix = GaloisField.cauchyMatrix(totalRows: total, dataColumns: k)
        for row in 0..<total {
            for column in 0..<k {
                let expected =
                    row < k
                    ? (row == column ? 1 : 0)
                    : Self.referenceInverse(UInt8(row ^ column))
                #expect(matrix[row * k + column] == expected, "row \(row) column \(column)")
            }
        }
    }

    @Test(arguments: [(4, 2), (10, 4), (10, 6), (29, 51)])
    func encodesLikeAScalarMatrixProduct(k: Int, m: Int) throws {
        var random = SeededGenerator(seed: UInt64(k * 1000 + m))
        let length = 1000
        let matrix = GaloisField.cauchyMatrix(totalRows: k + m, dataColumns: k)
        let parityRows = Array(matrix[(k * k)...])
        let tables = EncodingTables(coefficients: parityRows, outputCount: m, inputCount: k)
        let data = (0..<k).map { _ in random.bytes(count: length) }
        var parity = [[UInt8]](repeating: [UInt8](repeating: 0, count: length), count: m)
        applyTables(tables, data: data, parity: &parity)
        for row in 0..<m {
            for position in stride(from: 0, to: length, by: 37) {
                var expected: UInt8 = 0
                for column in 0..<k {
                    expected ^= Self.referenceMultiply(parityRows[row * k + column], data[column][position])
                }
                #expect(parity[row][position] == expected)
            }
        }
    }

    @Test func invertsAndRefusesSingularMatrices() throws {
        let matrix = GaloisField.cauchyMatrix(totalRows: 6, dataColumns: 3)
        // Rows 1, 3 and 5 of a Cauchy code: any three rows are invertible.
        let chosen = [1, 3, 5].flatMap { Array(matrix[($0 * 3)..<($0 * 3 + 3)]) }
        let inverse = try GaloisField.invert(chosen, size: 3)
        for row in 0..<3 {
            for column in 0..<3 {
                var sum: UInt8 = 0
                for index in 0..<3 {
                    sum ^= Self.referenceMultiply(chosen[row * 3 + index], inverse[index * 3 + column])
                }
                #expect(sum == (row == column ? 1 : 0))
            }
        }
        let error = try #require(throws: ISALError.self) { try GaloisField.invert([1, 2, 1, 2], size: 2) }
        #expect(error.code == .singularMatrix)
    }

    private func applyTables(_ tables: EncodingTables, data: [[UInt8]], parity: inout [[UInt8]]) {
        let inputs = data.map { bytes -> UnsafeMutableRawBufferPointer in
            let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: bytes.count, alignment: 64)
            buffer.copyBytes(from: bytes)
            return buffer
        }
        let outputs = parity.map { UnsafeMutableRawBufferPointer.allocate(byteCount: $0.count, alignment: 64) }
        defer { for buffer in inputs + outputs { buffer.deallocate() } }
        tables.apply(inputs: inputs.map { UnsafeRawBufferPointer($0) }, outputs: outputs)
        for index in parity.indices { parity[index] = Array(outputs[index]) }
    }
}
