import CairnClient
import Foundation
import Multiformats

/// `cat`, `get` and `ls` through a running daemon: files come from its gateway (verified by the
/// node as it reads them), listings from its node API.
extension ContentPath {
    /// `/ipfs/CID/path`, each name percent-encoded.
    var gatewayPath: String {
        "/ipfs/" + root.description
            + path.split(separator: "/").map { "/" + NodeClient.encode(String($0)) }.joined()
    }
}

extension CatCommand {
    func runThroughDaemon(_ daemon: NodeClient) async throws {
        var headers: [(String, String)] = []
        if offset > 0 || length != nil {
            if length == 0 { return }
            let end = length.map { String(offset + $0 - 1) } ?? ""
            headers.append(("Range", "bytes=\(offset)-\(end)"))
        }
        let answer = try await daemon.download(content.gatewayPath, headers: headers) { try Terminal.writeOut($0) }
        if answer.status == 416 { return }  // an offset past the end prints nothing, as locally
        try answer.check()
    }
}

extension LsCommand {
    func runThroughDaemon(_ daemon: NodeClient) async throws {
        let path =
            "/api/v1/ls/" + content.root.description
            + content.path.split(separator: "/").map { "/" + NodeClient.encode(String($0)) }.joined()
        let entries = try await daemon.json("GET", path) as? [[String: String]] ?? []
        let rows = entries.map { entry -> [String: String] in
            let isDirectory = entry["type"] == "directory"
            return [
                "cid": entry["cid"] ?? "", "name": (entry["name"] ?? "") + (isDirectory ? "/" : ""),
                "size": isDirectory ? "-" : entry["size"] ?? "?",
            ]
        }
        print(rows: rows)
    }
}

extension GetCommand {
    func runThroughDaemon(_ daemon: NodeClient) async throws {
        let head = try await daemon.send("HEAD", content.gatewayPath)
        guard head.status < 400 else { throw CommandFailure("the daemon says: \(head.status) for \(content)") }
        let roots = head.headers.first { $0.0.lowercased() == "x-ipfs-roots" }?.1 ?? ""
        let resolved = roots.split(separator: ",").last.map(String.init) ?? content.root.description
        let target = output ?? resolved
        guard !FileManager.default.fileExists(atPath: target) else { throw CommandFailure("\(target) already exists") }
        let listing = try await daemon.send("GET", "/api/v1/ls" + content.gatewayPath.dropFirst("/ipfs".count))
        if listing.status == 200 {
            try await fetchFolder(content.gatewayPath, to: target, daemon: daemon)
        } else {
            try await fetchFile(content.gatewayPath, to: target, daemon: daemon)
        }
        print("wrote \(content) to \(target)")
    }

    private func fetchFolder(_ gatewayPath: String, to target: String, daemon: NodeClient) async throws {
        try FileManager.default.createDirectory(atPath: target, withIntermediateDirectories: false)
        let entries =
            try await daemon.json("GET", "/api/v1/ls" + gatewayPath.dropFirst("/ipfs".count)) as? [[String: String]]
            ?? []
        for entry in entries {
            let name = entry["name"] ?? ""
            // The listing is untrusted: a name must not lead outside the target folder.
            guard !name.isEmpty, name != ".", name != "..", !name.contains("/"), !name.contains("\0") else {
                throw CommandFailure("the folder holds an entry named \"\(name)\", which cannot be written safely")
            }
            let childPath = gatewayPath + "/" + NodeClient.encode(name)
            switch entry["type"] {
            case "directory": try await fetchFolder(childPath, to: target + "/" + name, daemon: daemon)
            case "symlink":
                try FileManager.default.createSymbolicLink(
                    atPath: target + "/" + name, withDestinationPath: entry["target"] ?? "")
            default: try await fetchFile(childPath, to: target + "/" + name, daemon: daemon)
            }
        }
    }

    private func fetchFile(_ gatewayPath: String, to target: String, daemon: NodeClient) async throws {
        guard FileManager.default.createFile(atPath: target, contents: nil),
            let handle = FileHandle(forWritingAtPath: target)
        else { throw CommandFailure("cannot create \(target)") }
        defer { try? handle.close() }
        let answer = try await daemon.download(gatewayPath) { try handle.write(contentsOf: Data($0)) }
        try answer.check()
    }
}

extension LsCommand {
    /// The table (or JSON) a listing prints, locally or through a daemon.
    func print(rows: [[String: String]]) {
        if output.json {
            Swift.print((try? JSONHelpers.string(jsonObject: rows)) ?? "[]")
        } else {
            let width = rows.map { $0["size"]!.count }.max() ?? 0
            for row in rows {
                Swift.print(
                    "\(row["cid"]!) \(String(repeating: " ", count: width - row["size"]!.count))\(row["size"]!) \(row["name"]!)"
                )
            }
        }
    }
}
