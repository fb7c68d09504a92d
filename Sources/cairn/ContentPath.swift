import ArgumentParser
import Multiformats

/// A CID with an optional path below it: `CID`, `CID/a/b`, `/ipfs/CID/a/b` or `ipfs://CID/a/b`.
struct ContentPath: ExpressibleByArgument, CustomStringConvertible {
    let root: CID
    let path: String

    init?(argument: String) {
        var text = Substring(argument)
        if text.hasPrefix("ipfs://") { text = text.dropFirst("ipfs://".count) }
        if text.hasPrefix("/ipfs/") { text = text.dropFirst("/ipfs/".count) }
        let parts = text.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        guard let first = parts.first, let cid = try? CID(first) else { return nil }
        root = cid
        path = parts.count > 1 ? String(parts[1]) : ""
    }

    var description: String { path.isEmpty ? root.description : "\(root)/\(path)" }

    static var defaultCompletionKind: CompletionKind { .default }
}
