import CAR
import CairnTestSupport
import Foundation
import IPLD
import Multiformats
import NIOHTTP1
import Testing

/// The gateway, end to end: a folder uploaded to a real daemon, read back over HTTP.
@Suite("Gateway over a real daemon")
struct GatewayTests {
    static let files: [(String, Data)] = [
        ("site/index.html", Data("<!doctype html><title>hi</title>".utf8)),
        ("site/notes.txt", Data("plain notes\n".utf8)),
        ("site/media/big.bin", testBytes(700_000, seed: 3)),
        ("site/media/pic.png", Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) + testBytes(100, seed: 4)),
        ("site/media/ünï côde.txt", Data("unicode name".utf8)),
    ]
    static let immutable = "public, max-age=29030400, immutable"

    @Test func uploadedFolderHasTheCIDCairnAddComputes() async throws {
        let node = try NodeFixture()
        let root = try await node.upload(Self.files)
        let folder = try node.writeFolder("local", Self.files)
        let local = try CairnExecutable.run(["add", "-r", "-n", "-Q", folder + "/site"])
        #expect(local.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines) == root)
    }

    @Test func servesFilesWithTheGatewayHeaders() async throws {
        let node = try NodeFixture()
        let root = try await node.upload(Self.files)
        let answer = try await HTTPExchange.send(.GET, "\(node.url)/ipfs/\(root)/media/big.bin")
        #expect(answer.status == 200)
        #expect(answer.body == Self.files[2].1)
        #expect(answer.header("Cache-Control") == Self.immutable)
        #expect(answer.header("X-Ipfs-Path") == "/ipfs/\(root)/media/big.bin")
        let roots = try #require(answer.header("X-Ipfs-Roots")).split(separator: ",").map(String.init)
        #expect(roots.count == 3)
        #expect(roots.first == root)
        #expect(answer.header("ETag") == "\"\(roots[2])\"")
        #expect(answer.header("Content-Length") == "700000")
        #expect(answer.header("Content-Type") == "application/octet-stream")
        #expect(answer.header("Accept-Ranges") == "bytes")

        let text = try await HTTPExchange.send(.GET, "\(node.url)/ipfs/\(root)/notes.txt")
        #expect(text.header("Content-Type") == "text/plain; charset=utf-8")
        let png = try await HTTPExchange.send(.GET, "\(node.url)/ipfs/\(roots[2].isEmpty ? "" : root)/media/pic.png")
        #expect(png.header("Content-Type") == "image/png")
        let unicode = try await HTTPExchange.send(.GET, "\(node.url)/ipfs/\(root)/media/%C3%BCn%C3%AF%20c%C3%B4de.txt")
        #expect(unicode.text == "unicode name")
    }

    @Test func answersRangesConditionalsAndHead() async throws {
        let node = try NodeFixture()
        let root = try await node.upload(Self.files)
        let path = "\(node.url)/ipfs/\(root)/media/big.bin"
        let big = Self.files[2].1

        let range = try await HTTPExchange.send(.GET, path, headers: [("Range", "bytes=300000-300099")])
        #expect(range.status == 206)
        #expect(range.body == big[300_000..<300_100])
        #expect(range.header("Content-Range") == "bytes 300000-300099/700000")
        let suffix = try await HTTPExchange.send(.GET, path, headers: [("Range", "bytes=-10")])
        #expect(suffix.body == big.suffix(10))
        let outside = try await HTTPExchange.send(.GET, path, headers: [("Range", "bytes=800000-")])
        #expect(outside.status == 416)
        #expect(outside.header("Content-Range") == "bytes */700000")

        let first = try await HTTPExchange.send(.GET, path)
        let etag = try #require(first.header("ETag"))
        let cached = try await HTTPExchange.send(.GET, path, headers: [("If-None-Match", etag)])
        #expect(cached.status == 304)
        #expect(cached.body.isEmpty)
        #expect(cached.header("ETag") == etag)
        let stale = try await HTTPExchange.send(.GET, path, headers: [("If-None-Match", "\"something-else\"")])
        #expect(stale.status == 200)

        let head = try await HTTPExchange.send(.HEAD, path)
        #expect(head.status == 200)
        #expect(head.body.isEmpty)
        #expect(head.header("Content-Length") == "700000")
        #expect(head.header("ETag") == etag)
    }

    @Test func foldersRedirectServeIndexAndList() async throws {
        let node = try NodeFixture()
        let root = try await node.upload(Self.files)
        let redirect = try await HTTPExchange.send(.GET, "\(node.url)/ipfs/\(root)?x=1")
        #expect(redirect.status == 301)
        #expect(redirect.header("Location") == "/ipfs/\(root)/?x=1")

        let index = try await HTTPExchange.send(.GET, "\(node.url)/ipfs/\(root)/")
        #expect(index.status == 200)
        #expect(index.text == "<!doctype html><title>hi</title>")
        #expect(index.header("Content-Type") == "text/html; charset=utf-8")

        let listing = try await HTTPExchange.send(.GET, "\(node.url)/ipfs/\(root)/media/")
        #expect(listing.status == 200)
        #expect(listing.header("Content-Type") == "text/html; charset=utf-8")
        #expect(listing.text.contains("big.bin"))
        #expect(listing.text.contains("ünï côde.txt"))
        #expect(listing.text.contains("href=\"./%C3%BCn%C3%AF%20c%C3%B4de.txt\""))
        let etag = try #require(listing.header("ETag"))
        #expect(etag.hasPrefix("W/\"DirIndex-"))
        #expect(listing.header("Cache-Control") == Self.immutable)
    }

    @Test func servesRawBlocksAndCARs() async throws {
        let node = try NodeFixture()
        let root = try await node.upload(Self.files)
        let rootCID = try CID(root)

        for request in [("?format=raw", [(String, String)]()), ("", [("Accept", "application/vnd.ipld.raw")])] {
            let raw = try await HTTPExchange.send(.GET, "\(node.url)/ipfs/\(root)\(request.0)", headers: request.1)
            #expect(raw.status == 200)
            #expect(raw.header("Content-Type") == "application/vnd.ipld.raw")
            #expect(raw.header("ETag") == "\"\(root).raw\"")
            #expect(raw.header("X-Content-Type-Options") == "nosniff")
            #expect(raw.header("Content-Disposition") == "attachment; filename=\"\(root).bin\"")
            #expect(try raw.body.withUnsafeBytes { try rootCID.multihash.matches($0) })
        }

        for request in [("?format=car", [(String, String)]()), ("", [("Accept", "application/vnd.ipld.car")])] {
            let car = try await HTTPExchange.send(.GET, "\(node.url)/ipfs/\(root)\(request.0)", headers: request.1)
            #expect(car.status == 200)
            #expect(car.header("Content-Type") == "application/vnd.ipld.car; version=1; order=dfs; dups=n")
            #expect(car.header("Content-Disposition") == "attachment; filename=\"\(root).car\"")
            var reader = try CARReader(BufferInput(Array(car.body)))
            #expect(reader.roots == [rootCID])
            var blocks: [CID] = []
            while let block = try reader.next() { blocks.append(block.cid) }
            #expect(blocks.first == rootCID)
            #expect(Set(blocks).count == blocks.count)
            #expect(blocks.count >= 8)
        }

        // A path: the blocks it goes through, then the target's DAG; `dag-scope=block` stops there.
        let scoped = try await HTTPExchange.send(
            .GET, "\(node.url)/ipfs/\(root)/media/big.bin?format=car&dag-scope=block")
        var reader = try CARReader(BufferInput(Array(scoped.body)))
        var blocks: [CID] = []
        while let block = try reader.next() { blocks.append(block.cid) }
        let roots = try #require(scoped.header("X-Ipfs-Roots")).split(separator: ",").map { try CID($0) }
        #expect(blocks == roots)
    }

    @Test func downloadsGetContentDisposition() async throws {
        let node = try NodeFixture()
        let root = try await node.upload(Self.files)
        let named = try await HTTPExchange.send(.GET, "\(node.url)/ipfs/\(root)/notes.txt?filename=report.txt")
        #expect(named.header("Content-Disposition") == "inline; filename=\"report.txt\"")
        let download = try await HTTPExchange.send(
            .GET, "\(node.url)/ipfs/\(root)/notes.txt?filename=r%C3%A9sum%C3%A9.txt&download=true")
        #expect(
            download.header("Content-Disposition")
                == "attachment; filename=\"r_sum_.txt\"; filename*=UTF-8''r%C3%A9sum%C3%A9.txt")
    }

    @Test func refusesWhatItCannotServe() async throws {
        let node = try NodeFixture()
        let root = try await node.upload(Self.files)
        let missing = "bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi"
        let cases: [(String, [(String, String)], Int, String)] = [
            ("/ipfs/\(missing)", [], 404, "not found"),
            ("/ipfs/\(root)/no-such-file", [], 404, "no link named"),
            ("/ipfs/not-a-cid", [], 400, "not a valid CID"),
            ("/ipfs/\(root)?format=tar", [], 406, "cannot produce"),
            ("/ipfs/\(root)?format=nonsense", [], 400, "format must be"),
            ("/ipfs/\(root)", [("Accept", "application/vnd.ipld.dag-json")], 406, "cannot produce"),
            ("/ipfs/\(root)?format=car&car-version=2", [], 406, "version 1"),
            ("/ipfs/\(root)/%2e%2e/x", [], 400, "\"..\""),
        ]
        for (path, headers, status, message) in cases {
            let answer = try await HTTPExchange.send(.GET, node.url + path, headers: headers)
            #expect(answer.status == status, "\(path)")
            #expect(answer.text.contains(message), "\(path): \(answer.text)")
        }
        let wrongMethod = try await HTTPExchange.send(.DELETE, "\(node.url)/ipfs/\(root)")
        #expect(wrongMethod.status == 405)
        #expect(wrongMethod.header("Allow") == "GET, HEAD")
    }

    @Test func answersDelegatedRoutingMetricsAndHealth() async throws {
        let node = try NodeFixture()
        let root = try await node.upload(Self.files)
        let providers = try await HTTPExchange.send(.GET, "\(node.url)/routing/v1/providers/\(root)")
        #expect(providers.status == 200)
        let list = try #require(providers.object["Providers"] as? [[String: Any]])
        #expect(list.count == 1)
        #expect((list[0]["ID"] as? String)?.hasPrefix("12D3KooW") == true)
        #expect(list[0]["Schema"] as? String == "peer")
        let port = node.url.split(separator: ":").last!
        #expect(list[0]["Addrs"] as? [String] == ["/ip4/127.0.0.1/tcp/\(port)/http"])
        let none = try await HTTPExchange.send(
            .GET, "\(node.url)/routing/v1/providers/bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi")
        #expect(none.status == 404)

        _ = try await HTTPExchange.send(.GET, "\(node.url)/ipfs/\(root)/notes.txt")
        let metrics = try await HTTPExchange.send(.GET, "\(node.url)/metrics")
        #expect(metrics.status == 200)
        #expect(metrics.text.contains(#"cairn_http_requests_total{route="/ipfs/**",method="GET",status="200"}"#))
        #expect(metrics.text.contains("cairn_http_request_duration_seconds_bucket"))
        #expect(metrics.text.contains("cairn_uploads_total{kind=\"multipart\"} 1"))
        #expect(metrics.text.contains("cairn_store_blocks"))
        #expect(metrics.text.contains("cairn_pins 1"))
        let sent = metrics.text.split(separator: "\n").first { $0.hasPrefix("cairn_http_sent_bytes_total ") }
        #expect(Double(sent?.split(separator: " ").last ?? "0") ?? 0 >= 12)
        let health = try await HTTPExchange.send(.GET, "\(node.url)/healthz")
        #expect(health.status == 200)
    }
}
