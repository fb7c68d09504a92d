import CoreMetrics
import Dispatch
import Hummingbird
import LocalStore
import Logging
public import Prometheus
import Synchronization

/// The node's Prometheus metrics (`GET /metrics`): swift-metrics handles created on the node's
/// own `PrometheusCollectorRegistry`, so several nodes in one test process never share counters
/// and no process-wide bootstrap is needed.
///
/// HTTP: `cairn_http_requests_total{route,method,status}`, `cairn_http_request_duration_seconds`
/// (histogram; to the last byte of a streamed body, to the handler's answer for bodies of up to
/// 1 MiB, which are written at once), `cairn_http_received_bytes_total`,
/// `cairn_http_sent_bytes_total`. Store, read at each scrape: `cairn_store_blocks`,
/// `cairn_store_raw_bytes`, `cairn_store_stored_bytes`, `cairn_pins`, `cairn_pin_requests{status}`.
/// Work: `cairn_gc_runs_total`, `cairn_uploads_total{kind}`.
public final class NodeMetrics: Sendable {
    public let registry: PrometheusCollectorRegistry
    let factory: PrometheusMetricsFactory
    let receivedBytes: CoreMetrics.Counter
    let sentBytes: CoreMetrics.Counter
    let gcRuns: CoreMetrics.Counter

    /// The request counter and timer of each route, method and status, made once: creating
    /// them per request (a registry lookup under a lock) cost more than the rest of a small
    /// request's bookkeeping.
    private struct RequestKey: Hashable {
        let route: String
        let method: String
        let status: Int
    }
    private let requestMetrics = Mutex<[RequestKey: (CoreMetrics.Counter, CoreMetrics.Timer)]>([:])

    public init() {
        registry = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.defaultDurationHistogramBuckets = [
            .microseconds(100), .microseconds(250), .microseconds(500), .milliseconds(1), .milliseconds(2),
            .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100),
            .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(5), .seconds(30),
        ]
        self.factory = factory
        receivedBytes = CoreMetrics.Counter(label: "cairn_http_received_bytes_total", dimensions: [], factory: factory)
        sentBytes = CoreMetrics.Counter(label: "cairn_http_sent_bytes_total", dimensions: [], factory: factory)
        gcRuns = CoreMetrics.Counter(label: "cairn_gc_runs_total", dimensions: [], factory: factory)
    }

    func recordRequest(route: String, method: String, status: Int, nanoseconds: UInt64) {
        let key = RequestKey(route: route, method: method, status: status)
        let (counter, timer) = requestMetrics.withLock { cache in
            if let found = cache[key] { return found }
            let dimensions = [("route", route), ("method", method), ("status", String(status))]
            let made = (
                CoreMetrics.Counter(label: "cairn_http_requests_total", dimensions: dimensions, factory: factory),
                CoreMetrics.Timer(
                    label: "cairn_http_request_duration_seconds", dimensions: dimensions, factory: factory)
            )
            cache[key] = made
            return made
        }
        counter.increment()
        timer.recordNanoseconds(Int64(clamping: nanoseconds))
    }

    func recordUpload(kind: String) {
        CoreMetrics.Counter(label: "cairn_uploads_total", dimensions: [("kind", kind)], factory: factory).increment()
    }

    /// Sets the store gauges from the repository, then renders everything in the text format.
    func render(repository: Repository, pinRequests: [PinRequest.Status: Int]) throws -> [UInt8] {
        let statistics = repository.blocks.statistics
        gauge("cairn_store_blocks").record(Double(statistics.blocks))
        gauge("cairn_store_raw_bytes").record(Double(statistics.rawBytes))
        gauge("cairn_store_stored_bytes").record(Double(statistics.storedBytes))
        gauge("cairn_pins").record(Double(try repository.pins.list().count))
        for status in PinRequest.Status.allCases {
            gauge("cairn_pin_requests", [("status", status.rawValue)]).record(Double(pinRequests[status] ?? 0))
        }
        return registry.emitToBuffer()
    }

    private func gauge(_ label: String, _ dimensions: [(String, String)] = []) -> CoreMetrics.Gauge {
        CoreMetrics.Gauge(label: label, dimensions: dimensions, factory: factory)
    }
}

/// Counts every request by route and status, times it, counts bytes sent, and logs server-side
/// failures (5xx) with the request's path and error as structured metadata.
struct RequestMetricsMiddleware<Context: RequestContext>: RouterMiddleware {
    let metrics: NodeMetrics

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        let start = DispatchTime.now().uptimeNanoseconds
        let method = request.method.rawValue
        do {
            var response = try await next(request, context)
            let route = context.endpointPath ?? "unmatched"
            let status = response.status.code
            let body = response.body
            let metrics = self.metrics
            if let length = body.contentLength, length <= 1 << 20 {
                // A small body is written right after this returns: count it now and leave it
                // as it is, so it keeps Hummingbird's single-buffer path (wrapping every small
                // response in a closure was measurable at 20k requests a second).
                metrics.sentBytes.increment(by: Int64(length))
                metrics.recordRequest(
                    route: route, method: method, status: status,
                    nanoseconds: DispatchTime.now().uptimeNanoseconds - start)
                return response
            }
            response.body = ResponseBody(contentLength: body.contentLength) { writer in
                let sent = ByteCount()
                defer {
                    metrics.sentBytes.increment(by: Int64(sent.value))
                    metrics.recordRequest(
                        route: route, method: method, status: status,
                        nanoseconds: DispatchTime.now().uptimeNanoseconds - start)
                }
                try await body.write(CountingWriter(base: writer, sent: sent))
            }
            return response
        } catch {
            let status = (error as? any HTTPResponseError)?.status.code ?? 500
            if status >= 500 {
                // A client's mistake is its answer; a server's failure is the operator's to see.
                context.logger.error(
                    "request failed",
                    metadata: [
                        "path": "\(request.uri.path)", "method": "\(method)", "status": "\(status)",
                        "error": "\(error)",
                    ])
            }
            metrics.recordRequest(
                route: context.endpointPath ?? "unmatched", method: method, status: status,
                nanoseconds: DispatchTime.now().uptimeNanoseconds - start)
            throw error
        }
    }
}

/// Bytes written to one response; touched only by the task writing it.
private final class ByteCount {
    var value = 0
}

/// Passes writes through, counting the bytes.
private struct CountingWriter: ResponseBodyWriter {
    var base: any ResponseBodyWriter
    let sent: ByteCount

    mutating func write(_ buffer: ByteBuffer) async throws {
        sent.value += buffer.readableBytes
        try await base.write(buffer)
    }

    consuming func finish(_ trailingHeaders: HTTPFields?) async throws {
        try await base.finish(trailingHeaders)
    }
}
