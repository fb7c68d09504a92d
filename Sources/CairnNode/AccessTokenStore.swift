import Crypto
public import Foundation
public import LocalStore
import Multiformats
import SodiumKit

/// Bearer access tokens for the Pinning Service API and uploads (`cairn token create|revoke|ls`).
///
/// A token is `cairn_` followed by 32 random bytes in base32 (52 characters). Only its SHA-256
/// is stored, as the key of its record, so a copy of the repository does not leak usable tokens
/// and checking one is a single index lookup, whose timing says nothing about other tokens.
public struct AccessTokenStore: Sendable {
    /// What is kept of a token: never the secret itself.
    public struct Record: Codable, Sendable, Hashable {
        /// A short public name for revoking and listing: 8 random bytes in hex.
        public let id: String
        public let name: String
        public let created: Date
    }

    private let table: RecordTable

    public init(repository: Repository) {
        self.table = repository.table(.accessToken)
    }

    /// Makes a token and returns it with its record; the secret is not kept and cannot be shown again.
    public func create(name: String, now: Date = Date()) throws(NodeError) -> (token: String, record: Record) {
        let controls = name.unicodeScalars.contains {
            $0.properties.generalCategory == .control || $0 == "\u{2028}" || $0 == "\u{2029}"
        }
        guard (1...128).contains(name.unicodeScalars.count), !controls else {
            throw NodeError(.invalidArgument, "a token name is 1 to 128 characters with no control characters")
        }
        let token = "cairn_" + Multibase.base32.encodeWithoutPrefix(SecureRandom.bytes(count: 32))
        let id = Multibase.base16.encodeWithoutPrefix(SecureRandom.bytes(count: 8))
        let record = Record(
            id: id, name: name, created: Date(timeIntervalSince1970: now.timeIntervalSince1970.rounded()))
        try put(Self.key(token), record)
        return (token, record)
    }

    /// The record of `token`, or nil when it is unknown or revoked.
    public func verify(_ token: String) throws(NodeError) -> Record? {
        guard token.hasPrefix("cairn_"), token.utf8.count < 256 else { return nil }
        guard let bytes = try wrap({ () throws(StoreError) in try table.get(Self.key(token)) }) else { return nil }
        return try decode(bytes)
    }

    /// Every token's record, oldest first.
    public func list() throws(NodeError) -> [Record] {
        let rows = try wrap { () throws(StoreError) in try table.all() }
        var records: [Record] = []
        for row in rows { records.append(try decode(row.value)) }
        return records.sorted { ($0.created, $0.id) < ($1.created, $1.id) }
    }

    /// Revokes the token whose id (or, when unambiguous, name) is `idOrName`.
    ///
    /// - Throws: ``NodeError`` `.notFound`, or `.invalidArgument` when a name matches several.
    @discardableResult
    public func revoke(_ idOrName: String) throws(NodeError) -> Record {
        let rows = try wrap { () throws(StoreError) in try table.all() }
        var matches: [(key: [UInt8], record: Record)] = []
        for row in rows {
            let record = try decode(row.value)
            if record.id == idOrName || record.name == idOrName { matches.append((row.key, record)) }
        }
        if let exact = matches.first(where: { $0.record.id == idOrName }) { matches = [exact] }
        guard let match = matches.first else { throw NodeError(.notFound, "no token \"\(idOrName)\"") }
        guard matches.count == 1 else {
            throw NodeError(.invalidArgument, "\(matches.count) tokens are named \"\(idOrName)\"; revoke one by id")
        }
        try wrap { () throws(StoreError) in try table.delete(match.key) }
        return match.record
    }

    static func key(_ token: String) -> [UInt8] { Array(SHA256.hash(data: Array(token.utf8))) }

    private func put(_ key: [UInt8], _ record: Record) throws(NodeError) {
        let bytes: [UInt8]
        do { bytes = Array(try JSONEncoder.sorted.encode(record)) } catch {
            throw NodeError(.invalidArgument, "cannot encode token record: \(error)")
        }
        try wrap { () throws(StoreError) in try table.put(key, bytes) }
    }

    private func decode(_ bytes: [UInt8]) throws(NodeError) -> Record {
        do { return try JSONDecoder.iso.decode(Record.self, from: Data(bytes)) } catch {
            throw NodeError(.ioError, "a token record in the index is damaged: \(error)")
        }
    }
}

/// Runs a store call, turning its error into the node's.
func wrap<T>(_ body: () throws(StoreError) -> T) throws(NodeError) -> T {
    do { return try body() } catch { throw NodeError(.ioError, error.message) }
}

extension String {
    func leftPadded(to length: Int, with pad: Character = "0") -> String {
        count >= length ? self : String(repeating: pad, count: length - count) + self
    }
}

extension JSONEncoder {
    /// Sorted keys, ISO 8601 dates: the form records are stored in.
    static var sorted: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }
}

extension JSONDecoder {
    static var iso: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }
}
