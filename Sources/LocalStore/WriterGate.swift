import Foundation

/// Lets any number of writers in at once, or one garbage collection alone.
///
/// Each call locks and unlocks within itself, so writers may enter on one thread and leave on
/// another (Swift tasks move between threads; a pthread read–write lock would not allow it).
/// Waiting blocks the thread: callers on the cooperative pool hop to a thread pool first.
final class WriterGate: @unchecked Sendable {
    private let condition = NSCondition()
    private var writers = 0
    private var collecting = false

    func enterWriter() {
        condition.lock()
        while collecting { condition.wait() }
        writers += 1
        condition.unlock()
    }

    func leaveWriter() {
        condition.lock()
        writers -= 1
        condition.broadcast()
        condition.unlock()
    }

    func enterCollector() {
        condition.lock()
        while collecting || writers > 0 { condition.wait() }
        collecting = true
        condition.unlock()
    }

    func leaveCollector() {
        condition.lock()
        collecting = false
        condition.broadcast()
        condition.unlock()
    }
}
