import Hummingbird

/// Answers 405 with an `Allow` header for a method a known path does not take (RFC 9110
/// §15.5.6), where the router alone would say 404.
///
/// It looks only at requests the router found no route for, so matched requests pay nothing.
struct MethodNotAllowedMiddleware<Context: RequestContext>: RouterMiddleware {
    /// Path patterns (`*` is one segment, `**` the rest) and the methods each takes.
    let routes: [(pattern: [Substring], methods: [HTTPRequest.Method])]

    init(_ routes: [(String, [HTTPRequest.Method])]) {
        self.routes = routes.map { (pattern: $0.0.split(separator: "/"), methods: $0.1) }
    }

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HTTPError
            where error.status == .notFound && context.endpointPath ?? "NotFound" == "NotFound"
        {
            let segments = request.uri.path.split(separator: "/")
            for route in routes where Self.matches(route.pattern, segments) {
                if !route.methods.contains(request.method) {
                    var failure = HTTPFailure(.methodNotAllowed, "\(request.method) is not allowed here")
                    failure.headers[.allow] = route.methods.map(\.rawValue).joined(separator: ", ")
                    throw failure
                }
                break
            }
            throw error
        }
    }

    static func matches(_ pattern: [Substring], _ segments: [Substring]) -> Bool {
        for (index, part) in pattern.enumerated() {
            if part == "**" { return segments.count > index }
            guard index < segments.count, part == "*" || part == segments[index] else { return false }
        }
        return pattern.count == segments.count
    }
}
