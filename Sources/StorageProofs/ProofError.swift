public import CodedErrors

/// An error from building a tree or proof, or from decoding a proof's bytes, compared by ``code``.
/// (A proof that decodes but does not verify is a ``ProofVerdict``, not an error.)
public struct ProofError: CodedError {
    /// The kind of failure; the codes are listed below.
    public typealias Code = ErrorCode<ProofError>

    public let code: Code
    public let message: String

    package init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }
}

extension ErrorCode where Domain == ProofError {
    /// Content that is not a whole, positive number of leaves.
    public static var invalidLength: Self { Self("invalid length") }
    /// A challenge or proof whose parameters are out of range.
    public static var invalidChallenge: Self { Self("invalid challenge") }
    /// Proof bytes that are not a well-formed proof.
    public static var malformedProof: Self { Self("malformed proof") }
}
