import ArgumentParser
import Foundation
import LocalStore
import Multiformats

/// `cairn cid …`: take CIDs apart, convert them, and compute them for files.
struct CIDCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cid",
        abstract: "Inspect, convert and compute content identifiers.",
        subcommands: [Inspect.self, Convert.self, Hash.self]
    )
}

extension CIDCommand {
    struct Inspect: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Show what a CID says: version, codec, hash function, digest, and every base it can be written in."
        )

        @Argument(help: "The CID (CIDv0 `Qm…` or a multibase-prefixed CIDv1).")
        var cid: String

        @Flag(help: "Print JSON for scripts.")
        var json = false

        func run() throws {
            let cid = try CID(cid)
            let report = CIDReport(cid)
            print(json ? try report.json() : report.text())
        }
    }

    struct Convert: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Rewrite CIDs in another version or base.",
            discussion: """
                --to v1 writes CIDv1 in base32 (the canonical form); --to v0 writes CIDv0 (Qm…), \
                which exists only for dag-pb content hashed with sha2-256; any multibase name \
                (base58btc, base36, base64url, …) writes CIDv1 in that base.
                """
        )

        @Argument(help: "One or more CIDs.")
        var cids: [String]

        @Option(
            name: .long, help: "v1, v0, or a multibase name: \(Multibase.allCases.map(\.name).joined(separator: ", "))."
        )
        var to: String = "v1"

        func validate() throws {
            if to != "v0" && to != "v1" && Multibase(name: to) == nil {
                throw ValidationError(
                    "unknown target '\(to)': use v1, v0 or one of \(Multibase.allCases.map(\.name).joined(separator: ", "))"
                )
            }
        }

        func run() throws {
            for text in cids {
                let cid = try CID(text)
                switch to {
                case "v0": print(try cid.toV0())
                case "v1": print(cid.toV1())
                default: print(cid.string(in: Multibase(name: to)!))
                }
            }
        }
    }

    struct Hash: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Compute the CID of a file's bytes as a single block.",
            discussion: """
                This hashes the bytes as they are (by default a `raw` block); it is not the UnixFS \
                CID that `ipfs add` gives a file larger than one chunk. Use - to read standard input.
                """
        )

        @Argument(help: "The file to hash, or - for standard input.")
        var file: String

        @Option(help: "Content codec recorded in the CID (raw, dag-pb, dag-cbor, dag-json, … or a hex code like 0x55).")
        var codec: String = "raw"

        @Option(help: "Hash function: \(HashAlgorithm.allCases.map(\.rawValue).joined(separator: ", ")).")
        var hash: String = HashAlgorithm.sha2_256.rawValue

        @Option(name: .customLong("cid-version"), help: "0 or 1. A CIDv0 needs --codec dag-pb and sha2-256.")
        var cidVersion: Int = 1

        @Option(help: "Multibase of the printed CIDv1.")
        var base: String = Multibase.base32.name

        func validate() throws {
            guard HashAlgorithm(name: hash) != nil else {
                throw ValidationError(
                    "unknown hash function '\(hash)': use \(HashAlgorithm.allCases.map(\.rawValue).joined(separator: ", "))"
                )
            }
            guard Self.parseCodec(codec) != nil else {
                throw ValidationError(
                    "unknown codec '\(codec)': give a multicodec name (raw, dag-pb, …) or a hex code (0x55)")
            }
            guard cidVersion == 0 || cidVersion == 1 else {
                throw ValidationError("--cid-version must be 0 or 1")
            }
            guard Multibase(name: base) != nil else {
                throw ValidationError(
                    "unknown base '\(base)': use one of \(Multibase.allCases.map(\.name).joined(separator: ", "))")
            }
        }

        func run() throws {
            let algorithm = HashAlgorithm(name: hash)!
            var hasher = StreamingHasher(algorithm)
            try FileReader.read(path: file) { hasher.update($0) }
            let multihash = try hasher.finalize()
            let cid = try CID(
                version: cidVersion == 0 ? .v0 : .v1, codec: Self.parseCodec(codec)!, multihash: multihash)
            print(cid.version == .v0 ? cid.description : cid.string(in: Multibase(name: base)!))
        }

        static func parseCodec(_ text: String) -> Multicodec? {
            if let codec = Multicodec(name: text) { return codec }
            if text.hasPrefix("0x"), let code = UInt64(text.dropFirst(2), radix: 16), code <= Varint.maxValue {
                return Multicodec(rawValue: code)
            }
            return nil
        }
    }
}
