public import IPLD
public import Multiformats

/// What a transaction does: its `kind` and `payload`, decoded and checked for shape.
///
/// Shape only (types, lengths, ranges); whether the operation is allowed in the current state
/// is ``LedgerState``'s to decide. Payload fields per kind are in `Specs/ledger.md`.
public enum Operation: Hashable, Sendable {
    case transfer(to: Address, amount: UInt64)
    case stake(amount: UInt64)
    case unstake(amount: UInt64)
    case registerNode(endpoint: String, capacity: UInt64, region: String, operator: Address)
    case storageDeal(root: CID, manifests: [CID], pricePerByteEpoch: UInt64, bytes: UInt64, epochs: UInt64)
    case anchorCredential(hash: [UInt8], issuer: String)
    case updateStatusList(list: String, latest: CID)
    case createCollection(
        id: String, name: String, symbol: String, royaltyBasisPoints: UInt64, royaltyRecipient: Address)
    case mint(collection: String, token: String, metadata: CID)
    case transferToken(collection: String, token: String, to: Address)
    case list(collection: String, token: String, price: UInt64)
    case buy(collection: String, token: String, price: UInt64)
    case updateMetadata(collection: String, token: String, metadata: CID)
    case freezeMetadata(collection: String, token: String)

    /// Decodes a transaction's operation.
    ///
    /// - Throws: ``LedgerError`` `.malformed` naming the kind and the field at fault.
    public init(kind: String, payload: IPLDMap) throws(LedgerError) {
        let fields = RecordFields(kind: kind, map: payload)
        switch kind {
        case "transfer":
            try fields.expect(["amount", "to"])
            self = .transfer(to: try fields.address("to"), amount: try fields.amount("amount"))
        case "stake":
            try fields.expect(["amount"])
            self = .stake(amount: try fields.amount("amount"))
        case "unstake":
            try fields.expect(["amount"])
            self = .unstake(amount: try fields.amount("amount"))
        case "register-node":
            try fields.expect(["capacity", "endpoint", "operator", "region"])
            self = .registerNode(
                endpoint: try fields.string("endpoint", max: 256), capacity: try fields.amount("capacity"),
                region: try fields.string("region", max: 64), operator: try fields.address("operator"))
        case "storage-deal":
            try fields.expect(["bytes", "epochs", "manifests", "price", "root"])
            self = .storageDeal(
                root: try fields.link("root"), manifests: try fields.links("manifests", max: 4096),
                pricePerByteEpoch: try fields.unsigned("price"), bytes: try fields.amount("bytes"),
                epochs: try fields.amount("epochs"))
        case "anchor-credential":
            try fields.expect(["hash", "issuer"])
            self = .anchorCredential(
                hash: try fields.bytes("hash", count: 32), issuer: try fields.string("issuer", max: 512))
        case "update-status-list":
            try fields.expect(["latest", "list"])
            self = .updateStatusList(list: try fields.string("list", max: 256), latest: try fields.link("latest"))
        case "create-collection":
            try fields.expect(["id", "name", "royalty", "royalty-recipient", "symbol"])
            let royalty = try fields.unsigned("royalty")
            guard royalty <= 10_000 else { throw fields.failure("royalty", "is at most 10000 basis points") }
            self = .createCollection(
                id: try fields.string("id", max: 64), name: try fields.string("name", max: 256),
                symbol: try fields.string("symbol", max: 16), royaltyBasisPoints: royalty,
                royaltyRecipient: try fields.address("royalty-recipient"))
        case "mint":
            try fields.expect(["collection", "metadata", "token"])
            self = .mint(
                collection: try fields.string("collection", max: 64), token: try fields.string("token", max: 128),
                metadata: try fields.link("metadata"))
        case "transfer-token":
            try fields.expect(["collection", "to", "token"])
            self = .transferToken(
                collection: try fields.string("collection", max: 64), token: try fields.string("token", max: 128),
                to: try fields.address("to"))
        case "list":
            try fields.expect(["collection", "price", "token"])
            self = .list(
                collection: try fields.string("collection", max: 64), token: try fields.string("token", max: 128),
                price: try fields.amount("price"))
        case "buy":
            try fields.expect(["collection", "price", "token"])
            self = .buy(
                collection: try fields.string("collection", max: 64), token: try fields.string("token", max: 128),
                price: try fields.amount("price"))
        case "update-metadata":
            try fields.expect(["collection", "metadata", "token"])
            self = .updateMetadata(
                collection: try fields.string("collection", max: 64), token: try fields.string("token", max: 128),
                metadata: try fields.link("metadata"))
        case "freeze-metadata":
            try fields.expect(["collection", "token"])
            self = .freezeMetadata(
                collection: try fields.string("collection", max: 64), token: try fields.string("token", max: 128))
        default:
            throw LedgerError(.malformed, "unknown transaction kind \"\(kind.prefix(64))\"")
        }
    }
}
