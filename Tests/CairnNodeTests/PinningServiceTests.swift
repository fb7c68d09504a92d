import CairnTestSupport
import Foundation
import NIOHTTP1
import Testing

/// The Pinning Service API on a real daemon: tokens, the request lifecycle, filters, and every
/// documented error status.
@Suite("Pinning Service API over a real daemon")
struct PinningServiceTests {
    static let absent = "bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi"

    /// A node with one uploaded file (unpinned) and a token made by `cairn token create`.
    static func node() async throws -> (NodeFixture, token: String, cid: String) {
        let node = try NodeFixture()
        let cid = try await node.upload([("a.txt", Data("pin me".utf8))], query: "?pin=false")
        let made = try await HTTPExchange.send(.POST, node.url + "/api/v1/tokens?name=tester", token: node.token)
        let token = try #require(made.object["token"] as? String)
        return (node, token, cid)
    }

    static func pin(_ node: NodeFixture, _ token: String, _ body: [String: Any]) async throws -> HTTPExchange.Answer {
        try await HTTPExchange.send(
            .POST, node.url + "/pins", headers: [("Content-Type", "application/json")],
            body: try JSONSerialization.data(withJSONObject: body), token: token)
    }

    /// Polls until the request leaves queued and pinning.
    static func settle(_ node: NodeFixture, _ token: String, _ id: String) async throws -> [String: Any] {
        for _ in 0..<200 {
            let answer = try await HTTPExchange.send(.GET, node.url + "/pins/" + id, token: token)
            let status = answer.object["status"] as? String
            if status == "pinned" || status == "failed" { return answer.object }
            try await Task.sleep(for: .milliseconds(25))
        }
        Issue.record("request \(id) never settled")
        return [:]
    }

    @Test func pinsContentTheNodeHolds() async throws {
        let (node, token, cid) = try await Self.node()
        let created = try await Self.pin(node, token, ["cid": cid, "name": "letter", "meta": ["app": "tests"]])
        #expect(created.status == 202)
        #expect(created.object["status"] as? String == "queued")
        let id = try #require(created.object["requestid"] as? String)
        #expect((created.object["delegates"] as? [String])?.first?.hasPrefix("/ip4/127.0.0.1/tcp/") == true)
        let created2 = try #require(created.object["created"] as? String)
        #expect(created2.hasSuffix("Z") && created2.contains("."))

        let settled = try await Self.settle(node, token, id)
        #expect(settled["status"] as? String == "pinned")
        let local = try await HTTPExchange.send(.GET, node.url + "/api/v1/pins", token: node.token)
        #expect((local.json as? [[String: Any]])?.contains { $0["cid"] as? String == cid } == true)

        // Deleting the request drops the local pin it held.
        let deleted = try await HTTPExchange.send(.DELETE, node.url + "/pins/" + id, token: token)
        #expect(deleted.status == 202)
        let gone = try await HTTPExchange.send(.GET, node.url + "/pins/" + id, token: token)
        #expect(gone.status == 404)
        let after = try await HTTPExchange.send(.GET, node.url + "/api/v1/pins", token: node.token)
        #expect((after.json as? [[String: Any]])?.contains { $0["cid"] as? String == cid } == false)
    }

    @Test func failsClearlyForContentItDoesNotHave() async throws {
        let (node, token, _) = try await Self.node()
        let created = try await Self.pin(node, token, ["cid": Self.absent])
        let id = try #require(created.object["requestid"] as? String)
        let settled = try await Self.settle(node, token, id)
        #expect(settled["status"] as? String == "failed")
        let details = (settled["info"] as? [String: String])?["status_details"] ?? ""
        #expect(details.contains("does not have \(Self.absent)"))
    }

    @Test func listsWithFiltersAndPages() async throws {
        let (node, token, cid) = try await Self.node()
        var ids: [String] = []
        for index in 0..<5 {
            let answer = try await Self.pin(
                node, token, ["cid": cid, "name": "Item-\(index)", "meta": ["n": "\(index % 2)"]])
            ids.append(try #require(answer.object["requestid"] as? String))
            try await Task.sleep(for: .milliseconds(5))
        }
        let failed = try await Self.pin(node, token, ["cid": Self.absent, "name": "missing"])
        let failedID = try #require(failed.object["requestid"] as? String)
        for id in ids + [failedID] { _ = try await Self.settle(node, token, id) }

        func list(_ query: String) async throws -> (count: Int, names: [String]) {
            let answer = try await HTTPExchange.send(.GET, node.url + "/pins" + query, token: token)
            #expect(answer.status == 200, "\(query): \(answer.text)")
            let results = answer.object["results"] as? [[String: Any]] ?? []
            return (
                answer.object["count"] as? Int ?? -1,
                results.map { ($0["pin"] as? [String: Any])?["name"] as? String ?? "" }
            )
        }
        #expect(try await list("").count == 5)  // pinned only, by default
        #expect(try await list("?status=failed").names == ["missing"])
        #expect(try await list("?status=pinned,failed").count == 6)
        let page = try await list("?limit=2")
        #expect(page.count == 5)
        #expect(page.names == ["Item-4", "Item-3"])  // newest first
        #expect(try await list("?name=item-2&match=iexact").names == ["Item-2"])
        #expect(try await list("?name=Item&match=partial").count == 5)
        #expect(try await list("?name=item-2").count == 0)
        #expect(try await list("?meta=%7B%22n%22%3A%220%22%7D").count == 3)
        #expect(try await list("?cid=\(Self.absent)&status=failed").names == ["missing"])
        let third = try await HTTPExchange.send(.GET, node.url + "/pins/" + ids[2], token: token)
        let created = try #require(third.object["created"] as? String)
        #expect(try await list("?before=\(created)").names == ["Item-1", "Item-0"])
        #expect(try await list("?after=\(created)").names == ["Item-4", "Item-3"])
    }

    @Test func replacesARequest() async throws {
        let (node, token, cid) = try await Self.node()
        let created = try await Self.pin(node, token, ["cid": Self.absent, "name": "old"])
        let id = try #require(created.object["requestid"] as? String)
        let replaced = try await HTTPExchange.send(
            .POST, node.url + "/pins/" + id, headers: [("Content-Type", "application/json")],
            body: try JSONSerialization.data(withJSONObject: ["cid": cid, "name": "new"]), token: token)
        #expect(replaced.status == 202)
        let newID = try #require(replaced.object["requestid"] as? String)
        #expect(newID != id)
        #expect(try await Self.settle(node, token, newID)["status"] as? String == "pinned")
        #expect(try await HTTPExchange.send(.GET, node.url + "/pins/" + id, token: token).status == 404)
    }

    @Test func answersEveryDocumentedErrorWithAFailureBody() async throws {
        let (node, token, cid) = try await Self.node()
        func expectFailure(_ answer: HTTPExchange.Answer, _ status: Int, _ reason: String, _ what: String) {
            #expect(answer.status == status, "\(what): \(answer.text)")
            #expect(answer.header("Content-Type") == "application/json", "\(what)")
            let error = answer.object["error"] as? [String: Any]
            #expect(error?["reason"] as? String == reason, "\(what): \(answer.text)")
            #expect((error?["details"] as? String)?.isEmpty == false, "\(what)")
        }
        let noToken = try await HTTPExchange.send(.GET, node.url + "/pins")
        expectFailure(noToken, 401, "UNAUTHORIZED", "no token")
        #expect(noToken.header("WWW-Authenticate") == "Bearer")
        expectFailure(
            try await HTTPExchange.send(.GET, node.url + "/pins", token: "cairn_wrong"), 401, "UNAUTHORIZED",
            "wrong token")
        expectFailure(
            try await HTTPExchange.send(.GET, node.url + "/pins", headers: [("Authorization", "Basic abc")]), 401,
            "UNAUTHORIZED", "not bearer")
        expectFailure(try await Self.pin(node, token, ["cid": "not-a-cid"]), 400, "BAD_REQUEST", "malformed CID")
        expectFailure(try await Self.pin(node, token, ["name": "no cid"]), 400, "BAD_REQUEST", "missing CID")
        expectFailure(
            try await HTTPExchange.send(.GET, node.url + "/pins/no-such-request", token: token), 404, "NOT_FOUND",
            "unknown request id")
        expectFailure(
            try await HTTPExchange.send(.DELETE, node.url + "/pins/no-such-request", token: token), 404, "NOT_FOUND",
            "unknown request id on delete")
        let bigMeta = ["k": String(repeating: "x", count: 5000)]
        expectFailure(
            try await Self.pin(node, token, ["cid": cid, "meta": bigMeta]), 400, "BAD_REQUEST", "oversized meta")
        expectFailure(
            try await Self.pin(node, token, ["cid": cid, "meta": ["k": 1]]), 400, "BAD_REQUEST", "meta not strings")
        expectFailure(
            try await Self.pin(node, token, ["cid": cid, "name": String(repeating: "n", count: 256)]), 400,
            "BAD_REQUEST",
            "long name")
        expectFailure(
            try await HTTPExchange.send(
                .POST, node.url + "/pins", headers: [("Content-Type", "application/json")], body: Data("{".utf8),
                token: token), 400, "BAD_REQUEST", "bad JSON")
        expectFailure(
            try await HTTPExchange.send(.GET, node.url + "/pins?limit=0", token: token), 400, "BAD_REQUEST", "limit")
        expectFailure(
            try await HTTPExchange.send(.GET, node.url + "/pins?status=done", token: token), 400, "BAD_REQUEST",
            "status")
        expectFailure(
            try await HTTPExchange.send(.GET, node.url + "/pins?before=yesterday", token: token), 400, "BAD_REQUEST",
            "before")
        // Nothing was recorded by any refused request.
        let all = try await HTTPExchange.send(
            .GET, node.url + "/pins?status=queued,pinning,pinned,failed", token: token)
        #expect(all.object["count"] as? Int == 0)
    }

    @Test func pinningTokensCannotAdministerTheNode() async throws {
        let (node, token, _) = try await Self.node()
        let gc = try await HTTPExchange.send(.POST, node.url + "/api/v1/gc", token: token)
        #expect(gc.status == 403)
        let mint = try await HTTPExchange.send(.POST, node.url + "/api/v1/tokens?name=x", token: token)
        #expect(mint.status == 403)
        // Revoked tokens stop working at once.
        let list = try await HTTPExchange.send(.GET, node.url + "/api/v1/tokens", token: node.token)
        let id = try #require((list.json as? [[String: Any]])?.first?["id"] as? String)
        #expect(
            try await HTTPExchange.send(.DELETE, node.url + "/api/v1/tokens/" + id, token: node.token).status == 200)
        #expect(try await HTTPExchange.send(.GET, node.url + "/pins", token: token).status == 401)
    }
}
