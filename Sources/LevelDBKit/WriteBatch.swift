import CLevelDB

/// Puts and deletes applied together by ``LevelDB/write(_:sync:)``: all or none.
///
/// Noncopyable: it owns LevelDB's batch buffer and frees it when it goes.
public struct WriteBatch: ~Copyable {
    let pointer: OpaquePointer

    public init() {
        pointer = leveldb_writebatch_create()!
    }

    deinit { leveldb_writebatch_destroy(pointer) }

    /// Adds a put of `value` under `key`.
    public mutating func put(_ key: [UInt8], _ value: [UInt8]) {
        key.withUnsafeBufferPointer { key in
            value.withUnsafeBufferPointer { value in
                key.withMemoryRebound(to: CChar.self) { key in
                    value.withMemoryRebound(to: CChar.self) { value in
                        leveldb_writebatch_put(pointer, key.baseAddress, key.count, value.baseAddress, value.count)
                    }
                }
            }
        }
    }

    /// Adds a delete of `key`.
    public mutating func delete(_ key: [UInt8]) {
        key.withUnsafeBufferPointer { key in
            key.withMemoryRebound(to: CChar.self) { leveldb_writebatch_delete(pointer, $0.baseAddress, $0.count) }
        }
    }

    /// Removes every operation added so far.
    public mutating func clear() {
        leveldb_writebatch_clear(pointer)
    }
}
