public import Foundation

/// A real `cairn daemon` process on a loopback port, for end-to-end tests.
///
/// Started on `127.0.0.1:0` (the kernel picks a free port); ready once it has written
/// `<repo>/api.json`. Stopped by its process id: SIGTERM for a graceful stop, SIGKILL to test
/// crashes. Its output goes to files in the repository's parent folder, shown when start fails.
public final class DaemonProcess: @unchecked Sendable {
    public let repository: String
    public let process: Process
    public private(set) var url = ""
    /// The daemon's local (admin) token from `api.json`.
    public private(set) var token = ""
    private let logPath: String

    /// Starts a daemon on `repository` (created if missing) and waits until it listens.
    public init(repository: String, extraArguments: [String] = []) throws {
        self.repository = repository
        logPath = repository + ".daemon.log"
        try? FileManager.default.removeItem(atPath: repository + "/api.json")
        _ = FileManager.default.createFile(atPath: logPath, contents: nil)
        let log = try FileHandle(forWritingTo: URL(fileURLWithPath: logPath))
        process = Process()
        process.executableURL = CairnExecutable.url
        process.arguments = ["daemon", "--repo", repository, "--listen", "127.0.0.1:0"] + extraArguments
        process.standardOutput = log
        process.standardError = log
        try process.run()
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline {
            if let data = FileManager.default.contents(atPath: repository + "/api.json"),
                let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
                let url = object["url"] as? String, let token = object["token"] as? String
            {
                self.url = url
                self.token = token
                return
            }
            if !process.isRunning { break }
            Thread.sleep(forTimeInterval: 0.05)
        }
        process.terminate()
        throw DaemonFailure("the daemon did not start:\n" + self.log())
    }

    /// What the daemon printed so far.
    public func log() -> String {
        String(decoding: FileManager.default.contents(atPath: logPath) ?? Data(), as: UTF8.self)
    }

    /// SIGTERM, then waits for the process to exit; returns its exit status.
    @discardableResult
    public func stop() -> Int32 {
        if process.isRunning { kill(process.processIdentifier, SIGTERM) }
        process.waitUntilExit()
        return process.terminationStatus
    }

    /// SIGKILL: no cleanup, as in a crash or power loss.
    public func kill9() {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }

    deinit {
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }
}

public struct DaemonFailure: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
