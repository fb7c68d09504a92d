import Foundation
import Hummingbird
import NIOCore

/// The node's JSON answers, made one way: `Content-Type: application/json`, keys sorted.
enum JSONResponse {
    /// An `Encodable` value (ISO 8601 dates, as records are stored).
    static func encoding(_ value: some Encodable, status: HTTPResponse.Status = .ok) throws -> Response {
        bytes(Array(try JSONEncoder.sorted.encode(value)), status: status)
    }

    /// A dictionary of JSON values (numbers, strings, booleans, arrays, objects).
    static func object(_ object: [String: Any], status: HTTPResponse.Status = .ok) throws -> Response {
        bytes(Array(try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])), status: status)
    }

    /// JSON text already built (the Pinning Service API's objects, written field by field).
    static func text(_ text: String, status: HTTPResponse.Status = .ok) -> Response {
        bytes(Array(text.utf8), status: status)
    }

    private static func bytes(_ bytes: [UInt8], status: HTTPResponse.Status) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
    }
}

/// A `true`/`false` query parameter (`1`/`0` too); anything else is a 400 naming the parameter.
enum QueryFlag {
    static func parse(_ value: String?, default defaultValue: Bool, name: String) throws -> Bool {
        switch value {
        case nil: return defaultValue
        case "true", "1": return true
        case "false", "0": return false
        case let other?: throw HTTPFailure(.badRequest, "\(name) must be true or false, not \"\(other.prefix(20))\"")
        }
    }
}
