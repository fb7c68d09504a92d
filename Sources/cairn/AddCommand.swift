import ArgumentParser
import Foundation
import LocalStore
import Multiformats
import UnixFS

/// `cairn add`: files and folders into the repository, with the CIDs kubo gives them.
struct AddCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add",
        abstract: "Add files or folders; print their CIDs (the same as `ipfs add --cid-version=1`).",
        discussion: """
            Profiles: kubo-v1 (default: CIDv1, raw leaves, 256 KiB chunks, 174 links), kubo-v0 \
            (plain `ipfs add`: CIDv0), unixfs-v1-2025 (1 MiB chunks, 1024 links). With no path, \
            or -, reads standard input. Added content is pinned unless --no-pin.
            """
    )

    @Argument(help: "Files or folders to add (- or nothing: standard input).")
    var paths: [String] = []

    @Flag(name: [.customShort("r"), .long], help: "Add folders and everything in them.")
    var recursive = false

    @Flag(name: [.customShort("n"), .customLong("only-hash")], help: "Compute the CIDs without storing anything.")
    var onlyHash = false

    @Option(help: "kubo-v1, kubo-v0 or unixfs-v1-2025.")
    var profile = "kubo-v1"

    @Option(name: .customLong("chunk-size"), help: "Bytes per chunk, overriding the profile's (1 to 1048576).")
    var chunkSize: Int?

    @Option(name: .customLong("cid-version"), help: "0 or 1, overriding the profile's (0 implies --no-raw-leaves).")
    var cidVersion: Int?

    @Flag(
        name: .customLong("raw-leaves"),
        inversion: .prefixedNo,
        help: "Leaves as raw blocks (true for CIDv1 profiles) or as UnixFS dag-pb nodes."
    )
    var rawLeaves: Bool?

    @Flag(name: [.customShort("w"), .customLong("wrap-with-directory")], help: "Wrap what is added in a folder.")
    var wrap = false

    @Flag(name: [.customShort("H"), .long], help: "Include hidden files (names starting with .).")
    var hidden = false

    @Flag(inversion: .prefixedNo, help: "Pin what is added.")
    var pin = true

    @Option(name: .customLong("pin-name"), help: "Name for the pin (default: the file or folder name).")
    var pinName: String?

    @Flag(name: [.customShort("q"), .long], help: "Print only CIDs.")
    var quiet = false

    @Flag(name: [.customShort("Q"), .long], help: "Print only the CID of each path given.")
    var quieter = false

    @OptionGroup var output: OutputOptions
    @OptionGroup var repository: RepositoryOptions

    func validate() throws {
        guard ImportProfile.named[profile] != nil else {
            throw ValidationError("unknown profile '\(profile)': use kubo-v1, kubo-v0 or unixfs-v1-2025")
        }
        if let chunkSize, !(1...ImportProfile.maxChunkSize).contains(chunkSize) {
            throw ValidationError("--chunk-size must be between 1 and \(ImportProfile.maxChunkSize)")
        }
        if let cidVersion, cidVersion != 0 && cidVersion != 1 {
            throw ValidationError("--cid-version must be 0 or 1")
        }
    }

    /// The profile with the command line's overrides, as kubo applies its flags.
    var importProfile: ImportProfile {
        var profile = ImportProfile.named[self.profile]!
        if let chunkSize { profile.chunkSize = chunkSize }
        if let cidVersion {
            profile.cidVersion = cidVersion == 0 ? .v0 : .v1
            // kubo: --cid-version=1 turns raw leaves on, 0 turns them off, unless said otherwise.
            profile.rawLeaves = cidVersion == 1
        }
        if let rawLeaves { profile.rawLeaves = rawLeaves }
        return profile
    }

    func run() async throws {
        if !onlyHash, let daemon = repository.daemon {
            try await runThroughDaemon(daemon)
            return
        }
        let importProfile = self.importProfile
        let options = FileSystemImporter.Options(profile: importProfile, recursive: recursive, hidden: hidden)
        let inputs = paths.isEmpty ? ["-"] : paths
        // The bar's total needs a walk of the input before the add; only pay for it when a
        // bar will be drawn.
        let showProgress = Terminal.standardErrorIsTerminal && !output.json
        let total =
            showProgress
            ? inputs.reduce(UInt64(0)) {
                $0 + ($1 == "-" ? 0 : FileSystemImporter.contentSize(of: $1, options: options))
            }
            : 0
        let repo = onlyHash ? nil : try repository.open(create: true)
        let writer = repo?.blocks.makeWriter()
        let bar = ProgressBar(
            total: total, label: onlyHash ? "hashing" : "adding",
            enabled: showProgress && total > 8 << 20)
        let importer = FileSystemImporter(options: options, writer: writer) { bar.update($0) }
        var added: [[String: String]] = []
        var wrapper = DirectoryBuilder(profile: importProfile)
        do {
            for input in inputs {
                let base = input == "-" ? "" : URL(fileURLWithPath: input).lastPathComponent
                let root: UnixFSEntry
                if input == "-" {
                    root = try importer.addFile("-")
                    added.append([
                        "cid": root.cid.description, "name": root.cid.description, "size": String(root.contentSize),
                    ])
                } else {
                    root = try importer.add(input) { item in
                        let name = base + item.path.dropFirst(input.count)
                        added.append([
                            "cid": item.entry.cid.description, "name": name, "size": String(item.entry.contentSize),
                        ])
                        bar.finish()
                        if !quieter && !output.json {
                            print(quiet ? item.entry.cid.description : "added \(item.entry.cid) \(name)")
                        }
                    }
                }
                if wrap {
                    try wrapper.add(name: base.isEmpty ? root.cid.description : base, entry: root)
                    continue
                }
                if quieter && !output.json { print(root.cid) }
                if input == "-" && !quieter && !output.json {
                    print(quiet ? root.cid.description : "added \(root.cid) \(root.cid)")
                }
                if let repo, pin {
                    try writer!.flush()
                    try repo.pins.add(root.cid, name: pinName ?? (base.isEmpty ? nil : base), verifyComplete: false)
                }
            }
            if wrap {
                let root = try wrapper.finish { (cid, bytes) throws(StoreError) in try writer?.add(cid, bytes) }
                added.append(["cid": root.cid.description, "name": "", "size": String(root.contentSize)])
                if !output.json { print(quieter || quiet ? root.cid.description : "added \(root.cid)") }
                if let repo, pin {
                    try writer!.flush()
                    try repo.pins.add(root.cid, name: pinName, verifyComplete: false)
                }
            }
            try writer?.commit()
        } catch {
            bar.finish()
            try? writer?.abort()
            throw error
        }
        bar.finish()
        if output.json {
            print(try JSONHelpers.string(jsonObject: added))
        }
    }
}
