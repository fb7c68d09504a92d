import Foundation
import Hummingbird
import Ledger
import LocalStore
import Multiformats
import NIOCore

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
                throw HTTPFailure(
                    .badRequest, rejection.detail,
                    reason: rejection.reason.rawValue.uppercased().replacingOccurrences(of: " ", with: "_"))
            }
            return try UploadHandler.json(["cid": transaction.cid.description], status: .accepted)
        }
        router.get("/api/v1/ledger/status") { _, _ in
            let status = engine.status
            var object: [String: String] = [
                "chain": status.chain, "height": String(status.height), "genesis": status.genesis.description,
                "stateRoot": Self.hex(status.stateRoot), "pending": String(status.pending),
            ]
            if let head = status.head { object["head"] = head.description }
            return try UploadHandler.json(object, status: .ok)
        }
        router.get("/api/v1/ledger/blocks/{height}") { _, context in
            let text = try context.parameters.require("height")
            guard !text.isEmpty, text.allSatisfy(\.isASCIIDigit), text.contains(where: { $0 != "0" }) else {
                throw HTTPFailure(.badRequest, "height is a positive integer")
            }
            guard let height = UInt64(text) else {
                throw HTTPFailure(.notFound, "no block at height \(text.prefix(40))")
            }
            let store = engine.store
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
            return Self.json(object)
        }
        router.get("/api/v1/ledger/accounts/{address}") { request, context in
            let text = try context.parameters.require("address")
            let address: Address
            do { address = try Address(text) } catch let error as LedgerError {
                throw HTTPFailure(.badRequest, error.message)
            }
            let wantsProof = try UploadHandler.flag(
                request.uri.queryParameters["proof"].map(String.init), default: false, name: "proof")
            let (state, head) = engine.snapshot
            let account = state.accounts[address] ?? Account()
            var object: [String: Any] = [
                "address": address.description, "balance": account.balance, "nonce": account.nonce,
                "staked": account.staked, "height": head?.height ?? 0,
            ]
            if wantsProof {
                let key = LedgerState.key(.account, address.bytes)
                let (proof, root) = try await blocking {
                    let entries = state.entries
                    return (SparseMerkleTree(entries).proof(for: key), head?.stateRoot ?? state.root)
                }
                object["stateRoot"] = Self.hex(root)
                object["proof"] = Self.hex(proof.encoded())
            }
            return Self.json(object)
        }
    }

    static func hex(_ bytes: [UInt8]) -> String { bytes.map { String($0, radix: 16).leftPadded(to: 2) }.joined() }

    static func json(_ object: [String: Any]) -> Response {
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data()
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { isASCII && isNumber }
}
