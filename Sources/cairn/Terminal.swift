import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Writing to the terminal: raw standard output for content, and a progress line on standard
/// error when it is a terminal.
enum Terminal {
    /// Writes all of `bytes` to standard output (POSIX `write`, no buffering or copies).
    static func writeOut(_ bytes: UnsafeRawBufferPointer) throws {
        var done = 0
        while done < bytes.count {
            let count = write(STDOUT_FILENO, bytes.baseAddress! + done, bytes.count - done)
            if count < 0 {
                if errno == EINTR { continue }
                throw CommandFailure("cannot write to standard output: \(String(cString: strerror(errno)))")
            }
            done += count
        }
    }

    static var standardErrorIsTerminal: Bool { isatty(STDERR_FILENO) != 0 }

    static func printError(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }

    /// Bytes in binary units, as kubo and most tools print them.
    static func size(_ bytes: UInt64) -> String {
        let units = ["B", "KiB", "MiB", "GiB", "TiB"]
        var value = Double(bytes)
        var unit = 0
        while value >= 1024 && unit < units.count - 1 {
            value /= 1024
            unit += 1
        }
        return unit == 0 ? "\(bytes) B" : String(format: "%.1f %@", value, units[unit])
    }
}

/// An error whose message is the whole story (printed after "Error: ").
struct CommandFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// A one-line progress bar on standard error, redrawn at most ten times a second, shown only
/// when standard error is a terminal.
final class ProgressBar {
    private let total: UInt64
    private let label: String
    private let enabled: Bool
    private let start = Date()
    private var lastDraw = Date.distantPast

    init(total: UInt64, label: String, enabled: Bool = Terminal.standardErrorIsTerminal) {
        self.total = total
        self.label = label
        self.enabled = enabled
    }

    func update(_ done: UInt64) {
        guard enabled, Date().timeIntervalSince(lastDraw) >= 0.1 else { return }
        lastDraw = Date()
        let elapsed = max(Date().timeIntervalSince(start), 0.001)
        let rate = UInt64(Double(done) / elapsed)
        let percent = total > 0 ? min(100, Int(done * 100 / total)) : 100
        let width = 30
        let filled = width * percent / 100
        let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
        let line =
            "\r\(label) \(bar) \(percent)%  \(Terminal.size(done)) / \(Terminal.size(total))  \(Terminal.size(rate))/s"
        FileHandle.standardError.write(Data(line.utf8))
    }

    func finish() {
        guard enabled, lastDraw != Date.distantPast else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
    }
}
