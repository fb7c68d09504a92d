import Foundation
import JCS

/// Reads a file from this target's `Vectors/` folder.
enum Vector {
    static func bytes(_ path: String) throws -> [UInt8] {
        guard let root = Bundle.module.url(forResource: "Vectors", withExtension: nil) else {
            throw VectorMissing(path: "Vectors")
        }
        let url = root.appendingPathComponent(path)
        guard let data = FileManager.default.contents(atPath: url.path) else { throw VectorMissing(path: path) }
        return Array(data)
    }

    /// A text vector without its trailing newline, if any.
    static func text(_ path: String) throws -> String {
        var text = String(decoding: try bytes(path), as: UTF8.self)
        while text.hasSuffix("\n") { text.removeLast() }
        return text
    }

    static func json(_ path: String) throws -> JSONValue { try JSONParser.parse(try bytes(path)) }

    static func object(_ path: String) throws -> JSONObject {
        guard case .object(let object) = try json(path) else { throw VectorMissing(path: path + " (not an object)") }
        return object
    }
}

struct VectorMissing: Error {
    let path: String
}
