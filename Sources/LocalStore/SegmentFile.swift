import CodedErrors

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// One value-log segment on disk, through POSIX calls: positioned reads and writes, data sync,
/// truncation. The only file in the store that touches the C library.
///
/// Thread-safe for concurrent reads (`pread` does not move a shared offset); writes are
/// serialized by the value log.
final class SegmentFile: @unchecked Sendable {
    let path: String
    private let descriptor: Int32

    init(path: String, create: Bool) throws(StoreError) {
        self.path = path
        let flags = O_RDWR | O_CLOEXEC | (create ? O_CREAT : 0)
        let descriptor = open(path, flags, 0o644)
        guard descriptor >= 0 else { throw Self.error("open", path) }
        self.descriptor = descriptor
    }

    deinit { close(descriptor) }

    var size: UInt64 {
        get throws(StoreError) {
            var info = stat()
            guard fstat(descriptor, &info) == 0 else { throw Self.error("stat", path) }
            return UInt64(info.st_size)
        }
    }

    /// Writes all of `bytes` at `offset`.
    func write(_ bytes: UnsafeRawBufferPointer, at offset: UInt64) throws(StoreError) {
        var done = 0
        while done < bytes.count {
            let count = pwrite(descriptor, bytes.baseAddress! + done, bytes.count - done, off_t(offset) + off_t(done))
            if count < 0 {
                if errno == EINTR { continue }
                throw Self.error("write", path)
            }
            done += count
        }
    }

    /// Reads exactly `count` bytes at `offset`.
    func read(count: Int, at offset: UInt64) throws(StoreError) -> [UInt8] {
        var failure: StoreError?
        // Uninitialized capacity: pread fills it, so zeroing 256 KiB first would be wasted work.
        let output = [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
            var done = 0
            while done < count {
                let got = pread(descriptor, buffer.baseAddress! + done, count - done, off_t(offset) + off_t(done))
                if got < 0 {
                    if errno == EINTR { continue }
                    failure = Self.error("read", path)
                    break
                }
                if got == 0 {
                    failure = StoreError(.corruptStore, "\(path) ends at \(offset + UInt64(done)), inside a record")
                    break
                }
                done += got
            }
            initialized = failure == nil ? count : 0
        }
        if let failure { throw failure }
        return output
    }

    /// Makes every write so far durable.
    func sync() throws(StoreError) {
        guard fdatasync(descriptor) == 0 else { throw Self.error("sync", path) }
    }

    func truncate(to length: UInt64) throws(StoreError) {
        guard ftruncate(descriptor, off_t(length)) == 0 else { throw Self.error("truncate", path) }
    }

    static func remove(_ path: String) throws(StoreError) {
        guard unlink(path) == 0 || errno == ENOENT else { throw error("remove", path) }
    }

    /// Syncs a directory, so that files created or removed in it survive a crash.
    static func syncDirectory(_ path: String) throws(StoreError) {
        let descriptor = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { throw error("open", path) }
        defer { close(descriptor) }
        guard fsync(descriptor) == 0 else { throw error("sync", path) }
    }

    private static func error(_ operation: String, _ path: String) -> StoreError {
        StoreError(.ioError, "cannot \(operation) \(path): \(String(cString: strerror(errno)))")
    }
}
