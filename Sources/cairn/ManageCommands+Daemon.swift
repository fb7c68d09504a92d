import CairnClient
import Foundation

/// Pins, garbage collection, repository statistics, CARs and tokens through a running daemon.
extension PinCommand.Add {
    func runThroughDaemon(_ daemon: NodeClient) async throws {
        var query = ["recursive": direct ? "false" : "true"]
        if let name { query["name"] = name }
        let pin =
            try await daemon.json("POST", "/api/v1/pins/" + NodeClient.encode(cid), query: query) as? [String: Any]
        print("pinned \(pin?["cid"] as? String ?? cid) \(pin?["kind"] as? String ?? "")")
    }
}

extension PinCommand.Remove {
    func runThroughDaemon(_ daemon: NodeClient) async throws {
        _ = try await daemon.json("DELETE", "/api/v1/pins/" + NodeClient.encode(cid))
        print("unpinned \(cid)")
    }
}

extension PinCommand.List {
    func runThroughDaemon(_ daemon: NodeClient) async throws {
        let pins = try await daemon.json("GET", "/api/v1/pins") as? [[String: Any]] ?? []
        if output.json {
            let rows: [[String: Any]] = pins.map { pin in
                var row: [String: Any] = [
                    "cid": pin["cid"] ?? "", "type": pin["kind"] ?? "", "created": pin["created"] ?? 0,
                ]
                if let name = pin["name"] as? String { row["name"] = name }
                return row
            }
            print(try JSONHelpers.string(jsonObject: rows))
        } else {
            for pin in pins {
                let name = (pin["name"] as? String).map { " \($0)" } ?? ""
                print("\(pin["cid"] as? String ?? "") \(pin["kind"] as? String ?? "")\(name)")
            }
        }
    }
}

extension GCCommand {
    func runThroughDaemon(_ daemon: NodeClient) async throws {
        let report = try await daemon.json("POST", "/api/v1/gc") as? [String: Any] ?? [:]
        let removed = report["removedBlocks"] as? Int ?? 0
        let bytes = UInt64(report["removedBytes"] as? Int ?? 0)
        let kept = report["keptBlocks"] as? Int ?? 0
        if output.json {
            let object: [String: Any] = [
                "removed_blocks": removed, "removed_bytes": bytes, "kept_blocks": kept,
                "reclaimed_bytes": report["reclaimedBytes"] as? Int ?? 0,
            ]
            print(try JSONHelpers.string(jsonObject: object))
        } else {
            print("removed \(removed) blocks (\(Terminal.size(bytes))), kept \(kept)")
        }
    }
}

extension RepoCommand.Stat {
    func runThroughDaemon(_ daemon: NodeClient) async throws {
        let stats = try await daemon.json("GET", "/api/v1/repo/stat") as? [String: Any] ?? [:]
        let pins = (try await daemon.json("GET", "/api/v1/pins") as? [Any])?.count ?? 0
        func number(_ key: String) -> UInt64 { UInt64(stats[key] as? Int ?? 0) }
        if output.json {
            var object: [String: Any] = [
                "path": repository.path, "blocks": number("blocks"), "raw_bytes": number("rawBytes"),
                "stored_bytes": number("storedBytes"), "segments": number("segments"),
                "disk_bytes": number("diskBytes"), "pins": pins, "daemon": daemon.baseURL,
            ]
            if let limit = stats["storageLimit"] as? Int { object["storage_limit"] = limit }
            print(try JSONHelpers.string(jsonObject: object))
        } else {
            print("repository   \(repository.path) (held by the daemon at \(daemon.baseURL))")
            print("blocks       \(number("blocks"))")
            print("content      \(Terminal.size(number("rawBytes")))")
            print("stored       \(Terminal.size(number("storedBytes"))) (after compression)")
            print("on disk      \(Terminal.size(number("diskBytes"))) in \(number("segments")) segment(s)")
            print("limit        \((stats["storageLimit"] as? Int).map { Terminal.size(UInt64($0)) } ?? "none")")
            print("pins         \(pins)")
        }
    }
}

extension CARCommand.Export {
    func runThroughDaemon(_ daemon: NodeClient) async throws {
        let path = "/ipfs/" + NodeClient.encode(cid)
        guard let output else {
            let answer = try await daemon.download(path, query: ["format": "car"]) { try Terminal.writeOut($0) }
            return try answer.check()
        }
        let file = try PartialFile(path: output)
        do {
            let answer = try await daemon.download(path, query: ["format": "car"]) {
                try file.write(UnsafeRawBufferPointer($0))
            }
            try answer.check()
            try file.commit()
            Terminal.printError("exported \(cid) to \(output)")
        } catch {
            file.discard()
            throw error
        }
    }
}

extension CARCommand.Import {
    func runThroughDaemon(_ daemon: NodeClient) async throws {
        for file in files {
            let handle = file == "-" ? FileHandle.standardInput : FileHandle(forReadingAtPath: file)
            guard let handle else { throw CommandFailure("cannot read \(file)") }
            let answer = try await daemon.upload(
                "/api/v1/add", query: ["pin": pin ? "true" : "false"], contentType: "application/vnd.ipld.car"
            ) {
                let chunk = try handle.read(upToCount: 1 << 20) ?? Data()
                return chunk.isEmpty ? nil : chunk
            }
            try answer.check()
            let object = try JSONSerialization.jsonObject(with: answer.body) as? [String: Any] ?? [:]
            let blocks = object["blocks"] as? Int ?? 0
            for entry in object["entries"] as? [[String: Any]] ?? [] {
                print("imported \(entry["cid"] as? String ?? "") (\(blocks) blocks from \(file))")
            }
        }
    }
}

extension TokenCommand.Create {
    func runThroughDaemon(_ daemon: NodeClient) async throws {
        let made = try await daemon.json("POST", "/api/v1/tokens", query: ["name": name]) as? [String: String] ?? [:]
        if output.json {
            print(try JSONHelpers.string(jsonObject: made))
        } else {
            print(made["token"] ?? "")
            Terminal.printError("token \(made["id"] ?? "") \"\(name)\" created; it will not be shown again")
        }
    }
}

extension TokenCommand.Revoke {
    func runThroughDaemon(_ daemon: NodeClient) async throws {
        let record = try await daemon.json("DELETE", "/api/v1/tokens/" + NodeClient.encode(token)) as? [String: Any]
        print("revoked \(record?["id"] as? String ?? "") \"\(record?["name"] as? String ?? "")\"")
    }
}

extension TokenCommand.List {
    func runThroughDaemon(_ daemon: NodeClient) async throws {
        let records = try await daemon.json("GET", "/api/v1/tokens") as? [[String: Any]] ?? []
        if output.json {
            print(try JSONHelpers.string(jsonObject: records))
        } else {
            for record in records {
                print(
                    "\(record["id"] as? String ?? "")  \(record["created"] as? String ?? "")  \(record["name"] as? String ?? "")"
                )
            }
        }
    }
}
