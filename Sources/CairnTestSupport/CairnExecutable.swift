public import Foundation

/// Runs the built `cairn` program as a user would, and captures what it prints.
///
/// The test bundle sits in the build products directory beside the executable, so the binary
/// the tests exercise is the one this build made, never one on `PATH`.
public enum CairnExecutable {
    public struct Result: Sendable {
        public let status: Int32
        /// Standard output as bytes, for commands that print content.
        public let output: Data
        public let standardError: String
        /// Standard output as text.
        public var standardOutput: String { String(decoding: output, as: UTF8.self) }
    }

    /// The built executable: `CAIRN_EXECUTABLE` if set, else `cairn` beside the test bundle.
    public static var url: URL {
        if let path = ProcessInfo.processInfo.environment["CAIRN_EXECUTABLE"] {
            return URL(fileURLWithPath: path)
        }
        var directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = directory.appendingPathComponent("cairn")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            directory.deleteLastPathComponent()
        }
        return URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent(
            "cairn")
    }

    /// Runs `cairn` with `arguments`, feeding `input` to its standard input.
    public static func run(_ arguments: [String], input: Data = Data()) throws -> Result {
        let process = Process()
        process.executableURL = url
        process.arguments = arguments
        let stdin = Pipe()
        let stdout = Pipe()
        let stderr = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stderr
        try process.run()
        stdin.fileHandleForWriting.write(input)
        try stdin.fileHandleForWriting.close()
        // Read both pipes to the end before waiting, so a chatty child never blocks on a full pipe.
        let group = DispatchGroup()
        nonisolated(unsafe) var errorData = Data()
        group.enter()
        DispatchQueue.global().async {
            errorData = stderr.fileHandleForReading.readDataToEndOfFile()
            group.leave()
        }
        let outputData = stdout.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()
        return Result(
            status: process.terminationStatus,
            output: outputData,
            standardError: String(decoding: errorData, as: UTF8.self)
        )
    }
}
