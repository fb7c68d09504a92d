import CairnTestSupport
import IPLD
import Ledger
import Multiformats
import SodiumKit
import Testing

/// A state's entries read back as the same state, and nothing else does.
@Suite("State restored from its entries")
struct StateRestoreTests {
    /// A state holding every kind of record: accounts with stake and unbonding, a node, a deal,
    /// an anchor, a status list, a collection, and tokens listed and frozen.
    static func everyKindOfRecord() throws -> LedgerState {
        let keys = try LedgerStateTests.keys(2, seed: 11)
        let (alice, bob) = (LedgerStateTests.address(keys[0]), LedgerStateTests.address(keys[1]))
        var state = try LedgerStateTests.genesis(keys)
        let steps: [(Int, String, [(String, IPLDValue)])] = [
            (0, "stake", [("amount", .integer(500))]),
            (0, "unstake", [("amount", .integer(100))]),
            (
                0, "register-node",
                [
                    ("capacity", .integer(1 << 40)), ("endpoint", .string("http://127.0.0.1:8080")),
                    ("operator", .bytes(bob.bytes)), ("region", .string("eu-west")),
                ]
            ),
            (
                1, "storage-deal",
                [
                    ("bytes", .integer(1000)), ("epochs", .integer(3)),
                    ("manifests", .list([.link(LedgerStateTests.otherMetadata)])), ("price", .integer(2)),
                    ("root", .link(LedgerStateTests.metadata)),
                ]
            ),
            (
                1, "anchor-credential",
                [("hash", .bytes([UInt8](repeating: 7, count: 32))), ("issuer", .string(bob.did))]
            ),
            (
                1, "update-status-list",
                [("latest", .link(LedgerStateTests.metadata)), ("list", .string("https://x/1"))]
            ),
            (
                0, "create-collection",
                [
                    ("id", .string("art")), ("name", .string("Art")), ("royalty", .integer(250)),
                    ("royalty-recipient", .bytes(bob.bytes)), ("symbol", .string("ART")),
                ]
            ),
            (
                0, "mint",
                [
                    ("collection", .string("art")), ("metadata", .link(LedgerStateTests.metadata)),
                    ("token", .string("1")),
                ]
            ),
            (
                0, "mint",
                [
                    ("collection", .string("art")), ("metadata", .link(LedgerStateTests.metadata)),
                    ("token", .string("2")),
                ]
            ),
            (0, "list", [("collection", .string("art")), ("price", .integer(90)), ("token", .string("1"))]),
            (0, "freeze-metadata", [("collection", .string("art")), ("token", .string("2"))]),
        ]
        var nonces = [0: UInt64(1), 1: UInt64(1)]
        state.beginBlock(height: 1)
        for (signer, kind, fields) in steps {
            let transaction = try LedgerStateTests.tx(keys[signer], nonces[signer]!, kind, fields)
            nonces[signer]! += 1
            #expect(state.apply(transaction, proposer: alice) == nil, "\(kind)")
        }
        return state
    }

    @Test func everyKindOfRecordRoundTrips() throws {
        let state = try Self.everyKindOfRecord()
        #expect(!state.nodes.isEmpty && !state.deals.isEmpty && !state.anchors.isEmpty)
        #expect(!state.statusLists.isEmpty && state.tokens.count == 2)
        #expect(state.accounts.values.contains { !$0.unbonding.isEmpty })
        let restored = try LedgerState(parameters: LedgerStateTests.parameters, height: 1, entries: state.entries)
        #expect(restored == state)
        #expect(restored.root == state.root)
    }

    @Test func refusesEntriesNoStateWouldHave() throws {
        let entries = try Self.everyKindOfRecord().entries
        func refuses(_ changed: [[UInt8]: [UInt8]], _ why: Comment) {
            #expect(throws: LedgerError.self, why) {
                try LedgerState(parameters: LedgerStateTests.parameters, height: 1, entries: changed)
            }
        }
        let tokenKey = try #require(entries.keys.first { $0.first == LedgerState.Tag.token.rawValue })
        let accountKey = try #require(entries.keys.first { $0.first == LedgerState.Tag.account.rawValue })
        var changed = entries
        changed[[0x09] + accountKey.dropFirst()] = entries[accountKey]
        refuses(changed, "an unknown tag")
        changed = entries
        changed[accountKey] = try DagCBOR.encode(.map(IPLDMap([("balance", .integer(1))])))
        refuses(changed, "an account without its other fields")
        changed = entries
        changed[accountKey] = entries[tokenKey]
        refuses(changed, "a token's record under an account's key")
        changed = entries
        changed[Array(tokenKey.dropLast())] = entries[tokenKey]  // token ids are one character here
        changed[tokenKey] = nil
        refuses(changed, "a token key with an empty token id")
        changed = entries
        changed[[LedgerState.Tag.token.rawValue, 0x7f, 0x61]] = entries[tokenKey]
        refuses(changed, "a token key whose collection length overruns it")
        changed = entries
        changed[accountKey] = [0xa0]
        refuses(changed, "an empty map")
        changed = entries
        changed[accountKey]! += [0x00]
        refuses(changed, "trailing bytes")
        // An empty account (nothing held, nonce 0) is never an entry.
        changed = entries
        changed[accountKey] = try DagCBOR.encode(
            .map(
                IPLDMap([
                    ("balance", .integer(0)), ("nonce", .integer(0)), ("staked", .integer(0)), ("unbonding", .list([])),
                ])))
        refuses(changed, "an empty account")
    }
}
