import Foundation

/// The node's settings, read from `<repo>/node.json` (written by `cairn init` with every default
/// spelled out); a repository without one runs on these defaults.
///
/// Unknown keys are refused rather than ignored, so a misspelt setting is an error at start-up,
/// not a silent default. Every field is documented in `Specs/http.md`.
public struct NodeConfiguration: Codable, Sendable, Hashable {
    /// `host:port` to listen on. Loopback by default: exposing a node is a decision.
    public var listen: String
    /// Largest upload body in bytes (files, folders, CARs); larger ones get 413.
    public var maxUploadBytes: UInt64
    /// Largest JSON request body in bytes (pin requests).
    public var maxJSONBytes: Int
    /// Largest `meta` of a pin request, in bytes of its JSON; larger ones get 400.
    public var maxPinMetaBytes: Int
    /// Seconds a connection may take to send a request's headers (slow-header clients are cut off).
    public var headerTimeoutSeconds: Int
    /// Seconds a connection may sit with nothing read or written before it is closed.
    public var idleTimeoutSeconds: Int
    /// Most open connections; more wait in the listen backlog.
    public var maxConnections: Int
    /// Total size of a request's header fields in bytes; larger gets the connection closed.
    public var maxHeaderBytes: Int
    /// swift-log level: trace, debug, info, notice, warning, error, critical.
    public var logLevel: String
    /// Most milliseconds between a transaction's arrival and the block that holds it.
    public var blockIntervalMilliseconds: Int64

    public init(
        listen: String = "127.0.0.1:5080",
        maxUploadBytes: UInt64 = 4 << 30,
        maxJSONBytes: Int = 64 << 10,
        maxPinMetaBytes: Int = 4 << 10,
        headerTimeoutSeconds: Int = 10,
        idleTimeoutSeconds: Int = 60,
        maxConnections: Int = 1024,
        maxHeaderBytes: Int = 16 << 10,
        logLevel: String = "info",
        blockIntervalMilliseconds: Int64 = 1000
    ) {
        self.listen = listen
        self.maxUploadBytes = maxUploadBytes
        self.maxJSONBytes = maxJSONBytes
        self.maxPinMetaBytes = maxPinMetaBytes
        self.headerTimeoutSeconds = headerTimeoutSeconds
        self.idleTimeoutSeconds = idleTimeoutSeconds
        self.maxConnections = maxConnections
        self.maxHeaderBytes = maxHeaderBytes
        self.logLevel = logLevel
        self.blockIntervalMilliseconds = blockIntervalMilliseconds
    }

    private enum CodingKeys: String, CodingKey, CaseIterable {
        case listen, maxUploadBytes, maxJSONBytes, maxPinMetaBytes, headerTimeoutSeconds, idleTimeoutSeconds
        case maxConnections, maxHeaderBytes, logLevel, blockIntervalMilliseconds
    }

    public init(from decoder: any Decoder) throws {
        let defaults = NodeConfiguration()
        let container = try decoder.container(keyedBy: CodingKeys.self)
        listen = try container.decodeIfPresent(String.self, forKey: .listen) ?? defaults.listen
        maxUploadBytes = try container.decodeIfPresent(UInt64.self, forKey: .maxUploadBytes) ?? defaults.maxUploadBytes
        maxJSONBytes = try container.decodeIfPresent(Int.self, forKey: .maxJSONBytes) ?? defaults.maxJSONBytes
        maxPinMetaBytes =
            try container.decodeIfPresent(Int.self, forKey: .maxPinMetaBytes) ?? defaults.maxPinMetaBytes
        headerTimeoutSeconds =
            try container.decodeIfPresent(Int.self, forKey: .headerTimeoutSeconds) ?? defaults.headerTimeoutSeconds
        idleTimeoutSeconds =
            try container.decodeIfPresent(Int.self, forKey: .idleTimeoutSeconds) ?? defaults.idleTimeoutSeconds
        maxConnections = try container.decodeIfPresent(Int.self, forKey: .maxConnections) ?? defaults.maxConnections
        maxHeaderBytes = try container.decodeIfPresent(Int.self, forKey: .maxHeaderBytes) ?? defaults.maxHeaderBytes
        logLevel = try container.decodeIfPresent(String.self, forKey: .logLevel) ?? defaults.logLevel
        blockIntervalMilliseconds =
            try container.decodeIfPresent(Int64.self, forKey: .blockIntervalMilliseconds)
            ?? defaults.blockIntervalMilliseconds
    }

    /// The file's name inside a repository.
    public static let fileName = "node.json"

    /// Reads `<repository>/node.json`, or the defaults when there is none.
    ///
    /// - Throws: ``NodeError`` `.badConfiguration` naming the key or value that is wrong.
    public static func load(repository: String) throws(NodeError) -> NodeConfiguration {
        let path = repository + "/" + fileName
        guard let data = FileManager.default.contents(atPath: path) else { return NodeConfiguration() }
        let configuration: NodeConfiguration
        do {
            guard let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
                throw NodeError(.badConfiguration, "\(path) is not a JSON object")
            }
            let known = Set(CodingKeys.allCases.map(\.rawValue))
            if let unknown = object.keys.sorted().first(where: { !known.contains($0) }) {
                throw NodeError(.badConfiguration, "\(path): unknown setting \"\(unknown)\"")
            }
            configuration = try JSONDecoder().decode(NodeConfiguration.self, from: data)
        } catch let error as NodeError {
            throw error
        } catch {
            throw NodeError(.badConfiguration, "\(path) is not valid: \(error)")
        }
        try configuration.validate(source: path)
        return configuration
    }

    /// Writes the configuration with every key, sorted, for `cairn init`.
    public func write(repository: String) throws(NodeError) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        do {
            try encoder.encode(self).write(to: URL(fileURLWithPath: repository + "/" + Self.fileName), options: .atomic)
        } catch {
            throw NodeError(.ioError, "cannot write \(repository)/\(Self.fileName): \(error.localizedDescription)")
        }
    }

    /// The listen address split into host and port.
    public func hostAndPort() throws(NodeError) -> (host: String, port: Int) {
        guard let colon = listen.lastIndex(of: ":"), let port = Int(listen[listen.index(after: colon)...]),
            (0...65535).contains(port), colon != listen.startIndex
        else {
            throw NodeError(.badConfiguration, "listen address \"\(listen)\" is not host:port")
        }
        var host = String(listen[..<colon])
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        return (host, port)
    }

    /// Checks every value is in range.
    public func validate(source: String = "configuration") throws(NodeError) {
        _ = try hostAndPort()
        func check(_ ok: Bool, _ what: String) throws(NodeError) {
            if !ok { throw NodeError(.badConfiguration, "\(source): \(what)") }
        }
        try check(maxUploadBytes > 0, "maxUploadBytes must be positive")
        try check(maxJSONBytes >= 1024, "maxJSONBytes must be at least 1024")
        try check(maxPinMetaBytes > 0, "maxPinMetaBytes must be positive")
        try check(headerTimeoutSeconds > 0, "headerTimeoutSeconds must be positive")
        try check(idleTimeoutSeconds > 0, "idleTimeoutSeconds must be positive")
        try check(maxConnections > 0, "maxConnections must be positive")
        try check(maxHeaderBytes >= 1024, "maxHeaderBytes must be at least 1024")
        try check(
            (10...60_000).contains(blockIntervalMilliseconds), "blockIntervalMilliseconds must be 10 to 60000")
        try check(
            ["trace", "debug", "info", "notice", "warning", "error", "critical"].contains(logLevel),
            "logLevel \"\(logLevel)\" is not one of trace, debug, info, notice, warning, error, critical")
    }
}
