import CairnClient
import Foundation

extension RepositoryOptions {
    /// The daemon that holds this repository, when one is running: commands then go through its
    /// API instead of opening the repository (which its lock would refuse).
    var daemon: NodeClient? {
        DaemonEndpoint.running(repository: path).map { NodeClient(endpoint: $0) }
    }
}

extension NodeClient {
    /// Sends a request to the node API and decodes its JSON answer; a failure becomes a
    /// ``CommandFailure`` carrying the node's own message.
    func json(
        _ method: String, _ path: String, query: [String: String] = [:], body: Data? = nil
    ) async throws -> Any {
        let answer = try await send(method, path, query: query, body: body)
        try answer.check()
        if answer.body.isEmpty { return [String: Any]() }
        return try JSONSerialization.jsonObject(with: answer.body)
    }
}

extension NodeClient.Answer {
    /// Throws the node's message unless the status is 2xx.
    func check() throws {
        guard (200..<300).contains(status) else { throw CommandFailure("the daemon says: \(failureMessage)") }
    }
}

/// A `multipart/form-data` body built from files on disk and read as the server takes it:
/// folders as `application/x-directory` parts, symlinks as `application/symlink`, files in
/// 1 MiB pieces. Pulled by one upload at a time.
final class MultipartFileBody: @unchecked Sendable {
    enum Part {
        case file(name: String, path: String)
        case folder(name: String)
        case symlink(name: String, target: String)
    }

    static let boundary = "cairn-" + UUID().uuidString
    static var contentType: String { "multipart/form-data; boundary=\(boundary)" }

    private var parts: [Part]
    private var handle: FileHandle?
    private var finished = false

    init(parts: [Part]) {
        self.parts = parts.reversed()
    }

    /// The next piece of the body, nil at the end.
    func next() throws -> Data? {
        if let handle {
            let chunk = try handle.read(upToCount: 1 << 20) ?? Data()
            if !chunk.isEmpty { return chunk }
            try handle.close()
            self.handle = nil
            return Data("\r\n".utf8)
        }
        guard let part = parts.popLast() else {
            if finished { return nil }
            finished = true
            return Data("--\(Self.boundary)--\r\n".utf8)
        }
        switch part {
        case .file(let name, let path):
            guard let opened = FileHandle(forReadingAtPath: path) else { throw CommandFailure("cannot read \(path)") }
            handle = opened
            return header(name, type: "application/octet-stream")
        case .folder(let name):
            return header(name, type: "application/x-directory") + Data("\r\n".utf8)
        case .symlink(let name, let target):
            return header(name, type: "application/symlink") + Data(target.utf8) + Data("\r\n".utf8)
        }
    }

    private func header(_ name: String, type: String) -> Data {
        let encoded = NodeClient.encode(name).replacingOccurrences(of: "%2F", with: "/")
        return Data(
            ("--\(Self.boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"\(encoded)\"\r\n"
                + "Content-Type: \(type)\r\n\r\n").utf8)
    }
}
