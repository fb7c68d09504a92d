import CairnTestSupport
import Foundation
import NIOHTTP1

/// A scratch repository with a running daemon, and the content uploaded to it.
final class NodeFixture {
    let directory: TemporaryDirectory
    let daemon: DaemonProcess
    var url: String { daemon.url }
    var token: String { daemon.token }

    /// - Parameter configuration: `node.json` settings to write before the daemon starts.
    init(configuration: [String: Any] = [:]) throws {
        directory = try TemporaryDirectory(prefix: "cairn-node")
        let repository = directory.path("repo")
        let initResult = try CairnExecutable.run(["init", "--repo", repository])
        guard initResult.status == 0 else { throw DaemonFailure("init failed: \(initResult.standardError)") }
        if !configuration.isEmpty {
            let path = repository + "/node.json"
            var object =
                try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as! [String: Any]
            for (key, value) in configuration { object[key] = value }
            try JSONSerialization.data(withJSONObject: object).write(to: URL(fileURLWithPath: path))
        }
        daemon = try DaemonProcess(repository: repository)
    }

    var repository: String { daemon.repository }

    /// Uploads files as one multipart request; returns the answer's root CID.
    func upload(_ files: [(String, Data)], query: String = "") async throws -> String {
        let (type, body) = HTTPExchange.multipart(files)
        let answer = try await HTTPExchange.send(
            .POST, url + "/api/v1/add" + query, headers: [("Content-Type", type)], body: body, token: token)
        guard answer.status == 200, let cid = answer.object["cid"] as? String else {
            throw DaemonFailure("upload failed: \(answer.status) \(answer.text)")
        }
        return cid
    }

    /// Blocks the store holds, from the node API.
    func storedBlocks() async throws -> Int {
        let answer = try await HTTPExchange.send(.GET, url + "/api/v1/repo/stat", token: token)
        return answer.object["blocks"] as? Int ?? -1
    }

    /// Writes files under a scratch folder and returns its path (for comparing with `cairn add`).
    func writeFolder(_ name: String, _ files: [(String, Data)]) throws -> String {
        let root = directory.path(name)
        for (path, bytes) in files {
            let url = URL(fileURLWithPath: root + "/" + path)
            try FileManager.default.createDirectory(
                at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try bytes.write(to: url)
        }
        return root
    }
}

/// Deterministic bytes for test files.
func testBytes(_ count: Int, seed: UInt8 = 1) -> Data {
    var state = UInt32(seed) &* 2_654_435_761 | 1
    var data = Data(count: count)
    for index in 0..<count {
        state ^= state << 13
        state ^= state >> 17
        state ^= state << 5
        data[index] = UInt8(truncatingIfNeeded: state)
    }
    return data
}
