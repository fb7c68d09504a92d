import Foundation
public import Multiformats

/// What a request to `/ipfs/{cid}[/{path}]` asks for, decided from the URL, the query and the
/// `Accept` header before anything is read from the store (IPFS path and trustless gateway specs).
///
/// Pure: strings in, a value or an error out; the handler maps errors to 400 and 406.
public struct GatewayRequest: Sendable, Hashable {
    public enum Format: Sendable, Hashable {
        /// UnixFS deserialized: file bytes, `index.html` or a listing.
        case deserialized
        /// `application/vnd.ipld.raw`: the block itself.
        case raw
        /// `application/vnd.ipld.car; version=1`, in DFS order without duplicates.
        case car(scope: DAGScope)
    }

    /// `dag-scope` of the trustless gateway spec.
    public enum DAGScope: String, Sendable, Hashable {
        /// Every block of the DAG under the path's target.
        case all
        /// The blocks needed to read the target: a whole file, or a directory's own block.
        case entity
        /// The target's block only.
        case block
    }

    public enum Failure: Error, Hashable {
        /// 400, with the reason.
        case badRequest(String)
        /// 406, with the reason.
        case notAcceptable(String)
    }

    public let root: CID
    /// The path below the root, percent-decoded, one name per element.
    public let path: [String]
    /// The URL path ended with `/` (a folder asked for as a folder).
    public let trailingSlash: Bool
    public let format: Format
    /// `?filename=`: the name for `Content-Disposition`.
    public let filename: String?
    /// `?download=true`: `Content-Disposition: attachment`.
    public let download: Bool

    /// - Parameters:
    ///   - path: the URL path after `/ipfs/`, still percent-encoded.
    ///   - query: the query parameters, decoded.
    ///   - accept: the `Accept` header, if any.
    public init(path rawPath: String, query: [String: String], accept: String?) throws(Failure) {
        var segments = rawPath.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        trailingSlash = segments.count > 1 && segments.last == ""
        while segments.last == "" && segments.count > 1 { segments.removeLast() }
        guard let first = segments.first, !first.isEmpty else { throw .badRequest("no CID in the path") }
        do {
            root = try CID(first)
        } catch {
            throw .badRequest("\"\(first.prefix(100))\" is not a valid CID: \(error.message)")
        }
        var names: [String] = []
        for segment in segments.dropFirst() {
            guard let name = segment.removingPercentEncoding else {
                throw .badRequest("path segment \"\(segment.prefix(100))\" is not valid percent-encoding")
            }
            if name.isEmpty { throw .badRequest("the path has an empty segment") }
            if name == "." || name == ".." { throw .badRequest("the path may not contain \".\" or \"..\"") }
            if name.contains("/") || name.contains("\0") {
                throw .badRequest("path segment \"\(name.prefix(100))\" contains \"/\" or NUL")
            }
            names.append(name)
        }
        path = names
        filename = query["filename"]
        if let filename,
            filename.isEmpty
                || filename.unicodeScalars.contains(where: { $0 == "\"" || $0.properties.generalCategory == .control })
        {
            throw .badRequest("filename must be non-empty, without quotes or control characters")
        }
        switch query["download"] {
        case nil, "false": download = false
        case "true": download = true
        case let other?: throw .badRequest("download must be true or false, not \"\(other.prefix(20))\"")
        }
        format = try Self.negotiate(query: query, accept: accept)
    }

    /// `?format=` wins; then an `Accept` that names an IPLD media type; else deserialized.
    static func negotiate(query: [String: String], accept: String?) throws(Failure) -> Format {
        let scope: DAGScope
        if let value = query["dag-scope"] {
            guard let parsed = DAGScope(rawValue: value) else {
                throw .badRequest("dag-scope must be all, entity or block, not \"\(value.prefix(40))\"")
            }
            scope = parsed
        } else {
            scope = .all
        }
        if let version = query["car-version"], version != "1" {
            throw .notAcceptable("this node writes CAR version 1 only, not \"\(version.prefix(10))\"")
        }
        if let order = query["car-order"], order != "dfs", order != "unk" {
            throw .notAcceptable("this node writes CARs in dfs order, not \"\(order.prefix(20))\"")
        }
        if let format = query["format"] {
            switch format {
            case "raw": return .raw
            case "car": return .car(scope: scope)
            case "tar", "dag-json", "dag-cbor", "json", "cbor", "ipns-record":
                throw .notAcceptable("this node cannot produce format=\(format)")
            default:
                throw .badRequest("format must be raw or car, not \"\(format.prefix(40))\"")
            }
        }
        guard let accept else { return .deserialized }
        var best: (quality: Double, format: Format?, refusal: String?)? = nil
        for item in accept.split(separator: ",") {
            let parameters = item.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
            guard let type = parameters.first?.lowercased(), !type.isEmpty else { continue }
            var quality = 1.0
            var values: [String: String] = [:]
            for parameter in parameters.dropFirst() {
                let pair = parameter.split(separator: "=", maxSplits: 1).map {
                    $0.trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
                }
                guard pair.count == 2 else { continue }
                if pair[0].lowercased() == "q" {
                    quality = Double(pair[1]) ?? 0
                } else {
                    values[pair[0].lowercased()] = pair[1]
                }
            }
            guard quality > 0 else { continue }
            let candidate: (Format?, String?)
            switch type {
            case "application/vnd.ipld.raw":
                candidate = (.raw, nil)
            case "application/vnd.ipld.car":
                if let version = values["version"], version != "1" {
                    candidate = (nil, "this node writes CAR version 1 only, not \(version)")
                } else if let order = values["order"], order != "dfs", order != "unk" {
                    candidate = (nil, "this node writes CARs in dfs order, not \(order)")
                } else {
                    candidate = (.car(scope: scope), nil)
                }
            case "application/x-tar", "application/vnd.ipld.dag-json", "application/vnd.ipld.dag-cbor",
                "application/json", "application/cbor", "application/vnd.ipfs.ipns-record":
                candidate = (nil, "this node cannot produce \(type)")
            default:
                continue
            }
            if best == nil || quality > best!.quality { best = (quality, candidate.0, candidate.1) }
        }
        guard let best else { return .deserialized }
        if let format = best.format { return format }
        // Only formats we cannot make were asked for by name; a wildcard elsewhere still allows
        // the deserialized response.
        if accept.contains("*/*") || accept.contains("text/html") { return .deserialized }
        throw .notAcceptable(best.refusal ?? "no acceptable format")
    }

    /// The path as `X-Ipfs-Path` shows it.
    public var contentPath: String {
        "/ipfs/" + root.description + path.map { "/" + $0 }.joined()
    }
}
