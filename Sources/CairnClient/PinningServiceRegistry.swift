import Foundation

/// Remote Pinning Service API endpoints the user has named (`cairn pin remote service add`),
/// kept in `<repo>/pinning-services.json` with owner-only permissions, since it holds tokens.
public struct PinningServiceRegistry: Sendable {
    public struct Service: Codable, Sendable, Hashable {
        public var name: String
        public var endpoint: String
        public var token: String
    }

    public static let fileName = "pinning-services.json"
    public let path: String

    public init(repository: String) {
        path = repository + "/" + Self.fileName
    }

    public func list() throws -> [Service] {
        guard let data = FileManager.default.contents(atPath: path) else { return [] }
        return try JSONDecoder().decode([Service].self, from: data).sorted { $0.name < $1.name }
    }

    public func service(named name: String) throws -> Service? {
        try list().first { $0.name == name }
    }

    /// Adds or replaces the service called `name`.
    public func add(name: String, endpoint: String, token: String) throws {
        guard let url = URL(string: endpoint), url.scheme == "http" || url.scheme == "https", url.host != nil else {
            throw RegistryError("\(endpoint) is not an http(s) URL")
        }
        var services = try list().filter { $0.name != name }
        services.append(Service(name: name, endpoint: endpoint, token: token))
        try write(services)
    }

    public func remove(name: String) throws {
        let services = try list()
        guard services.contains(where: { $0.name == name }) else { throw RegistryError("no service named \(name)") }
        try write(services.filter { $0.name != name })
    }

    private func write(_ services: [Service]) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let directory = (path as NSString).deletingLastPathComponent
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let temporary = path + ".tmp"
        guard
            FileManager.default.createFile(
                atPath: temporary, contents: try encoder.encode(services), attributes: [.posixPermissions: 0o600])
        else { throw RegistryError("cannot write \(path)") }
        guard rename(temporary, path) == 0 else { throw RegistryError("cannot write \(path)") }
    }
}

public struct RegistryError: Error, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}
