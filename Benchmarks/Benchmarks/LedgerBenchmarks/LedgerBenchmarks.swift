import Benchmark
import Foundation
import IPLD
import Ledger
import LocalStore
import SodiumKit

/// The ledger's figures (issue #6): transfers applied per second with their signatures
/// checked, against libsodium verifying the same signatures alone in the same run; a
/// 1,000-transaction block built (executed, both roots computed); state proofs made and checked.
let benchmarks: @Sendable () -> Void = {
    let parameters = ChainParameters(chain: "bench", minimumFee: 1)
    // 1,000 senders, each with one transfer, and 99,000 more funded accounts: a 100,000-account
    // state, so per-block costs that grow with the state would show.
    // Distinct seeds: the index's three bytes, then a fixed pattern.
    func seed(_ index: Int, _ salt: UInt8) -> [UInt8] {
        [
            UInt8(truncatingIfNeeded: index), UInt8(truncatingIfNeeded: index >> 8),
            UInt8(truncatingIfNeeded: index >> 16), salt,
        ] + (4..<32).map { UInt8($0) }
    }
    let keys = (0..<1_000).map { try! Ed25519.PrivateKey(rawRepresentation: seed($0, 1)) }
    let others = (0..<99_000).map {
        Address(publicKey: try! Ed25519.PrivateKey(rawRepresentation: seed($0, 2)).publicKey)
    }
    var balances: [Address: UInt64] = [:]
    for key in keys { balances[Address(publicKey: key.publicKey)] = 1_000_000 }
    for address in others { balances[address] = 1_000_000 }
    let genesis = try! LedgerState(parameters: parameters, balances: balances)
    let proposer = others[0]
    let transfers = keys.enumerated().map { index, key in
        try! Transaction(
            chain: "bench", nonce: 1, fee: 1, kind: "transfer",
            payload: IPLDMap([("amount", .integer(100)), ("to", .bytes(others[index % others.count].bytes))]),
            signedBy: key)
    }
    let configuration = Benchmark.Configuration(
        metrics: [.wallClock, .throughput], scalingFactor: .one, maxDuration: .seconds(3), maxIterations: 50)

    Benchmark("Ledger apply 1000 transfers, signatures checked", configuration: configuration) { benchmark in
        for _ in benchmark.scaledIterations {
            var state = genesis
            for transfer in transfers { precondition(state.apply(transfer, proposer: proposer) == nil) }
            blackHole(state)
        }
    }

    // The anchor: libsodium verifying the same 1,000 signatures over the same messages.
    let signed = transfers.map { ($0.signer.publicKey, $0.signature, $0.signedBytes) }
    Benchmark("Ed25519 verify 1000 signatures (libsodium)", configuration: configuration) { benchmark in
        for _ in benchmark.scaledIterations {
            for (key, signature, message) in signed { blackHole(key.isValidSignature(signature, for: message)) }
        }
    }

    Benchmark("Ledger build 1000-transaction block", configuration: configuration) { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(
                BlockExecutor.build(
                    on: genesis, height: 1, previous: nil, time: 1, proposer: proposer, candidates: transfers))
        }
    }

    // Built and persisted: the block's header, transactions, body and commit synced to the block
    // store, then its index batch with the state entries it changed and the history entries.
    // Each iteration stores the same transactions at the next height (the store checks heights,
    // not chains), in a scratch repository.
    let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("cairn-ledger-bench-\(getpid())").path
    try? FileManager.default.removeItem(atPath: scratch)
    let repository = try! Repository(path: scratch, create: true)
    let ledgerStore = LedgerStore(repository: repository)
    let validator = keys[0]
    let genesisEntries = genesis.entries
    try! ledgerStore.replaceState(genesisEntries, height: 0)
    Benchmark("Ledger build and persist 1000-transaction block", configuration: configuration) { benchmark in
        for _ in benchmark.scaledIterations {
            let height = try! ledgerStore.tip() + 1
            let outcome = BlockExecutor.build(
                on: genesis, height: height, previous: nil, time: height, proposer: proposer, candidates: transfers)
            try! ledgerStore.append(
                outcome.block, commit: Commit(header: outcome.block.header.cid, signedBy: validator),
                stateChanges: outcome.changes, parties: outcome.parties)
        }
    }

    let tree = genesis.tree
    let root = tree.root
    let key = LedgerState.key(.account, others[123].bytes)
    let value = genesis.entries[key]!
    let proof = tree.proof(for: key)
    let proofConfiguration = Benchmark.Configuration(
        metrics: [.wallClock], scalingFactor: .one, maxDuration: .seconds(2), maxIterations: 100_000)
    Benchmark("State proof generate, 100000 accounts", configuration: proofConfiguration) { benchmark in
        for _ in benchmark.scaledIterations { blackHole(tree.proof(for: key)) }
    }
    Benchmark("State proof verify, 100000 accounts", configuration: proofConfiguration) { benchmark in
        for _ in benchmark.scaledIterations { blackHole(proof.verify(key: key, value: value, root: root)) }
    }
}
