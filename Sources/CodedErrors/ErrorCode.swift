/// A named kind of failure within one error domain.
///
/// `Domain` is the error type the code belongs to, so codes of different domains never compare
/// equal or mix. Each domain lists its codes in an extension:
///
/// ```swift
/// extension ErrorCode where Domain == StoreError {
///     public static var corruptBlock: Self { Self("corrupt block") }
/// }
/// ```
/// New codes can be added without breaking callers, which match codes, never messages.
public struct ErrorCode<Domain>: Hashable, Sendable, CustomStringConvertible {
    /// The code's name, as printed before an error's message.
    public let name: String

    public init(_ name: String) {
        self.name = name
    }

    public var description: String { name }
}
