import Foundation
public import Ledger
public import LocalStore
public import Logging
public import Multiformats
import NIOPosix
public import ServiceLifecycle
import SodiumKit
import Synchronization

/// The embedded single-validator ledger: a mempool, a block every interval when there is work
/// (or at once when a block's worth is waiting), execution, atomic persistence, restart by
/// replay (`Specs/ledger.md`, "Engine").
///
/// The node's identity key is the one validator and signs every commit. A repository without a
/// chain gets a devnet genesis: chain id `cairn-devnet-<first 8 hex of the node key>`, the node
/// as validator, and a faucet account (its key in `<repo>/faucet.key`, mode 0600) holding
/// 10^12 base units.
public final class LedgerEngine: Service, Sendable {
    public static let maxMempool = 10_000
    public static let maxBlockTransactions = 1_000

    struct Chain: Sendable {
        var state: LedgerState
        var head: BlockHeader?
        var mempool: [Transaction] = []
        var pendingNonces: [Address: UInt64] = [:]
        var pendingIDs: Set<CID> = []
    }

    let store: LedgerStore
    let genesis: Genesis
    /// The state root before block 1, kept so status (polled by block streams) never rebuilds it.
    private let genesisRoot: [UInt8]
    private let validator: Ed25519.PrivateKey
    private let interval: Duration
    private let logger: Logger
    private let chain: Mutex<Chain>
    private let stopping = Atomic<Bool>(false)
    private let wake: AsyncStream<Void>.Continuation
    private let wakes: AsyncStream<Void>

    /// Opens the chain in `repository` (creating the devnet genesis when there is none) and
    /// rebuilds its state by re-executing the stored blocks.
    public init(repository: Repository, identity: NodeIdentity, interval: Duration, logger: Logger) throws {
        store = LedgerStore(repository: repository)
        validator = identity.privateKey
        self.interval = interval
        self.logger = logger
        if let existing = try store.genesis() {
            genesis = existing
        } else {
            genesis = try Self.devnetGenesis(repository: repository.path, validator: identity)
            try store.setGenesis(genesis)
        }
        var state = try genesis.state()
        genesisRoot = state.root
        var head: BlockHeader?
        let tip = try store.tip()
        if tip > 0 {
            for height in 1...tip {
                guard let entry = try store.entry(at: height) else {
                    throw NodeError(.ioError, "the ledger index lacks block \(height) below its tip \(tip)")
                }
                let (verdict, next) = BlockExecutor.verify(entry.block, on: state, previous: head)
                guard verdict == .valid, let next else {
                    throw NodeError(.ioError, "stored block \(height) does not replay: \(verdict)")
                }
                state = next
                head = entry.block.header
            }
        }
        chain = Mutex(Chain(state: state, head: head))
        (wakes, wake) = AsyncStream.makeStream(bufferingPolicy: .bufferingNewest(1))
    }

    static func devnetGenesis(repository: String, validator: NodeIdentity) throws -> Genesis {
        let path = repository + "/faucet.key"
        let faucet: Ed25519.PrivateKey
        if let seed = FileManager.default.contents(atPath: path) {
            faucet = try Ed25519.PrivateKey(rawRepresentation: Array(seed))
        } else {
            faucet = Ed25519.PrivateKey()
            guard
                FileManager.default.createFile(
                    atPath: path, contents: Data(faucet.rawRepresentation), attributes: [.posixPermissions: 0o600])
            else { throw NodeError(.ioError, "cannot write \(path)") }
        }
        let validatorAddress = Address(publicKey: validator.publicKey)
        let tag = Multibase.base16.encodeWithoutPrefix(validator.publicKey.rawRepresentation.prefix(4))
        return Genesis(
            parameters: ChainParameters(chain: "cairn-devnet-" + tag),
            time: UInt64(Date().timeIntervalSince1970 * 1000),
            balances: [Address(publicKey: faucet.publicKey): 1_000_000_000_000],
            validators: [validatorAddress])
    }

    // MARK: Reading

    public struct Status: Sendable {
        public let chain: String
        public let height: UInt64
        public let head: CID?
        public let stateRoot: [UInt8]
        public let genesis: CID
        public let pending: Int
    }

    public var status: Status {
        chain.withLock { chain in
            Status(
                chain: genesis.parameters.chain, height: chain.head?.height ?? 0, head: chain.head?.cid,
                stateRoot: chain.head?.stateRoot ?? genesisRoot, genesis: genesis.cid, pending: chain.mempool.count
            )
        }
    }

    /// The current state and the header it belongs to.
    var snapshot: (LedgerState, BlockHeader?) { chain.withLock { ($0.state, $0.head) } }

    // MARK: Submitting

    /// Admits a transaction to the mempool, or says why not.
    public func submit(_ transaction: Transaction) -> Rejection? {
        let rejection: Rejection? = chain.withLock { chain in
            guard !chain.pendingIDs.contains(transaction.cid) else {
                return Rejection(.alreadyExists, "the transaction is already pending")
            }
            guard chain.mempool.count < Self.maxMempool else {
                return Rejection(.notPermitted, "the mempool is full (\(Self.maxMempool)); try again shortly")
            }
            let expected =
                chain.pendingNonces[transaction.signer].map { $0 + 1 }
                ?? chain.state.nextNonce(of: transaction.signer)
            if let refused = chain.state.admit(transaction, expectedNonce: expected) { return refused }
            chain.mempool.append(transaction)
            chain.pendingIDs.insert(transaction.cid)
            chain.pendingNonces[transaction.signer] = transaction.nonce
            return nil
        }
        if rejection == nil { wake.yield() }
        return rejection
    }

    // MARK: Producing blocks

    /// Whether the engine has stopped for a shutdown (long-lived readers end then).
    public var isStopping: Bool { stopping.load(ordering: .relaxed) }

    public func run() async throws {
        defer { stopping.store(true, ordering: .relaxed) }
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { [wake, interval] in
                // A heartbeat: a block at most every interval while there is work.
                while !Task.isCancelled {
                    try await Task.sleep(for: interval)
                    wake.yield()
                }
            }
            for await _ in wakes.cancelOnGracefulShutdown() {
                try await produce()
            }
            group.cancelAll()
        }
    }

    /// Builds, signs and stores a block from the mempool, if it holds anything.
    func produce() async throws {
        let (state, head, candidates) = chain.withLock { chain in
            (chain.state, chain.head, Array(chain.mempool.prefix(Self.maxBlockTransactions)))
        }
        guard !candidates.isEmpty else { return }
        let height = (head?.height ?? 0) + 1
        let time = max(UInt64(Date().timeIntervalSince1970 * 1000), head?.time ?? 0)
        let proposer = Address(publicKey: validator.publicKey)
        let (store, validator) = (self.store, self.validator)
        let outcome = try await NIOThreadPool.singleton.runIfActive {
            let outcome = BlockExecutor.build(
                on: state, height: height, previous: head, time: time, proposer: proposer, candidates: candidates)
            try store.append(outcome.block, commit: Commit(header: outcome.block.header.cid, signedBy: validator))
            return outcome
        }
        chain.withLock { chain in
            chain.state = outcome.state
            chain.head = outcome.block.header
            let done = Set(candidates.map(\.cid))
            chain.mempool.removeAll { done.contains($0.cid) }
            chain.pendingIDs.subtract(done)
            chain.pendingNonces = [:]
            for pending in chain.mempool { chain.pendingNonces[pending.signer] = pending.nonce }
        }
        logger.info(
            "block",
            metadata: [
                "height": "\(height)", "transactions": "\(outcome.block.transactions.count)",
                "rejected": "\(outcome.rejected.count)", "cid": "\(outcome.block.header.cid)",
            ])
        if chain.withLock({ $0.mempool.count }) >= Self.maxBlockTransactions { wake.yield() }
    }
}
