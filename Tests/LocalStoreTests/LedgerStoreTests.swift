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
        let keys = try (0..<4).map { index in
            try Ed25519.PrivateKey(rawRepresentation: [UInt8](repeating: UInt8(index + 1), count: 32))
        }
        let addresses = keys.map { Address(publicKey: $0.publicKey) }
        let genesis = Genesis(
            parameters: ChainParameters(chain: "store-test"), time: 1_000,
            balances: Dictionary(uniqueKeysWithValues: addresses.map { ($0, 10_000) }), validators: [addresses[0]])
        var state = try genesis.state()
        var previous: BlockHeader?
        var blocks: [ChainBlock] = []
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
            blocks.append(outcome.block)
            commits.append(Commit(header: outcome.block.header.cid, signedBy: keys[0]))
            state = outcome.state
            previous = outcome.block.header
        }
        return (genesis, blocks, commits)
    }

    @Test func appendsReopensAndReplaysToTheSameRoot() throws {
        let directory = try TemporaryDirectory()
        let (genesis, blocks, commits) = try Self.chain(12)
        do {
            let repository = try Repository(path: directory.path("repo"), create: true)
            let store = LedgerStore(repository: repository)
            #expect(try store.genesis() == nil)
            #expect(try store.tip() == 0)
            try store.setGenesis(genesis)
            for (block, commit) in zip(blocks, commits) { try store.append(block, commit: commit) }
            #expect(throws: StoreError.self) { try store.append(blocks[3], commit: commits[3]) }
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
}
