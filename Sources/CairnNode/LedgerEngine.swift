import Foundation
public import IPLD
public import Ledger
public import LocalStore
public import Logging
public import Multiformats
import NIOPosix
public import ServiceLifecycle
public import SodiumKit
import Synchronization

/// The embedded single-validator ledger: a mempool, a block every interval when there is work
/// (or at once when a block's worth is waiting), execution, persistence of each block with the
/// state it leads to in one batch, restart from the stored state — or, when that is missing or
/// does not match the tip's state root, by replay from genesis (`Specs/ledger.md`, "Engine").
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
        /// Transactions a block left out, with why, newest last (at most ``maxRemembered``):
        /// the mempool checks only signature, nonce and fee, so a rule can still refuse one
        /// when its block is built, and its sender asks after it.
        var rejected: [CID: Rejection] = [:]
        var rejectedOrder: [CID] = []
    }

    /// How many block-time rejections the engine remembers for lookups.
    public static let maxRemembered = 10_000

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

    /// Opens the chain in `repository` (creating the devnet genesis when there is none, or
    /// recording `genesis` when given) at its stored tip and state.
    public init(repository: Repository, identity: NodeIdentity, interval: Duration, logger: Logger) throws {
        store = LedgerStore(repository: repository)
        validator = identity.privateKey
        self.interval = interval
        self.logger = logger
        genesis = try Self.installGenesis(repository: repository, identity: identity, file: nil)
        let validatorAddress = Address(publicKey: identity.privateKey.publicKey)
        guard genesis.validators.contains(validatorAddress) else {
            throw NodeError(
                .badConfiguration,
                "this node (\(validatorAddress)) is not a validator of chain \(genesis.parameters.chain); "
                    + "the embedded engine runs only as the chain's validator")
        }
        let genesisState = try genesis.state()
        genesisRoot = genesisState.root
        let tip = try store.tip()
        var head: BlockHeader?
        if tip > 0 {
            guard let (header, _) = try store.headerAndCommit(at: tip) else {
                throw NodeError(.ioError, "the ledger index lacks its tip block \(tip)")
            }
            head = header
        }
        let state: LedgerState
        if let entries = try store.stateEntries(),
            let restored = try? LedgerState(parameters: genesis.parameters, height: tip, entries: entries),
            restored.root == head?.stateRoot ?? genesisRoot
        {
            state = restored
        } else {
            logger.notice("replaying the ledger from genesis to rebuild its stored state", metadata: ["tip": "\(tip)"])
            state = try Self.replay(store, genesis: genesisState, to: tip)
            try store.replaceState(state.entries, height: tip)
        }
        chain = Mutex(Chain(state: state, head: head))
        (wakes, wake) = AsyncStream.makeStream(bufferingPolicy: .bufferingNewest(1))
    }

    /// The state after block `tip`, by verifying and executing every stored block from genesis.
    public static func replay(_ store: LedgerStore, genesis: LedgerState, to tip: UInt64) throws -> LedgerState {
        var state = genesis
        var head: BlockHeader?
        for height in stride(from: 1, through: tip, by: 1) {
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
        return state
    }

    /// The repository's genesis: the stored one; else the one in the JSON file `file`
    /// (``GenesisFile``), recorded; else a new devnet genesis, recorded.
    @discardableResult
    public static func installGenesis(repository: Repository, identity: NodeIdentity, file: String?) throws -> Genesis {
        let store = LedgerStore(repository: repository)
        let validator = Address(publicKey: identity.privateKey.publicKey)
        if let existing = try store.genesis() {
            if let file, try GenesisFile.load(path: file, defaultValidator: validator) != existing {
                throw NodeError(.badConfiguration, "\(repository.path) already holds another chain than \(file)'s")
            }
            return existing
        }
        let genesis =
            try file.map { path throws(NodeError) in try GenesisFile.load(path: path, defaultValidator: validator) }
            ?? devnetGenesis(repository: repository.path, validator: identity)
        try store.setGenesis(genesis)
        return genesis
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
            // The node's own account pays the fees of what it submits itself (status-list updates);
            // as the proposer it is paid them back.
            balances: [Address(publicKey: faucet.publicKey): 1_000_000_000_000, validatorAddress: 1_000_000_000],
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

    /// The current state (committed: its tree is its root's) and the header it belongs to.
    var snapshot: (state: LedgerState, head: BlockHeader?) { chain.withLock { ($0.state, $0.head) } }

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
        // A block's worth waiting is cut at once; otherwise the heartbeat cuts one per interval,
        // so transactions arriving together share a block.
        if rejection == nil && chain.withLock({ $0.mempool.count }) >= Self.maxBlockTransactions { wake.yield() }
        return rejection
    }

    /// Signs `kind` with `payload` by `key` at its next nonce (counting its pending
    /// transactions) with the chain's minimum fee, and admits it: how the node submits its own
    /// transactions (status-list updates).
    public func submit(kind: String, payload: IPLDMap, signedBy key: Ed25519.PrivateKey) throws -> Transaction {
        let signer = Address(publicKey: key.publicKey)
        let nonce = chain.withLock { chain in
            chain.pendingNonces[signer].map { $0 + 1 } ?? chain.state.nextNonce(of: signer)
        }
        let transaction = try Transaction(
            chain: genesis.parameters.chain, nonce: nonce, fee: genesis.parameters.minimumFee, kind: kind,
            payload: payload, signedBy: key)
        if let rejection = submit(transaction) {
            throw NodeError(.invalidArgument, "the ledger refused the node's \(kind): \(rejection)")
        }
        return transaction
    }

    /// Why a recent block left `transaction` out, if it did.
    public func rejection(of transaction: CID) -> Rejection? { chain.withLock { $0.rejected[transaction] } }

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
            try store.append(
                outcome.block, commit: Commit(header: outcome.block.header.cid, signedBy: validator),
                stateChanges: outcome.changes, parties: outcome.parties)
            return outcome
        }
        chain.withLock { chain in
            chain.state = outcome.state
            chain.head = outcome.block.header
            let done = Set(candidates.map(\.cid))
            chain.mempool.removeAll { done.contains($0.cid) }
            chain.pendingIDs.subtract(done)
            for (transaction, rejection) in outcome.rejected where chain.rejected[transaction.cid] == nil {
                chain.rejected[transaction.cid] = rejection
                chain.rejectedOrder.append(transaction.cid)
            }
            if chain.rejectedOrder.count > Self.maxRemembered {
                let forgotten = chain.rejectedOrder.count - Self.maxRemembered
                for cid in chain.rejectedOrder.prefix(forgotten) { chain.rejected[cid] = nil }
                chain.rejectedOrder.removeFirst(forgotten)
            }
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
