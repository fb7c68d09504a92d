public import CAR
import Foundation

/// A CAR read from a file (or standard input, for "-"), for ``CARImporter``.
public struct FileInput: CARInput {
    private let handle: FileHandle
    private let path: String

    public init(path: String) throws {
        self.path = path
        if path == "-" {
            handle = FileHandle.standardInput
        } else {
            guard let handle = FileHandle(forReadingAtPath: path) else {
                throw StoreError(.notFound, "cannot open \(path)")
            }
            self.handle = handle
        }
    }

    public mutating func read(upTo count: Int) throws -> [UInt8] {
        do {
            return [UInt8](try handle.read(upToCount: count) ?? Data())
        } catch {
            throw StoreError(.ioError, "cannot read \(path): \(error.localizedDescription)")
        }
    }
}
