import CairnNode
import CairnTestSupport
import Foundation
import IPLD
import Ledger
import LocalStore
import Multiformats
import NIOHTTP1
import SodiumKit
import Testing

/// The embedded ledger in a real daemon: transactions in over HTTP, blocks out, proofs that
/// check, a restart (or a kill -9) that comes back at the same block and root.
@Suite("Ledger in a real daemon")
struct LedgerNodeTests {
    static func faucet(_ node: NodeFixture) throws -> Ed25519.PrivateKey {
        try Ed25519.PrivateKey(
            rawRepresentation: Array(try Data(contentsOf: URL(fileURLWithPath: node.repository + "/faucet.key"))))
    }

    static func status(_ url: String) async throws -> [String: Any] {
        try await HTTPExchange.send(.GET, url + "/api/v1/ledger/status").object
    }

    static func waitForHeight(_ url: String, _ height: Int) async throws -> [String: Any] {
        for _ in 0..<200 {
            let status = try await status(url)
            if Int(status["height"] as? String ?? "0") ?? 0 >= height { return status }
            try await Task.sleep(for: .milliseconds(25))
        }
        Issue.record("the chain never reached height \(height)")
        return [:]
    }

    static func submit(_ url: String, _ transaction: Transaction) async throws -> HTTPExchange.Answer {
        try await HTTPExchange.send(
            .POST, url + "/api/v1/ledger/transactions", headers: [("Content-Type", "application/vnd.ipld.dag-cbor")],
            body: Data(transaction.encoded))
    }

    @Test func acceptsTransfersMakesBlocksAndProvesBalances() async throws {
        let node = try NodeFixture(configuration: ["blockIntervalMilliseconds": 50])
        let faucet = try Self.faucet(node)
        let chain = try #require(try await Self.status(node.url)["chain"] as? String)
        let recipient = Address(publicKey: Ed25519.PrivateKey().publicKey)
        let transfer: (UInt64, Int128) throws -> Transaction = { nonce, amount in
            try Transaction(
                chain: chain, nonce: nonce, fee: 1, kind: "transfer",
                payload: IPLDMap([("amount", .integer(amount)), ("to", .bytes(recipient.bytes))]), signedBy: faucet)
        }
        #expect(try await Self.submit(node.url, try transfer(1, 500)).status == 202)
        #expect(try await Self.submit(node.url, try transfer(2, 250)).status == 202)
        let reused = try await Self.submit(node.url, try transfer(2, 9))
        #expect(reused.status == 400)
        #expect((reused.object["error"] as? [String: Any])?["reason"] as? String == "NONCE_REUSED")
        let skipped = try await Self.submit(node.url, try transfer(9, 9))
        #expect((skipped.object["error"] as? [String: Any])?["reason"] as? String == "NONCE_SKIPPED")
        let wrongChain = try Transaction(
            chain: "elsewhere", nonce: 3, fee: 1, kind: "transfer",
            payload: IPLDMap([("amount", .integer(1)), ("to", .bytes(recipient.bytes))]), signedBy: faucet)
        #expect(
            (try await Self.submit(node.url, wrongChain).object["error"] as? [String: Any])?["reason"] as? String
                == "WRONG_CHAIN")
        let garbage = try await HTTPExchange.send(.POST, node.url + "/api/v1/ledger/transactions", body: Data([0xA0]))
        #expect(garbage.status == 400)

        let status = try await Self.waitForHeight(node.url, 1)
        let account = try await HTTPExchange.send(.GET, node.url + "/api/v1/ledger/accounts/\(recipient)?proof=true")
        #expect(account.object["balance"] as? Int == 750)
        let proof = try StateProof(bytes: Hex.decode(try #require(account.object["proof"] as? String)))
        let root = Hex.decode(try #require(account.object["stateRoot"] as? String))
        let key = LedgerState.key(.account, recipient.bytes)
        // The account's value is its dag-cbor record; absence of a stranger is provable too.
        let stranger = Address(publicKey: Ed25519.PrivateKey().publicKey)
        let strangerProof = try await HTTPExchange.send(
            .GET, node.url + "/api/v1/ledger/accounts/\(stranger)?proof=true")
        let absent = try StateProof(bytes: Hex.decode(try #require(strangerProof.object["proof"] as? String)))
        #expect(absent.verify(key: LedgerState.key(.account, stranger.bytes), value: nil, root: root) == .valid)
        #expect(proof.verify(key: key, value: nil, root: root) != .valid)
        let record = try DagCBOR.encode(
            .map(
                IPLDMap([
                    ("balance", .integer(750)), ("nonce", .integer(0)), ("staked", .integer(0)),
                    ("unbonding", .list([])),
                ])))
        #expect(proof.verify(key: key, value: record, root: root) == .valid)

        let block = try await HTTPExchange.send(.GET, node.url + "/api/v1/ledger/blocks/1")
        #expect(block.status == 200)
        #expect((block.object["transactions"] as? [String])?.isEmpty == false)
        // The block is content: its header is served by the gateway.
        let headerCID = try #require(block.object["cid"] as? String)
        let raw = try await HTTPExchange.send(.GET, node.url + "/ipfs/\(headerCID)?format=raw")
        #expect(try BlockHeader(bytes: Array(raw.body)).height == 1)
        #expect(status["head"] != nil)
    }

    @Test func findsTransactionsTokensAndAnchorsWithProofs() async throws {
        let node = try NodeFixture(configuration: ["blockIntervalMilliseconds": 30])
        let faucet = try Self.faucet(node)
        let me = Address(publicKey: faucet.publicKey)
        let chain = try #require(try await Self.status(node.url)["chain"] as? String)
        let metadata = try CID("bafkreicysg23kiwv34eg2d7qweipxwosdo2py4ldv42nbauguluen5v6am")
        let hash = [UInt8](repeating: 0xAB, count: 32)
        let steps: [(String, [(String, IPLDValue)])] = [
            (
                "create-collection",
                [
                    ("id", .string("art")), ("name", .string("Art")), ("royalty", .integer(500)),
                    ("royalty-recipient", .bytes(me.bytes)), ("symbol", .string("ART")),
                ]
            ),
            ("mint", [("collection", .string("art")), ("metadata", .link(metadata)), ("token", .string("1"))]),
            ("anchor-credential", [("hash", .bytes(hash)), ("issuer", .string(me.did))]),
        ]
        var cids: [String] = []
        for (offset, step) in steps.enumerated() {
            let transaction = try Transaction(
                chain: chain, nonce: UInt64(offset + 1), fee: 1, kind: step.0, payload: IPLDMap(step.1),
                signedBy: faucet)
            #expect(try await Self.submit(node.url, transaction).status == 202)
            cids.append(transaction.cid.description)
        }
        var found: [String: Any] = [:]
        for _ in 0..<200 {
            found = try await HTTPExchange.send(.GET, node.url + "/api/v1/ledger/transactions/\(cids[2])").object
            if found["height"] != nil { break }
            try await Task.sleep(for: .milliseconds(25))
        }
        let index = try #require(found["index"] as? Int)
        let inclusion = try StateProof(bytes: Hex.decode(try #require(found["proof"] as? String)))
        let root = Hex.decode(try #require(found["transactionRoot"] as? String))
        #expect(inclusion.verify(key: ChainBlock.indexKey(index), value: try CID(cids[2]).bytes, root: root) == .valid)
        #expect(inclusion.verify(key: ChainBlock.indexKey(index), value: try CID(cids[0]).bytes, root: root) != .valid)

        let token = try await HTTPExchange.send(.GET, node.url + "/api/v1/ledger/tokens/art/1?proof=true")
        #expect(token.object["owner"] as? String == me.description)
        #expect(token.object["frozen"] as? Bool == false)
        let anchored = try await HTTPExchange.send(
            .GET, node.url + "/api/v1/ledger/credentials/" + String(repeating: "ab", count: 32) + "?proof=true")
        #expect(anchored.object["anchored"] as? Bool == true)
        #expect(anchored.object["issuer"] as? String == me.did)
        let absentHash = String(repeating: "cd", count: 32)
        let absent = try await HTTPExchange.send(.GET, node.url + "/api/v1/ledger/credentials/\(absentHash)?proof=true")
        #expect(absent.object["anchored"] as? Bool == false)
        let absenceProof = try StateProof(bytes: Hex.decode(try #require(absent.object["proof"] as? String)))
        let stateRoot = Hex.decode(try #require(absent.object["stateRoot"] as? String))
        #expect(
            absenceProof.verify(key: LedgerState.key(.anchor, Hex.decode(absentHash)), value: nil, root: stateRoot)
                == .valid)
        #expect(try await HTTPExchange.send(.GET, node.url + "/api/v1/ledger/tokens/art/2").status == 404)
        #expect(try await HTTPExchange.send(.GET, node.url + "/api/v1/ledger/credentials/zz").status == 400)
        #expect(try await HTTPExchange.send(.GET, node.url + "/api/v1/ledger/transactions/not-a-cid").status == 400)

        // A block by its header's CID is the block at that height.
        let blockCID = try #require(found["block"] as? String)
        let byCID = try await HTTPExchange.send(.GET, node.url + "/api/v1/ledger/blocks/\(blockCID)")
        #expect(byCID.object["cid"] as? String == blockCID)
        #expect((byCID.object["transactions"] as? [String])?.contains(cids[2]) == true)
        #expect(try await HTTPExchange.send(.GET, node.url + "/api/v1/ledger/blocks/\(cids[0])").status == 404)
        #expect(try await HTTPExchange.send(.GET, node.url + "/api/v1/ledger/blocks/0").status == 400)

        // Wallet history: newest first, paged with `next`, bad paging refused.
        let history = try await HTTPExchange.send(.GET, node.url + "/api/v1/ledger/accounts/\(me)/history")
        let listed = (history.object["transactions"] as? [[String: Any]] ?? []).compactMap { $0["cid"] as? String }
        #expect(listed == cids.reversed())
        let page = try await HTTPExchange.send(.GET, node.url + "/api/v1/ledger/accounts/\(me)/history?limit=2")
        #expect((page.object["transactions"] as? [Any])?.count == 2)
        let next = try #require(page.object["next"] as? String)
        let rest = try await HTTPExchange.send(
            .GET, node.url + "/api/v1/ledger/accounts/\(me)/history?before=\(next)")
        #expect((rest.object["transactions"] as? [[String: Any]])?.map { $0["cid"] as? String } == [cids[0]])
        #expect(rest.object["next"] == nil)
        for bad in ["limit=0", "limit=1001", "limit=x", "before=3", "before=a.b", "before=1.-1"] {
            let answer = try await HTTPExchange.send(.GET, node.url + "/api/v1/ledger/accounts/\(me)/history?\(bad)")
            #expect(answer.status == 400, "\(bad)")
        }
        let stranger = Address(publicKey: Ed25519.PrivateKey().publicKey)
        let none = try await HTTPExchange.send(.GET, node.url + "/api/v1/ledger/accounts/\(stranger)/history")
        #expect((none.object["transactions"] as? [Any])?.isEmpty == true)
    }

    @Test func streamsNewBlocksAndEndsTheStreamOnShutdown() async throws {
        let node = try NodeFixture(configuration: ["blockIntervalMilliseconds": 30])
        let faucet = try Self.faucet(node)
        let chain = try #require(try await Self.status(node.url)["chain"] as? String)
        let stream = try RawConnection(url: node.url)
        stream.send("GET /api/v1/ledger/blocks/stream HTTP/1.1\r\nHost: x\r\n\r\n")
        try await Task.sleep(for: .milliseconds(200))
        let transfer = try Transaction(
            chain: chain, nonce: 1, fee: 1, kind: "transfer",
            payload: IPLDMap([("amount", .integer(5)), ("to", .bytes(Address(publicKey: faucet.publicKey).bytes))]),
            signedBy: faucet)
        #expect(try await Self.submit(node.url, transfer).status == 202)
        _ = try await Self.waitForHeight(node.url, 1)
        try await Task.sleep(for: .milliseconds(200))
        // A graceful stop ends the open stream instead of waiting on it forever.
        #expect(node.daemon.stop() == 0)
        let received = stream.readToEnd()
        #expect(received.contains("application/x-ndjson"))
        #expect(received.contains(#"{"height":1,"cid":"bafyrei"#))
    }

    @Test func restartsAtTheSameBlockAfterKillNine() async throws {
        let node = try NodeFixture(configuration: ["blockIntervalMilliseconds": 20])
        let faucet = try Self.faucet(node)
        let chain = try #require(try await Self.status(node.url)["chain"] as? String)
        for nonce in 1...30 {
            let transaction = try Transaction(
                chain: chain, nonce: UInt64(nonce), fee: 1, kind: "transfer",
                payload: IPLDMap([
                    ("amount", .integer(1)), ("to", .bytes(Address(publicKey: Ed25519.PrivateKey().publicKey).bytes)),
                ]),
                signedBy: faucet)
            #expect(try await Self.submit(node.url, transaction).status == 202)
            if nonce % 10 == 0 { try await Task.sleep(for: .milliseconds(30)) }
        }
        _ = try await Self.waitForHeight(node.url, 2)
        node.daemon.kill9()
        let restarted = try DaemonProcess(repository: node.repository)
        let after = try await Self.status(restarted.url)
        let height = Int(after["height"] as? String ?? "0") ?? 0
        #expect(height >= 2)
        let block = try await HTTPExchange.send(.GET, restarted.url + "/api/v1/ledger/blocks/\(height)")
        #expect(block.object["stateRoot"] as? String == after["stateRoot"] as? String)
        #expect(restarted.stop() == 0)
        // A clean stop and start comes back to the same head.
        let again = try DaemonProcess(repository: node.repository)
        let final = try await Self.status(again.url)
        #expect(final["height"] as? String == after["height"] as? String)
        #expect(final["stateRoot"] as? String == after["stateRoot"] as? String)
        #expect(again.stop() == 0)
        // The stored state the node restarted from is the state a replay from genesis reaches.
        let repository = try Repository(path: node.repository)
        let store = LedgerStore(repository: repository)
        let genesis = try #require(try store.genesis())
        let replayed = try LedgerEngine.replay(store, genesis: try genesis.state(), to: try store.tip())
        #expect(Hex.encode(replayed.root) == final["stateRoot"] as? String)
        #expect(try store.stateEntries() == replayed.entries)
    }
}
