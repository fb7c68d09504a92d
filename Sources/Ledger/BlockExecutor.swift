/// Builds and checks blocks: the one place transactions meet a state at a height.
///
/// Pure: the engine (in the node) decides when to cut a block and persists what this returns.
public enum BlockExecutor {
    /// The result of building a block from candidate transactions.
    public struct Outcome: Sendable {
        public let block: ChainBlock
        public let state: LedgerState
        /// The state entries the block changed (``LedgerState/commit()``): a value, or nil for
        /// an entry removed. What a store writes to persist the new state.
        public let changes: [[UInt8]: [UInt8]?]
        /// For each included transaction, in order, the accounts it concerns
        /// (``LedgerState/parties(of:)``).
        public let parties: [Set<Address>]
        /// Candidates left out, each with its reason; they changed nothing.
        public let rejected: [(Transaction, Rejection)]
    }

    /// Starts block `height` on `state`, applies `candidates` in order (keeping those that
    /// apply), and makes the header.
    public static func build(
        on state: LedgerState, height: UInt64, previous: BlockHeader?, time: UInt64, proposer: Address,
        candidates: [Transaction]
    ) -> Outcome {
        var next = state
        next.beginBlock(height: height)
        var included: [Transaction] = []
        var parties: [Set<Address>] = []
        var rejected: [(Transaction, Rejection)] = []
        for transaction in candidates {
            let concerned = next.parties(of: transaction)
            if let rejection = next.apply(transaction, proposer: proposer) {
                rejected.append((transaction, rejection))
            } else {
                included.append(transaction)
                parties.append(concerned)
            }
        }
        let changes = next.commit()
        let header = BlockHeader(
            chain: state.parameters.chain, height: height, previous: previous?.cid, time: time,
            transactionRoot: ChainBlock.transactionTree(included).root, stateRoot: next.tree.root, proposer: proposer)
        return Outcome(
            block: ChainBlock(header: header, transactions: included), state: next, changes: changes,
            parties: parties, rejected: rejected)
    }

    /// Why a block does not follow from a state.
    public enum Verdict: Hashable, Sendable {
        case valid
        case invalid(String)
    }

    /// Re-executes `block` on `state` (whose last header is `previous`): the result, if every
    /// check holds — chain, height, link to the previous header, time not going back, every
    /// transaction applying, both roots matching.
    public static func verify(
        _ block: ChainBlock, on state: LedgerState, previous: BlockHeader?
    ) -> (Verdict, LedgerState?) {
        let header = block.header
        guard header.chain == state.parameters.chain else { return (.invalid("the block is for another chain"), nil) }
        guard header.height == (previous?.height ?? 0) + 1 else {
            return (.invalid("height \(header.height) does not follow"), nil)
        }
        guard header.previous == previous?.cid else { return (.invalid("the previous-block link is wrong"), nil) }
        guard header.time >= (previous?.time ?? 0) else { return (.invalid("the block's time goes back"), nil) }
        var next = state
        next.beginBlock(height: header.height)
        for (index, transaction) in block.transactions.enumerated() {
            if let rejection = next.apply(transaction, proposer: header.proposer) {
                return (.invalid("transaction \(index) does not apply: \(rejection)"), nil)
            }
        }
        guard ChainBlock.transactionTree(block.transactions).root == header.transactionRoot else {
            return (.invalid("the transaction root does not match"), nil)
        }
        next.commit()
        guard next.tree.root == header.stateRoot else { return (.invalid("the state root does not match"), nil) }
        return (.valid, next)
    }
}
