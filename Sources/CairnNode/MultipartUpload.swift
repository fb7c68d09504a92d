import Foundation
import NIOCore

/// Feeds a `multipart/form-data` body (files and folders, as `ipfs add` and browsers send them)
/// into an ``UploadSession``, part by part, as the bytes arrive.
///
/// Every part is a form field named `file` (others are refused), as `ipfs add` and an HTML
/// `<input type=file name=file multiple>` send them. Each part is a file named by its `filename` (a relative path such as `photos/a.jpg`,
/// percent-encoded or not), a folder when its `Content-Type` is `application/x-directory`, or a
/// symbolic link (its body the target) for `application/symlink`, as kubo's client sends them.
/// ``MultipartStreamParser`` finds the parts as the bytes arrive. Used like the session: one
/// step at a time.
final class MultipartUpload: @unchecked Sendable {
    static let maxParts = 100_000

    private var parser: MultipartStreamParser
    private let session: UploadSession
    private let defaultName: String
    private var inPart = false
    private var partIsFolder = false
    private var partIsSymlink = false
    private var symlinkTarget: [UInt8] = []
    private var partPath: [String] = []
    private var parts = 0
    private(set) var completedParts = 0

    init(boundary: String, session: UploadSession, defaultName: String) {
        self.parser = MultipartStreamParser(boundary: boundary)
        self.session = session
        self.defaultName = defaultName
    }

    /// Whether the closing delimiter has been read.
    var isComplete: Bool { parser.isFinished }

    /// Parses the next piece of the body.
    func execute(_ buffer: ByteBuffer) throws {
        let events: [MultipartStreamParser.Event]
        do { events = try parser.feed(buffer.readableBytesView) } catch {
            throw UploadFailure("the multipart body is malformed: \(error.reason)")
        }
        for event in events {
            switch event {
            case .headers(let headers):
                try begin(headers)
            case .body(let bytes):
                if partIsSymlink {
                    symlinkTarget += bytes
                    if symlinkTarget.count > 4096 { throw UploadFailure("a symlink target is longer than 4096 bytes") }
                } else if !partIsFolder {
                    try session.append(ByteBuffer(bytes: bytes))
                }
            case .partEnd:
                if partIsFolder {
                    try session.addFolder(path: partPath)
                } else if partIsSymlink {
                    try session.addSymlink(path: partPath, target: String(decoding: symlinkTarget, as: UTF8.self))
                } else {
                    try session.finishFile(path: partPath)
                }
                completedParts += 1
                inPart = false
            case .end:
                break
            }
        }
    }

    private func begin(_ headers: [(name: String, value: String)]) throws {
        inPart = true
        parts += 1
        guard parts <= Self.maxParts else { throw UploadFailure("more than \(Self.maxParts) parts") }
        let disposition = headers.last { $0.name == "content-disposition" }?.value ?? ""
        let type = headers.last { $0.name == "content-type" }?.value.lowercased() ?? ""
        let field = Self.parameter("name", in: disposition)
        guard field == "file" else {
            throw UploadFailure(
                "unexpected form field \"\((field ?? "").prefix(40))\": send every file, folder and symlink as a \"file\" part"
            )
        }
        let filename = Self.parameter("filename", in: disposition)
        partIsFolder = type.hasPrefix("application/x-directory")
        partIsSymlink = type.hasPrefix("application/symlink")
        symlinkTarget = []
        if let filename {
            partPath = try UploadSession.path(of: filename)
        } else if partIsFolder {
            throw UploadFailure("a folder part has no filename")
        } else {
            partPath = [defaultName]
        }
        if !partIsFolder && !partIsSymlink { session.startFile() }
    }

    /// A parameter of a `Content-Disposition` value, quoted or not.
    static func parameter(_ wanted: String, in header: String) -> String? {
        var rest = Substring(header)
        while let semicolon = rest.firstIndex(of: ";") {
            rest = rest[rest.index(after: semicolon)...].drop { $0 == " " || $0 == "\t" }
            guard let equals = rest.firstIndex(of: "=") else { return nil }
            let key = rest[..<equals].trimmingCharacters(in: .whitespaces).lowercased()
            var value = rest[rest.index(after: equals)...]
            var result: String
            if value.first == "\"" {
                value = value.dropFirst()
                result = ""
                var escaped = false
                var end = value.endIndex
                for index in value.indices {
                    let character = value[index]
                    if escaped {
                        result.append(character)
                        escaped = false
                    } else if character == "\\" {
                        escaped = true
                    } else if character == "\"" {
                        end = index
                        break
                    } else {
                        result.append(character)
                    }
                }
                rest = end < value.endIndex ? value[value.index(after: end)...] : value[value.endIndex...]
            } else {
                let end = value.firstIndex(of: ";") ?? value.endIndex
                result = value[..<end].trimmingCharacters(in: .whitespaces)
                rest = value[end...]
            }
            if key == wanted { return result }
        }
        return nil
    }
}
