public import Hummingbird
import NIOCore

/// An HTTP error answer: the status, and a body that names what is wrong.
///
/// API routes answer with the Pinning Service API's `Failure` object,
/// `{"error": {"reason": "BAD_REQUEST", "details": "…"}}`; gateway routes with the details as
/// plain text, which is what a browser shows.
public struct HTTPFailure: HTTPResponseError, Sendable {
    public let status: HTTPResponse.Status
    public let reason: String
    public let details: String
    public let plainText: Bool
    public var headers: HTTPFields = [:]

    init(_ status: HTTPResponse.Status, _ details: String, reason: String? = nil, plainText: Bool = false) {
        self.status = status
        self.details = details
        self.plainText = plainText
        self.reason = reason ?? Self.defaultReason(status)
    }

    /// A service's refusal as an answer: not found → 404, a bad argument or setting → 400, a
    /// conflict → 409, anything else → 500 with its message.
    init(_ error: NodeError) {
        switch error.code {
        case .notFound: self.init(.notFound, error.message)
        case .invalidArgument, .badConfiguration: self.init(.badRequest, error.message)
        case .conflict: self.init(.conflict, error.message)
        default: self.init(.internalServerError, error.message)
        }
    }

    static func gateway(_ status: HTTPResponse.Status, _ details: String) -> HTTPFailure {
        HTTPFailure(status, details, plainText: true)
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        var headers = self.headers
        let body: ByteBuffer
        if plainText {
            headers[.contentType] = "text/plain; charset=utf-8"
            body = ByteBuffer(string: details + "\n")
        } else {
            headers[.contentType] = "application/json"
            body = ByteBuffer(
                string: #"{"error":{"reason":"# + JSONText.quote(reason) + #","details":"#
                    + JSONText.quote(details) + "}}")
        }
        headers[.contentLength] = String(body.readableBytes)
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: body))
    }

    static func defaultReason(_ status: HTTPResponse.Status) -> String {
        switch status.code {
        case 400: "BAD_REQUEST"
        case 401: "UNAUTHORIZED"
        case 403: "FORBIDDEN"
        case 404: "NOT_FOUND"
        case 405: "METHOD_NOT_ALLOWED"
        case 406: "NOT_ACCEPTABLE"
        case 409: "INSUFFICIENT_FUNDS"
        case 413: "PAYLOAD_TOO_LARGE"
        case 415: "UNSUPPORTED_MEDIA_TYPE"
        case 507: "INSUFFICIENT_STORAGE"
        case 500...: "INTERNAL_SERVER_ERROR"
        default: "ERROR_\(status.code)"
        }
    }
}

/// JSON string quoting for hand-built bodies.
enum JSONText {
    static func quote(_ string: String) -> String {
        var output = "\""
        for scalar in string.unicodeScalars {
            switch scalar {
            case "\"": output += "\\\""
            case "\\": output += "\\\\"
            case "\n": output += "\\n"
            case "\r": output += "\\r"
            case "\t": output += "\\t"
            case let c where c.value < 0x20:
                output += "\\u" + String(c.value, radix: 16).leftPadded(to: 4)
            default: output.unicodeScalars.append(scalar)
            }
        }
        return output + "\""
    }
}
