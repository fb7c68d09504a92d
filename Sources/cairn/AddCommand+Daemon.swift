import CairnClient
import Foundation
import Multiformats
import UnixFS

/// `cairn add` through a running daemon: the files are sent to its upload endpoint, which
/// chunks, hashes, stores and pins them with the same profile; the output is what a local add
/// prints.
extension AddCommand {
    /// What a local add of one input would add, in the order it reports them.
    struct Walk {
        var parts: [MultipartFileBody.Part] = []
        /// Names in report order: children before their folder.
        var reportOrder: [String] = []
    }

    func walk(_ input: String) throws -> Walk {
        var walk = Walk()
        let base = URL(fileURLWithPath: input).lastPathComponent
        try visit(path: input, name: base, into: &walk)
        return walk
    }

    private func visit(path: String, name: String, into walk: inout Walk) throws {
        let attributes: [FileAttributeKey: Any]
        do { attributes = try FileManager.default.attributesOfItem(atPath: path) } catch {
            throw CommandFailure("cannot read \(path): no such file or folder")
        }
        switch attributes[.type] as? FileAttributeType {
        case .typeRegular?:
            walk.parts.append(.file(name: name, path: path))
        case .typeSymbolicLink?:
            walk.parts.append(
                .symlink(name: name, target: try FileManager.default.destinationOfSymbolicLink(atPath: path)))
        case .typeDirectory?:
            guard recursive else { throw CommandFailure("\(path) is a folder: add it with -r") }
            walk.parts.append(.folder(name: name))
            let names = try FileManager.default.contentsOfDirectory(atPath: path)
                .filter { hidden || !$0.hasPrefix(".") }
                .sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
            for child in names { try visit(path: path + "/" + child, name: name + "/" + child, into: &walk) }
        default:
            throw CommandFailure("\(path) is not a file, folder or symbolic link")
        }
        walk.reportOrder.append(name)
    }

    /// The upload's query: the profile as the command line resolved it.
    func uploadQuery(name: String?, wrap: Bool) -> [String: String] {
        let profile = importProfile
        var query = [
            "pin": pin ? "true" : "false", "wrap": wrap ? "true" : "false",
            "chunk-size": String(profile.chunkSize), "cid-version": profile.cidVersion == .v0 ? "0" : "1",
            "raw-leaves": profile.rawLeaves ? "true" : "false", "profile": self.profile,
        ]
        if let name { query["name"] = name }
        return query
    }

    func runThroughDaemon(_ daemon: NodeClient) async throws {
        let inputs = paths.isEmpty ? ["-"] : paths
        var added: [[String: String]] = []
        func report(_ cid: String, _ name: String, _ size: String) {
            added.append(["cid": cid, "name": name, "size": size])
            if !quieter && !output.json { print(quiet ? cid : "added \(cid) \(name)") }
        }
        if inputs == ["-"] {
            let stdin = FileHandle.standardInput
            let answer = try await daemon.upload(
                "/api/v1/add", query: uploadQuery(name: pinName, wrap: false), contentType: "application/octet-stream"
            ) {
                let chunk = try stdin.read(upToCount: 1 << 20) ?? Data()
                return chunk.isEmpty ? nil : chunk
            }
            try answer.check()
            let object = try JSONSerialization.jsonObject(with: answer.body) as? [String: Any] ?? [:]
            let cid = object["cid"] as? String ?? ""
            if quieter && !output.json { print(cid) }
            report(cid, cid, String(object["size"] as? Int ?? 0))
        } else if wrap {
            var parts: [MultipartFileBody.Part] = []
            var order: [String] = []
            for input in inputs {
                let walk = try walk(input)
                parts += walk.parts
                order += walk.reportOrder
            }
            let object = try await send(parts, query: uploadQuery(name: pinName, wrap: true), daemon: daemon)
            let entries = Self.entries(object)
            for name in order { if let entry = entries[name] { report(entry.cid, name, entry.size) } }
            let root = object["cid"] as? String ?? ""
            added.append(["cid": root, "name": "", "size": String(object["size"] as? Int ?? 0)])
            if !output.json { print(quieter || quiet ? root : "added \(root)") }
        } else {
            for input in inputs {
                let walk = try walk(input)
                let base = URL(fileURLWithPath: input).lastPathComponent
                let object = try await send(
                    walk.parts, query: uploadQuery(name: pinName ?? base, wrap: false), daemon: daemon)
                let entries = Self.entries(object)
                for name in walk.reportOrder { if let entry = entries[name] { report(entry.cid, name, entry.size) } }
                if quieter && !output.json { print(object["cid"] as? String ?? "") }
            }
        }
        if output.json { print(try JSONHelpers.string(jsonObject: added)) }
    }

    private func send(
        _ parts: [MultipartFileBody.Part], query: [String: String], daemon: NodeClient
    ) async throws -> [String: Any] {
        let body = MultipartFileBody(parts: parts)
        let answer = try await daemon.upload("/api/v1/add", query: query, contentType: MultipartFileBody.contentType) {
            try body.next()
        }
        try answer.check()
        return try JSONSerialization.jsonObject(with: answer.body) as? [String: Any] ?? [:]
    }

    private static func entries(_ object: [String: Any]) -> [String: (cid: String, size: String)] {
        var entries: [String: (cid: String, size: String)] = [:]
        for entry in object["entries"] as? [[String: Any]] ?? [] {
            guard let path = entry["path"] as? String, let cid = entry["cid"] as? String else { continue }
            entries[path] = (cid, String(entry["size"] as? Int ?? 0))
        }
        return entries
    }
}
