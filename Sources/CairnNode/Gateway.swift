import CAR
import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import IPLD
public import LocalStore
import Multiformats
import NIOCore
import NIOPosix
import UnixFS

/// The IPFS path and trustless gateway on `/ipfs/{cid}[/{path}]` (GET and HEAD), over the local store.
///
/// Headers follow the path gateway spec: `Etag` (`"<cid>"` for file bytes, `"<cid>.raw"` for a
/// block, `W/"<cid>.car.…"` for a CAR, `W/"DirIndex-…_CID-<cid>"` for a listing), `Cache-Control:
/// public, max-age=29030400, immutable`, `X-Ipfs-Path`, `X-Ipfs-Roots`, `Vary: Accept`, and
/// `Content-Disposition` for `?filename=`, `?download=true`, raw blocks and CARs. Files honour a
/// single `Range`. Everything an answer needs from the store is read in one step before the
/// status line (so a missing block is a 404, never a cut-off 200): in place when it is at most
/// 64 KiB of block reads (``GatewaySource``), else on the NIO thread pool. Files over 1 MiB then
/// stream from the thread pool in 2 MiB pieces, the next read while the current one is written.
public struct Gateway: Sendable {
    static let cacheControl = "public, max-age=29030400, immutable"
    static let chunkSize: UInt64 = 2 << 20

    let repository: Repository

    public init(repository: Repository) {
        self.repository = repository
    }

    /// Files up to this size are read whole in the hop that resolves them: a small file costs
    /// one trip to the thread pool, which is what keeps small-block latency low under load.
    static let inlineLimit: UInt64 = 1 << 20

    /// What a path resolved to, and what the answer needs from the store, read in one hop.
    struct Resolution: Sendable {
        /// The root, then the CID of every path segment; the last is the target.
        var roots: [CID]
        var target: CID { roots[roots.count - 1] }
        /// The target as UnixFS, for deserialized responses.
        var node: UnixFSNode?
        /// The target's entries, when it is a folder.
        var entries: [DirectoryEntry]?
        /// The raw block, for `format=raw`.
        var block: [UInt8]?
        /// The first block a file or CAR needs that the store lacks.
        var missing: CID?
        /// The file to serve (the target, or a folder's index.html), with its first bytes.
        var file: FilePreview?
    }

    /// A file about to be served: whole when small, else its first 512 bytes for sniffing.
    struct FilePreview: Sendable {
        var node: UnixFSNode
        var name: String?
        var missing: CID?
        var whole: ByteBuffer?
        var prefix: [UInt8]
    }

    func handle(_ request: Request, context: some RequestContext) async throws -> Response {
        let rawPath = request.uri.path
        let afterPrefix = String(rawPath.dropFirst("/ipfs/".count))
        var query: [String: String] = [:]
        if request.uri.query != nil {
            for (key, value) in request.uri.queryParameters { query[String(key)] = String(value) }
        }
        let parsed: GatewayRequest
        do {
            parsed = try GatewayRequest(path: afterPrefix, query: query, accept: request.headers[.accept])
        } catch {
            switch error {
            case .badRequest(let reason): throw HTTPFailure.gateway(.badRequest, reason)
            case .notAcceptable(let reason): throw HTTPFailure.gateway(.notAcceptable, reason)
            }
        }
        var headers = HTTPFields()
        headers[.cacheControl] = Self.cacheControl
        headers[HTTPField.Name.ipfsPath] = rawPath
        headers[.vary] = "Accept"
        let repository = self.repository
        let resolution: Resolution
        do {
            resolution = try Self.resolve(parsed, from: .budgeted(repository.blocks))
        } catch is GatewaySource.BudgetExceeded {
            resolution = try await blocking { try Self.resolve(parsed, from: .unlimited(repository.blocks)) }
        }
        headers[HTTPField.Name.ipfsRoots] = resolution.roots.map(\.description).joined(separator: ",")

        let response: Response
        switch parsed.format {
        case .raw:
            response = try await rawBlock(parsed, resolution, request, headers)
        case .car(let scope):
            response = try await car(parsed, resolution, scope: scope, request, headers)
        case .deserialized:
            response = try await deserialized(parsed, resolution, request, headers)
        }
        return request.method == .head ? response.createHeadResponse() : response
    }

    // MARK: Resolving

    static func resolve(_ request: GatewayRequest, from source: GatewaySource) throws -> Resolution {
        let reader = UnixFSReader(source: source)
        var roots = [request.root]
        var current = request.root
        do {
            for name in request.path {
                guard current.codec == .dagPB else {
                    throw HTTPFailure.gateway(
                        .notImplemented, "cannot walk \"\(name)\" through \(current): only UnixFS paths are supported")
                }
                let entries = try reader.list(current)
                guard let entry = entries.first(where: { $0.name.utf8.elementsEqual(name.utf8) }) else {
                    throw HTTPFailure.gateway(.notFound, "no link named \"\(name)\" under \(current)")
                }
                current = entry.cid
                roots.append(current)
            }
            switch request.format {
            case .raw:
                guard let block = try source.block(current) else {
                    throw HTTPFailure.gateway(.notFound, "\(current) is not on this node")
                }
                return Resolution(roots: roots, block: block)
            case .car(let scope):
                guard try source.has(current) else {
                    throw HTTPFailure.gateway(.notFound, "\(current) is not on this node")
                }
                // A CAR cannot change its status line once streaming: check every block first.
                return Resolution(roots: roots, missing: try firstMissing(under: current, scope: scope, in: source))
            case .deserialized:
                break
            }
            guard current.codec == .dagPB || current.codec == .raw else {
                throw HTTPFailure.gateway(
                    .notAcceptable,
                    "\(current) is \(current.codec), not UnixFS: ask for ?format=raw or ?format=car")
            }
            let node = try reader.node(current)
            var resolution = Resolution(roots: roots, node: node)
            switch node.kind {
            case .directory, .shardedDirectory:
                let entries = try reader.list(current)
                resolution.entries = entries
                if let index = entries.first(where: { $0.name == "index.html" }) {
                    let indexNode = try reader.node(index.cid)
                    if indexNode.kind == .file {
                        resolution.file = try preview(indexNode, name: "index.html", reader: reader, in: source)
                    }
                }
            case .file:
                resolution.file = try preview(node, name: request.path.last, reader: reader, in: source)
            case .symlink:
                break
            }
            return resolution
        } catch let error as UnixFSError where error.code == .missingBlock || error.code == .notFound {
            throw HTTPFailure.gateway(.notFound, "not found on this node: \(error.message)")
        } catch let error as UnixFSError {
            throw HTTPFailure.gateway(.badGateway, "\(current) is not valid UnixFS: \(error.message)")
        } catch let error as StoreError where error.code == .corruptBlock {
            throw HTTPFailure.gateway(.internalServerError, "the node's copy is damaged: \(error.message)")
        }
    }

    /// Checks a file is complete and reads it whole (small) or its first bytes (large).
    static func preview(
        _ node: UnixFSNode, name: String?, reader: UnixFSReader<GatewaySource>, in source: GatewaySource
    ) throws -> FilePreview {
        var preview = FilePreview(node: node, name: name, prefix: [])
        if let raw = node.rawContent {
            preview.whole = ByteBuffer(bytes: raw)
            preview.prefix = Array(raw.prefix(512))
            return preview
        }
        preview.missing = try firstMissing(under: node.cid, scope: .all, in: source)
        guard preview.missing == nil else { return preview }
        if node.size <= inlineLimit {
            let whole = try read(node.cid, 0..<node.size, from: source)
            preview.prefix = Array(whole.readableBytesView.prefix(512))
            preview.whole = whole
        } else {
            preview.prefix = Array(try read(node.cid, 0..<512, from: source).readableBytesView)
        }
        return preview
    }

    // MARK: Responses

    private func rawBlock(
        _ parsed: GatewayRequest, _ resolution: Resolution, _ request: Request, _ base: HTTPFields
    ) async throws -> Response {
        var headers = base
        let target = resolution.target
        headers[.eTag] = "\"\(target).raw\""
        if notModified(request, etag: headers[.eTag]!) { return Response(status: .notModified, headers: headers) }
        let bytes = resolution.block ?? []
        headers[.contentType] = "application/vnd.ipld.raw"
        headers[HTTPField.Name.contentTypeOptions] = "nosniff"
        headers[.contentDisposition] = Self.disposition(
            parsed.filename ?? "\(target).bin", attachment: true)
        headers[.acceptRanges] = "bytes"
        return sliced(bytes, request: request, headers: headers)
    }

    private func car(
        _ parsed: GatewayRequest, _ resolution: Resolution, scope: GatewayRequest.DAGScope, _ request: Request,
        _ base: HTTPFields
    ) async throws -> Response {
        var headers = base
        let pathTag = Multibase.base16.encodeWithoutPrefix(
            Array(SHA256.hash(data: Array(parsed.path.joined(separator: "/").utf8))).prefix(4))
        headers[.eTag] = "W/\"\(resolution.target).car.\(scope.rawValue).\(pathTag)\""
        if notModified(request, etag: headers[.eTag]!) { return Response(status: .notModified, headers: headers) }
        let repository = self.repository
        let roots = resolution.roots
        if let missing = resolution.missing {
            throw HTTPFailure.gateway(.notFound, "block \(missing) of the requested DAG is not on this node")
        }
        headers[.contentType] = "application/vnd.ipld.car; version=1; order=dfs; dups=n"
        headers[HTTPField.Name.contentTypeOptions] = "nosniff"
        headers[.contentDisposition] = Self.disposition(parsed.filename ?? "\(resolution.target).car", attachment: true)
        headers[.acceptRanges] = "none"
        let body = ResponseBody { writer in
            let exporter = ExporterBox(
                CARExporter(
                    root: roots[0], path: Array(roots.dropLast()), target: roots.last!, source: repository.blocks,
                    follow: Self.follow(scope)))
            while let piece = try await blocking({ try exporter.next() }) {
                try await writer.write(ByteBuffer(bytes: piece))
            }
            try await writer.finish(nil)
        }
        return Response(status: .ok, headers: headers, body: body)
    }

    private func deserialized(
        _ parsed: GatewayRequest, _ resolution: Resolution, _ request: Request, _ base: HTTPFields
    ) async throws -> Response {
        var headers = base
        guard let node = resolution.node else { throw HTTPFailure.gateway(.internalServerError, "unresolved") }
        if let entries = resolution.entries {
            if !parsed.trailingSlash {
                // Relative links in a listing or an index.html need the folder's URL to end in "/".
                headers[.location] = request.uri.path + "/" + (request.uri.query.map { "?" + $0 } ?? "")
                return Response(status: .movedPermanently, headers: headers)
            }
            if let index = resolution.file {
                headers[HTTPField.Name.ipfsRoots]! += "," + index.node.cid.description
                return try file(index, parsed, request, headers)
            }
            headers[.eTag] = "W/\"DirIndex-\(DirectoryIndexPage.version)_CID-\(node.cid)\""
            if notModified(request, etag: headers[.eTag]!) { return Response(status: .notModified, headers: headers) }
            let page = DirectoryIndexPage.render(
                contentPath: parsed.contentPath, cid: node.cid.description, entries: entries,
                isRoot: parsed.path.isEmpty)
            headers[.contentType] = "text/html; charset=utf-8"
            return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: page)))
        }
        switch node.kind {
        case .file:
            guard let preview = resolution.file else { throw HTTPFailure.gateway(.internalServerError, "unread file") }
            return try file(preview, parsed, request, headers)
        case .symlink(let target):
            headers[.eTag] = "\"\(node.cid)\""
            headers[.contentType] = "inode/symlink"
            return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: target)))
        default:
            throw HTTPFailure.gateway(.internalServerError, "unexpected node kind")
        }
    }

    private func file(
        _ preview: FilePreview, _ parsed: GatewayRequest, _ request: Request, _ base: HTTPFields
    ) throws -> Response {
        var headers = base
        let node = preview.node
        let cid = node.cid
        headers[.eTag] = "\"\(cid)\""
        if notModified(request, etag: headers[.eTag]!) { return Response(status: .notModified, headers: headers) }
        if let missing = preview.missing {
            throw HTTPFailure.gateway(.notFound, "block \(missing) of \(cid) is not on this node")
        }
        let length = node.size
        headers[.contentType] = ContentTypeDetector.contentType(
            name: parsed.filename ?? preview.name, prefix: preview.prefix)
        headers[.acceptRanges] = "bytes"
        if parsed.filename != nil || parsed.download {
            headers[.contentDisposition] = Self.disposition(
                parsed.filename ?? preview.name ?? cid.description, attachment: parsed.download)
        }
        var range = 0..<length
        var status = HTTPResponse.Status.ok
        switch ByteRange.resolve(request.headers[.range], length: length) {
        case .whole: break
        case .partial(let wanted):
            range = wanted
            status = .partialContent
            headers[.contentRange] = "bytes \(wanted.lowerBound)-\(wanted.upperBound - 1)/\(length)"
        case .unsatisfiable:
            headers[.contentRange] = "bytes */\(length)"
            var failure = HTTPFailure.gateway(.rangeNotSatisfiable, "the range is outside the \(length)-byte file")
            failure.headers = headers
            throw failure
        }
        if let whole = preview.whole {
            let slice =
                whole.getSlice(at: whole.readerIndex + Int(range.lowerBound), length: Int(range.count)) ?? ByteBuffer()
            return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: slice))
        }
        let repository = self.repository
        let wanted = range
        let body = ResponseBody(contentLength: Int(wanted.count)) { writer in
            try await Self.stream(cid, wanted, from: repository, to: &writer)
        }
        return Response(status: status, headers: headers, body: body)
    }

    /// Writes `range` of the file in pieces, reading the next piece while the current one goes out.
    static func stream(
        _ cid: CID, _ range: Range<UInt64>, from repository: Repository, to writer: inout any ResponseBodyWriter
    ) async throws {
        var offset = range.lowerBound
        if offset < range.upperBound {
            let first = offset..<min(offset + chunkSize, range.upperBound)
            var current = try await blocking { try read(cid, first, from: .unlimited(repository.blocks)) }
            while true {
                offset += UInt64(current.readableBytes)
                if offset >= range.upperBound {
                    try await writer.write(current)
                    break
                }
                let next = offset..<min(offset + chunkSize, range.upperBound)
                async let ahead = blocking { try read(cid, next, from: .unlimited(repository.blocks)) }
                try await writer.write(current)
                current = try await ahead
            }
        }
        try await writer.finish(nil)
    }

    /// Answers a range of a whole in-memory body (a raw block).
    private func sliced(_ bytes: [UInt8], request: Request, headers base: HTTPFields) -> Response {
        var headers = base
        switch ByteRange.resolve(request.headers[.range], length: UInt64(bytes.count)) {
        case .whole:
            return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
        case .partial(let range):
            headers[.contentRange] = "bytes \(range.lowerBound)-\(range.upperBound - 1)/\(bytes.count)"
            let slice = bytes[Int(range.lowerBound)..<Int(range.upperBound)]
            return Response(
                status: .partialContent, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: slice)))
        case .unsatisfiable:
            headers[.contentRange] = "bytes */\(bytes.count)"
            return Response(status: .rangeNotSatisfiable, headers: headers)
        }
    }

    // MARK: Helpers

    static func read(_ cid: CID, _ range: Range<UInt64>, from source: GatewaySource) throws -> ByteBuffer {
        var buffer = ByteBufferAllocator().buffer(capacity: Int(range.count))
        try UnixFSReader(source: source).read(cid, range: range) { buffer.writeBytes($0) }
        return buffer
    }

    /// `If-None-Match` matches `etag` (weak comparison, as RFC 9110 asks for GET).
    func notModified(_ request: Request, etag: String) -> Bool {
        guard let header = request.headers[.ifNoneMatch] else { return false }
        let strip = { (tag: Substring) -> Substring in
            let trimmed = tag.drop { $0 == " " }.reversed().drop { $0 == " " }.reversed()
            let value = Substring(trimmed)
            return value.hasPrefix("W/") ? value.dropFirst(2) : value
        }
        let wanted = strip(Substring(etag))
        return header.split(separator: ",").contains { strip($0) == wanted || strip($0) == "*" }
    }

    static func disposition(_ name: String, attachment: Bool) -> String {
        let kind = attachment ? "attachment" : "inline"
        // Most names (every CID) are plain ASCII: no per-character work for them.
        if name.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F && $0 != UInt8(ascii: "\"") && $0 != UInt8(ascii: "\\") }) {
            return "\(kind); filename=\"\(name)\""
        }
        let ascii = String(name.unicodeScalars.map { $0.isASCII && $0 != "\"" && $0 != "\\" ? Character($0) : "_" })
        var value = "\(kind); filename=\"\(ascii)\""
        if ascii != name { value += "; filename*=UTF-8''" + DirectoryIndexPage.percentEncode(name) }
        return value
    }

    /// Which links a CAR walks for each `dag-scope`.
    static func follow(_ scope: GatewayRequest.DAGScope) -> CARExporter<BlockStore>.Follow {
        switch scope {
        case .all:
            return { cid, bytes in try BlockLinks.links(of: cid, bytes: bytes) }
        case .block:
            return { _, _ in [] }
        case .entity:
            // A file's whole tree; a folder's own block (and its HAMT shards, which are part of it).
            return { cid, bytes in
                guard cid.codec == .dagPB, let node = try? DagPBNode(bytes: bytes), let raw = node.data,
                    let data = try? UnixFSData(bytes: raw)
                else { return [] }
                switch data.kind {
                case .file, .raw: return node.links.map(\.hash)
                case .hamtShard:
                    let prefix = String((data.fanout ?? 256) - 1, radix: 16).count
                    return node.links.filter { ($0.name?.utf8.count ?? 0) == prefix }.map(\.hash)
                default: return []
                }
            }
        }
    }

    /// The first block under `root` (as `scope` walks it) the store lacks; raw leaves are
    /// checked in the index without being read.
    static func firstMissing(
        under root: CID, scope: GatewayRequest.DAGScope, in source: GatewaySource
    ) throws -> CID? {
        let follow = Self.follow(scope)
        var seen: Set<CID> = []
        var stack = [root]
        while let cid = stack.popLast() {
            guard seen.insert(cid).inserted else { continue }
            if cid.codec == .raw || cid.multihash.code == .identity {
                if try !source.has(cid) { return cid }
                continue
            }
            guard let bytes = try source.block(cid) else { return cid }
            stack.append(contentsOf: try follow(cid, bytes))
        }
        return nil
    }
}

extension HTTPField.Name {
    /// Made once: a name checks its characters when it is made.
    static let ipfsPath = HTTPField.Name("X-Ipfs-Path")!
    static let ipfsRoots = HTTPField.Name("X-Ipfs-Roots")!
    static let contentTypeOptions = HTTPField.Name("X-Content-Type-Options")!
}

/// A CAR exporter carried between thread-pool hops: only one hop uses it at a time, each
/// awaited before the next starts, which the compiler cannot see.
private final class ExporterBox: @unchecked Sendable {
    private var exporter: CARExporter<BlockStore>

    init(_ exporter: CARExporter<BlockStore>) { self.exporter = exporter }

    func next() throws -> [UInt8]? { try exporter.next() }
}

/// Runs blocking store work on the NIO thread pool, off the cooperative pool.
func blocking<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await NIOThreadPool.singleton.runIfActive(body)
}
