/// Why a transaction was not applied. A rejected transaction changes nothing.
public struct Rejection: Hashable, Sendable, CustomStringConvertible {
    public enum Reason: String, Hashable, Sendable {
        case badSignature = "bad signature"
        case wrongChain = "wrong chain"
        case nonceReused = "nonce reused"
        case nonceSkipped = "nonce skipped"
        case feeTooLow = "fee too low"
        case insufficientBalance = "insufficient balance"
        case insufficientStake = "insufficient stake"
        case malformed = "malformed"
        case notPermitted = "not permitted"
        case notFound = "not found"
        case alreadyExists = "already exists"
        case frozen = "frozen"
        case notForSale = "not for sale"
        case priceMismatch = "price mismatch"
        case overflow = "overflow"
    }

    public let reason: Reason
    public let detail: String

    public init(_ reason: Reason, _ detail: String) {
        self.reason = reason
        self.detail = detail
    }

    public var description: String { "\(reason.rawValue): \(detail)" }
}
