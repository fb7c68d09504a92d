import CairnTestSupport
import IPLD
import Ledger
import LocalStore
import Multiformats
import SodiumKit
import Testing

/// The ledger on disk: blocks appended, read back after reopening, replayed to the same root,
/// kept by garbage collection.
@Suite("Ledger store")
struct LedgerStoreTests {
    static func chain(_ count: Int) throws -> (Genesis, [ChainBlock], [Commit]) {
        let (genesis, outcomes, commits) = try outcomes(count)
        return (genesis, outcomes.map(\.block), commits)
    }

    /// A chain of `count` blocks, one transfer each, round robin among four keys.
    static func outcomes(_ count: Int) throws -> (Genesis, [BlockExecutor.Outcome], [Commit]) {
        let keys = try (0..<4).map { index in
            try Ed25519.PrivateKey(rawRepresentation: [UInt8](repeating: UInt8(index + 1), count: 32))
        }
        let addresses = keys.map { Address(publicKey: $0.publicKey) }
        let genesis = Genesis(
            parameters: ChainParameters(chain: "store-test"), time: 1_000,
            balances: Dictionary(uniqueKeysWithValues: addresses.map { ($0, 10_000) }), validators: [addresses[0]])
        var state = try genesis.state()
        var previous: BlockHeader?
        var outcomes: [BlockExecutor.Outcome] = []
        var commits: [Commit] = []
        for height in 1...count {
            let sender = height % keys.count
            let transfer = try Transaction(
                chain: "store-test", nonce: state.nextNonce(of: addresses[sender]), fee: 1, kind: "transfer",
                payload: IPLDMap([
                    ("amount", .integer(Int128(height))), ("to", .bytes(addresses[(sender + 1) % 4].bytes)),
                ]),
                signedBy: keys[sender])
            let outcome = BlockExecutor.build(
                on: state, height: UInt64(height), previous: previous, time: 1_000 + UInt64(height),
                proposer: addresses[0],
                candidates: [transfer])
            outcomes.append(outcome)
            commits.append(Commit(header: outcome.block.header.cid, signedBy: keys[0]))
            state = outcome.state
            previous = outcome.block.header
        }
        return (genesis, outcomes, commits)
    }

    /// Appends `outcomes` with the state changes and parties each block brings.
    static func append(
        _ outcomes: [BlockExecutor.Outcome], _ commits: [Commit], genesis: Genesis, to store: LedgerStore
    )
        throws
    {
        for (outcome, commit) in zip(outcomes, commits) {
            try store.append(outcome.block, commit: commit, stateChanges: outcome.changes, parties: outcome.parties)
        }
    }

    @Test func appendsReopensAndReplaysToTheSameRoot() throws {
        let directory = try TemporaryDirectory()
        let (genesis, outcomes, commits) = try Self.outcomes(12)
        let blocks = outcomes.map(\.block)
        do {
            let repository = try Repository(path: directory.path("repo"), create: true)
            let store = LedgerStore(repository: repository)
            #expect(try store.genesis() == nil)
            #expect(try store.tip() == 0)
            try store.setGenesis(genesis)
            try Self.append(outcomes, commits, genesis: genesis, to: store)
            #expect(throws: StoreError.self) {
                try store.append(blocks[3], commit: commits[3], stateChanges: [:], parties: [[]])
            }
        }
        let repository = try Repository(path: directory.path("repo"))
        let store = LedgerStore(repository: repository)
        #expect(try store.genesis() == genesis)
        #expect(try store.tip() == 12)
        var state = try genesis.state()
        var previous: BlockHeader?
        for height in 1...12 {
            let entry = try #require(try store.entry(at: UInt64(height)))
            #expect(entry.block == blocks[height - 1])
            #expect(entry.commit.isValid(for: Set(genesis.validators)))
            let (verdict, next) = BlockExecutor.verify(entry.block, on: state, previous: previous)
            #expect(verdict == .valid)
            state = try #require(next)
            previous = entry.block.header
        }
        #expect(state.root == blocks.last!.header.stateRoot)
        // The stored state is the replayed state, and reads back as it.
        let entries = try #require(try store.stateEntries())
        #expect(entries == state.entries)
        #expect(try LedgerState(parameters: genesis.parameters, height: 12, entries: entries) == state)
        #expect(try store.entry(at: 13) == nil)
        // The ledger's blocks are served like content, and garbage collection keeps them.
        #expect(try repository.blocks.block(blocks[0].header.cid) == blocks[0].header.encoded)
        _ = try GarbageCollector.collect(store: repository.blocks, pins: repository.pins)
        #expect(try store.entry(at: 1)?.block == blocks[0])
        #expect(try repository.blocks.block(blocks[5].transactions[0].cid) == blocks[5].transactions[0].encoded)
    }

    @Test func refusesAnotherChainsGenesis() throws {
        let directory = try TemporaryDirectory()
        let repository = try Repository(path: directory.path("repo"), create: true)
        let store = LedgerStore(repository: repository)
        let (genesis, _, _) = try Self.chain(1)
        try store.setGenesis(genesis)
        try store.setGenesis(genesis)
        var other = genesis
        other.time += 1
        #expect(throws: StoreError.self) { try store.setGenesis(other) }
    }

    @Test func indexesHistoryByEveryPartyNewestFirst() throws {
        let directory = try TemporaryDirectory()
        let repository = try Repository(path: directory.path("repo"), create: true)
        let store = LedgerStore(repository: repository)
        let (genesis, outcomes, commits) = try Self.outcomes(8)
        try store.setGenesis(genesis)
        try Self.append(outcomes, commits, genesis: genesis, to: store)
        // Block h holds one transfer from key h % 4 to key (h + 1) % 4.
        let address = outcomes[0].block.transactions[0].signer  // key 1: sends at 1 and 5, receives at 4 and 8
        let history = try store.history(of: address, limit: 10)
        #expect(history.map(\.height) == [8, 5, 4, 1])
        #expect(history[0].transaction == outcomes[7].block.transactions[0].cid)
        #expect(try store.history(of: address, limit: 2).map(\.height) == [8, 5])
        #expect(try store.history(of: address, limit: 10, before: (5, 0)).map(\.height) == [4, 1])
        let stranger = Address(publicKey: Ed25519.PrivateKey().publicKey)
        #expect(try store.history(of: stranger, limit: 10).isEmpty)
        #expect(try store.transaction(history[0].transaction) == outcomes[7].block.transactions[0])
        #expect(try store.height(ofBlock: outcomes[2].block.header.cid) == 3)
        #expect(try store.height(ofBlock: history[0].transaction) == nil)
    }

    @Test func refusesToAppendOntoAStateThatIsNotTheTips() throws {
        let directory = try TemporaryDirectory()
        let repository = try Repository(path: directory.path("repo"), create: true)
        let store = LedgerStore(repository: repository)
        let (genesis, outcomes, commits) = try Self.outcomes(3)
        try store.setGenesis(genesis)
        try Self.append(Array(outcomes.prefix(2)), commits, genesis: genesis, to: store)
        // Parties must match the transactions; nothing is written when they do not.
        #expect(throws: StoreError.self) {
            try store.append(outcomes[2].block, commit: commits[2], stateChanges: [:], parties: [])
        }
        #expect(try store.tip() == 2)
        // Replacing the state at the tip works; at another height it is refused.
        #expect(throws: StoreError.self) { try store.replaceState(outcomes[0].state.entries, height: 1) }
        try store.replaceState(outcomes[1].state.entries, height: 2)
        #expect(try store.stateEntries() == outcomes[1].state.entries)
    }
}
