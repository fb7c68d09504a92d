public import Multiformats

/// The ledger's state and its rules: a pure, deterministic function from (state, transaction)
/// to state. Same transactions in the same order from the same genesis give the same state and
/// the same ``root``, on any machine.
///
/// ``apply(_:proposer:)`` is all or nothing: a rejected transaction (with a ``Rejection`` that
/// names why) leaves the state untouched. Fees move from the signer to the block's proposer, so
/// no rule here creates or destroys tokens: ``totalSupply`` is constant (rewards, later, will
/// be the one minting rule). Rules per kind: `Specs/ledger.md`, "Rules".
public struct LedgerState: Hashable, Sendable {
    public let parameters: ChainParameters
    /// The height of the block being applied (0: genesis).
    public internal(set) var height: UInt64 = 0
    public internal(set) var accounts = TrackedMap<Address, Account>()
    public internal(set) var nodes = TrackedMap<Address, StorageNodeRecord>()
    public internal(set) var deals = TrackedMap<CID, StorageDeal>()
    public internal(set) var anchors = TrackedMap<[UInt8], CredentialAnchor>()
    public internal(set) var statusLists = TrackedMap<String, StatusListPointer>()
    public internal(set) var collections = TrackedMap<String, TokenCollection>()
    public internal(set) var tokens = TrackedMap<TokenKey, Token>()
    /// The Merkle tree over ``entries`` as of the last ``commit()``.
    public internal(set) var tree = StateTree()
    /// Accounts with unbonding amounts, by the height they are due: derived from the accounts
    /// (not an entry), so a block start touches only what is due.
    var releases: [UInt64: Set<Address>] = [:]

    /// The genesis state: `balances` funded, nothing else.
    ///
    /// - Throws: ``LedgerError`` `.overflow` when the balances add up to more than a 64-bit
    ///   amount: then no balance can ever overflow, whatever moves where.
    public init(parameters: ChainParameters, balances: [Address: UInt64]) throws(LedgerError) {
        guard balances.values.reduce(UInt128(0), { $0 + UInt128($1) }) <= UInt128(UInt64.max) else {
            throw LedgerError(.oversized, "the genesis balances add up to more than 2^64 - 1")
        }
        self.parameters = parameters
        for (address, balance) in balances where balance > 0 { accounts[address] = Account(balance: balance) }
        commit()
    }

    // Equality is the contents: two states with the same records are the same state, whatever
    // their trees' pending work.
    public static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.parameters == rhs.parameters && lhs.height == rhs.height && lhs.accounts == rhs.accounts
            && lhs.nodes == rhs.nodes && lhs.deals == rhs.deals && lhs.anchors == rhs.anchors
            && lhs.statusLists == rhs.statusLists && lhs.collections == rhs.collections && lhs.tokens == rhs.tokens
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(parameters)
        hasher.combine(height)
        hasher.combine(accounts)
        hasher.combine(tokens)
    }

    /// Every token in existence: balances, stakes, unbonding amounts and deal escrows.
    public var totalSupply: UInt128 {
        var total: UInt128 = 0
        for account in accounts.values {
            total += UInt128(account.balance) + UInt128(account.staked)
            for entry in account.unbonding { total += UInt128(entry.amount) }
        }
        for deal in deals.values { total += UInt128(deal.escrow) }
        return total
    }

    /// The nonce the signer's next transaction must carry.
    public func nextNonce(of address: Address) -> UInt64 { (accounts[address]?.nonce ?? 0) + 1 }

    /// Starts block `height`: unbonding amounts due by then return to their balances.
    public mutating func beginBlock(height: UInt64) {
        self.height = height
        let dueHeights = releases.keys.filter { $0 <= height }
        for dueHeight in dueHeights.sorted() {
            for address in releases.removeValue(forKey: dueHeight) ?? [] {
                guard var account = accounts[address] else { continue }
                let due = account.unbonding.filter { $0.releaseHeight <= height }
                guard !due.isEmpty else { continue }
                account.unbonding.removeAll { $0.releaseHeight <= height }
                account.balance += due.reduce(0) { $0 + $1.amount }
                accounts[address] = account
            }
        }
    }

    /// The checks a transaction must pass before its operation is considered: chain, signature,
    /// nonce, fee and the fee's funds. What the mempool runs on entry.
    ///
    /// - Parameter expectedNonce: the nonce to require instead of the state's next one (a
    ///   mempool counts the signer's pending transactions).
    public func admit(
        _ transaction: Transaction, checkSignature: Bool = true, expectedNonce: UInt64? = nil
    ) -> Rejection? {
        guard transaction.chain == parameters.chain else {
            return Rejection(.wrongChain, "for chain \"\(transaction.chain)\", this is \"\(parameters.chain)\"")
        }
        if checkSignature && !transaction.hasValidSignature {
            return Rejection(.badSignature, "the signature is not \(transaction.signer)'s")
        }
        let expected = expectedNonce ?? nextNonce(of: transaction.signer)
        if transaction.nonce < expected {
            return Rejection(.nonceReused, "nonce \(transaction.nonce) is used; the next is \(expected)")
        }
        if transaction.nonce > expected {
            return Rejection(.nonceSkipped, "nonce \(transaction.nonce) skips ahead; the next is \(expected)")
        }
        guard transaction.fee >= parameters.minimumFee else {
            return Rejection(.feeTooLow, "fee \(transaction.fee) is below \(parameters.minimumFee)")
        }
        guard (accounts[transaction.signer]?.balance ?? 0) >= transaction.fee else {
            return Rejection(.insufficientBalance, "the balance does not cover the fee \(transaction.fee)")
        }
        return nil
    }

    /// Applies `transaction`, paying its fee to `proposer`; on rejection nothing changes.
    @discardableResult
    public mutating func apply(
        _ transaction: Transaction, proposer: Address, checkSignature: Bool = true
    ) -> Rejection? {
        if let rejection = admit(transaction, checkSignature: checkSignature) { return rejection }
        let operation: Operation
        do { operation = try Operation(kind: transaction.kind, payload: transaction.payload) } catch {
            return Rejection(.malformed, error.message)
        }
        // In place, not on a copy: copying the state's dictionaries per transaction would cost
        // O(state) each. Every rule below checks everything before it changes anything, so a
        // refusal only has the fee and nonce to undo.
        let signer = transaction.signer
        let signerBefore = accounts[signer]
        let proposerBefore = accounts[proposer]
        accounts[signer, default: Account()].balance -= transaction.fee
        accounts[signer, default: Account()].nonce = transaction.nonce
        accounts[proposer, default: Account()].balance += transaction.fee
        if let rejection = perform(operation, signer: signer, transaction: transaction) {
            accounts[proposer] = proposerBefore
            accounts[signer] = signerBefore
            return rejection
        }
        return nil
    }

    /// The accounts `transaction` concerns: its signer and whoever it pays or gives to — for a
    /// sale, the seller and the royalty recipient as this state names them, so ask before
    /// applying it. Wallet history is indexed by these (`Specs/ledger.md`, "Storage").
    public func parties(of transaction: Transaction) -> Set<Address> {
        var parties: Set<Address> = [transaction.signer]
        switch try? Operation(kind: transaction.kind, payload: transaction.payload) {
        case .transfer(let to, _), .transferToken(_, _, let to):
            parties.insert(to)
        case .registerNode(_, _, _, let operatorAddress):
            parties.insert(operatorAddress)
        case .createCollection(_, _, _, _, let recipient):
            parties.insert(recipient)
        case .buy(let collection, let token, _):
            if let owner = tokens[TokenKey(collection: collection, token: token)]?.owner { parties.insert(owner) }
            if let recipient = collections[collection]?.royaltyRecipient { parties.insert(recipient) }
        default:
            break
        }
        return parties
    }

    // MARK: Rules

    /// Runs an operation's rule. Each case checks all its conditions before its first change,
    /// so a refusal leaves the state as it was (``apply(_:proposer:checkSignature:)`` relies on it).
    private mutating func perform(_ operation: Operation, signer: Address, transaction: Transaction) -> Rejection? {
        switch operation {
        case .transfer(let to, let amount):
            return move(amount, from: signer, to: to)
        case .stake(let amount):
            guard accounts[signer, default: Account()].balance >= amount else { return short(amount, "to stake") }
            accounts[signer, default: Account()].balance -= amount
            accounts[signer, default: Account()].staked += amount
        case .unstake(let amount):
            guard accounts[signer, default: Account()].staked >= amount else {
                return Rejection(
                    .insufficientStake, "\(amount) is more than the \(accounts[signer]?.staked ?? 0) staked")
            }
            accounts[signer, default: Account()].staked -= amount
            let release = height + parameters.unbondingBlocks
            accounts[signer, default: Account()].unbonding.append(
                Account.Unbonding(amount: amount, releaseHeight: release))
            releases[release, default: []].insert(signer)
        case .registerNode(let endpoint, let capacity, let region, let operatorAddress):
            guard accounts[signer, default: Account()].staked >= parameters.minimumNodeStake else {
                return Rejection(.insufficientStake, "a storage node stakes at least \(parameters.minimumNodeStake)")
            }
            nodes[signer] = StorageNodeRecord(
                endpoint: endpoint, capacity: capacity, region: region, operatorAddress: operatorAddress,
                registeredAt: nodes[signer]?.registeredAt ?? height)
        case .storageDeal(let root, let manifests, let price, let bytes, let epochs):
            let (perEpoch, overflowA) = price.multipliedReportingOverflow(by: bytes)
            let (escrow, overflowB) = perEpoch.multipliedReportingOverflow(by: epochs)
            guard !overflowA, !overflowB else { return Rejection(.overflow, "price × bytes × epochs overflows") }
            guard accounts[signer, default: Account()].balance >= escrow else { return short(escrow, "for the escrow") }
            accounts[signer, default: Account()].balance -= escrow
            deals[transaction.cid] = StorageDeal(
                client: signer, root: root, manifests: manifests, pricePerByteEpoch: price, bytes: bytes,
                epochs: epochs, escrow: escrow, startHeight: height)
        case .anchorCredential(let hash, let issuer):
            guard anchors[hash] == nil else { return Rejection(.alreadyExists, "this credential hash is anchored") }
            anchors[hash] = CredentialAnchor(issuer: issuer, anchoredBy: signer, height: height)
        case .updateStatusList(let list, let latest):
            if let existing = statusLists[list], existing.owner != signer {
                return Rejection(.notPermitted, "status list \"\(list)\" belongs to \(existing.owner)")
            }
            statusLists[list] = StatusListPointer(owner: signer, latest: latest, height: height)
        case .createCollection(let collectionID, let name, let symbol, let royalty, let recipient):
            guard collections[collectionID] == nil else {
                return Rejection(.alreadyExists, "collection \"\(collectionID)\" exists")
            }
            collections[collectionID] = TokenCollection(
                creator: signer, name: name, symbol: symbol, royaltyBasisPoints: royalty, royaltyRecipient: recipient)
        case .mint(let collectionID, let tokenID, let metadata):
            guard let collection = collections[collectionID] else { return missingCollection(collectionID) }
            guard collection.creator == signer else { return Rejection(.notPermitted, "only the creator mints") }
            let key = TokenKey(collection: collectionID, token: tokenID)
            guard tokens[key] == nil else { return Rejection(.alreadyExists, "token \"\(tokenID)\" exists") }
            tokens[key] = Token(owner: signer, metadata: metadata, frozen: false, price: nil)
        case .transferToken(let collectionID, let tokenID, let to):
            let key = TokenKey(collection: collectionID, token: tokenID)
            guard var token = tokens[key] else { return missingToken(key) }
            guard token.owner == signer else { return Rejection(.notPermitted, "only the owner transfers a token") }
            token.owner = to
            token.price = nil
            tokens[key] = token
        case .list(let collectionID, let tokenID, let price):
            let key = TokenKey(collection: collectionID, token: tokenID)
            guard var token = tokens[key] else { return missingToken(key) }
            guard token.owner == signer else { return Rejection(.notPermitted, "only the owner lists a token") }
            token.price = price
            tokens[key] = token
        case .buy(let collectionID, let tokenID, let price):
            let key = TokenKey(collection: collectionID, token: tokenID)
            guard var token = tokens[key], let collection = collections[collectionID] else { return missingToken(key) }
            guard let asking = token.price else { return Rejection(.notForSale, "the token is not listed") }
            guard asking == price else {
                return Rejection(.priceMismatch, "the asking price is \(asking), not \(price)")
            }
            guard token.owner != signer else { return Rejection(.notPermitted, "the owner cannot buy their own token") }
            guard accounts[signer, default: Account()].balance >= price else { return short(price, "to buy") }
            // Royalty by rule (ERC-2981 semantics): price × basis points / 10000, rounded down.
            let royalty = UInt64((UInt128(price) * UInt128(collection.royaltyBasisPoints)) / 10_000)
            accounts[signer, default: Account()].balance -= price
            accounts[token.owner, default: Account()].balance += price - royalty
            accounts[collection.royaltyRecipient, default: Account()].balance += royalty
            token.owner = signer
            token.price = nil
            tokens[key] = token
        case .updateMetadata(let collectionID, let tokenID, let metadata):
            let key = TokenKey(collection: collectionID, token: tokenID)
            guard var token = tokens[key], let collection = collections[collectionID] else { return missingToken(key) }
            guard collection.creator == signer else {
                return Rejection(.notPermitted, "only the creator sets metadata")
            }
            guard !token.frozen else { return Rejection(.frozen, "the token's metadata is frozen") }
            token.metadata = metadata
            tokens[key] = token
        case .freezeMetadata(let collectionID, let tokenID):
            let key = TokenKey(collection: collectionID, token: tokenID)
            guard var token = tokens[key], let collection = collections[collectionID] else { return missingToken(key) }
            guard collection.creator == signer else { return Rejection(.notPermitted, "only the creator freezes") }
            guard !token.frozen else { return Rejection(.frozen, "the token's metadata is already frozen") }
            token.frozen = true
            tokens[key] = token
        }
        return nil
    }

    private mutating func move(_ amount: UInt64, from: Address, to: Address) -> Rejection? {
        guard accounts[from, default: Account()].balance >= amount else { return short(amount, "to transfer") }
        accounts[from, default: Account()].balance -= amount
        accounts[to, default: Account()].balance += amount
        return nil
    }

    private func short(_ amount: UInt64, _ purpose: String) -> Rejection {
        Rejection(.insufficientBalance, "the balance after the fee does not cover \(amount) \(purpose)")
    }

    private func missingCollection(_ id: String) -> Rejection {
        Rejection(.notFound, "no collection \"\(id)\"")
    }

    private func missingToken(_ key: TokenKey) -> Rejection {
        Rejection(.notFound, "no token \"\(key.token)\" in collection \"\(key.collection)\"")
    }
}
