import CISAL

/// Arithmetic in GF(2^8) with ISA-L's field polynomial x^8 + x^4 + x^3 + x^2 + 1 (0x11d).
///
/// Matrices are row-major byte arrays. The Reed–Solomon codec builds on these; it lives a layer
/// up, in a pure module, and only the arithmetic and the vector kernels come from here.
public enum GaloisField {
    /// a · b.
    public static func multiply(_ a: UInt8, _ b: UInt8) -> UInt8 {
        gf_mul(a, b)
    }

    /// 1 / a; `a` must not be zero.
    public static func inverse(_ a: UInt8) -> UInt8 {
        precondition(a != 0, "zero has no inverse in GF(2^8)")
        return gf_inv(a)
    }

    /// The `totalRows` × `dataColumns` encoding matrix ISA-L calls Cauchy: an identity on top,
    /// then rows 1 / (i ⊕ j). Every square submatrix of its lower part is invertible, so any
    /// `dataColumns` rows of it can be inverted — unlike ISA-L's Vandermonde generator, which is
    /// not MDS for many shapes.
    public static func cauchyMatrix(totalRows: Int, dataColumns: Int) -> [UInt8] {
        precondition(dataColumns > 0 && totalRows >= dataColumns && totalRows <= 256, "unsupported matrix shape")
        var matrix = [UInt8](repeating: 0, count: totalRows * dataColumns)
        gf_gen_cauchy1_matrix(&matrix, Int32(totalRows), Int32(dataColumns))
        return matrix
    }

    /// The inverse of the `size` × `size` matrix.
    ///
    /// - Throws: ``ISALError`` `.singularMatrix` when there is none.
    public static func invert(_ matrix: [UInt8], size: Int) throws(ISALError) -> [UInt8] {
        precondition(matrix.count == size * size, "matrix is not \(size) × \(size)")
        var input = matrix  // gf_invert_matrix destroys its input.
        var output = [UInt8](repeating: 0, count: size * size)
        if gf_invert_matrix(&input, &output, Int32(size)) != 0 {
            throw ISALError(.singularMatrix, "\(size) × \(size) matrix is singular")
        }
        return output
    }
}
