public import CodedErrors

/// An error from an ISA-L operation, compared by ``code``.
public struct ISALError: CodedError {
    /// The kind of failure; the codes are listed below.
    public typealias Code = ErrorCode<ISALError>

    public let code: Code
    public let message: String

    init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

}

extension ErrorCode where Domain == ISALError {
    /// The matrix has no inverse over GF(2^8).
    public static var singularMatrix: Self { Self("singular matrix") }
}
