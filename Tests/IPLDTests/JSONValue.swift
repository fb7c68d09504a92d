import Foundation
import IPLD
import Multiformats

/// JSON as the negative fixtures write it (dag-json conventions), turned into IPLD values for the
/// tests: `{"/": "<cid>"}` is a link and `{"/": {"bytes": "<base64>"}}` is bytes.
///
/// Test-only: enough of dag-json to read the fixtures, not a dag-json codec.
indirect enum JSONValue: Decodable, Sendable {
    case null
    case bool(Bool)
    case integer(Int64)
    case float(Double)
    case string(String)
    case list([JSONValue])
    case object([String: JSONValue])

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Int64.self) {
            self = .integer(value)
        } else if let value = try? container.decode(Double.self) {
            self = .float(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([JSONValue].self) {
            self = .list(value)
        } else {
            self = .object(try container.decode([String: JSONValue].self))
        }
    }

    func ipldValue() throws -> IPLDValue {
        switch self {
        case .null: return .null
        case .bool(let value): return .bool(value)
        case .integer(let value): return .integer(Int128(value))
        case .float(let value): return .float(value)
        case .string(let value): return .string(value)
        case .list(let values): return .list(try values.map { try $0.ipldValue() })
        case .object(let object):
            if object.count == 1, let slash = object["/"] {
                if case .string(let cid) = slash { return .link(try CID(cid)) }
                if case .object(let inner) = slash, case .string(let base64)? = inner["bytes"] {
                    return .bytes(try Multibase.base64.decodeWithoutPrefix(base64))
                }
            }
            return .map(IPLDMap(try object.map { ($0.key, try $0.value.ipldValue()) }))
        }
    }
}
