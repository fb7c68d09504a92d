import Foundation
public import Hummingbird
import HummingbirdCore
public import LocalStore
public import Logging
import NIOCore
import NIOPosix
import Synchronization

/// Builds the node's HTTP application: one listener serving the gateway, the Pinning Service
/// API, uploads, the node API, delegated routing, `/metrics` and `/healthz`, with the pin queue
/// running beside it in the application's service group.
///
/// `@main` code only runs what this returns (Hummingbird's `buildApplication` pattern), so tests
/// can build the same application. Hummingbird on SwiftNIO is the server because it is the
/// smallest well-kept stack on the list that streams request and response bodies.
public enum NodeApplication {
    /// Where the running node can be reached, known once the listener is bound.
    public final class Addresses: Sendable {
        private let state = Mutex<(url: String, multiaddrs: [String])>(("", []))

        public init() {}

        public var url: String { state.withLock { $0.url } }
        public var multiaddrs: [String] { state.withLock { $0.multiaddrs } }

        func set(host: String, port: Int) {
            let url = host.contains(":") ? "http://[\(host)]:\(port)" : "http://\(host):\(port)"
            let family = host.contains(":") ? "ip6" : "ip4"
            state.withLock { $0 = (url, ["/\(family)/\(host)/tcp/\(port)/http"]) }
        }
    }

    /// Builds the application and runs it until SIGTERM or SIGINT; in-flight requests finish,
    /// then the services stop.
    public static func run(
        repository: Repository,
        identity: NodeIdentity,
        configuration: NodeConfiguration,
        localToken: String,
        logger: Logger,
        onRunning: @escaping @Sendable (String) async -> Void = { _ in }
    ) async throws {
        let application = try build(
            repository: repository, identity: identity, configuration: configuration, localToken: localToken,
            logger: logger, onRunning: onRunning)
        try await application.runService()  // SIGTERM and SIGINT by default
    }

    /// - Parameters:
    ///   - localToken: the token the CLI uses; accepted on every guarded route.
    ///   - onRunning: called with the node's URL once it listens (the daemon writes `<repo>/api`).
    public static func build(
        repository: Repository,
        identity: NodeIdentity,
        configuration: NodeConfiguration,
        localToken: String,
        logger: Logger,
        onRunning: @escaping @Sendable (String) async -> Void = { _ in }
    ) throws(NodeError) -> some ApplicationProtocol {
        let (host, port) = try configuration.hostAndPort()
        let metrics = NodeMetrics()
        let addresses = Addresses()
        let requests = PinRequestStore(repository: repository)
        let queue = PinQueue(requests: requests, repository: repository, logger: logger)
        let tokens = AccessTokenStore(repository: repository)
        let ledger: LedgerEngine
        do {
            ledger = try LedgerEngine(
                repository: repository, identity: identity,
                interval: .milliseconds(configuration.blockIntervalMilliseconds), logger: logger)
        } catch let error as NodeError {
            throw error
        } catch {
            throw NodeError(.ioError, "cannot open the ledger: \(error)")
        }

        let router = Router()
        router.add(middleware: RequestMetricsMiddleware(metrics: metrics))
        router.add(
            middleware: MethodNotAllowedMiddleware([
                ("/ipfs/**", [.get, .head]), ("/pins", [.get, .post]), ("/pins/*", [.get, .post, .delete]),
                ("/routing/v1/providers/*", [.get]), ("/metrics", [.get]), ("/healthz", [.get]),
                ("/api/v1/add", [.post]), ("/api/v1/pins", [.get]), ("/api/v1/pins/*", [.post, .delete]),
                ("/api/v1/gc", [.post]), ("/api/v1/repo/stat", [.get]), ("/api/v1/id", [.get]),
                ("/api/v1/tokens", [.get, .post]), ("/api/v1/tokens/*", [.delete]),
                ("/api/v1/ledger/transactions", [.post]), ("/api/v1/ledger/status", [.get]),
                ("/api/v1/ledger/blocks/*", [.get]), ("/api/v1/ledger/blocks/stream", [.get]),
                ("/api/v1/ledger/accounts/*", [.get]),
                ("/api/v1/ledger/transactions/*", [.get]), ("/api/v1/ledger/tokens/*/*", [.get]),
                ("/api/v1/ledger/credentials/*", [.get]), ("/credentials/issue", [.post]),
                ("/credentials/status", [.post]), ("/credentials/verify", [.post]), ("/presentations/verify", [.post]),
                ("/status-lists/*", [.get]), ("/api/v1/credentials/verify", [.post]),
                ("/api/v1/credentials/bundle", [.post]),
                ("/api/v1/credentials/anchor", [.post]),
            ]))

        let gateway = Gateway(repository: repository)
        for method in [HTTPRequest.Method.get, .head] {
            router.on("/ipfs/**", method: method) { request, context in
                try await gateway.handle(request, context: context)
            }
        }
        router.get("/healthz") { _, _ in
            let statistics = repository.blocks.statistics
            return "ok \(statistics.blocks) blocks\n"
        }
        router.get("/metrics") { _, _ in
            let counts = try await blocking { () throws -> [PinRequest.Status: Int] in
                var counts: [PinRequest.Status: Int] = [:]
                for request in try requests.all() { counts[request.status, default: 0] += 1 }
                return counts
            }
            let text = try await blocking { try metrics.render(repository: repository, pinRequests: counts) }
            var headers = HTTPFields()
            headers[.contentType] = "text/plain; version=0.0.4; charset=utf-8"
            return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: text)))
        }
        DelegatedRouting(repository: repository, identity: identity, addresses: addresses).register(on: router)
        LedgerAPI(engine: ledger).register(on: router)
        let service: CredentialService
        do { service = try CredentialService(repository: repository, ledger: ledger, key: identity.privateKey) } catch {
            throw NodeError(.ioError, "cannot open the credential issuer: \(error)")
        }
        let credentials = CredentialAPI(service: service, maxJSONBytes: configuration.maxJSONBytes)
        credentials.registerPublic(on: router)

        let authentication = BearerAuthentication<BasicRequestContext>(tokens: tokens, localToken: localToken)
        let pins = router.group("/pins").add(middleware: authentication)
        PinningServiceAPI(
            requests: requests, queue: queue, configuration: configuration, addresses: addresses
        ).register(on: pins)

        credentials.registerIssuing(on: router.group("/credentials").add(middleware: authentication))

        let upload = UploadHandler(repository: repository, configuration: configuration, metrics: metrics)
        router.group("/api/v1/add").add(middleware: authentication).post { request, context in
            try await upload.handle(request, context: context)
        }
        let admin = router.group("/api/v1").add(
            middleware: BearerAuthentication<BasicRequestContext>(
                tokens: tokens, localToken: localToken, adminOnly: true))
        NodeAPI(
            repository: repository, identity: identity, addresses: addresses, metrics: metrics, tokens: tokens
        ).register(on: admin)
        credentials.registerAdmin(on: admin)

        var http = HTTP1Channel.Configuration(
            additionalChannelHandlers: [
                ParserErrorResponder(),
                HeaderTimeoutHandler(timeout: .seconds(Int64(configuration.headerTimeoutSeconds))),
                FlushBeforeCloseHandler(),
            ],
            idleTimeout: .seconds(Int64(configuration.idleTimeoutSeconds)))
        http.httpDecoder = .init(
            maxHeaderFieldSize: configuration.maxHeaderBytes, maxHeaderListSize: configuration.maxHeaderBytes,
            maxHeaderFieldCount: 200)
        var server = ApplicationConfiguration(
            address: .hostname(host, port: port), serverName: "cairn/\(CairnVersion.string)")
        server.availableConnectionsDelegate = MaximumAvailableConnections(configuration.maxConnections)
        return Application(
            router: router,
            server: .http1(configuration: http),
            configuration: server,
            services: [queue, ledger],
            onServerRunning: { channel in
                let boundPort = channel.localAddress?.port ?? port
                addresses.set(host: host, port: boundPort)
                logger.info(
                    "node listening",
                    metadata: ["url": "\(addresses.url)", "peer": "\(identity.peerID)", "repo": "\(repository.path)"])
                await onRunning(addresses.url)
            },
            logger: logger
        )
    }
}
