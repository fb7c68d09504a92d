public import CodedErrors
import IPLD

/// An error from the ledger's formats and rules, compared by ``code``.
///
/// A failed check of a proof or signature is a verdict value, not this error.
public struct LedgerError: CodedError {
    public typealias Code = ErrorCode<LedgerError>

    public let code: Code
    public let message: String

    package init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }
}

extension ErrorCode where Domain == LedgerError {
    /// Bytes that are not the documented encoding.
    public static var malformed: Self { Self("malformed") }
    /// Valid dag-cbor that is not the one canonical encoding of its value.
    public static var nonCanonical: Self { Self("non-canonical") }
    /// Larger than the format allows.
    public static var oversized: Self { Self("oversized") }
}

extension LedgerError {
    /// Decodes `bytes` as a dag-cbor map, the shape of every ledger record; anything else is
    /// `.malformed`, naming `what` was expected.
    static func decodeMap(_ bytes: [UInt8], what: String) throws(LedgerError) -> IPLDMap {
        let value: IPLDValue
        do { value = try DagCBOR.decode(bytes) } catch {
            throw LedgerError(.malformed, "\(what) is not dag-cbor: \(error.message)")
        }
        guard case .map(let map) = value else { throw LedgerError(.malformed, "\(what) is a dag-cbor map") }
        return map
    }
}
