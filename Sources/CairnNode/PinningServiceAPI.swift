import Foundation
import Hummingbird
import Multiformats
import NIOCore

/// The IPFS Pinning Service API (`../shared/api/ipfs-pinning-service.yaml`, v1.0.0) on `/pins`.
///
/// Every route needs a Bearer token. The node is one account: every valid token sees every pin
/// request. A new request is answered `202` in status `queued`; the ``PinQueue`` takes it to
/// `pinned` or `failed`. Errors use the spec's `Failure` body; `400` names the field at fault.
struct PinningServiceAPI: Sendable {
    let requests: PinRequestStore
    let queue: PinQueue
    let configuration: NodeConfiguration
    /// Where the node listens: its multiaddrs are the spec's `delegates` (at least one).
    let addresses: NodeApplication.Addresses

    private var delegates: [String] { addresses.multiaddrs }

    func register(on group: RouterGroup<some RequestContext>) {
        group.get { request, _ in try await list(request) }
        group.post { request, context in try await add(request, context: context) }
        group.get("{requestid}") { request, context in try await get(context.parameters.require("requestid")) }
        group.post("{requestid}") { request, context in
            try await replace(context.parameters.require("requestid"), request, context: context)
        }
        group.delete("{requestid}") { _, context in try await delete(context.parameters.require("requestid")) }
    }

    // MARK: Handlers

    private func list(_ request: Request) async throws -> Response {
        let query = try parseQuery(Self.formDecoded(request.uri.query ?? ""))
        let requests = self.requests
        let (count, results) = try await blocking { try requests.list(query) }
        let body = #"{"count":\#(count),"results":["# + results.map(render).joined(separator: ",") + "]}"
        return JSONResponse.text(body, status: .ok)
    }

    private func add(_ request: Request, context: some RequestContext) async throws -> Response {
        let pin = try await parsePin(request, context: context)
        let requests = self.requests
        let created = try await blocking { try requests.add(pin) }
        queue.enqueue(created.requestid)
        return JSONResponse.text(render(created), status: .accepted)
    }

    private func get(_ id: String) async throws -> Response {
        let requests = self.requests
        guard let found = try await blocking({ try requests.get(id) }) else {
            throw HTTPFailure(.notFound, "no pin request \(id.prefix(100))")
        }
        return JSONResponse.text(render(found), status: .ok)
    }

    private func replace(_ id: String, _ request: Request, context: some RequestContext) async throws -> Response {
        let pin = try await parsePin(request, context: context)
        let requests = self.requests
        let created = try await blocking { () throws -> PinRequest in
            guard try requests.get(id) != nil else { throw HTTPFailure(.notFound, "no pin request \(id.prefix(100))") }
            let created = try requests.add(pin)
            try requests.delete(id)
            return created
        }
        queue.enqueue(created.requestid)
        return JSONResponse.text(render(created), status: .accepted)
    }

    private func delete(_ id: String) async throws -> Response {
        let requests = self.requests
        try await blocking { () throws in
            do { try requests.delete(id) } catch let error as NodeError where error.code == .notFound {
                throw HTTPFailure(.notFound, "no pin request \(id.prefix(100))")
            }
        }
        return Response(status: .accepted)
    }

    // MARK: Parsing

    /// Reads and checks a `Pin` object.
    private func parsePin(_ request: Request, context: some RequestContext) async throws -> PinRequest.Pin {
        let body: ByteBuffer
        do { body = try await request.body.collect(upTo: configuration.maxJSONBytes) } catch {
            throw HTTPFailure(.contentTooLarge, "the JSON body is over \(configuration.maxJSONBytes) bytes")
        }
        let object: [String: Any]
        do {
            guard let parsed = try JSONSerialization.jsonObject(with: Data(body.readableBytesView)) as? [String: Any]
            else { throw HTTPFailure(.badRequest, "the body is not a JSON object") }
            object = parsed
        } catch let error as HTTPFailure { throw error } catch {
            throw HTTPFailure(.badRequest, "the body is not valid JSON")
        }
        guard let cidText = object["cid"] as? String else {
            throw HTTPFailure(.badRequest, "cid is required, as a string")
        }
        do { _ = try CID(cidText) } catch {
            throw HTTPFailure(.badRequest, "cid \"\(cidText.prefix(100))\" is not a valid CID: \(error.message)")
        }
        var pin = PinRequest.Pin(cid: cidText)
        if let name = object["name"] {
            guard let name = name as? String else { throw HTTPFailure(.badRequest, "name must be a string") }
            guard name.unicodeScalars.count <= 255 else {
                throw HTTPFailure(.badRequest, "name is longer than 255 characters")
            }
            pin.name = name
        }
        if let origins = object["origins"] {
            guard let list = origins as? [Any], list.allSatisfy({ $0 is String }), let strings = list as? [String]
            else {
                throw HTTPFailure(.badRequest, "origins must be an array of multiaddr strings")
            }
            guard strings.count <= 20 else { throw HTTPFailure(.badRequest, "origins has more than 20 entries") }
            guard Set(strings).count == strings.count else { throw HTTPFailure(.badRequest, "origins has duplicates") }
            pin.origins = strings
        }
        if let meta = object["meta"] {
            pin.meta = try parseMeta(meta, field: "meta")
        }
        return pin
    }

    private func parseMeta(_ value: Any, field: String) throws -> [String: String] {
        guard let dictionary = value as? [String: Any] else {
            throw HTTPFailure(.badRequest, "\(field) must be an object of strings")
        }
        var meta: [String: String] = [:]
        for (key, item) in dictionary {
            guard let string = item as? String else {
                throw HTTPFailure(.badRequest, "\(field)[\(key.prefix(40))] must be a string")
            }
            meta[key] = string
        }
        guard meta.count <= 1000 else { throw HTTPFailure(.badRequest, "\(field) has more than 1000 keys") }
        let size = meta.reduce(0) { $0 + $1.key.utf8.count + $1.value.utf8.count + 6 }
        guard size <= configuration.maxPinMetaBytes else {
            throw HTTPFailure(
                .badRequest, "\(field) is about \(size) bytes; this node takes at most \(configuration.maxPinMetaBytes)"
            )
        }
        return meta
    }

    private func parseQuery(_ parameters: [String: String]) throws -> PinRequestStore.Query {
        var query = PinRequestStore.Query()
        func one(_ name: String) -> String? { parameters[name].map(Self.decode) }
        func list(_ name: String) -> [String]? {
            parameters[name].map { $0.split(separator: ",", omittingEmptySubsequences: false).map(Self.decode) }
        }
        if let list = list("cid") {
            guard (1...10).contains(list.count) else { throw HTTPFailure(.badRequest, "cid takes 1 to 10 CIDs") }
            guard Set(list).count == list.count else { throw HTTPFailure(.badRequest, "cid lists a CID twice") }
            // A filter that is not a CID is not an error: nothing was pinned under it.
            query.cids = list
        }
        if let name = one("name") {
            guard name.unicodeScalars.count <= 255 else {
                throw HTTPFailure(.badRequest, "name is longer than 255 characters")
            }
            query.name = name
        }
        if let match = one("match") {
            guard let parsed = PinRequestStore.Query.Match(rawValue: match) else {
                throw HTTPFailure(.badRequest, "match must be exact, iexact, partial or ipartial")
            }
            query.match = parsed
        }
        if let statuses = list("status") {
            var set: Set<PinRequest.Status> = []
            for item in statuses {
                guard let status = PinRequest.Status(rawValue: String(item)) else {
                    throw HTTPFailure(
                        .badRequest, "status must be queued, pinning, pinned or failed, not \"\(item.prefix(20))\"")
                }
                guard set.insert(status).inserted else {
                    throw HTTPFailure(.badRequest, "status lists \(status.rawValue) twice")
                }
            }
            query.statuses = set
        }
        for (name, keyPath) in [("before", \PinRequestStore.Query.before), ("after", \PinRequestStore.Query.after)] {
            if let text = one(name) {
                guard let milliseconds = Timestamp.parse(text) else {
                    throw HTTPFailure(.badRequest, "\(name) must be an RFC 3339 date-time")
                }
                query[keyPath: keyPath] = milliseconds
            }
        }
        if let limit = one("limit") {
            guard let value = Int(limit), (1...1000).contains(value) else {
                throw HTTPFailure(.badRequest, "limit must be an integer from 1 to 1000")
            }
            query.limit = value
        }
        if let meta = one("meta") {
            guard let object = try? JSONSerialization.jsonObject(with: Data(meta.utf8)) else {
                throw HTTPFailure(.badRequest, "meta must be a JSON object of strings")
            }
            query.meta = try parseMeta(object, field: "meta")
        }
        return query
    }

    /// Query parameters as `application/x-www-form-urlencoded` (the spec's `style: form`), still
    /// percent-encoded so that lists can be split on their literal commas first; the first
    /// value of a repeated key wins.
    static func formDecoded(_ query: String) -> [String: String] {
        var result: [String: String] = [:]
        for pair in query.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let key = decode(parts[0])
            if result[key] == nil { result[key] = parts.count > 1 ? String(parts[1]) : "" }
        }
        return result
    }

    /// `+` is a space, then percent-decoding.
    static func decode(_ text: some StringProtocol) -> String {
        String(text).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String(text)
    }

    // MARK: Rendering

    /// A `PinStatus` object, keys in a fixed order.
    private func render(_ request: PinRequest) -> String {
        var pin = #"{"cid":"# + JSONText.quote(request.pin.cid)
        if let name = request.pin.name { pin += #","name":"# + JSONText.quote(name) }
        if let origins = request.pin.origins {
            pin += #","origins":["# + origins.map(JSONText.quote).joined(separator: ",") + "]"
        }
        if let meta = request.pin.meta { pin += #","meta":"# + Self.object(meta) }
        pin += "}"
        var output = #"{"requestid":"# + JSONText.quote(request.requestid)
        output += #","status":""# + request.status.rawValue + "\""
        output += #","created":""# + Timestamp.format(milliseconds: request.createdMilliseconds) + "\""
        output += #","pin":"# + pin
        output += #","delegates":["# + delegates.map(JSONText.quote).joined(separator: ",") + "]"
        if let info = request.info { output += #","info":"# + Self.object(info) }
        return output + "}"
    }

    static func object(_ dictionary: [String: String]) -> String {
        "{"
            + dictionary.sorted { $0.key < $1.key }.map { JSONText.quote($0.key) + ":" + JSONText.quote($0.value) }
            .joined(separator: ",") + "}"
    }
}
