import CairnTestSupport
import IPLD
import Ledger
import Multiformats
import SodiumKit
import Testing

/// Blocks: building, re-executing on a replica, transaction inclusion proofs, commits, headers.
@Suite("Blocks")
struct BlockTests {
    static func chain(blocks: Int, seed: UInt64) throws -> (Genesis, [ChainBlock], Ed25519.PrivateKey, [LedgerState]) {
        let keys = try LedgerStateTests.keys(5, seed: seed)
        let validator = keys[0]
        let genesis = Genesis(
            parameters: LedgerStateTests.parameters, time: 1_700_000_000_000,
            balances: Dictionary(uniqueKeysWithValues: keys.map { (LedgerStateTests.address($0), 100_000) }),
            validators: [LedgerStateTests.address(validator)])
        var state = try genesis.state()
        var previous: BlockHeader?
        var produced: [ChainBlock] = []
        var states: [LedgerState] = []
        var generator = SeededGenerator(seed: seed)
        for height in 1...blocks {
            var candidates: [Transaction] = []
            var nonces: [Address: UInt64] = [:]
            for _ in 0..<Int.random(in: 0...12, using: &generator) {
                let key = keys.randomElement(using: &generator)!
                let signer = LedgerStateTests.address(key)
                let nonce = nonces[signer] ?? state.nextNonce(of: signer)
                nonces[signer] = nonce + 1
                let to = LedgerStateTests.address(keys.randomElement(using: &generator)!)
                candidates.append(
                    try LedgerStateTests.tx(
                        key, nonce, "transfer",
                        [
                            ("amount", .integer(Int128(Int.random(in: 1...30_000, using: &generator)))),
                            ("to", .bytes(to.bytes)),
                        ]))
            }
            let outcome = BlockExecutor.build(
                on: state, height: UInt64(height), previous: previous, time: genesis.time + UInt64(height) * 1000,
                proposer: LedgerStateTests.address(validator), candidates: candidates)
            produced.append(outcome.block)
            state = outcome.state
            states.append(state)
            previous = outcome.block.header
        }
        return (genesis, produced, validator, states)
    }

    @Test func aReplicaReachesTheSameRootAtEveryHeight() throws {
        let (genesis, blocks, _, states) = try Self.chain(blocks: 25, seed: 1)
        var replica = try genesis.state()
        var previous: BlockHeader?
        for (index, block) in blocks.enumerated() {
            let (verdict, next) = BlockExecutor.verify(block, on: replica, previous: previous)
            #expect(verdict == .valid)
            replica = try #require(next)
            #expect(replica.root == states[index].root)
            #expect(replica.root == block.header.stateRoot)
            previous = block.header
        }
        #expect(blocks.contains { !$0.transactions.isEmpty })
    }

    @Test func refusesBlocksThatDoNotFollow() throws {
        let (genesis, blocks, _, _) = try Self.chain(blocks: 3, seed: 2)
        let state = try genesis.state()
        let block = try #require(blocks.first { !$0.transactions.isEmpty })
        let first = blocks[0]
        let (firstVerdict, afterFirst) = BlockExecutor.verify(first, on: state, previous: nil)
        #expect(firstVerdict == .valid)
        // Replayed at the wrong height, linked wrongly, or with a transaction dropped or reordered.
        #expect(BlockExecutor.verify(first, on: try #require(afterFirst), previous: first.header).0 != .valid)
        let header = block.header
        let dropped = ChainBlock(header: header, transactions: Array(block.transactions.dropLast()))
        var replica = state
        var previous: BlockHeader?
        for earlier in blocks.prefix(while: { $0 != block }) {
            replica = try #require(BlockExecutor.verify(earlier, on: replica, previous: previous).1)
            previous = earlier.header
        }
        #expect(BlockExecutor.verify(block, on: replica, previous: previous).0 == .valid)
        #expect(BlockExecutor.verify(dropped, on: replica, previous: previous).0 != .valid)
        let wrongState = BlockHeader(
            chain: header.chain, height: header.height, previous: header.previous, time: header.time,
            transactionRoot: header.transactionRoot, stateRoot: [UInt8](repeating: 9, count: 32),
            proposer: header.proposer)
        #expect(
            BlockExecutor.verify(
                ChainBlock(header: wrongState, transactions: block.transactions), on: replica, previous: previous
            ).0 != .valid)
    }

    @Test func provesWhichTransactionSitsAtEachIndex() throws {
        let (_, blocks, _, _) = try Self.chain(blocks: 10, seed: 3)
        let block = try #require(blocks.max { $0.transactions.count < $1.transactions.count })
        let tree = ChainBlock.transactionTree(block.transactions)
        #expect(tree.root == block.header.transactionRoot)
        for (index, transaction) in block.transactions.enumerated() {
            let proof = tree.proof(for: ChainBlock.indexKey(index))
            #expect(
                proof.verify(
                    key: ChainBlock.indexKey(index), value: transaction.cid.bytes, root: block.header.transactionRoot)
                    == .valid)
        }
        let past = ChainBlock.indexKey(block.transactions.count)
        #expect(tree.proof(for: past).verify(key: past, value: nil, root: block.header.transactionRoot) == .valid)
    }

    @Test func commitsAndHeadersCheckOut() throws {
        let (_, blocks, validator, _) = try Self.chain(blocks: 2, seed: 4)
        let header = blocks[1].header
        let commit = Commit(header: header.cid, signedBy: validator)
        let validators: Set = [LedgerStateTests.address(validator)]
        #expect(commit.isValid(for: validators))
        #expect(!Commit(header: blocks[0].header.cid, signatures: commit.signatures).isValid(for: validators))
        #expect(!commit.isValid(for: [Address(publicKey: Ed25519.PrivateKey().publicKey)]))
        #expect(try BlockHeader(bytes: header.encoded) == header)
        #expect(try Commit(bytes: commit.encoded) == commit)
        #expect(throws: LedgerError.self) { try Commit(bytes: Array(commit.encoded.dropLast())) }
        #expect(throws: LedgerError.self) { try Commit(bytes: header.encoded) }
        #expect(blocks[1].header.previous == blocks[0].header.cid)
        #expect(throws: LedgerError.self) { try BlockHeader(bytes: Array(header.encoded.dropLast())) }
        #expect(throws: LedgerError.self) {
            try BlockHeader(bytes: try DagCBOR.encode(.map(IPLDMap([("chain", .string("x"))]))))
        }
    }

    @Test func genesisIsContentAddressed() throws {
        let (genesis, _, _, _) = try Self.chain(blocks: 1, seed: 5)
        var other = genesis
        other.time += 1
        #expect(genesis.cid != other.cid)
        #expect(try Genesis(bytes: genesis.encoded) == genesis)
        #expect(throws: LedgerError.self) { try Genesis(bytes: Array(genesis.encoded.dropLast())) }
        #expect(throws: LedgerError.self) {
            try Genesis(bytes: try DagCBOR.encode(.map(IPLDMap([("chain", .string("x"))]))))
        }
        #expect(throws: LedgerError.self) {
            try Genesis(parameters: genesis.parameters, time: 0, balances: genesis.balances, validators: []).state()
        }
    }
}
