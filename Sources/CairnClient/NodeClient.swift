import AsyncHTTPClient
public import Foundation
import NIOCore
import NIOFoundationCompat
import NIOHTTP1

/// Talks to a running `cairn daemon` over its HTTP API: what the CLI uses when a daemon holds
/// the repository (LevelDB lets one process in at a time).
///
/// AsyncHTTPClient is the client because `cairn pin remote` must also reach pinning services
/// over TLS, which only it (of the packages on the list) provides with streaming bodies.
public final class NodeClient: Sendable {
    public let baseURL: String
    let token: String?
    let client: HTTPClient

    public init(baseURL: String, token: String?) {
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.token = token
        self.client = HTTPClient(
            eventLoopGroupProvider: .singleton,
            configuration: HTTPClient.Configuration(redirectConfiguration: .disallow))
    }

    public convenience init(endpoint: DaemonEndpoint) {
        self.init(baseURL: endpoint.url, token: endpoint.token)
    }

    deinit {
        try? client.syncShutdown()
    }

    /// One answer, body collected.
    public struct Answer: Sendable {
        public let status: Int
        public let headers: [(String, String)]
        public let body: Data

        /// The `details` of a JSON `Failure` body, else the body as text.
        public var failureMessage: String {
            if let object = try? JSONSerialization.jsonObject(with: body) as? [String: Any],
                let error = object["error"] as? [String: Any], let details = error["details"] as? String
            {
                return details
            }
            return String(decoding: body, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        }
    }

    /// Sends a request and collects the answer (at most `limit` bytes of body).
    public func send(
        _ method: String,
        _ path: String,
        query: [String: String] = [:],
        headers: [(String, String)] = [],
        body: Data? = nil,
        limit: Int = 64 << 20
    ) async throws -> Answer {
        var request = makeRequest(method, path, query: query, headers: headers)
        if let body { request.body = .bytes(ByteBuffer(data: body)) }
        let response = try await client.execute(request, timeout: .hours(24))
        let bytes = try await response.body.collect(upTo: limit)
        return Answer(
            status: Int(response.status.code), headers: response.headers.map { ($0.name, $0.value) },
            body: Data(buffer: bytes))
    }

    /// Sends a request whose body comes from `chunks` (pulled as the server takes them).
    public func upload(
        _ path: String,
        query: [String: String],
        contentType: String,
        chunks: @escaping @Sendable () async throws -> Data?
    ) async throws -> Answer {
        var request = makeRequest("POST", path, query: query, headers: [("Content-Type", contentType)])
        let stream = AsyncThrowingStream<ByteBuffer, any Error> {
            try await chunks().map { ByteBuffer(data: $0) }
        }
        request.body = .stream(stream, length: .unknown)
        let response = try await client.execute(request, timeout: .hours(24))
        let bytes = try await response.body.collect(upTo: 64 << 20)
        return Answer(
            status: Int(response.status.code), headers: response.headers.map { ($0.name, $0.value) },
            body: Data(buffer: bytes))
    }

    /// Streams a response body to `body`, piece by piece; returns the status and headers.
    ///
    /// A status other than 2xx collects the body (for its message) instead of streaming it.
    public func download(
        _ path: String,
        query: [String: String] = [:],
        headers: [(String, String)] = [],
        _ body: (UnsafeRawBufferPointer) throws -> Void
    ) async throws -> Answer {
        let request = makeRequest("GET", path, query: query, headers: headers)
        let response = try await client.execute(request, timeout: .hours(24))
        let status = Int(response.status.code)
        let responseHeaders = response.headers.map { ($0.name, $0.value) }
        guard (200..<300).contains(status) else {
            let bytes = try await response.body.collect(upTo: 1 << 20)
            return Answer(status: status, headers: responseHeaders, body: Data(buffer: bytes))
        }
        for try await piece in response.body { try piece.withUnsafeReadableBytes { try body($0) } }
        return Answer(status: status, headers: responseHeaders, body: Data())
    }

    private func makeRequest(
        _ method: String, _ path: String, query: [String: String], headers: [(String, String)]
    ) -> HTTPClientRequest {
        var url = baseURL + path
        if !query.isEmpty {
            url +=
                "?"
                + query.sorted { $0.key < $1.key }.map {
                    Self.encode($0.key) + "=" + Self.encode($0.value, keeping: ",")
                }
                .joined(separator: "&")
        }
        var request = HTTPClientRequest(url: url)
        request.method = HTTPMethod(rawValue: method)
        if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        return request
    }

    /// Percent-encodes a query component or path segment (RFC 3986 unreserved characters pass).
    ///
    /// - Parameter keeping: more characters to leave as they are (`,` in query values, which
    ///   separates the items of a form-style list).
    public static func encode(_ text: String, keeping: String = "") -> String {
        var allowed = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
        allowed.insert(charactersIn: "-._~" + keeping)
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }
}
