import Foundation

/// A file written under `<name>.partial` and moved into place only when complete, so a failed
/// or interrupted export never leaves a truncated file under the real name.
final class PartialFile {
    let path: String
    private let temporary: String
    private let handle: FileHandle

    init(path: String) throws {
        self.path = path
        temporary = path + ".partial"
        guard FileManager.default.createFile(atPath: temporary, contents: nil),
            let handle = FileHandle(forWritingAtPath: temporary)
        else { throw CommandFailure("cannot create \(path)") }
        self.handle = handle
    }

    func write(_ bytes: some DataProtocol) throws {
        try handle.write(contentsOf: bytes)
    }

    /// Closes the file and moves it into place, replacing what was there.
    func commit() throws {
        try handle.close()
        _ = try? FileManager.default.removeItem(atPath: path)
        try FileManager.default.moveItem(atPath: temporary, toPath: path)
    }

    /// Closes and removes the partial file.
    func discard() {
        try? handle.close()
        try? FileManager.default.removeItem(atPath: temporary)
    }
}
