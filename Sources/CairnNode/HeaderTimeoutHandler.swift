import HTTPTypes
import NIOCore
import NIOHTTPTypes

/// Closes a connection that takes longer than `timeout` to send a request's headers — the
/// slowloris defence. The clock starts when the connection opens and again whenever every
/// response on it has been sent; the request head stops it.
///
/// Idle connections are closed by Hummingbird's `idleTimeout`; this handler covers the client
/// that keeps a connection busy by dribbling header bytes, which no idle timer catches. The
/// timer is lazy, as Hummingbird's idle timer is: a request only moves a deadline, and the one
/// scheduled task, when it fires, either closes or sleeps until the deadline it finds — so a
/// busy keep-alive connection pays for a clock read per request, not a timer.
final class HeaderTimeoutHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    private let timeout: TimeAmount
    private var timer: Scheduled<Void>?
    /// When the awaited head must have arrived; nil while a request is in progress.
    private var deadline: NIODeadline?
    /// Requests whose head has arrived and whose response has not finished.
    private var open = 0

    init(timeout: TimeAmount) {
        self.timeout = timeout
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { startWaiting(context) }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        timer?.cancel()
        timer = nil
    }

    func channelActive(context: ChannelHandlerContext) {
        startWaiting(context)
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        timer?.cancel()
        timer = nil
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if case .head = unwrapInboundIn(data) {
            open += 1
            deadline = nil
        }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .end = unwrapOutboundIn(data) {
            open = max(0, open - 1)
            if open == 0 { startWaiting(context) }
        }
        context.write(data, promise: promise)
    }

    private func startWaiting(_ context: ChannelHandlerContext) {
        deadline = .now() + timeout
        if timer == nil { schedule(context, in: timeout) }
    }

    private func schedule(_ context: ChannelHandlerContext, in delay: TimeAmount) {
        let bound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        timer = context.eventLoop.scheduleTask(in: delay) {
            let (handler, context) = bound.value
            handler.timer = nil
            guard let deadline = handler.deadline else { return }  // a request is in progress
            let now = NIODeadline.now()
            if now >= deadline {
                context.close(promise: nil)
            } else {
                handler.schedule(context, in: deadline - now)
            }
        }
    }
}
