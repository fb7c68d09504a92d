import Foundation

/// Loads a file from this target's `Vectors/` resources.
enum VectorFile {
    static func data(_ name: String) throws -> Data {
        guard let url = Bundle.module.url(forResource: name, withExtension: nil, subdirectory: "Vectors") else {
            throw CocoaError(.fileNoSuchFile, userInfo: [NSFilePathErrorKey: "Vectors/\(name)"])
        }
        return try Data(contentsOf: url)
    }

    /// The rows of one of multibase's test CSVs: (encoding name, encoded string), after the
    /// header, whose second column is the decoded input with `\x00` escapes.
    static func multibaseCSV(_ name: String) throws -> (input: [UInt8], rows: [(base: String, encoded: String)]) {
        let text = String(decoding: try data(name), as: UTF8.self)
        var lines = text.split(separator: "\n").map(String.init)
        let header = lines.removeFirst()
        let rows = lines.map { line -> (String, String) in
            let comma = line.firstIndex(of: ",")!
            return (String(line[..<comma]), unquote(line[line.index(after: comma)...]))
        }
        var input = Array(unquote(header[header.index(after: header.firstIndex(of: ",")!)...]).utf8)
        // The header writes NUL bytes as the four characters \x00.
        while let range = input.firstRange(of: Array(#"\x00"#.utf8)) {
            input.replaceSubrange(range, with: [0])
        }
        return (input, rows)
    }

    private static func unquote(_ text: Substring) -> String {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        return String(trimmed.dropFirst().dropLast())
    }
}
