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

    /// Every entry of the state. O(n): for persisting or checking a whole state; blocks use
    /// ``commit()``, which encodes only what changed.
    public var entries: [[UInt8]: [UInt8]] {
        var entries: [[UInt8]: [UInt8]] = [:]
        for address in accounts.keys {
            let key = Self.key(.account, address.bytes)
            entries[key] = accountValue(address)
        }
        for address in nodes.keys { entries[Self.key(.node, address.bytes)] = nodeValue(address) }
        for id in deals.keys { entries[Self.key(.deal, id.bytes)] = dealValue(id) }
        for hash in anchors.keys { entries[Self.key(.anchor, hash)] = anchorValue(hash) }
        for list in statusLists.keys { entries[Self.key(.statusList, Array(list.utf8))] = statusListValue(list) }
        for id in collections.keys { entries[Self.key(.collection, Array(id.utf8))] = collectionValue(id) }
        for key in tokens.keys { entries[Self.tokenKey(key)] = tokenValue(key) }
        return entries
    }

    /// The Merkle root of ``entries``: what a block header commits to. Up to date after
    /// ``commit()``; on a state with uncommitted changes it commits a copy.
    public var root: [UInt8] {
        guard hasUncommittedChanges else { return tree.root }
        var copy = self
        copy.commit()
        return copy.tree.root
    }

    var hasUncommittedChanges: Bool {
        !(accounts.changed.isEmpty && nodes.changed.isEmpty && deals.changed.isEmpty && anchors.changed.isEmpty
            && statusLists.changed.isEmpty && collections.changed.isEmpty && tokens.changed.isEmpty)
    }

    /// Brings ``tree`` up to date with every record written since the last commit, and
    /// returns those entries: each changed state key with its new value, or nil where the
    /// entry is gone (what a store writes to persist the state).
    @discardableResult
    public mutating func commit() -> [[UInt8]: [UInt8]?] {
        var changes: [[UInt8]: [UInt8]?] = [:]
        for address in accounts.takeChanges() { changes[Self.key(.account, address.bytes)] = accountValue(address) }
        for address in nodes.takeChanges() { changes[Self.key(.node, address.bytes)] = nodeValue(address) }
        for id in deals.takeChanges() { changes[Self.key(.deal, id.bytes)] = dealValue(id) }
        for hash in anchors.takeChanges() { changes[Self.key(.anchor, hash)] = anchorValue(hash) }
        for list in statusLists.takeChanges() {
            changes[Self.key(.statusList, Array(list.utf8))] = statusListValue(list)
        }
        for id in collections.takeChanges() { changes[Self.key(.collection, Array(id.utf8))] = collectionValue(id) }
        for key in tokens.takeChanges() { changes[Self.tokenKey(key)] = tokenValue(key) }
        tree.update(changes)
        return changes
    }

    /// The value of one state entry (what ``entries`` holds under `key`), or nil when the state
    /// has no such entry: what a proof for `key` proves. O(1), unlike ``entries``.
    public func value(forKey key: [UInt8]) -> [UInt8]? {
        guard let tagByte = key.first, let tag = Tag(rawValue: tagByte) else { return nil }
        let id = Array(key.dropFirst())
        switch tag {
        case .account: return (try? Address(bytes: id)).flatMap(accountValue)
        case .node: return (try? Address(bytes: id)).flatMap(nodeValue)
        case .deal: return (try? CID(bytes: id)).flatMap(dealValue)
        case .anchor: return anchorValue(id)
        case .statusList: return String(validating: id, as: UTF8.self).flatMap(statusListValue)
        case .collection: return String(validating: id, as: UTF8.self).flatMap(collectionValue)
        case .token:
            guard let (length, size) = try? Varint.decode(id), length < UInt64(id.count - size) else { return nil }
            let split = size + Int(length)
            guard let collection = String(validating: id[size..<split], as: UTF8.self),
                let token = String(validating: id[split...], as: UTF8.self)
            else { return nil }
            return tokenValue(TokenKey(collection: collection, token: token))
        }
    }

    // MARK: Record values

    private static func encode(_ fields: [(String, IPLDValue)]) -> [UInt8] {
        try! DagCBOR.encode(.map(IPLDMap(fields)))  // strings, bytes, integers, links
    }

    /// An account's entry; nil for an empty account (nothing held, nonce 0), which is no entry.
    private func accountValue(_ address: Address) -> [UInt8]? {
        guard let account = accounts[address],
            account.balance > 0 || account.nonce > 0 || account.staked > 0 || !account.unbonding.isEmpty
        else { return nil }
        return Self.encode([
            ("balance", .integer(Int128(account.balance))), ("nonce", .integer(Int128(account.nonce))),
            ("staked", .integer(Int128(account.staked))),
            (
                "unbonding",
                .list(
                    account.unbonding.map { .list([.integer(Int128($0.amount)), .integer(Int128($0.releaseHeight))]) })
            ),
        ])
    }

    private func nodeValue(_ address: Address) -> [UInt8]? {
        nodes[address].map { node in
            Self.encode([
                ("capacity", .integer(Int128(node.capacity))), ("endpoint", .string(node.endpoint)),
                ("operator", .bytes(node.operatorAddress.bytes)), ("region", .string(node.region)),
                ("registered", .integer(Int128(node.registeredAt))),
            ])
        }
    }

    private func dealValue(_ id: CID) -> [UInt8]? {
        deals[id].map { deal in
            Self.encode([
                ("bytes", .integer(Int128(deal.bytes))), ("client", .bytes(deal.client.bytes)),
                ("epochs", .integer(Int128(deal.epochs))), ("escrow", .integer(Int128(deal.escrow))),
                ("manifests", .list(deal.manifests.map { .link($0) })),
                ("price", .integer(Int128(deal.pricePerByteEpoch))), ("root", .link(deal.root)),
                ("start", .integer(Int128(deal.startHeight))),
            ])
        }
    }

    private func anchorValue(_ hash: [UInt8]) -> [UInt8]? {
        anchors[hash].map { anchor in
            Self.encode([
                ("by", .bytes(anchor.anchoredBy.bytes)), ("height", .integer(Int128(anchor.height))),
                ("issuer", .string(anchor.issuer)),
            ])
        }
    }

    private func statusListValue(_ list: String) -> [UInt8]? {
        statusLists[list].map { pointer in
            Self.encode([
                ("height", .integer(Int128(pointer.height))), ("latest", .link(pointer.latest)),
                ("owner", .bytes(pointer.owner.bytes)),
            ])
        }
    }

    private func collectionValue(_ id: String) -> [UInt8]? {
        collections[id].map { collection in
            Self.encode([
                ("creator", .bytes(collection.creator.bytes)), ("name", .string(collection.name)),
                ("royalty", .integer(Int128(collection.royaltyBasisPoints))),
                ("royalty-recipient", .bytes(collection.royaltyRecipient.bytes)),
                ("symbol", .string(collection.symbol)),
            ])
        }
    }

    private func tokenValue(_ key: TokenKey) -> [UInt8]? {
        tokens[key].map { token in
            var fields: [(String, IPLDValue)] = [
                ("frozen", .bool(token.frozen)), ("metadata", .link(token.metadata)),
                ("owner", .bytes(token.owner.bytes)),
            ]
            if let price = token.price { fields.append(("price", .integer(Int128(price)))) }
            return Self.encode(fields)
        }
    }
}
