import IPLD
import Multiformats

extension LedgerState {
    /// The state whose ``entries`` are `entries`, at `height`: the inverse of ``entries``, so a
    /// node can persist its state and reopen it instead of replaying every block.
    ///
    /// Strict: every key and value must be exactly what ``entries`` would write for the state
    /// they describe (checked by re-encoding), so a damaged or foreign record is an error,
    /// never a silently different state. The caller still compares ``root`` with the header
    /// the state belongs to.
    public init(parameters: ChainParameters, height: UInt64, entries: [[UInt8]: [UInt8]]) throws(LedgerError) {
        self.parameters = parameters
        self.height = height
        for (key, value) in entries {
            guard let tagByte = key.first, let tag = Tag(rawValue: tagByte) else {
                throw LedgerError(.malformed, "a state key starts with an unknown tag")
            }
            let id = Array(key.dropFirst())
            let fields = RecordFields(
                kind: "state record \(Multibase.base16.encodeWithoutPrefix(key.prefix(8)))…",
                map: try LedgerError.decodeMap(value, what: "a state record"))
            try insert(tag, id: id, fields)
        }
        for (address, account) in accounts {
            for unbonding in account.unbonding { releases[unbonding.releaseHeight, default: []].insert(address) }
        }
        guard commit().count == entries.count, self.entries == entries else {
            throw LedgerError(.nonCanonical, "the state records are not the canonical entries of any state")
        }
    }

    private mutating func insert(_ tag: Tag, id: [UInt8], _ fields: RecordFields) throws(LedgerError) {
        switch tag {
        case .account:
            try fields.expect(["balance", "nonce", "staked", "unbonding"])
            var account = Account(balance: try fields.unsigned("balance"))
            account.nonce = try fields.unsigned("nonce")
            account.staked = try fields.unsigned("staked")
            for item in try fields.list("unbonding") {
                guard case .list(let pair) = item, pair.count == 2, case .integer(let amount) = pair[0],
                    case .integer(let release) = pair[1], let amount = UInt64(exactly: amount),
                    let release = UInt64(exactly: release)
                else { throw fields.failure("unbonding", "holds [amount, release height] pairs") }
                account.unbonding.append(Account.Unbonding(amount: amount, releaseHeight: release))
            }
            accounts[try Address(bytes: id)] = account
        case .node:
            try fields.expect(["capacity", "endpoint", "operator", "region", "registered"])
            nodes[try Address(bytes: id)] = StorageNodeRecord(
                endpoint: try fields.string("endpoint", max: 256), capacity: try fields.unsigned("capacity"),
                region: try fields.string("region", max: 64), operatorAddress: try fields.address("operator"),
                registeredAt: try fields.unsigned("registered"))
        case .deal:
            try fields.expect(["bytes", "client", "epochs", "escrow", "manifests", "price", "root", "start"])
            let cid: CID
            do { cid = try CID(bytes: id) } catch { throw LedgerError(.malformed, "a deal key is not a CID") }
            deals[cid] = StorageDeal(
                client: try fields.address("client"), root: try fields.link("root"),
                manifests: try fields.links("manifests", max: 4096), pricePerByteEpoch: try fields.unsigned("price"),
                bytes: try fields.unsigned("bytes"), epochs: try fields.unsigned("epochs"),
                escrow: try fields.unsigned("escrow"), startHeight: try fields.unsigned("start"))
        case .anchor:
            try fields.expect(["by", "height", "issuer"])
            anchors[id] = CredentialAnchor(
                issuer: try fields.string("issuer", max: 512), anchoredBy: try fields.address("by"),
                height: try fields.unsigned("height"))
        case .statusList:
            try fields.expect(["height", "latest", "owner"])
            statusLists[try Self.text(id)] = StatusListPointer(
                owner: try fields.address("owner"), latest: try fields.link("latest"),
                height: try fields.unsigned("height"))
        case .collection:
            try fields.expect(["creator", "name", "royalty", "royalty-recipient", "symbol"])
            collections[try Self.text(id)] = TokenCollection(
                creator: try fields.address("creator"), name: try fields.string("name", max: 256),
                symbol: try fields.string("symbol", max: 16), royaltyBasisPoints: try fields.unsigned("royalty"),
                royaltyRecipient: try fields.address("royalty-recipient"))
        case .token:
            let listed = fields.map["price"] != nil
            try fields.expect(listed ? ["frozen", "metadata", "owner", "price"] : ["frozen", "metadata", "owner"])
            let length: (value: UInt64, length: Int)
            do { length = try Varint.decode(id) } catch { throw LedgerError(.malformed, "a token key is damaged") }
            let rest = id.dropFirst(length.length)
            guard length.value < rest.count else { throw LedgerError(.malformed, "a token key is damaged") }
            let split = rest.startIndex + Int(length.value)
            let key = TokenKey(collection: try Self.text(rest[..<split]), token: try Self.text(rest[split...]))
            tokens[key] = Token(
                owner: try fields.address("owner"), metadata: try fields.link("metadata"),
                frozen: try fields.bool("frozen"), price: listed ? try fields.unsigned("price") : nil)
        }
    }

    private static func text(_ bytes: some Collection<UInt8>) throws(LedgerError) -> String {
        guard let text = String(validating: bytes, as: UTF8.self), !text.isEmpty else {
            throw LedgerError(.malformed, "a state key's id is not UTF-8 text")
        }
        return text
    }
}
