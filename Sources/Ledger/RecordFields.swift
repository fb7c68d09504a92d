import IPLD
import Multiformats

/// Typed access to a dag-cbor map's fields (a transaction payload, a state record), with errors
/// that name the record and the field.
struct RecordFields {
    /// What the map is, for errors: a transaction kind or a state record.
    let kind: String
    let map: IPLDMap

    func failure(_ field: String, _ problem: String) -> LedgerError {
        LedgerError(.malformed, "\(kind): \(field) \(problem)")
    }

    func expect(_ names: Set<String>) throws(LedgerError) {
        let present = Set(map.entries.map(\.key))
        guard present == names else {
            throw LedgerError(
                .malformed, "\(kind) takes exactly the fields \(names.sorted()), not \(present.sorted())")
        }
    }

    func unsigned(_ field: String) throws(LedgerError) -> UInt64 {
        guard case .integer(let value)? = map[field], let number = UInt64(exactly: value) else {
            throw failure(field, "is an unsigned 64-bit integer")
        }
        return number
    }

    /// A positive amount.
    func amount(_ field: String) throws(LedgerError) -> UInt64 {
        let value = try unsigned(field)
        guard value > 0 else { throw failure(field, "must be more than zero") }
        return value
    }

    func string(_ field: String, max: Int) throws(LedgerError) -> String {
        guard case .string(let text)? = map[field], !text.isEmpty, text.utf8.count <= max else {
            throw failure(field, "is a string of 1 to \(max) bytes")
        }
        return text
    }

    func bytes(_ field: String, count: Int) throws(LedgerError) -> [UInt8] {
        guard case .bytes(let value)? = map[field], value.count == count else {
            throw failure(field, "is \(count) bytes")
        }
        return value
    }

    func address(_ field: String) throws(LedgerError) -> Address {
        guard case .bytes(let value)? = map[field] else { throw failure(field, "is an address (34 bytes)") }
        return try Address(bytes: value)
    }

    func link(_ field: String) throws(LedgerError) -> CID {
        guard case .link(let cid)? = map[field] else { throw failure(field, "is a CID link") }
        return cid
    }

    func links(_ field: String, max: Int) throws(LedgerError) -> [CID] {
        guard case .list(let items)? = map[field], items.count <= max else {
            throw failure(field, "is a list of at most \(max) CID links")
        }
        var cids: [CID] = []
        for item in items {
            guard case .link(let cid) = item else { throw failure(field, "holds only CID links") }
            cids.append(cid)
        }
        return cids
    }
}

extension RecordFields {
    func bool(_ field: String) throws(LedgerError) -> Bool {
        guard case .bool(let value)? = map[field] else { throw failure(field, "is a boolean") }
        return value
    }

    func list(_ field: String) throws(LedgerError) -> [IPLDValue] {
        guard case .list(let items)? = map[field] else { throw failure(field, "is a list") }
        return items
    }
}
