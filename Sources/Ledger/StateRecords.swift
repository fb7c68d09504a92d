public import Multiformats

/// The fixed rules of a chain, set at genesis.
public struct ChainParameters: Hashable, Sendable {
    public var chain: String
    /// Smallest fee a transaction may offer.
    public var minimumFee: UInt64
    /// Blocks between an unstake and the tokens' return to the balance.
    public var unbondingBlocks: UInt64
    /// Stake a storage node needs to register.
    public var minimumNodeStake: UInt64

    public init(chain: String, minimumFee: UInt64 = 1, unbondingBlocks: UInt64 = 100, minimumNodeStake: UInt64 = 1_000)
    {
        self.chain = chain
        self.minimumFee = minimumFee
        self.unbondingBlocks = unbondingBlocks
        self.minimumNodeStake = minimumNodeStake
    }
}

/// An account's tokens and sequence.
public struct Account: Hashable, Sendable {
    public struct Unbonding: Hashable, Sendable {
        public var amount: UInt64
        /// The height at whose start the amount returns to the balance.
        public var releaseHeight: UInt64
    }

    public var balance: UInt64 = 0
    /// The last nonce used; the next transaction carries `nonce + 1`.
    public var nonce: UInt64 = 0
    public var staked: UInt64 = 0
    public var unbonding: [Unbonding] = []

    public init(balance: UInt64 = 0) {
        self.balance = balance
    }
}

public struct StorageNodeRecord: Hashable, Sendable {
    public var endpoint: String
    public var capacity: UInt64
    public var region: String
    public var operatorAddress: Address
    public var registeredAt: UInt64
}

public struct StorageDeal: Hashable, Sendable {
    public var client: Address
    public var root: CID
    public var manifests: [CID]
    public var pricePerByteEpoch: UInt64
    public var bytes: UInt64
    public var epochs: UInt64
    /// Tokens locked from the client until the deal pays out (by the rewards rule, later).
    public var escrow: UInt64
    public var startHeight: UInt64
}

public struct CredentialAnchor: Hashable, Sendable {
    public var issuer: String
    public var anchoredBy: Address
    public var height: UInt64
}

public struct StatusListPointer: Hashable, Sendable {
    public var owner: Address
    public var latest: CID
    public var height: UInt64
}

public struct TokenCollection: Hashable, Sendable {
    public var creator: Address
    public var name: String
    public var symbol: String
    public var royaltyBasisPoints: UInt64
    public var royaltyRecipient: Address
}

public struct Token: Hashable, Sendable {
    public var owner: Address
    public var metadata: CID
    public var frozen: Bool
    /// The asking price while listed for sale.
    public var price: UInt64?
}

/// Where a token lives: its collection and its id there.
public struct TokenKey: Hashable, Sendable {
    public var collection: String
    public var token: String

    public init(collection: String, token: String) {
        self.collection = collection
        self.token = token
    }
}
