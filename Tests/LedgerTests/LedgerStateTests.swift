import CairnTestSupport
import IPLD
import Ledger
import Multiformats
import SodiumKit
import Testing

/// The state machine: each rule, and invariants over random transaction sequences.
@Suite("Ledger state rules")
struct LedgerStateTests {
    static let parameters = ChainParameters(
        chain: "cairn-test", minimumFee: 1, unbondingBlocks: 5, minimumNodeStake: 100)
    static let metadata = CID(v1: .dagCBOR, multihash: [UInt8]([1, 2, 3]).withUnsafeBytes { Multihash.sha256($0) })
    static let otherMetadata = CID(v1: .dagCBOR, multihash: [UInt8]([4]).withUnsafeBytes { Multihash.sha256($0) })

    /// Keys made from a seed, so runs repeat.
    static func keys(_ count: Int, seed: UInt64) throws -> [Ed25519.PrivateKey] {
        var generator = SeededGenerator(seed: seed)
        return try (0..<count).map { _ in
            try Ed25519.PrivateKey(
                rawRepresentation: (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) })
        }
    }

    static func address(_ key: Ed25519.PrivateKey) -> Address { Address(publicKey: key.publicKey) }

    static func tx(
        _ key: Ed25519.PrivateKey, _ nonce: UInt64, _ kind: String, _ fields: [(String, IPLDValue)], fee: UInt64 = 2,
        chain: String = parameters.chain
    ) throws -> Transaction {
        try Transaction(chain: chain, nonce: nonce, fee: fee, kind: kind, payload: IPLDMap(fields), signedBy: key)
    }

    static func genesis(_ keys: [Ed25519.PrivateKey], balance: UInt64 = 1_000_000) throws -> LedgerState {
        try LedgerState(
            parameters: parameters, balances: Dictionary(uniqueKeysWithValues: keys.map { (address($0), balance) }))
    }

    @Test func transfersPayTheFeeToTheProposer() throws {
        let keys = try Self.keys(3, seed: 1)
        var state = try Self.genesis(keys)
        let (alice, bob, proposer) = (Self.address(keys[0]), Self.address(keys[1]), Self.address(keys[2]))
        let rejection = state.apply(
            try Self.tx(keys[0], 1, "transfer", [("amount", .integer(500)), ("to", .bytes(bob.bytes))], fee: 7),
            proposer: proposer)
        #expect(rejection == nil)
        #expect(state.accounts[alice]?.balance == 1_000_000 - 507)
        #expect(state.accounts[bob]?.balance == 1_000_500)
        #expect(state.accounts[proposer]?.balance == 1_000_007)
        #expect(state.accounts[alice]?.nonce == 1)
        #expect(state.totalSupply == 3_000_000)
    }

    @Test func refusesBadTransactionsChangingNothing() throws {
        let keys = try Self.keys(2, seed: 2)
        var state = try Self.genesis(keys)
        let bob = Self.address(keys[1])
        let transfer: [(String, IPLDValue)] = [("amount", .integer(10)), ("to", .bytes(bob.bytes))]
        #expect(state.apply(try Self.tx(keys[0], 1, "transfer", transfer), proposer: bob) == nil)
        let before = state
        let cases: [(Transaction, Rejection.Reason)] = [
            (try Self.tx(keys[0], 1, "transfer", transfer), .nonceReused),
            (try Self.tx(keys[0], 3, "transfer", transfer), .nonceSkipped),
            (try Self.tx(keys[0], 2, "transfer", transfer, chain: "other"), .wrongChain),
            (try Self.tx(keys[0], 2, "transfer", transfer, fee: 0), .feeTooLow),
            (
                try Self.tx(keys[0], 2, "transfer", [("amount", .integer(5_000_000)), ("to", .bytes(bob.bytes))]),
                .insufficientBalance
            ),
            (try Self.tx(keys[0], 2, "transfer", [("amount", .integer(0)), ("to", .bytes(bob.bytes))]), .malformed),
            (try Self.tx(keys[0], 2, "transfer", [("amount", .integer(1))]), .malformed),
            (try Self.tx(keys[0], 2, "mint-money", [("amount", .integer(1))]), .malformed),
            (try Self.tx(keys[0], 2, "unstake", [("amount", .integer(1))]), .insufficientStake),
        ]
        for (transaction, reason) in cases {
            #expect(state.apply(transaction, proposer: bob)?.reason == reason, "\(transaction.kind) \(reason)")
            #expect(state == before)
        }
        // A signature over other bytes: decode a transaction whose payload was changed after signing.
        let signed = try Self.tx(keys[0], 2, "transfer", transfer)
        var bytes = signed.encoded
        let amount = try #require(bytes.firstIndex(of: 0x0A))  // the amount 10 as a one-byte integer
        bytes[amount] = 0x0B
        let forged = try Transaction(bytes: bytes)
        #expect(state.apply(forged, proposer: bob)?.reason == .badSignature)
        #expect(state == before)
    }

    @Test func stakingUnbondsAfterTheDelay() throws {
        let keys = try Self.keys(2, seed: 3)
        var state = try Self.genesis(keys)
        let me = Self.address(keys[0])
        state.beginBlock(height: 1)
        #expect(state.apply(try Self.tx(keys[0], 1, "stake", [("amount", .integer(300))]), proposer: me) == nil)
        let node: [(String, IPLDValue)] = [
            ("capacity", .integer(1 << 40)), ("endpoint", .string("http://127.0.0.2:5080")),
            ("operator", .bytes(me.bytes)), ("region", .string("eu")),
        ]
        #expect(state.apply(try Self.tx(keys[0], 2, "register-node", node), proposer: me) == nil)
        #expect(state.nodes[me]?.region == "eu")
        #expect(state.apply(try Self.tx(keys[0], 3, "unstake", [("amount", .integer(250))]), proposer: me) == nil)
        #expect(state.apply(try Self.tx(keys[1], 1, "register-node", node), proposer: me)?.reason == .insufficientStake)
        let supply = state.totalSupply
        state.beginBlock(height: 5)
        #expect(state.accounts[me]?.unbonding.count == 1)
        state.beginBlock(height: 6)
        #expect(state.accounts[me]?.unbonding.isEmpty == true)
        #expect(state.accounts[me]?.staked == 50)
        #expect(state.totalSupply == supply)
    }

    @Test func salesPayTheRoyaltyByRuleAndFreezesHold() throws {
        let keys = try Self.keys(4, seed: 4)
        var state = try Self.genesis(keys)
        let (creator, buyer, artist, proposer) = (keys[0], keys[1], Self.address(keys[2]), Self.address(keys[3]))
        let token: [(String, IPLDValue)] = [("collection", .string("art")), ("token", .string("1"))]
        let steps: [Transaction] = [
            try Self.tx(
                creator, 1, "create-collection",
                [
                    ("id", .string("art")), ("name", .string("Art")), ("royalty", .integer(250)),
                    ("royalty-recipient", .bytes(artist.bytes)), ("symbol", .string("ART")),
                ]),
            try Self.tx(creator, 2, "mint", token + [("metadata", .link(Self.metadata))]),
            try Self.tx(creator, 3, "freeze-metadata", token),
            try Self.tx(creator, 4, "list", token + [("price", .integer(10_001))]),
        ]
        for step in steps { #expect(state.apply(step, proposer: proposer) == nil, "\(step.kind)") }
        #expect(
            state.apply(
                try Self.tx(creator, 5, "update-metadata", token + [("metadata", .link(Self.otherMetadata))]),
                proposer: proposer)?.reason == .frozen)
        #expect(
            state.apply(try Self.tx(buyer, 1, "buy", token + [("price", .integer(10_000))]), proposer: proposer)?.reason
                == .priceMismatch)
        let sellerBefore = state.accounts[Self.address(creator)]!.balance
        let artistBefore = state.accounts[artist]!.balance
        #expect(
            state.apply(try Self.tx(buyer, 1, "buy", token + [("price", .integer(10_001))]), proposer: proposer) == nil)
        // 2.5% of 10,001 is 250.025: 250 to the artist, 9,751 to the seller.
        #expect(state.accounts[Self.address(creator)]!.balance == sellerBefore + 9_751)
        #expect(state.accounts[artist]!.balance == artistBefore + 250)
        #expect(state.tokens[TokenKey(collection: "art", token: "1")]?.owner == Self.address(buyer))
        #expect(state.tokens[TokenKey(collection: "art", token: "1")]?.price == nil)
        #expect(
            state.apply(
                try Self.tx(creator, 5, "transfer-token", token + [("to", .bytes(artist.bytes))]), proposer: proposer)?
                .reason == .notPermitted)
    }

    @Test func dealsLockEscrowAndRefuseOverflow() throws {
        let keys = try Self.keys(1, seed: 5)
        var state = try Self.genesis(keys)
        let me = Self.address(keys[0])
        let deal: (UInt64) -> [(String, IPLDValue)] = { price in
            [
                ("bytes", .integer(1000)), ("epochs", .integer(10)), ("manifests", .list([.link(Self.metadata)])),
                ("price", .integer(Int128(price))), ("root", .link(Self.metadata)),
            ]
        }
        #expect(state.apply(try Self.tx(keys[0], 1, "storage-deal", deal(3)), proposer: me) == nil)
        #expect(state.deals.values.first?.escrow == 30_000)
        #expect(state.totalSupply == 1_000_000)
        #expect(
            state.apply(try Self.tx(keys[0], 2, "storage-deal", deal(UInt64.max / 100)), proposer: me)?.reason
                == .overflow)
    }

    /// Random sequences of transactions — most valid, many not — hold every invariant, and a
    /// replay from genesis reaches the same root at every step.
    @Test(arguments: [1, 2, 3] as [UInt64])
    func randomSequencesKeepTheInvariants(seed: UInt64) throws {
        let keys = try Self.keys(6, seed: seed)
        let addresses = keys.map(Self.address)
        let genesis = try Self.genesis(keys, balance: 50_000)
        var state = genesis
        var generator = SeededGenerator(seed: seed &* 7919)
        var applied: [(Transaction, Address, UInt64)] = []
        var roots: [[UInt8]] = []
        let supply = state.totalSupply
        var frozen: [TokenKey: CID] = [:]
        var nextNonce = Dictionary(uniqueKeysWithValues: addresses.map { ($0, UInt64(1)) })
        for step in 0..<300 {
            let height = UInt64(step / 10 + 1)
            if step % 10 == 0 { state.beginBlock(height: height) }
            let index = Int.random(in: 0..<keys.count, using: &generator)
            let signer = addresses[index]
            var nonce = nextNonce[signer]!
            if Int.random(in: 0..<10, using: &generator) == 0 {
                nonce = nonce &+ UInt64.random(in: 0...2, using: &generator) &- 1
            }
            let other = addresses.randomElement(using: &generator)!
            let token: [(String, IPLDValue)] = [
                ("collection", .string("c\(Int.random(in: 0..<2, using: &generator))")),
                ("token", .string("t\(Int.random(in: 0..<4, using: &generator))")),
            ]
            let amount = IPLDValue.integer(Int128(Int.random(in: 1...20_000, using: &generator)))
            let fields: (String, [(String, IPLDValue)]) =
                switch Int.random(in: 0..<11, using: &generator) {
                case 0, 1: ("transfer", [("amount", amount), ("to", .bytes(other.bytes))])
                case 2: ("stake", [("amount", amount)])
                case 3: ("unstake", [("amount", amount)])
                case 4:
                    (
                        "create-collection",
                        [
                            ("id", token[0].1), ("name", .string("n")),
                            ("royalty", .integer(Int128(Int.random(in: 0...10_000, using: &generator)))),
                            ("royalty-recipient", .bytes(other.bytes)), ("symbol", .string("S")),
                        ]
                    )
                case 5: ("mint", token + [("metadata", .link(Self.metadata))])
                case 6: ("list", token + [("price", amount)])
                case 7:
                    (
                        "buy",
                        token + [
                            (
                                "price",
                                .integer(
                                    Int128(
                                        state.tokens[
                                            TokenKey(collection: token[0].1.stringValue, token: token[1].1.stringValue)]?
                                            .price ?? 5))
                            )
                        ]
                    )
                case 8: ("transfer-token", token + [("to", .bytes(other.bytes))])
                case 9: ("update-metadata", token + [("metadata", .link(Self.otherMetadata))])
                default: ("freeze-metadata", token)
                }
            let transaction = try Self.tx(keys[index], nonce, fields.0, fields.1)
            let before = state
            let key = TokenKey(collection: token[0].1.stringValue, token: token[1].1.stringValue)
            let ownerBefore = state.tokens[key]?.owner
            let proposer = addresses[step % addresses.count]
            if let rejection = state.apply(transaction, proposer: proposer) {
                #expect(state == before, "a rejected \(transaction.kind) (\(rejection)) changed the state")
            } else {
                #expect(nonce == nextNonce[signer]!, "a transaction with a wrong nonce was applied")
                nextNonce[signer]! += 1
                applied.append((transaction, proposer, height))
                if ["transfer-token", "list"].contains(fields.0) {
                    #expect(ownerBefore == signer, "only the owner may \(fields.0)")
                }
                if fields.0 == "buy", let seller = ownerBefore, let collection = before.collections[key.collection],
                    let price = before.tokens[key]?.price
                {
                    let royalty = UInt64(UInt128(price) * UInt128(collection.royaltyBasisPoints) / 10_000)
                    let paid =
                        Int64(state.accounts[seller]?.balance ?? 0) - Int64(before.accounts[seller]?.balance ?? 0)
                    var expected = Int64(price - royalty)
                    if seller == collection.royaltyRecipient { expected += Int64(royalty) }
                    if seller == proposer { expected += Int64(transaction.fee) }
                    #expect(paid == expected, "the seller was paid \(paid), not \(expected)")
                }
            }
            for (frozenKey, metadata) in frozen { #expect(state.tokens[frozenKey]?.metadata == metadata) }
            for (tokenKey, token) in state.tokens where token.frozen { frozen[tokenKey] = token.metadata }
            #expect(state.totalSupply == supply)
            roots.append(state.root)
            if step % 7 == 0 {
                // The incremental commitment is the reference tree over all entries.
                #expect(state.root == SparseMerkleTree(state.entries).root)
            }
        }
        #expect(applied.count > 60)
        // Replay the applied transactions on a fresh genesis: same roots wherever a block ended.
        var replay = genesis
        var lastHeight: UInt64 = 0
        for (transaction, proposer, height) in applied {
            if height != lastHeight {
                replay.beginBlock(height: height)
                lastHeight = height
            }
            #expect(replay.apply(transaction, proposer: proposer) == nil)
        }
        if lastHeight < UInt64(299 / 10 + 1) { replay.beginBlock(height: UInt64(299 / 10 + 1)) }
        #expect(replay.root == roots.last)
        #expect(replay == state)
        // The state's entries read back as the same state (what a node stores and reopens).
        #expect(try LedgerState(parameters: Self.parameters, height: state.height, entries: state.entries) == state)
    }
}

extension IPLDValue {
    fileprivate var stringValue: String {
        if case .string(let text) = self { return text }
        return ""
    }
}
