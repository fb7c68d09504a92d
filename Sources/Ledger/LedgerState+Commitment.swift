import IPLD
import Multiformats

/// The state as key–value entries, and their Merkle commitment (`Specs/ledger.md`, "State layout").
///
/// Keys: one tag byte, then the record's id — `0x01` ‖ address (34 bytes) for an account,
/// `0x02` ‖ address for a storage node, `0x03` ‖ CID bytes for a deal, `0x04` ‖ hash for a
/// credential anchor, `0x05` ‖ UTF-8 id for a status list, `0x06` ‖ UTF-8 id for a collection,
/// `0x07` ‖ varint(length of the collection id) ‖ collection id ‖ token id for a token. Values:
/// the record as a dag-cbor map. Empty accounts (nothing held, nonce 0) are not entries.
extension LedgerState {
    public enum Tag: UInt8, Sendable {
        case account = 1
        case node, deal, anchor, statusList, collection, token
    }

    public static func key(_ tag: Tag, _ id: [UInt8]) -> [UInt8] { [tag.rawValue] + id }

    public static func tokenKey(_ key: TokenKey) -> [UInt8] {
        Self.key(
            .token,
            Varint.encode(UInt64(key.collection.utf8.count)) + Array(key.collection.utf8) + Array(key.token.utf8))
    }

    /// Every entry of the state.
    public var entries: [[UInt8]: [UInt8]] {
        var entries: [[UInt8]: [UInt8]] = [:]
        func put(_ key: [UInt8], _ fields: [(String, IPLDValue)]) {
            entries[key] = try! DagCBOR.encode(.map(IPLDMap(fields)))  // strings, bytes, integers, links
        }
        for (address, account) in accounts
        where account.balance > 0 || account.nonce > 0 || account.staked > 0 || !account.unbonding.isEmpty {
            put(
                Self.key(.account, address.bytes),
                [
                    ("balance", .integer(Int128(account.balance))), ("nonce", .integer(Int128(account.nonce))),
                    ("staked", .integer(Int128(account.staked))),
                    (
                        "unbonding",
                        .list(
                            account.unbonding.map {
                                .list([.integer(Int128($0.amount)), .integer(Int128($0.releaseHeight))])
                            })
                    ),
                ])
        }
        for (address, node) in nodes {
            put(
                Self.key(.node, address.bytes),
                [
                    ("capacity", .integer(Int128(node.capacity))), ("endpoint", .string(node.endpoint)),
                    ("operator", .bytes(node.operatorAddress.bytes)), ("region", .string(node.region)),
                    ("registered", .integer(Int128(node.registeredAt))),
                ])
        }
        for (id, deal) in deals {
            put(
                Self.key(.deal, id.bytes),
                [
                    ("bytes", .integer(Int128(deal.bytes))), ("client", .bytes(deal.client.bytes)),
                    ("epochs", .integer(Int128(deal.epochs))), ("escrow", .integer(Int128(deal.escrow))),
                    ("manifests", .list(deal.manifests.map { .link($0) })),
                    ("price", .integer(Int128(deal.pricePerByteEpoch))), ("root", .link(deal.root)),
                    ("start", .integer(Int128(deal.startHeight))),
                ])
        }
        for (hash, anchor) in anchors {
            put(
                Self.key(.anchor, hash),
                [
                    ("by", .bytes(anchor.anchoredBy.bytes)), ("height", .integer(Int128(anchor.height))),
                    ("issuer", .string(anchor.issuer)),
                ])
        }
        for (list, pointer) in statusLists {
            put(
                Self.key(.statusList, Array(list.utf8)),
                [
                    ("height", .integer(Int128(pointer.height))), ("latest", .link(pointer.latest)),
                    ("owner", .bytes(pointer.owner.bytes)),
                ])
        }
        for (id, collection) in collections {
            put(
                Self.key(.collection, Array(id.utf8)),
                [
                    ("creator", .bytes(collection.creator.bytes)), ("name", .string(collection.name)),
                    ("royalty", .integer(Int128(collection.royaltyBasisPoints))),
                    ("royalty-recipient", .bytes(collection.royaltyRecipient.bytes)),
                    ("symbol", .string(collection.symbol)),
                ])
        }
        for (key, token) in tokens {
            var fields: [(String, IPLDValue)] = [
                ("frozen", .bool(token.frozen)), ("metadata", .link(token.metadata)),
                ("owner", .bytes(token.owner.bytes)),
            ]
            if let price = token.price { fields.append(("price", .integer(Int128(price)))) }
            put(Self.tokenKey(key), fields)
        }
        return entries
    }

    /// The Merkle root of ``entries``: what a block header commits to.
    public var root: [UInt8] { SparseMerkleTree(entries).root }
}
