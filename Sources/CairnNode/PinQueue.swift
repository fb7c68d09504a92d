public import LocalStore
public import Logging
import Multiformats
import NIOPosix
public import ServiceLifecycle

/// Works through queued pin requests: `queued` → `pinning` → `pinned` or `failed`.
///
/// A request is pinned when the node holds its whole DAG; otherwise it fails, naming the first
/// missing block (fetching from other nodes comes with the network). Requests left `queued` or
/// `pinning` by a crash are taken up again at start. The walk over the DAG reads the store, so
/// it runs on the NIO thread pool, not the cooperative pool.
public final class PinQueue: Service, Sendable {
    private let requests: PinRequestStore
    private let repository: Repository
    private let logger: Logger
    private let stream: AsyncStream<String>
    private let continuation: AsyncStream<String>.Continuation
    private let onFinish: @Sendable (PinRequest.Status) -> Void

    public init(
        requests: PinRequestStore,
        repository: Repository,
        logger: Logger,
        onFinish: @escaping @Sendable (PinRequest.Status) -> Void = { _ in }
    ) {
        self.requests = requests
        self.repository = repository
        self.logger = logger
        self.onFinish = onFinish
        (stream, continuation) = AsyncStream.makeStream()
    }

    /// Queues a request for processing.
    public func enqueue(_ id: String) {
        continuation.yield(id)
    }

    public func run() async throws {
        let unfinished = try await NIOThreadPool.singleton.runIfActive { [requests] in
            try requests.all().filter { $0.status == .queued || $0.status == .pinning }.map(\.requestid)
        }
        for id in unfinished.reversed() { enqueue(id) }
        for await id in stream.cancelOnGracefulShutdown() {
            do {
                try await NIOThreadPool.singleton.runIfActive { [self] in try process(id) }
            } catch {
                logger.error("pin request failed to process", metadata: ["request": "\(id)", "error": "\(error)"])
            }
        }
    }

    private func process(_ id: String) throws {
        guard let request = try requests.transition(id, to: .pinning) else { return }
        guard let cid = try? CID(request.pin.cid) else {
            try requests.transition(id, to: .failed, info: ["status_details": "the CID does not parse"])
            onFinish(.failed)
            return
        }
        if let missing = try repository.pins.firstMissingBlock(under: cid) {
            let details =
                missing == cid
                ? "this node does not have \(cid); fetching from other nodes is not available yet"
                : "this node lacks block \(missing) of \(cid); fetching from other nodes is not available yet"
            try requests.transition(id, to: .failed, info: ["status_details": details])
            logger.info("pin request failed", metadata: ["request": "\(id)", "cid": "\(cid)", "missing": "\(missing)"])
            onFinish(.failed)
            return
        }
        try requests.transition(id, to: .pinned)
        logger.info("pinned", metadata: ["request": "\(id)", "cid": "\(cid)"])
        onFinish(.pinned)
    }
}
