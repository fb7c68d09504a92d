import Foundation
import Hummingbird
import Ledger
import LocalStore
import Multiformats
import NIOCore
import ServiceLifecycle

/// The ledger over HTTP under `/api/v1/ledger` (public: transactions carry their own
/// signatures): submit a transaction, the chain's status, a block by height, an account with an
/// optional state proof (`Specs/http.md`, "Ledger").
struct LedgerAPI: Sendable {
    let engine: LedgerEngine

    func register(on router: Router<some RequestContext>) {
        router.post("/api/v1/ledger/transactions") { request, _ in
            let body: ByteBuffer
            do { body = try await request.body.collect(upTo: Transaction.maxEncodedSize) } catch {
                throw HTTPFailure(.contentTooLarge, "a transaction is at most \(Transaction.maxEncodedSize) bytes")
            }
            let transaction: Transaction
            do { transaction = try Transaction(bytes: Array(body.readableBytesView)) } catch let error as LedgerError {
                throw HTTPFailure(
                    .badRequest, error.message, reason: error.code == .nonCanonical ? "NON_CANONICAL" : "MALFORMED")
            }
            let engine = self.engine
            if let rejection = try await blocking({ engine.submit(transaction) }) {
                throw HTTPFailure(.badRequest, rejection.detail, reason: Self.reason(rejection))
            }
            return try JSONResponse.encoding(["cid": transaction.cid.description], status: .accepted)
        }
        router.get("/api/v1/ledger/status") { _, _ in
            let status = engine.status
            var object: [String: String] = [
                "chain": status.chain, "height": String(status.height), "genesis": status.genesis.description,
                "stateRoot": Self.hex(status.stateRoot), "pending": String(status.pending),
            ]
            if let head = status.head { object["head"] = head.description }
            return try JSONResponse.encoding(object, status: .ok)
        }
        router.get("/api/v1/ledger/blocks/stream") { _, _ in
            // New blocks as they are made, one JSON line each (NDJSON), until the client goes.
            let engine = self.engine
            var headers = HTTPFields()
            headers[.contentType] = "application/x-ndjson"
            headers[.cacheControl] = "no-store"
            let body = ResponseBody { writer in
                var seen = engine.status.height
                var quiet = 0
                // Ends when the engine stops (a stream must not hold a graceful shutdown open), or
                // when a write fails: an empty line every 5 s finds a client that has gone.
                while !Task.isCancelled && !Task.isShuttingDownGracefully && !engine.isStopping {
                    let status = engine.status
                    if status.height > seen, let head = status.head {
                        seen = status.height
                        quiet = 0
                        let line =
                            #"{"height":\#(status.height),"cid":"\#(head)","stateRoot":"\#(Self.hex(status.stateRoot))"}"#
                        try await writer.write(ByteBuffer(string: line + "\n"))
                    } else if quiet >= 100 {
                        quiet = 0
                        try await writer.write(ByteBuffer(string: "\n"))
                    }
                    quiet += 1
                    try await Task.sleep(for: .milliseconds(50))
                }
                try await writer.finish(nil)
            }
            return Response(status: .ok, headers: headers, body: body)
        }
        router.get("/api/v1/ledger/blocks/{block}") { _, context in
            // A height, or a header's CID.
            let text = try context.parameters.require("block")
            let store = engine.store
            let height: UInt64
            if !text.isEmpty, text.allSatisfy(\.isASCIIDigit) {
                guard text.contains(where: { $0 != "0" }) else { throw HTTPFailure(.badRequest, "heights start at 1") }
                guard let number = UInt64(text) else {
                    throw HTTPFailure(.notFound, "no block at height \(text.prefix(40))")
                }
                height = number
            } else {
                let cid: CID
                do { cid = try CID(text) } catch {
                    throw HTTPFailure(.badRequest, "a block is named by its height or its header's CID")
                }
                guard let found = try await blocking({ try store.height(ofBlock: cid) }) else {
                    throw HTTPFailure(.notFound, "no block \(cid) in this chain")
                }
                height = found
            }
            guard let entry = try await blocking({ try store.entry(at: height) }) else {
                throw HTTPFailure(.notFound, "no block at height \(height)")
            }
            let header = entry.block.header
            var object: [String: Any] = [
                "height": header.height, "cid": header.cid.description, "time": header.time,
                "proposer": header.proposer.description, "stateRoot": Self.hex(header.stateRoot),
                "transactionRoot": Self.hex(header.transactionRoot), "body": entry.bodyCID.description,
                "transactions": entry.block.transactions.map { $0.cid.description },
            ]
            if let previous = header.previous { object["previous"] = previous.description }
            return try JSONResponse.object(object)
        }
        router.get("/api/v1/ledger/transactions/{cid}") { _, context in
            let cid = try NodeAPI.cid(try context.parameters.require("cid"))
            let store = engine.store
            let found = try await blocking { () throws -> (UInt64, Int, LedgerStore.Entry)? in
                guard let (height, position) = try store.location(of: cid), let entry = try store.entry(at: height)
                else {
                    return nil
                }
                return (height, position, entry)
            }
            guard let (height, position, entry) = found else {
                if let rejection = engine.rejection(of: cid) {
                    throw HTTPFailure(
                        .unprocessableContent, "a block refused transaction \(cid): \(rejection.detail)",
                        reason: Self.reason(rejection))
                }
                throw HTTPFailure(.notFound, "no transaction \(cid) in a block (it may still be pending)")
            }
            let transaction = entry.block.transactions[position]
            let proof = ChainBlock.transactionTree(entry.block.transactions).proof(for: ChainBlock.indexKey(position))
            return try JSONResponse.object([
                "cid": cid.description, "height": height, "index": position,
                "block": entry.block.header.cid.description,
                "transactionRoot": Self.hex(entry.block.header.transactionRoot), "proof": Self.hex(proof.encoded()),
                "signer": transaction.signer.description, "kind": transaction.kind, "nonce": transaction.nonce,
                "fee": transaction.fee,
            ])
        }
        router.get("/api/v1/ledger/tokens/{collection}/{token}") { request, context in
            let key = TokenKey(
                collection: try context.parameters.require("collection"), token: try context.parameters.require("token")
            )
            let (state, head) = engine.snapshot
            guard let token = state.tokens[key] else {
                throw HTTPFailure(
                    .notFound, "no token \"\(key.token.prefix(100))\" in \"\(key.collection.prefix(64))\"")
            }
            var object: [String: Any] = [
                "collection": key.collection, "token": key.token, "owner": token.owner.description,
                "metadata": token.metadata.description, "frozen": token.frozen, "height": head?.height ?? 0,
            ]
            if let price = token.price { object["price"] = price }
            if try QueryFlag.parse(
                request.uri.queryParameters["proof"].map(String.init), default: false, name: "proof")
            {
                Self.addProof(to: &object, key: LedgerState.tokenKey(key), state: state, head: head)
            }
            return try JSONResponse.object(object)
        }
        router.get("/api/v1/ledger/credentials/{hash}") { request, context in
            let text = try context.parameters.require("hash")
            let hash = Self.bytes(hex: text)
            guard hash.count == 32, text.count == 64 else {
                throw HTTPFailure(.badRequest, "a credential hash is 64 hex digits")
            }
            let (state, head) = engine.snapshot
            var object: [String: Any] = ["hash": text.lowercased(), "height": head?.height ?? 0]
            if let anchor = state.anchors[hash] {
                object["anchored"] = true
                object["issuer"] = anchor.issuer
                object["anchoredBy"] = anchor.anchoredBy.description
                object["anchoredAt"] = anchor.height
            } else {
                object["anchored"] = false
            }
            if try QueryFlag.parse(
                request.uri.queryParameters["proof"].map(String.init), default: false, name: "proof")
            {
                Self.addProof(to: &object, key: LedgerState.key(.anchor, hash), state: state, head: head)
            }
            return try JSONResponse.object(object)
        }
        router.get("/api/v1/ledger/accounts/{address}/history") { request, context in
            try await Self.history(request, context, engine: engine)
        }
        router.get("/api/v1/ledger/accounts/{address}") { request, context in
            let text = try context.parameters.require("address")
            let address: Address
            do { address = try Address(text) } catch let error as LedgerError {
                throw HTTPFailure(.badRequest, error.message)
            }
            let wantsProof = try QueryFlag.parse(
                request.uri.queryParameters["proof"].map(String.init), default: false, name: "proof")
            let (state, head) = engine.snapshot
            let account = state.accounts[address] ?? Account()
            var object: [String: Any] = [
                "address": address.description, "balance": account.balance, "nonce": account.nonce,
                "staked": account.staked, "height": head?.height ?? 0,
                "unbonding": account.unbonding.map { ["amount": $0.amount, "releaseHeight": $0.releaseHeight] },
            ]
            if let node = state.nodes[address] {
                object["node"] = [
                    "endpoint": node.endpoint, "capacity": node.capacity, "region": node.region,
                    "operator": node.operatorAddress.description, "registeredAt": node.registeredAt,
                ]
            }
            if wantsProof {
                Self.addProof(
                    to: &object, key: LedgerState.key(.account, address.bytes), state: state, head: head)
            }
            return try JSONResponse.object(object)
        }
    }

    /// Transactions that concern an address, newest first, a page at a time.
    static func history(_ request: Request, _ context: some RequestContext, engine: LedgerEngine) async throws
        -> Response
    {
        let text = try context.parameters.require("address")
        let address: Address
        do { address = try Address(text) } catch { throw HTTPFailure(.badRequest, error.message) }
        let query = request.uri.queryParameters
        var limit = 50
        if let value = query["limit"] {
            guard let number = Int(value), (1...1000).contains(number) else {
                throw HTTPFailure(.badRequest, "limit is an integer from 1 to 1000")
            }
            limit = number
        }
        var before: (height: UInt64, index: Int)?
        if let value = query["before"] {
            let parts = value.split(separator: ".", omittingEmptySubsequences: false)
            guard parts.count == 2, let height = UInt64(parts[0]), let index = Int(parts[1]), index >= 0 else {
                throw HTTPFailure(.badRequest, "before is HEIGHT.INDEX, as in a page's next")
            }
            before = (height, index)
        }
        let store = engine.store
        let (pageSize, start) = (limit, before)
        let found = try await blocking {
            () throws -> [(height: UInt64, index: Int, cid: CID, transaction: Transaction)] in
            try store.history(of: address, limit: pageSize + 1, before: start).map { item in
                guard let transaction = try store.transaction(item.transaction) else {
                    throw StoreError(.corruptStore, "transaction \(item.transaction) is indexed but missing")
                }
                return (item.height, item.index, item.transaction, transaction)
            }
        }
        let items: [[String: Any]] = found.prefix(limit).map { item in
            [
                "cid": item.cid.description, "height": item.height, "index": item.index,
                "kind": item.transaction.kind, "signer": item.transaction.signer.description,
                "nonce": item.transaction.nonce, "fee": item.transaction.fee,
            ]
        }
        let more = found.count > limit
        var object: [String: Any] = ["address": address.description, "transactions": items]
        if more, let last = items.last { object["next"] = "\(last["height"]!).\(last["index"]!)" }
        return try JSONResponse.object(object)
    }

    /// Adds `stateRoot` (the head's) and `proof` (hex of the state proof for `key`) to an answer.
    static func addProof(to object: inout [String: Any], key: [UInt8], state: LedgerState, head: BlockHeader?) {
        object["stateRoot"] = hex(head?.stateRoot ?? state.tree.root)
        object["proof"] = hex(state.tree.proof(for: key).encoded())
    }

    /// Hex digits (either case) to bytes; empty for anything that is not hex.
    static func bytes(hex: String) -> [UInt8] {
        (try? Multibase.base16.decodeWithoutPrefix(hex.lowercased())) ?? []
    }

    /// A rejection's reason as an error reason: `NONCE_REUSED`, `INSUFFICIENT_STAKE`, ….
    static func reason(_ rejection: Rejection) -> String {
        rejection.reason.rawValue.uppercased().replacingOccurrences(of: " ", with: "_")
    }

    static func hex(_ bytes: [UInt8]) -> String { Multibase.base16.encodeWithoutPrefix(bytes) }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { isASCII && isNumber }
}
