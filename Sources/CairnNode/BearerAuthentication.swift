import Foundation
import Hummingbird
import NIOPosix

/// Requires `Authorization: Bearer <token>` on the routes it guards: a token from
/// ``AccessTokenStore``, or the daemon's local token (written to `<repo>/api` for the CLI,
/// new at every start, never stored in the index).
///
/// With `adminOnly`, only the local token passes (403 for other valid tokens): minting tokens,
/// garbage collection and local pins are the operator's, not every API client's.
///
/// A missing or unknown token gets 401 with the Pinning Service API's `Failure` body and a
/// `WWW-Authenticate: Bearer` challenge (RFC 6750).
struct BearerAuthentication<Context: RequestContext>: RouterMiddleware {
    let tokens: AccessTokenStore
    /// SHA-256 of the local token: comparing digests keeps the comparison's timing from
    /// revealing how much of a guess was right.
    let localTokenDigest: [UInt8]

    let adminOnly: Bool

    init(tokens: AccessTokenStore, localToken: String, adminOnly: Bool = false) {
        self.tokens = tokens
        self.adminOnly = adminOnly
        self.localTokenDigest = AccessTokenStore.key(localToken)
    }

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        guard let header = request.headers[.authorization] else {
            throw Self.unauthorized("no access token: send Authorization: Bearer <token>")
        }
        let parts = header.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else {
            throw Self.unauthorized("the Authorization header is not a Bearer token")
        }
        let token = String(parts[1]).trimmingCharacters(in: .whitespaces)
        if AccessTokenStore.key(token) != localTokenDigest {
            let tokens = self.tokens
            if adminOnly {
                guard try await blocking({ try tokens.verify(token) }) != nil else {
                    throw Self.unauthorized("the access token is not valid (unknown or revoked)")
                }
                throw HTTPFailure(.forbidden, "this route takes the node's local token (from <repo>/api.json)")
            }
            guard try await blocking({ try tokens.verify(token) }) != nil else {
                throw Self.unauthorized("the access token is not valid (unknown or revoked)")
            }
        }
        return try await next(request, context)
    }

    static func unauthorized(_ details: String) -> HTTPFailure {
        var failure = HTTPFailure(.unauthorized, details)
        failure.headers[.wwwAuthenticate] = "Bearer"
        return failure
    }
}
