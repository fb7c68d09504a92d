import AsyncHTTPClient
import Foundation
import NIOCore
import NIOFoundationCompat
import NIOHTTP1

/// One HTTP request and its whole answer, through AsyncHTTPClient, for the end-to-end tests.
struct HTTPExchange {
    /// Redirects are the gateway's to make and the test's to check, never followed. Lives for
    /// the whole test process, so it is never shut down.
    static let client = HTTPClient(
        eventLoopGroupProvider: .singleton,
        configuration: HTTPClient.Configuration(redirectConfiguration: .disallow))

    struct Answer: Sendable {
        let status: Int
        let headers: HTTPHeaders
        let body: Data
        var text: String { String(decoding: body, as: UTF8.self) }
        func header(_ name: String) -> String? { headers.first(name: name) }
        var json: Any? { try? JSONSerialization.jsonObject(with: body) }
        var object: [String: Any] { (json as? [String: Any]) ?? [:] }
    }

    static func send(
        _ method: HTTPMethod = .GET,
        _ url: String,
        headers: [(String, String)] = [],
        body: Data? = nil,
        token: String? = nil
    ) async throws -> Answer {
        var request = HTTPClientRequest(url: url)
        request.method = method
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        if let body { request.body = .bytes(ByteBuffer(data: body)) }
        let response = try await client.execute(request, timeout: .seconds(120))
        let bytes = try await response.body.collect(upTo: 2 << 30)
        return Answer(status: Int(response.status.code), headers: response.headers, body: Data(buffer: bytes))
    }

    /// A `multipart/form-data` body with one part per (file name, bytes), and its content type.
    static func multipart(_ files: [(String, Data)], folders: [String] = []) -> (contentType: String, body: Data) {
        let boundary = "cairn-test-boundary-7d2f"
        var body = Data()
        for folder in folders {
            body += Data(
                "--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"\(folder)\"\r\n".utf8)
            body += Data("Content-Type: application/x-directory\r\n\r\n\r\n".utf8)
        }
        for (name, bytes) in files {
            body += Data(
                "--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"\(name)\"\r\n".utf8)
            body += Data("Content-Type: application/octet-stream\r\n\r\n".utf8)
            body += bytes
            body += Data("\r\n".utf8)
        }
        body += Data("--\(boundary)--\r\n".utf8)
        return ("multipart/form-data; boundary=\(boundary)", body)
    }
}

/// A plain TCP connection for requests no well-behaved client sends: slow headers, huge
/// headers, bodies cut short.
final class RawConnection {
    private let socket: Int32

    init(url: String) throws {
        let address = url.replacingOccurrences(of: "http://", with: "")
        let parts = address.split(separator: ":")
        let port = UInt16(parts[1])!
        socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var sockaddr = sockaddr_in()
        sockaddr.sin_family = sa_family_t(AF_INET)
        sockaddr.sin_port = port.bigEndian
        sockaddr.sin_addr.s_addr = inet_addr("127.0.0.1")
        let result = withUnsafePointer(to: &sockaddr) {
            $0.withMemoryRebound(to: Glibc.sockaddr.self, capacity: 1) {
                connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard result == 0 else { throw POSIXError(.ECONNREFUSED) }
        var timeout = timeval(tv_sec: 30, tv_usec: 0)
        setsockopt(socket, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    }

    deinit { close(socket) }

    /// Sends bytes; false once the peer has closed the connection.
    @discardableResult
    func send(_ text: String) -> Bool { send(Data(text.utf8)) }

    @discardableResult
    func send(_ data: Data) -> Bool {
        data.withUnsafeBytes { buffer in
            var sent = 0
            while sent < buffer.count {
                let count = Glibc.send(socket, buffer.baseAddress! + sent, buffer.count - sent, Int32(MSG_NOSIGNAL))
                if count <= 0 { return false }
                sent += count
            }
            return true
        }
    }

    /// Reads until at least `count` bytes have come (or the peer closes, or the timeout).
    func read(atLeast count: Int) -> Data {
        var output = Data()
        var buffer = [UInt8](repeating: 0, count: 65536)
        while output.count < count {
            let received = recv(socket, &buffer, buffer.count, 0)
            if received <= 0 { break }
            output.append(contentsOf: buffer[0..<received])
        }
        return output
    }

    /// Reads until the peer closes (or the 30 s timeout); the bytes.
    func readAllData() -> Data { read(atLeast: Int.max) }

    /// Reads until the peer closes (or the 30 s timeout); what it said.
    func readToEnd() -> String {
        var output = Data()
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = recv(socket, &buffer, buffer.count, 0)
            if count <= 0 { break }
            output.append(contentsOf: buffer[0..<count])
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// Closes the connection abruptly (RST), as a client that vanishes.
    func abort() {
        var linger = Glibc.linger(l_onoff: 1, l_linger: 0)
        setsockopt(socket, SOL_SOCKET, SO_LINGER, &linger, socklen_t(MemoryLayout<Glibc.linger>.size))
        shutdown(socket, Int32(SHUT_RDWR))
    }
}
