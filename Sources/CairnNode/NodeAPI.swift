import CoreMetrics
import Foundation
import Hummingbird
import Ledger
import LocalStore
import Multiformats
import NIOCore
import SodiumKit
import UnixFS

/// The node's own API under `/api/v1/` (besides uploads): identity, local pins, garbage
/// collection, repository statistics and folder listings — what the CLI uses when a daemon
/// holds the repository. Described in `Specs/node-api.yaml`.
struct NodeAPI: Sendable {
    let repository: Repository
    let identity: NodeIdentity
    let addresses: NodeApplication.Addresses
    let metrics: NodeMetrics
    let tokens: AccessTokenStore

    struct PinAnswer: Encodable {
        let cid: String
        let kind: String
        let name: String?
        let created: Int64
    }

    func register(on group: RouterGroup<some RequestContext>) {
        group.get("id") { _, _ in
            try JSONResponse.encoding(
                [
                    "id": identity.peerID, "version": CairnVersion.string,
                    "addresses": addresses.multiaddrs.joined(separator: " "),
                    // The node key as a ledger address and as the did:key it issues credentials as.
                    "did": "did:key:" + Address(publicKey: identity.privateKey.publicKey).description,
                ],
                status: .ok)
        }
        group.get("pins") { _, _ in
            let repository = self.repository
            let pins = try await blocking { try repository.pins.list() }
            return try JSONResponse.encoding(pins.map(Self.answer), status: .ok)
        }
        group.post("pins/{cid}") { request, context in
            let cid = try Self.cid(context.parameters.require("cid"))
            let query = request.uri.queryParameters
            let recursive = try QueryFlag.parse(
                query["recursive"].map(String.init), default: true, name: "recursive")
            let name = query["name"].map(String.init)
            let repository = self.repository
            let pin = try await blocking { () throws -> Pin in
                do {
                    return try repository.pins.add(cid, kind: recursive ? .recursive : .direct, name: name)
                } catch let error as StoreError where error.code == .notFound || error.code == .incompleteDAG {
                    throw HTTPFailure(.notFound, error.message)
                }
            }
            return try JSONResponse.encoding(Self.answer(pin), status: .ok)
        }
        group.delete("pins/{cid}") { _, context in
            let cid = try Self.cid(context.parameters.require("cid"))
            let repository = self.repository
            try await blocking { () throws in
                do { try repository.pins.remove(cid) } catch let error as StoreError where error.code == .notFound {
                    throw HTTPFailure(.notFound, error.message)
                }
            }
            return Response(status: .noContent)
        }
        group.post("gc") { _, _ in
            let repository = self.repository
            let report = try await blocking {
                try GarbageCollector.collect(store: repository.blocks, pins: repository.pins)
            }
            metrics.gcRuns.increment()
            return try JSONResponse.encoding(report, status: .ok)
        }
        group.get("repo/stat") { _, _ in
            try JSONResponse.encoding(repository.blocks.statistics, status: .ok)
        }
        group.post("tokens") { request, _ in
            let name = request.uri.queryParameters["name"].map(String.init) ?? ""
            let tokens = self.tokens
            let (token, record) = try await blocking { () throws -> (String, AccessTokenStore.Record) in
                do { return try tokens.create(name: name) } catch let error as NodeError {
                    throw HTTPFailure(.badRequest, error.message)
                }
            }
            return try JSONResponse.encoding(["token": token, "id": record.id, "name": record.name], status: .ok)
        }
        group.get("tokens") { _, _ in
            let tokens = self.tokens
            return try JSONResponse.encoding(try await blocking { try tokens.list() }, status: .ok)
        }
        group.delete("tokens/{id}") { _, context in
            let idOrName = try context.parameters.require("id")
            let tokens = self.tokens
            let record = try await blocking { () throws -> AccessTokenStore.Record in
                do { return try tokens.revoke(idOrName) } catch let error as NodeError {
                    throw HTTPFailure(error.code == .notFound ? .notFound : .badRequest, error.message)
                }
            }
            return try JSONResponse.encoding(record, status: .ok)
        }
        group.get("ls/**") { request, _ in
            let path = request.uri.path.dropFirst("/api/v1/ls/".count)
            let parsed: GatewayRequest
            do { parsed = try GatewayRequest(path: String(path), query: [:], accept: nil) } catch {
                throw HTTPFailure(.badRequest, "\(error)")
            }
            let repository = self.repository
            let rows = try await blocking { () throws -> [[String: String]] in
                let resolution: Gateway.Resolution
                do { resolution = try Gateway.resolve(parsed, from: .unlimited(repository.blocks)) } catch let error
                    as HTTPFailure
                {
                    throw HTTPFailure(error.status, error.details)  // the API's JSON form
                }
                guard let entries = resolution.entries else {
                    // No listing exists for a file or symlink: not found, not a malformed request.
                    throw HTTPFailure(.notFound, "\(resolution.target) is not a folder, so it has no listing")
                }
                let reader = UnixFSReader(source: repository.blocks)
                return entries.map { entry in
                    var row = ["name": entry.name, "cid": entry.cid.description, "type": "unknown"]
                    if let node = try? reader.node(entry.cid) {
                        switch node.kind {
                        case .file: row["type"] = "file"
                        case .directory, .shardedDirectory: row["type"] = "directory"
                        case .symlink(let target):
                            row["type"] = "symlink"
                            row["target"] = target
                        }
                        row["size"] = String(node.size)
                    }
                    return row
                }
            }
            return try JSONResponse.encoding(rows, status: .ok)
        }
    }

    static func cid(_ text: String) throws -> CID {
        do { return try CID(text) } catch {
            throw HTTPFailure(.badRequest, "\"\(text.prefix(100))\" is not a valid CID: \(error.message)")
        }
    }

    static func answer(_ pin: Pin) -> PinAnswer {
        PinAnswer(cid: pin.cid.description, kind: pin.kind.rawValue, name: pin.name, created: pin.created)
    }
}

/// The version the node reports.
public enum CairnVersion {
    public static let string = "0.5.0"
}
