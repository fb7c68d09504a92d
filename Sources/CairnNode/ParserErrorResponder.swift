import HTTPTypes
import NIOCore
import NIOHTTP1
import NIOHTTPTypes

/// Gives the answer to a request the HTTP parser rejected a status and a body that say why.
///
/// Hummingbird answers any parse error with an empty 400 and closes; clients of the Pinning
/// Service API expect its JSON `Failure` body, and an oversized header section is better told
/// as 431 (RFC 6585). This handler sees the parser's error on its way in, then rewrites that
/// one empty answer on its way out. Every other response passes untouched.
final class ParserErrorResponder: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    private var failure: (status: HTTPResponse.Status, reason: String, details: String)?

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if let parserError = error as? HTTPParserError {
            switch parserError {
            case .headerOverflow:
                failure = (
                    HTTPResponse.Status(code: 431, reasonPhrase: "Request Header Fields Too Large"),
                    "HEADERS_TOO_LARGE", "the request line and headers are larger than this node accepts"
                )
            case .invalidURL:
                failure = (.badRequest, "BAD_REQUEST", "the request URL is not valid")
            default:
                failure = (.badRequest, "BAD_REQUEST", "the request is not valid HTTP/1.1 (\(parserError))")
            }
        }
        context.fireErrorCaught(error)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        guard let failure, case .head(var head) = unwrapOutboundIn(data), head.status == .badRequest,
            head.headerFields[.contentLength] == "0"
        else {
            context.write(data, promise: promise)
            return
        }
        self.failure = nil
        let body =
            #"{"error":{"reason":"# + JSONText.quote(failure.reason) + #","details":"#
            + JSONText.quote(failure.details) + "}}"
        head.status = failure.status
        head.headerFields[.contentType] = "application/json"
        head.headerFields[.contentLength] = String(body.utf8.count)
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        context.write(wrapOutboundOut(.body(context.channel.allocator.buffer(string: body))), promise: promise)
    }
}
