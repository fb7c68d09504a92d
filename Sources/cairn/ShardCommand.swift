import ArgumentParser
import Erasure
import Foundation
import Multiformats
import Segments
import StorageProofs

/// `cairn shard …`: erasure-code files into committed shards, rebuild them, prove and check storage.
struct ShardCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "shard",
        abstract: "Encode files into erasure-coded shards, rebuild them, and prove storage of a shard.",
        subcommands: [Encode.self, Decode.self, Prove.self, VerifyProof.self]
    )

    struct Encode: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Cut a file into segments of k data + m parity shards with a manifest each.",
            discussion: """
                Writes DIR/segment-NNNNNN/manifest.cbor and shard-NNN.bin for each segment of at \
                most k x shard-size bytes, and prints each manifest's CID. Any k shards of a segment \
                rebuild it.
                """
        )

        @Argument(help: "The file to encode.")
        var file: String

        @Option(name: .customShort("k"), help: "Data shards per segment.")
        var dataShards = 10

        @Option(name: .customShort("m"), help: "Parity shards per segment.")
        var parityShards = 6

        @Option(name: .customLong("shard-size"), help: "Largest shard in bytes (a multiple of 1024).")
        var shardSize = 4 << 20

        @Option(name: [.customShort("o"), .long], help: "The folder to write (must not exist).")
        var output: String

        func run() throws {
            let parameters = SegmentParameters(
                dataShards: dataShards, parityShards: parityShards, maxShardSize: shardSize)
            guard !FileManager.default.fileExists(atPath: output) else {
                throw CommandFailure("\(output) already exists")
            }
            guard let input = FileHandle(forReadingAtPath: file) else { throw CommandFailure("cannot open \(file)") }
            defer { try? input.close() }
            var index = 0
            repeat {
                let segment = [UInt8](try input.read(upToCount: parameters.segmentCapacity) ?? Data())
                if segment.isEmpty && index > 0 { break }
                let (manifest, shards) = try SegmentCoder.encode(segment, parameters: parameters)
                let folder = output + "/" + String(format: "segment-%06d", index)
                try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
                try Data(manifest.encoded()).write(to: URL(fileURLWithPath: folder + "/manifest.cbor"))
                for (number, shard) in shards.enumerated() {
                    try Data(shard).write(to: URL(fileURLWithPath: folder + String(format: "/shard-%03d.bin", number)))
                }
                print(
                    "\(manifest.cid) \(folder) (\(segment.count) bytes, \(dataShards)+\(parityShards) shards of \(manifest.shardSize) bytes)"
                )
                index += 1
                if segment.count < parameters.segmentCapacity { break }
            } while true
        }
    }

    struct Decode: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Rebuild a file from a folder written by `shard encode`, with any k good shards per segment."
        )

        @Argument(help: "The folder `shard encode` wrote (shard files may be missing or damaged).")
        var folder: String

        @Option(name: [.customShort("o"), .long], help: "The file to write (must not exist).")
        var output: String

        func run() throws {
            guard !FileManager.default.fileExists(atPath: output) else {
                throw CommandFailure("\(output) already exists")
            }
            let segments = try FileManager.default.contentsOfDirectory(atPath: folder).filter {
                $0.hasPrefix("segment-")
            }.sorted()
            guard !segments.isEmpty else { throw CommandFailure("\(folder) holds no segment-NNNNNN folders") }
            guard FileManager.default.createFile(atPath: output + ".partial", contents: nil) else {
                throw CommandFailure("cannot create \(output)")
            }
            let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: output + ".partial"))
            do {
                for name in segments {
                    let path = folder + "/" + name
                    let manifest = try SegmentManifest(
                        bytes: [UInt8](try Data(contentsOf: URL(fileURLWithPath: path + "/manifest.cbor"))))
                    let shards: [[UInt8]?] = (0..<(manifest.dataShards + manifest.parityShards)).map { number in
                        (try? Data(contentsOf: URL(fileURLWithPath: path + String(format: "/shard-%03d.bin", number))))
                            .map { [UInt8]($0) }
                    }
                    let rebuild = try SegmentCoder.decode(manifest: manifest, shards: shards)
                    try handle.write(contentsOf: Data(rebuild.segment))
                    var notes: [String] = []
                    if !rebuild.missing.isEmpty { notes.append("missing \(rebuild.missing)") }
                    if !rebuild.corrupt.isEmpty { notes.append("corrupt \(rebuild.corrupt), not used") }
                    print(
                        "\(name): \(rebuild.segment.count) bytes\(notes.isEmpty ? "" : " (" + notes.joined(separator: "; ") + ")")"
                    )
                }
                try handle.close()
                try FileManager.default.moveItem(atPath: output + ".partial", toPath: output)
            } catch {
                try? handle.close()
                try? FileManager.default.removeItem(atPath: output + ".partial")
                throw error
            }
        }
    }

    struct Prove: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Answer a storage challenge for a shard: leaves and Merkle paths (dag-cbor)."
        )

        @Argument(help: "The shard file.")
        var shard: String

        @Option(help: "The challenge seed: 32 bytes in hex.")
        var seed: String

        @Option(help: "How many leaves the challenge asks for (1 to 1024).")
        var leaves = 64

        @Option(name: [.customShort("o"), .long], help: "Where to write the proof (default: standard output).")
        var output: String?

        func run() throws {
            let content = [UInt8](try Data(contentsOf: URL(fileURLWithPath: shard)))
            let challenge = try Challenge(seed: try Self.hex(seed), leaves: leaves)
            let tree = try MerkleTree(content: content)
            let proof = StorageProof.prove(challenge, tree: tree, content: content).encoded()
            if let output {
                try Data(proof).write(to: URL(fileURLWithPath: output))
                print(
                    "\(ShardCommitment.cid(root: tree.root)) \(tree.leafCount) leaves: proof of \(proof.count) bytes in \(output)"
                )
            } else {
                try proof.withUnsafeBytes { try Terminal.writeOut($0) }
            }
        }

        static func hex(_ text: String) throws -> [UInt8] {
            do { return try Multibase.base16.decodeWithoutPrefix(text) } catch {
                throw ValidationError("the seed is not hex: \(error.message)")
            }
        }
    }

    struct VerifyProof: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "verify-proof",
            abstract: "Check a storage proof against a shard's commitment; exit 1 if it fails, saying why."
        )

        @Argument(help: "The proof file (- for standard input).")
        var proof: String

        @Option(name: .customLong("shard-cid"), help: "The shard's commitment CID (its Merkle root).")
        var shardCID: String

        @Option(name: .customLong("leaf-count"), help: "The shard's number of 1 KiB leaves.")
        var leafCount: Int

        @Option(help: "The challenge seed: 32 bytes in hex.")
        var seed: String

        @Option(help: "How many leaves the challenge asks for.")
        var leaves = 64

        func run() throws {
            let bytes =
                proof == "-"
                ? [UInt8](FileHandle.standardInput.readDataToEndOfFile())
                : [UInt8](try Data(contentsOf: URL(fileURLWithPath: proof)))
            let cid = try CID(shardCID)
            guard cid.multihash.code == ShardCommitment.multihashCode else {
                throw ValidationError("\(shardCID) is not a shard commitment CID")
            }
            let challenge = try Challenge(seed: try Prove.hex(seed), leaves: leaves)
            let verdict = try StorageProof(bytes: bytes).verify(
                root: cid.multihash.digest, leafCount: leafCount, challenge: challenge)
            switch verdict {
            case .valid:
                print("valid")
            case .invalid(let reason):
                print("invalid: \(reason)")
                throw ExitCode.failure
            }
        }
    }
}
