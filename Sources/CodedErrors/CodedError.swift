/// An error that carries a code and a message, and compares by its code alone.
///
/// Every Cairn domain has one error struct (`MultiformatsError`, `LevelDBError`, …) with its own
/// extensible `Code` type, so callers match the kind of failure (`error.code == .corruption`) and
/// never the wording. This protocol gives them one definition of equality, hashing and the
/// printed form, instead of a copy in each module.
public protocol CodedError: Error, Hashable, Sendable, CustomStringConvertible {
    associatedtype Code: Hashable, Sendable, CustomStringConvertible
    /// The kind of failure.
    var code: Code { get }
    /// What is wrong, in words a user can act on.
    var message: String { get }
}

extension CodedError {
    public static func == (lhs: Self, rhs: Self) -> Bool { lhs.code == rhs.code }
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }
    public var description: String { "\(code): \(message)" }
}
