/// A dictionary that remembers which keys were written since changes were last taken, so the
/// state's Merkle commitment can be updated for what a block touched instead of recomputed
/// over the whole state.
///
/// Every write goes through a subscript setter, which records the key; reads do not. Equality
/// and hashing look only at the contents, never at the record of changes.
public struct TrackedMap<Key: Hashable & Sendable, Value: Hashable & Sendable>: Hashable, Sendable, Sequence {
    public private(set) var contents: [Key: Value] = [:]
    /// Keys written since the last ``takeChanges()``.
    private(set) var changed: Set<Key> = []

    public init() {}

    public subscript(key: Key) -> Value? {
        get { contents[key] }
        set {
            contents[key] = newValue
            changed.insert(key)
        }
    }

    public subscript(key: Key, default defaultValue: @autoclosure () -> Value) -> Value {
        get { contents[key] ?? defaultValue() }
        set {
            contents[key] = newValue
            changed.insert(key)
        }
    }

    public var keys: Dictionary<Key, Value>.Keys { contents.keys }
    public var values: Dictionary<Key, Value>.Values { contents.values }
    public var count: Int { contents.count }
    public var isEmpty: Bool { contents.isEmpty }

    public func makeIterator() -> Dictionary<Key, Value>.Iterator { contents.makeIterator() }

    /// The keys written since the last call, and forgets them.
    mutating func takeChanges() -> Set<Key> {
        defer { changed = [] }
        return changed
    }

    public static func == (lhs: Self, rhs: Self) -> Bool { lhs.contents == rhs.contents }

    public func hash(into hasher: inout Hasher) { hasher.combine(contents) }
}
