public import Foundation
public import LocalStore
import Multiformats
import SodiumKit
import Synchronization

/// Pin requests of the Pinning Service API, in the repository's index, and the local pins they hold.
///
/// A request in status `pinned` holds a recursive local pin on its CID (so garbage collection
/// keeps the DAG); the local pin goes when the last pinned request for that CID is deleted.
/// Read–modify–write steps are serialized by a lock, so the pin queue and the HTTP handlers
/// never interleave on one record.
public final class PinRequestStore: Sendable {
    /// Filters of `GET /pins`, already checked.
    public struct Query: Sendable {
        public enum Match: String, Sendable, CaseIterable {
            case exact, iexact, partial, ipartial
        }

        /// CIDs as given; a request matches when its CID equals one (as a CID, or as the same
        /// string when one is not a valid CID — such a filter matches nothing pinned).
        public var cids: [String]?
        public var name: String?
        public var match: Match = .exact
        /// Default: pinned only, as the spec says.
        public var statuses: Set<PinRequest.Status> = [.pinned]
        public var before: Int64?
        public var after: Int64?
        public var limit: Int = 10
        public var meta: [String: String]?

        public init() {}
    }

    private let table: RecordTable
    private let repository: Repository
    private let lock = Mutex(())

    public init(repository: Repository) {
        self.repository = repository
        self.table = repository.table(.pinRequest)
    }

    /// Records a new request in status `queued`.
    public func add(_ pin: PinRequest.Pin, now: Date = Date()) throws(NodeError) -> PinRequest {
        let request = PinRequest(
            requestid: Multibase.base32.encodeWithoutPrefix(SecureRandom.bytes(count: 16)),
            status: .queued,
            createdMilliseconds: Int64((now.timeIntervalSince1970 * 1000).rounded()),
            pin: pin,
            info: nil
        )
        try lock.withLock { _ throws(NodeError) in try put(request) }
        return request
    }

    public func get(_ id: String) throws(NodeError) -> PinRequest? {
        guard let bytes = try wrap({ () throws(StoreError) in try table.get(Array(id.utf8)) }) else { return nil }
        return try decode(bytes)
    }

    /// Every request, newest first.
    public func all() throws(NodeError) -> [PinRequest] {
        let rows = try wrap { () throws(StoreError) in try table.all() }
        var requests: [PinRequest] = []
        requests.reserveCapacity(rows.count)
        for row in rows { requests.append(try decode(row.value)) }
        return requests.sorted { ($0.createdMilliseconds, $0.requestid) > ($1.createdMilliseconds, $1.requestid) }
    }

    /// The requests matching `query`, newest first, at most `query.limit`, and how many matched in all.
    public func list(_ query: Query) throws(NodeError) -> (count: Int, results: [PinRequest]) {
        let matching = try all().filter { request in
            guard query.statuses.contains(request.status) else { return false }
            if let before = query.before, request.createdMilliseconds >= before { return false }
            if let after = query.after, request.createdMilliseconds <= after { return false }
            if let cids = query.cids {
                let pinned = try? CID(request.pin.cid)
                guard cids.contains(where: { $0 == request.pin.cid || (pinned != nil && (try? CID($0)) == pinned) })
                else { return false }
            }
            if let name = query.name {
                guard let pinName = request.pin.name, Self.matches(pinName, name, query.match) else { return false }
            }
            if let meta = query.meta {
                let pinMeta = request.pin.meta ?? [:]
                guard meta.allSatisfy({ pinMeta[$0.key] == $0.value }) else { return false }
            }
            return true
        }
        return (matching.count, Array(matching.prefix(query.limit)))
    }

    /// Moves a request to a new status; returns nil if it was deleted meanwhile.
    ///
    /// Entering `pinned` takes the local pin in the same locked step, so a concurrent delete
    /// either sees the pin or prevents it.
    @discardableResult
    public func transition(
        _ id: String, to status: PinRequest.Status, info: [String: String]? = nil
    ) throws(NodeError) -> PinRequest? {
        try lock.withLock { _ throws(NodeError) -> PinRequest? in
            guard var request = try get(id) else { return nil }
            if status == .pinned {
                guard let cid = try? CID(request.pin.cid) else {
                    throw NodeError(.invalidArgument, "request \(id) holds an unparsable CID")
                }
                try wrap { () throws(StoreError) in
                    if try repository.pins.pin(for: cid) == nil {
                        try repository.pins.add(cid, kind: .recursive, name: request.pin.name, verifyComplete: false)
                    }
                }
            }
            request.status = status
            request.info = info
            try put(request)
            return request
        }
    }

    /// Deletes a request, and the local pin if no other pinned request holds its CID.
    ///
    /// - Throws: ``NodeError`` `.notFound`.
    public func delete(_ id: String) throws(NodeError) {
        try lock.withLock { _ throws(NodeError) in
            guard let request = try get(id) else { throw NodeError(.notFound, "no pin request \(id)") }
            try wrap { () throws(StoreError) in try table.delete(Array(id.utf8)) }
            guard request.status == .pinned, let cid = try? CID(request.pin.cid) else { return }
            let others = try all().contains { other in
                other.status == .pinned && (try? CID(other.pin.cid)) == cid
            }
            if !others {
                try wrap { () throws(StoreError) in
                    if try repository.pins.pin(for: cid) != nil { try repository.pins.remove(cid) }
                }
            }
        }
    }

    static func matches(_ value: String, _ wanted: String, _ match: Query.Match) -> Bool {
        switch match {
        case .exact: value == wanted
        case .iexact: value.lowercased() == wanted.lowercased()
        case .partial: value.contains(wanted)
        case .ipartial: value.lowercased().contains(wanted.lowercased())
        }
    }

    private func put(_ request: PinRequest) throws(NodeError) {
        let bytes: [UInt8]
        do { bytes = Array(try JSONEncoder.sorted.encode(request)) } catch {
            throw NodeError(.invalidArgument, "cannot encode pin request: \(error)")
        }
        try wrap { () throws(StoreError) in try table.put(Array(request.requestid.utf8), bytes) }
    }

    private func decode(_ bytes: [UInt8]) throws(NodeError) -> PinRequest {
        do { return try JSONDecoder().decode(PinRequest.self, from: Data(bytes)) } catch {
            throw NodeError(.ioError, "a pin request in the index is damaged: \(error)")
        }
    }
}
