import Foundation
import Testing

@testable import CairnNode

/// The pure parts of the node: request parsing, negotiation, ranges, types, settings.
@Suite("Gateway request parsing")
struct GatewayRequestTests {
    static let cid = "bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi"

    @Test(arguments: [
        ("", GatewayRequest.Format.deserialized),
        ("text/html,application/xhtml+xml,*/*;q=0.8", .deserialized),
        ("application/vnd.ipld.raw", .raw),
        ("application/vnd.ipld.car", .car(scope: .all)),
        ("application/vnd.ipld.car; version=1; order=dfs; dups=n", .car(scope: .all)),
        ("application/vnd.ipld.raw;q=0.5, application/vnd.ipld.car;q=0.9", .car(scope: .all)),
        ("application/vnd.ipld.dag-json, */*", .deserialized),
    ])
    func negotiatesFromAccept(accept: String, expected: GatewayRequest.Format) throws {
        let request = try GatewayRequest(path: Self.cid, query: [:], accept: accept.isEmpty ? nil : accept)
        #expect(request.format == expected)
    }

    @Test func queryFormatWinsOverAccept() throws {
        let request = try GatewayRequest(
            path: Self.cid, query: ["format": "car", "dag-scope": "entity"], accept: "application/vnd.ipld.raw")
        #expect(request.format == .car(scope: .entity))
    }

    @Test(arguments: [
        (["format": "tar"], nil as String?, true),
        (["format": "dag-json"], nil, true),
        ([:], "application/vnd.ipld.dag-cbor", true),
        ([:], "application/vnd.ipld.car; version=2", true),
        (["format": "car", "car-version": "2"], nil, true),
        (["format": "car", "car-order": "bfs"], nil, true),
        (["format": "bogus"], nil, false),
        (["format": "car", "dag-scope": "most"], nil, false),
        (["download": "yes"], nil, false),
        (["filename": "a\"b"], nil, false),
        (["filename": "a\nb"], nil, false),
        (["filename": ""], nil, false),
    ])
    func refusesWhatItCannotAnswer(query: [String: String], accept: String?, notAcceptable: Bool) {
        #expect(throws: GatewayRequest.Failure.self) {
            try GatewayRequest(path: Self.cid, query: query, accept: accept)
        }
        do {
            _ = try GatewayRequest(path: Self.cid, query: query, accept: accept)
        } catch {
            if case .notAcceptable = error { #expect(notAcceptable) } else { #expect(!notAcceptable) }
        }
    }

    @Test(arguments: [
        "", "not-a-cid", "\(cid)/../x", "\(cid)/./x", "\(cid)//x", "\(cid)/a%2Fb", "\(cid)/%00", "\(cid)/%zz",
    ])
    func refusesBadPaths(path: String) {
        #expect(throws: GatewayRequest.Failure.self) { try GatewayRequest(path: path, query: [:], accept: nil) }
    }

    @Test func decodesPathNamesAndNotesTheTrailingSlash() throws {
        let request = try GatewayRequest(path: "\(Self.cid)/a%20b/%C3%BC/", query: [:], accept: nil)
        #expect(request.path == ["a b", "ü"])
        #expect(request.trailingSlash)
        #expect(!(try GatewayRequest(path: Self.cid, query: [:], accept: nil).trailingSlash))
    }

    @Test(arguments: [
        ("bytes=0-9", 100 as UInt64, ByteRange.Outcome.partial(0..<10)),
        ("bytes=90-", 100, .partial(90..<100)),
        ("bytes=-10", 100, .partial(90..<100)),
        ("bytes=-500", 100, .partial(0..<100)),
        ("bytes=50-5000", 100, .partial(50..<100)),
        ("bytes=100-", 100, .unsatisfiable),
        ("bytes=-0", 100, .unsatisfiable),
        ("bytes=0-0,5-6", 100, .whole),
        ("bytes=9-2", 100, .whole),
        ("items=0-9", 100, .whole),
        ("bytes=abc", 100, .whole),
        ("bytes=0-", 0, .unsatisfiable),
    ])
    func resolvesRanges(header: String, length: UInt64, expected: ByteRange.Outcome) {
        #expect(ByteRange.resolve(header, length: length) == expected)
    }

    @Test func detectsContentTypes() {
        #expect(ContentTypeDetector.contentType(name: "a.JPG", prefix: []) == "image/jpeg")
        #expect(
            ContentTypeDetector.contentType(name: "noext", prefix: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
                == "image/png")
        #expect(ContentTypeDetector.contentType(name: nil, prefix: Array("%PDF-1.7".utf8)) == "application/pdf")
        #expect(
            ContentTypeDetector.contentType(name: nil, prefix: Array("  <!DOCTYPE html><p>".utf8)).hasPrefix(
                "text/html"))
        #expect(ContentTypeDetector.contentType(name: nil, prefix: Array("<svg xmlns=".utf8)) == "image/svg+xml")
        #expect(ContentTypeDetector.contentType(name: nil, prefix: Array("héllo\n".utf8)).hasPrefix("text/plain"))
        #expect(ContentTypeDetector.contentType(name: nil, prefix: [0x00, 0x01, 0xFF]) == "application/octet-stream")
        // A multi-byte character cut at the end of the sample is still text.
        #expect(ContentTypeDetector.isText(Array("abc é".utf8).dropLast()))
    }

    @Test func escapesListingsAndDispositions() {
        #expect(DirectoryIndexPage.escape("<a href=\"x\">&'") == "&lt;a href=&quot;x&quot;&gt;&amp;&#39;")
        #expect(DirectoryIndexPage.percentEncode("a b/ü") == "a%20b%2F%C3%BC")
        #expect(
            Gateway.disposition("résumé.pdf", attachment: true)
                == "attachment; filename=\"r_sum_.pdf\"; filename*=UTF-8''r%C3%A9sum%C3%A9.pdf")
        #expect(Gateway.disposition("a.txt", attachment: false) == "inline; filename=\"a.txt\"")
    }

    @Test func readsContentDispositionParameters() {
        let header = #"form-data; name="file"; filename="a \"q\".txt""#
        #expect(MultipartUpload.parameter("name", in: header) == "file")
        #expect(MultipartUpload.parameter("filename", in: header) == "a \"q\".txt")
        #expect(MultipartUpload.parameter("boundary", in: "multipart/form-data; boundary=xyz") == "xyz")
        #expect(MultipartUpload.parameter("filename", in: "form-data; name=file") == nil)
        #expect(MultipartUpload.parameter("filename", in: "form-data; filename=\"unterminated") == "unterminated")
    }

    @Test func formatsAndParsesPinningTimestamps() {
        #expect(Timestamp.format(milliseconds: 1_595_871_148_276) == "2020-07-27T17:32:28.276Z")
        #expect(Timestamp.parse("2020-07-27T17:32:28.276Z") == 1_595_871_148_276)
        #expect(Timestamp.parse("2020-07-27T19:32:28+02:00") == 1_595_871_148_000)
        #expect(Timestamp.parse("yesterday") == nil)
        #expect(Timestamp.parse("2020-13-01T00:00:00Z") == nil)
    }
}

@Suite("Node settings")
struct NodeConfigurationTests {
    func load(_ json: String) throws -> NodeConfiguration {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(UUID().uuidString)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try Data(json.utf8).write(to: directory.appendingPathComponent("node.json"))
        return try NodeConfiguration.load(repository: directory.path)
    }

    @Test func fillsMissingKeysWithDefaults() throws {
        let configuration = try load(#"{"listen": "0.0.0.0:9000"}"#)
        #expect(configuration.listen == "0.0.0.0:9000")
        #expect(configuration.maxUploadBytes == NodeConfiguration().maxUploadBytes)
        #expect(try configuration.hostAndPort() == ("0.0.0.0", 9000))
        #expect(try load(#"{"listen": "[::1]:80"}"#).hostAndPort() == ("::1", 80))
    }

    @Test(arguments: [
        #"{"listne": "1.2.3.4:5"}"#, #"{"listen": "nohost"}"#, #"{"listen": "a:99999"}"#, #"{"maxUploadBytes": 0}"#,
        #"{"logLevel": "loud"}"#, #"{"headerTimeoutSeconds": -1}"#, #"{"maxJSONBytes": "big"}"#, "[1]", "{",
    ])
    func refusesBadSettingsNamingThem(json: String) {
        #expect(throws: NodeError.self) { try load(json) }
    }
}
