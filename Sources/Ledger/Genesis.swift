import IPLD
public import Multiformats

/// How a chain starts: its parameters, time, funded accounts and validators.
///
/// dag-cbor `{"balances": [[bytes(34) address, uint], …], "chain": string, "minimum-fee": uint,
/// "minimum-node-stake": uint, "time": uint, "unbonding-blocks": uint, "validators":
/// [bytes(34)…]}`, balances and validators in address order; its CID names the chain's start.
public struct Genesis: Hashable, Sendable {
    public var parameters: ChainParameters
    /// Milliseconds since the Unix epoch.
    public var time: UInt64
    public var balances: [Address: UInt64]
    public var validators: [Address]

    public init(parameters: ChainParameters, time: UInt64, balances: [Address: UInt64], validators: [Address]) {
        self.parameters = parameters
        self.time = time
        self.balances = balances
        self.validators = validators
    }

    /// The state before block 1.
    public func state() throws(LedgerError) -> LedgerState {
        guard !validators.isEmpty else { throw LedgerError(.malformed, "a genesis names at least one validator") }
        return try LedgerState(parameters: parameters, balances: balances)
    }

    public var encoded: [UInt8] {
        let fields: [(String, IPLDValue)] = [
            (
                "balances",
                .list(
                    balances.sorted { $0.key < $1.key }.map {
                        .list([.bytes($0.key.bytes), .integer(Int128($0.value))])
                    })
            ),
            ("chain", .string(parameters.chain)), ("minimum-fee", .integer(Int128(parameters.minimumFee))),
            ("minimum-node-stake", .integer(Int128(parameters.minimumNodeStake))), ("time", .integer(Int128(time))),
            ("unbonding-blocks", .integer(Int128(parameters.unbondingBlocks))),
            ("validators", .list(validators.sorted().map { .bytes($0.bytes) })),
        ]
        return try! DagCBOR.encode(.map(IPLDMap(fields)))  // bytes, strings and integers
    }

    public var cid: CID { CID(v1: .dagCBOR, multihash: encoded.withUnsafeBytes { Multihash.sha256($0) }) }
}
