import Foundation

/// Where a running daemon is and how to talk to it: `<repo>/api.json`, mode 0600, written when
/// the daemon listens and removed when it stops.
///
/// The token is made fresh at each start and never stored elsewhere; whoever can read the
/// repository can already do anything to it, so reading this file is the CLI's authority.
/// A file left by a daemon killed with `kill -9` is detected by its process id being gone.
public struct DaemonEndpoint: Codable, Sendable, Hashable {
    public static let fileName = "api.json"

    public var url: String
    public var token: String
    public var pid: Int32

    public init(url: String, token: String, pid: Int32) {
        self.url = url
        self.token = token
        self.pid = pid
    }

    public static func path(repository: String) -> String { repository + "/" + fileName }

    /// Writes the file atomically with owner-only permissions.
    public func write(to path: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let temporary = path + ".tmp"
        guard
            FileManager.default.createFile(
                atPath: temporary, contents: try encoder.encode(self), attributes: [.posixPermissions: 0o600])
        else { throw CocoaError(.fileWriteUnknown) }
        if rename(temporary, path) != 0 { throw CocoaError(.fileWriteUnknown) }
    }

    /// The endpoint of the daemon running on `repository`, or nil when none is (no file, or a
    /// file whose process is gone).
    public static func running(repository: String) -> DaemonEndpoint? {
        guard let data = FileManager.default.contents(atPath: path(repository: repository)),
            let endpoint = try? JSONDecoder().decode(DaemonEndpoint.self, from: data)
        else { return nil }
        guard kill(endpoint.pid, 0) == 0 || errno == EPERM else { return nil }
        return endpoint
    }
}
