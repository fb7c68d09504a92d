import CAR
import CoreMetrics
import Foundation
import Hummingbird
import LocalStore
import Multiformats
import NIOCore
import UnixFS

/// `POST /api/v1/add`: a file (any body), a folder (`multipart/form-data`) or a CAR
/// (`application/vnd.ipld.car`), stored, pinned, and answered with the root CID.
///
/// Query: `pin` (default true), `wrap` (folder around a single file, default false), `profile`
/// (kubo-v1, kubo-v0, unixfs-v1-2025), `name` (the file's name for a plain body, and the pin's
/// name). The body streams: a file or multipart body is chunked and hashed as it arrives (in
/// 1 MiB steps on the thread pool); a CAR is spooled to `<repo>/tmp/` and imported from there,
/// since a CAR's roots must be checked whole before anything is published. Over
/// `maxUploadBytes`, a bad body or a client that goes away: the upload is aborted and leaves
/// nothing behind. The answer comes only after every block is synced and the pin written.
struct UploadHandler: Sendable {
    static let step = 1 << 20

    let repository: Repository
    let configuration: NodeConfiguration
    let metrics: NodeMetrics

    /// The JSON answer.
    struct Answer: Encodable {
        let cid: String
        let size: UInt64
        let pinned: Bool
        let entries: [UploadSession.Item]
        let blocks: Int?
    }

    func handle(_ request: Request, context: some RequestContext) async throws -> Response {
        let query = request.uri.queryParameters
        let pin = try QueryFlag.parse(query["pin"].map(String.init), default: true, name: "pin")
        let wrap = try QueryFlag.parse(query["wrap"].map(String.init), default: false, name: "wrap")
        var parameters: [String: String] = [:]
        for (key, value) in query { parameters[String(key)] = String(value) }
        let profile = try Self.profile(parameters)
        let name = query["name"].map(String.init)
        if let name, name.utf8.count > 255 { throw HTTPFailure(.badRequest, "name is longer than 255 bytes") }
        if let length = request.headers[.contentLength].flatMap({ UInt64($0) }), length > configuration.maxUploadBytes {
            throw HTTPFailure(
                .contentTooLarge, "the body is \(length) bytes; this node takes at most \(configuration.maxUploadBytes)"
            )
        }
        guard let contentType = request.headers[.contentType]?.lowercased() else {
            throw HTTPFailure(
                .badRequest,
                "name the body's type with Content-Type: application/vnd.ipld.car, multipart/form-data, or any other for one file"
            )
        }
        if contentType.hasPrefix("application/vnd.ipld.car") {
            return try await importCAR(request, pin: pin)
        }
        let session = UploadSession(repository: repository, profile: profile)
        do {
            let root: UnixFSEntry
            if contentType.hasPrefix("multipart/form-data") {
                guard let boundary = MultipartUpload.parameter("boundary", in: request.headers[.contentType] ?? ""),
                    !boundary.isEmpty, boundary.utf8.count <= 200
                else {
                    throw HTTPFailure(
                        .badRequest, "multipart/form-data needs a boundary parameter of 1 to 200 characters")
                }
                let upload = MultipartUpload(boundary: boundary, session: session, defaultName: name ?? "file")
                try await stream(request) { piece in try upload.execute(piece) }
                guard upload.isComplete else {
                    throw UploadFailure("the multipart body ends before its closing delimiter")
                }
                guard upload.completedParts > 0 else { throw UploadFailure("the multipart body has no complete part") }
                root = try await blocking { try session.finish(wrap: wrap, pin: pin, name: name) }
                metrics.recordUpload(kind: "multipart")
            } else {
                let fileName = name ?? "file"
                if wrap { _ = try UploadSession.path(of: fileName) }
                session.startFile()
                try await stream(request) { piece in try session.append(piece) }
                root = try await blocking {
                    try session.finishFile(path: [fileName])
                    return try session.finish(wrap: wrap, pin: pin, name: name)
                }
                metrics.recordUpload(kind: "file")
            }
            let answer = Answer(
                cid: root.cid.description, size: root.contentSize, pinned: pin, entries: session.items, blocks: nil)
            return try JSONResponse.encoding(answer, status: .ok)
        } catch {
            try? await blocking { session.abort() }
            throw Self.failure(error)
        }
    }

    /// Reads the body in `step`-sized pieces, counting against the limit, and hands each to
    /// `body` on the thread pool.
    private func stream(_ request: Request, _ body: @escaping @Sendable (ByteBuffer) throws -> Void) async throws {
        var received: UInt64 = 0
        var pending = ByteBuffer()
        for try await chunk in request.body {
            received += UInt64(chunk.readableBytes)
            metrics.receivedBytes.increment(by: Int64(chunk.readableBytes))
            guard received <= configuration.maxUploadBytes else {
                throw HTTPFailure(.contentTooLarge, "the body is over \(configuration.maxUploadBytes) bytes")
            }
            if pending.readableBytes == 0 && chunk.readableBytes >= Self.step {
                try await blocking { try body(chunk) }
                continue
            }
            var chunk = chunk
            pending.writeBuffer(&chunk)
            if pending.readableBytes >= Self.step {
                let piece = pending
                pending = ByteBuffer()
                try await blocking { try body(piece) }
            }
        }
        if pending.readableBytes > 0 {
            let piece = pending
            try await blocking { try body(piece) }
        }
    }

    private func importCAR(_ request: Request, pin: Bool) async throws -> Response {
        let directory = repository.path + "/tmp"
        let path = directory + "/upload-" + UUID().uuidString + ".car"
        try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        guard FileManager.default.createFile(atPath: path, contents: nil) else {
            throw HTTPFailure(.internalServerError, "cannot create a spool file in \(directory)")
        }
        defer { try? FileManager.default.removeItem(atPath: path) }
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        let box = HandleBox(handle)
        do {
            try await stream(request) { piece in try box.handle.write(contentsOf: Data(piece.readableBytesView)) }
            try box.handle.close()
        } catch {
            try? box.handle.close()
            throw Self.failure(error)
        }
        let repository = self.repository
        do {
            let result = try await blocking {
                try CARImporter.importCAR(try FileInput(path: path), into: repository, pin: pin)
            }
            metrics.recordUpload(kind: "car")
            let answer = Answer(
                cid: result.roots[0].description, size: 0, pinned: pin,
                entries: result.roots.map { UploadSession.Item(path: "", cid: $0.description, size: 0) },
                blocks: result.blocks)
            return try JSONResponse.encoding(answer, status: .ok)
        } catch let error as StoreError {
            throw Self.failure(error)
        } catch {
            throw HTTPFailure(.badRequest, "the CAR is not valid: \(error)")
        }
    }

    /// Maps an upload's failure to its answer: bad content is 400, a full store 507.
    static func failure(_ error: any Error) -> any Error {
        switch error {
        case let error as HTTPFailure: return error
        case let error as UploadFailure: return HTTPFailure(.badRequest, error.message)
        case let error as CARError: return HTTPFailure(.badRequest, "the CAR is not valid: \(error.message)")
        case let error as StoreError where error.code == .storageLimitExceeded:
            return HTTPFailure(.init(code: 507, reasonPhrase: "Insufficient Storage"), error.message)
        case let error as StoreError where error.code == .incompleteDAG:
            return HTTPFailure(.badRequest, error.message)
        case let error as StoreError: return HTTPFailure(.internalServerError, error.message)
        default: return error
        }
    }

    /// A named profile (`profile`, default kubo-v1) with kubo's overrides: `chunk-size`,
    /// `cid-version` (which sets raw leaves to match unless `raw-leaves` says otherwise).
    static func profile(_ query: [String: String]) throws -> ImportProfile {
        let name = query["profile"] ?? "kubo-v1"
        guard var profile = ImportProfile.named[name] else {
            throw HTTPFailure(
                .badRequest, "profile must be one of \(ImportProfile.named.keys.sorted()), not \"\(name.prefix(40))\"")
        }
        if let text = query["chunk-size"] {
            guard let size = Int(text), (1...ImportProfile.maxChunkSize).contains(size) else {
                throw HTTPFailure(.badRequest, "chunk-size must be an integer from 1 to \(ImportProfile.maxChunkSize)")
            }
            profile.chunkSize = size
        }
        if let text = query["cid-version"] {
            guard text == "0" || text == "1" else { throw HTTPFailure(.badRequest, "cid-version must be 0 or 1") }
            profile.cidVersion = text == "0" ? CID.Version.v0 : CID.Version.v1
            profile.rawLeaves = text == "1"
        }
        if let text = query["raw-leaves"] {
            profile.rawLeaves = try QueryFlag.parse(text, default: profile.rawLeaves, name: "raw-leaves")
        }
        return profile
    }
}

/// A file handle written from one thread-pool hop at a time.
private final class HandleBox: @unchecked Sendable {
    let handle: FileHandle
    init(_ handle: FileHandle) { self.handle = handle }
}
