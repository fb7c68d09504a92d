import IPLD
public import Multiformats
public import SodiumKit

/// A block header: what validators sign and light clients keep.
///
/// dag-cbor `{"chain": string, "height": uint, "previous": link | null, "proposer": bytes(34),
/// "state": bytes(32), "time": uint (ms since the Unix epoch), "transactions": bytes(32)}`;
/// `previous` is the previous header's CID (null at height 1), `state` the state root after the
/// block, `transactions` the root of ``ChainBlock/transactionTree(_:)``. The header's CID (CIDv1,
/// dag-cbor, sha2-256) names the block.
public struct BlockHeader: Hashable, Sendable {
    public let chain: String
    public let height: UInt64
    public let previous: CID?
    public let time: UInt64
    public let transactionRoot: [UInt8]
    public let stateRoot: [UInt8]
    public let proposer: Address

    public init(
        chain: String, height: UInt64, previous: CID?, time: UInt64, transactionRoot: [UInt8], stateRoot: [UInt8],
        proposer: Address
    ) {
        self.chain = chain
        self.height = height
        self.previous = previous
        self.time = time
        self.transactionRoot = transactionRoot
        self.stateRoot = stateRoot
        self.proposer = proposer
    }

    public var encoded: [UInt8] {
        let fields: [(String, IPLDValue)] = [
            ("chain", .string(chain)), ("height", .integer(Int128(height))),
            ("previous", previous.map { .link($0) } ?? .null), ("proposer", .bytes(proposer.bytes)),
            ("state", .bytes(stateRoot)), ("time", .integer(Int128(time))), ("transactions", .bytes(transactionRoot)),
        ]
        return try! DagCBOR.encode(.map(IPLDMap(fields)))  // strings, integers, bytes, a link
    }

    public var cid: CID { CID(v1: .dagCBOR, multihash: encoded.withUnsafeBytes { Multihash.sha256($0) }) }

    /// Reads a header, refusing anything but the canonical encoding of exactly these fields.
    public init(bytes: [UInt8]) throws(LedgerError) {
        let map = try LedgerError.decodeMap(bytes, what: "a block header")
        guard map.count == 7,
            case .string(let chain)? = map["chain"],
            case .integer(let height)? = map["height"], let height = UInt64(exactly: height),
            case .integer(let time)? = map["time"], let time = UInt64(exactly: time),
            case .bytes(let transactionRoot)? = map["transactions"], transactionRoot.count == 32,
            case .bytes(let stateRoot)? = map["state"], stateRoot.count == 32,
            case .bytes(let proposer)? = map["proposer"], let previousValue = map["previous"]
        else { throw LedgerError(.malformed, "a block header has exactly the documented seven fields") }
        var previous: CID?
        switch previousValue {
        case .null: previous = nil
        case .link(let cid): previous = cid
        default: throw LedgerError(.malformed, "a header's previous is a link or null")
        }
        self.init(
            chain: chain, height: height, previous: previous, time: time, transactionRoot: transactionRoot,
            stateRoot: stateRoot, proposer: try Address(bytes: proposer))
        guard encoded == bytes else { throw LedgerError(.nonCanonical, "the header is not in canonical dag-cbor form") }
    }
}

/// A block: its header and its transactions, in order.
public struct ChainBlock: Hashable, Sendable {
    public let header: BlockHeader
    public let transactions: [Transaction]

    public init(header: BlockHeader, transactions: [Transaction]) {
        self.header = header
        self.transactions = transactions
    }

    /// The tree over a block's transactions: key = the index as 8 bytes big-endian, value = the
    /// transaction's CID bytes. Its root is the header's `transactions`; a ``StateProof`` for
    /// an index proves which transaction sits there (or that none does).
    public static func transactionTree(_ transactions: [Transaction]) -> SparseMerkleTree {
        SparseMerkleTree(
            Dictionary(
                uniqueKeysWithValues: transactions.enumerated().map { (indexKey($0.offset), $0.element.cid.bytes) }))
    }

    public static func indexKey(_ index: Int) -> [UInt8] {
        withUnsafeBytes(of: UInt64(index).bigEndian) { Array($0) }
    }

    /// The block's body as stored and served: dag-cbor `{"header": link, "transactions": [link…]}`.
    public var body: [UInt8] {
        let fields: [(String, IPLDValue)] = [
            ("header", .link(header.cid)), ("transactions", .list(transactions.map { .link($0.cid) })),
        ]
        return try! DagCBOR.encode(.map(IPLDMap(fields)))  // links only
    }
}

/// Validators' signatures over a header: what makes a block final.
///
/// Each signature is Ed25519 over `"cairn-block-v1" ‖ 0x00 ‖ header CID bytes`. dag-cbor
/// `{"header": link, "signatures": [[bytes(34) validator, bytes(64) signature], …]}`, validators
/// in address order, each once.
public struct Commit: Hashable, Sendable {
    static let signingDomain: [UInt8] = Array("cairn-block-v1".utf8) + [0]

    public let header: CID
    public let signatures: [Address: [UInt8]]

    public init(header: CID, signatures: [Address: [UInt8]]) {
        self.header = header
        self.signatures = signatures
    }

    /// A commit signed by `validator` alone (the embedded single-validator chain).
    public init(header: CID, signedBy validator: Ed25519.PrivateKey) {
        self.init(
            header: header,
            signatures: [
                Address(publicKey: validator.publicKey): validator.signature(for: Self.signingDomain + header.bytes)
            ])
    }

    /// Whether every signature is valid and the signers include all of `validators`
    /// (the single-validator rule; stake-weighted 2/3 comes with the validator network).
    public func isValid(for validators: Set<Address>) -> Bool {
        guard validators.isSubset(of: Set(signatures.keys)) else { return false }
        return signatures.allSatisfy { address, signature in
            address.publicKey.isValidSignature(signature, for: Self.signingDomain + header.bytes)
        }
    }

    public var encoded: [UInt8] {
        let list = signatures.sorted { $0.key < $1.key }.map {
            IPLDValue.list([.bytes($0.key.bytes), .bytes($0.value)])
        }
        return try! DagCBOR.encode(.map(IPLDMap([("header", .link(header)), ("signatures", .list(list))])))
    }
}

extension Commit {
    /// Reads a commit, strictly: the header link and [validator, signature] pairs, canonical bytes.
    public init(bytes: [UInt8]) throws(LedgerError) {
        let map = try LedgerError.decodeMap(bytes, what: "a commit")
        guard map.count == 2, case .link(let header)? = map["header"],
            case .list(let list)? = map["signatures"]
        else { throw LedgerError(.malformed, "a commit is {header, signatures}") }
        var signatures: [Address: [UInt8]] = [:]
        for item in list {
            guard case .list(let pair) = item, pair.count == 2, case .bytes(let address) = pair[0],
                case .bytes(let signature) = pair[1], signature.count == 64
            else { throw LedgerError(.malformed, "a commit signature is [address, 64 bytes]") }
            signatures[try Address(bytes: address)] = signature
        }
        self.init(header: header, signatures: signatures)
        guard encoded == bytes else { throw LedgerError(.nonCanonical, "the commit is not in canonical form") }
    }
}
