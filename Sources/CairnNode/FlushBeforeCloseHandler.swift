import NIOCore
import NIOHTTPTypes

/// Holds a close back until the writes before it have reached the socket, so a response is
/// never cut short by the close that follows it.
///
/// Hummingbird closes a connection right after queueing a response's last part when it has
/// been asked to (graceful shutdown, `Connection: close`); NIO fails writes still queued at a
/// close, so a large download in flight at SIGTERM would lose its tail. Sitting between
/// Hummingbird's connection handler and the HTTP encoder, this handler watches the write of
/// each response's last part (writes complete in order, so when it is done, so is all before
/// it) and delays a close until it completes — at most `limit`, so a client that stops reading
/// cannot keep the connection open forever.
final class FlushBeforeCloseHandler: ChannelOutboundHandler, RemovableChannelHandler {
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    private let limit: TimeAmount
    /// Response ends written but not yet on the socket.
    private var pending = 0
    private var deferredClose: (mode: CloseMode, promise: EventLoopPromise<Void>?)?
    private var timer: Scheduled<Void>?

    init(limit: TimeAmount = .seconds(30)) {
        self.limit = limit
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        guard case .end = unwrapOutboundIn(data) else {
            context.write(data, promise: promise)
            return
        }
        let tracked = promise ?? context.eventLoop.makePromise(of: Void.self)
        pending += 1
        let bound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        tracked.futureResult.whenComplete { _ in
            let (handler, context) = bound.value
            handler.pending -= 1
            handler.closeIfDone(context)
        }
        context.write(data, promise: tracked)
    }

    func close(context: ChannelHandlerContext, mode: CloseMode, promise: EventLoopPromise<Void>?) {
        guard mode == .all, pending > 0, deferredClose == nil else {
            context.close(mode: mode, promise: promise)
            return
        }
        deferredClose = (mode, promise)
        context.flush()
        let bound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        timer = context.eventLoop.scheduleTask(in: limit) {
            let (handler, context) = bound.value
            handler.pending = 0
            handler.closeIfDone(context)
        }
    }

    private func closeIfDone(_ context: ChannelHandlerContext) {
        guard pending <= 0, let close = deferredClose else { return }
        deferredClose = nil
        timer?.cancel()
        timer = nil
        context.close(mode: close.mode, promise: close.promise)
    }
}
