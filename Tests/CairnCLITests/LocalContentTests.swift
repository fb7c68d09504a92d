import CairnTestSupport
import Crypto
import Foundation
import Multiformats
import SodiumKit
import Testing

/// `cairn add/cat/get/ls/pin/gc/car/repo` through the built binary, against published CIDs.
@Suite struct LocalContentTests {
    /// A scratch folder with a repository path inside it.
    final class Workspace {
        let directory: TemporaryDirectory
        var repo: String { directory.path("repo") }

        init() throws { directory = try TemporaryDirectory() }

        func write(_ name: String, _ bytes: [UInt8]) throws {
            let url = URL(fileURLWithPath: directory.path(name))
            try FileManager.default.createDirectory(
                at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(bytes).write(to: url)
        }

        @discardableResult
        func cairn(_ arguments: [String], input: Data = Data()) throws -> CairnExecutable.Result {
            try CairnExecutable.run(arguments + ["--repo", repo], input: input)
        }

        /// Runs cairn, expects success, returns standard output without the final newline.
        func ok(_ arguments: [String], input: Data = Data()) throws -> String {
            let result = try cairn(arguments, input: input)
            #expect(result.status == 0, "cairn \(arguments.joined(separator: " ")): \(result.standardError)")
            let text = result.standardOutput
            return text.hasSuffix("\n") ? String(text.dropLast()) : text
        }
    }

    @Test(arguments: [
        ("hello world", "kubo-v1", "bafkreifzjut3te2nhyekklss27nh3k72ysco7y32koao5eei66wof36n5e"),
        ("hello world", "kubo-v0", "Qmf412jQZiuVUtdgnB36FXFX7xg5V6KEbSJ4dpQuhkLyfD"),
        ("hello world\n", "kubo-v1", "bafkreifjjcie6lypi6ny7amxnfftagclbuxndqonfipmb64f2km2devei4"),
        ("hello world\n", "kubo-v0", "QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o"),
        ("", "kubo-v1", "bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku"),
        ("", "kubo-v0", "QmbFMke1KXqnYyBBWxB74N4c5SBnJMVAiMNRcGu6x1AwQH"),
    ])
    func addPrintsPublishedCIDsForSmallFiles(text: String, profile: String, expected: String) throws {
        let workspace = try Workspace()
        try workspace.write("file", Array(text.utf8))
        let path = workspace.directory.path("file")
        #expect(try workspace.ok(["add", "-Q", "--only-hash", "--profile", profile, path]) == expected)
        #expect(try workspace.ok(["add", "--profile", profile, path]) == "added \(expected) file")
        #expect(try workspace.cairn(["cat", expected]).output == Data(text.utf8))
        #expect(
            try workspace.ok(["add", "-Q", "--only-hash", "--profile", profile, "-"], input: Data(text.utf8))
                == expected)
    }

    /// kubo's `--cid-version` and `--raw-leaves` flags, for the vectors made with them.
    @Test func addTakesKubosLeafAndVersionFlags() throws {
        let workspace = try Workspace()
        let flags = ["add", "-Q", "-n", "--cid-version", "1", "--no-raw-leaves", "-"]
        #expect(
            try workspace.ok(flags, input: Data("hello world".utf8))
                == "bafybeihykld7uyxzogax6vgyvag42y7464eywpf55gxi5qpoisibh3c5wa")
        #expect(
            try workspace.ok(flags, input: Data("hello world\n".utf8))
                == "bafybeicg2rebjoofv4kbyovkw7af3rpiitvnl6i7ckcywaq6xjcxnc2mby")
        #expect(try workspace.ok(flags, input: Data()) == "bafybeif7ztnhq65lumvvtr4ekcwd2ifwgm3awq4zfr3srh462rwyinlb4y")
        let counter = Data(UnixFSVectors.sha256Counter(length: 1 << 20))
        #expect(
            try workspace.ok(flags, input: counter) == "bafybeic5345hhjqzhemd3u5jc73d4soda2lrlopiojfdyleq4nmpdlwr5y")
        #expect(
            try workspace.ok(["add", "-Q", "-n", "--cid-version", "0", "-"], input: counter)
                == "QmZXftYJN4pb4a2st3L2xJnbN4tgR1iphUa6XtE42TnbDW")
        // kubo's --cid-version=0 --raw-leaves: a CIDv0 root over raw CIDv1 leaves; one chunk is
        // the raw leaf itself.
        let mixed = try workspace.ok(["add", "-Q", "-n", "--profile", "kubo-v0", "--raw-leaves", "-"], input: counter)
        #expect(mixed.hasPrefix("Qm"))
        #expect(mixed != "QmZXftYJN4pb4a2st3L2xJnbN4tgR1iphUa6XtE42TnbDW")
        #expect(
            try workspace.ok(["add", "-Q", "-n", "--profile", "kubo-v0", "--raw-leaves", "-"], input: Data("hi".utf8))
                .hasPrefix("bafkrei"))
    }

    @Test func addPrintsPublishedCIDsForLargeFiles() throws {
        let workspace = try Workspace()
        try workspace.write("counter", UnixFSVectors.sha256Counter(length: 1 << 20))
        let counter = workspace.directory.path("counter")
        #expect(
            try workspace.ok(["add", "-Q", "--profile", "kubo-v0", counter])
                == "QmZXftYJN4pb4a2st3L2xJnbN4tgR1iphUa6XtE42TnbDW")
        #expect(
            try workspace.ok(["add", "-Q", counter]) == "bafybeia7trsluwge5e4rccaleice67mpb6zng3ecwxtgxgtv5km2afoy7y")
        let boundaries: [(String, Int, String)] = [
            ("chunk-v0-seed", 262_144, "QmWmRj3dFDZdb6ABvbmKhEL6TmPbAfBZ1t5BxsEyJrcZhE"),
            ("chunk-v0-seed", 262_145, "QmYyLxtzZyW22zpoVAtKANLRHpDjZtNeDjQdJrcQNWoRkJ"),
            ("v0-seed", 174 * 262_144, "QmUbBALi174SnogsUzLpYbD4xPiBSFANF4iztWCsHbMKh2"),
            ("v0-seed", 174 * 262_144 + 1, "QmV81WL765sC8DXsRhE5fJv2rwhS4icHRaf3J9Zk5FdRnW"),
        ]
        for (seed, length, expected) in boundaries {
            try workspace.write("boundary", UnixFSVectors.chacha20(seed: seed, length: length))
            let path = workspace.directory.path("boundary")
            #expect(try workspace.ok(["add", "-Q", "-n", "--profile", "kubo-v0", path]) == expected, "\(length) bytes")
            #expect(
                try workspace.ok(["add", "-Q", "--profile", "kubo-v0", path]) == expected, "\(length) bytes stored")
        }
        try workspace.write("multiblock.txt", Array(UnixFSVectors.multiblockText.utf8))
        #expect(
            try workspace.ok(["add", "-Q", "--chunk-size", "256", workspace.directory.path("multiblock.txt")])
                == "bafybeigcisqd7m5nf3qmuvjdbakl5bdnh4ocrmacaqkpuh77qjvggmt2sa"
        )
        #expect(try workspace.ok(["repo", "verify"]).hasSuffix("0 corrupt"))
    }

    @Test func addReproducesPublishedFolders() throws {
        let workspace = try Workspace()
        // ipfs/gateway-conformance dir-with-files (its recipe, files from the README).
        try workspace.write("dir-with-files/ascii.txt", Array("hello application/vnd.ipld.car\n".utf8))
        try workspace.write("dir-with-files/ascii-copy.txt", Array("hello application/vnd.ipld.car\n".utf8))
        try workspace.write("dir-with-files/hello.txt", Array("hello world\n".utf8))
        try workspace.write("dir-with-files/multiblock.txt", Array(UnixFSVectors.multiblockText.utf8))
        let folder = workspace.directory.path("dir-with-files")
        #expect(
            try workspace.ok(["add", "-r", "-Q", "--chunk-size", "256", folder])
                == "bafybeihchr7vmgjaasntayyatmp5sv6xza57iy2h4xj7g46bpjij6yhrmy"
        )
        // dir-with-tricky-nested-filenames: `ipfs add -Qr --cid-version 1`.
        try workspace.write("nested/sub dir/file!'()*~.txt", Array("name with encoder traps\n".utf8))
        let nested = workspace.directory.path("nested")
        #expect(
            try workspace.ok(["add", "-r", "-Q", nested])
                == "bafybeiab2yboxqoybfufvfjatsmqu2mkzf6piueex7xwsk74tdxobyuw6u")
        // kubo t0116-gateway-cache: `ipfs add -Qrw --cid-version 1 root2`.
        try workspace.write("root2/root3/root4/index.html", Array("hello\n".utf8))
        let root2 = workspace.directory.path("root2")
        #expect(
            try workspace.ok(["add", "-rwQ", root2]) == "bafybeib3ffl2teiqdncv3mkz4r23b5ctrwkzrrhctdbne6iboayxuxk5ui")
        let lines = try workspace.ok(["add", "-r", root2]).split(separator: "\n")
        #expect(
            lines == [
                "added bafkreicysg23kiwv34eg2d7qweipxwosdo2py4ldv42nbauguluen5v6am root2/root3/root4/index.html",
                "added bafybeifq2rzpqnqrsdupncmkmhs3ckxxjhuvdcbvydkgvch3ms24k5lo7q root2/root3/root4",
                "added bafybeiawdvhmjcz65x5egzx4iukxc72hg4woks6v6fvgyupiyt3oczk5ja root2/root3",
                "added bafybeih2w7hjocxjg6g2ku25hvmd53zj7og4txpby3vsusfefw5rrg5sii root2",
            ])
        // Hidden files are skipped unless asked for, as kubo does.
        try workspace.write("root2/.secret", Array("x".utf8))
        #expect(
            try workspace.ok(["add", "-r", "-Q", "-n", root2])
                == "bafybeih2w7hjocxjg6g2ku25hvmd53zj7og4txpby3vsusfefw5rrg5sii")
        #expect(
            try workspace.ok(["add", "-r", "-Q", "-n", "-H", root2])
                != "bafybeih2w7hjocxjg6g2ku25hvmd53zj7og4txpby3vsusfefw5rrg5sii")
    }

    @Test(arguments: [0, 1, 262_143, 262_144, 262_145, 174 * 262_144 - 1, 174 * 262_144, 174 * 262_144 + 1])
    func addThenCatAndGetRoundTrip(size: Int) throws {
        let workspace = try Workspace()
        var random = SeededGenerator(seed: UInt64(size))
        let bytes = random.bytes(count: size)
        try workspace.write("input", bytes)
        let cid = try workspace.ok(["add", "-Q", workspace.directory.path("input")])
        let cat = try workspace.cairn(["cat", cid])
        #expect(cat.status == 0)
        #expect(cat.output == Data(bytes))
        let out = workspace.directory.path("out")
        _ = try workspace.ok(["get", cid, "-o", out])
        #expect(try Data(contentsOf: URL(fileURLWithPath: out)) == Data(bytes))
        if size > 1000 {
            let slice = try workspace.cairn(["cat", cid, "--offset", "500", "--length", "300"])
            #expect(slice.output == Data(bytes[500..<800]))
        }
    }

    @Test func getRecreatesNestedFolders() throws {
        let workspace = try Workspace()
        try workspace.write("tree/a/b/c.txt", Array("deep\n".utf8))
        try workspace.write("tree/a/empty-file", [])
        try FileManager.default.createDirectory(
            atPath: workspace.directory.path("tree/empty-dir"), withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(
            atPath: workspace.directory.path("tree/link"), withDestinationPath: "a/b/c.txt")
        let cid = try workspace.ok(["add", "-r", "-Q", workspace.directory.path("tree")])
        let out = workspace.directory.path("copy")
        _ = try workspace.ok(["get", cid, "-o", out])
        #expect(try String(contentsOfFile: out + "/a/b/c.txt", encoding: .utf8) == "deep\n")
        #expect(try Data(contentsOf: URL(fileURLWithPath: out + "/a/empty-file")).isEmpty)
        #expect(try FileManager.default.contentsOfDirectory(atPath: out + "/empty-dir").isEmpty)
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: out + "/link") == "a/b/c.txt")
        #expect(try workspace.ok(["cat", "/ipfs/\(cid)/a/b/c.txt"]) == "deep")
        #expect(try workspace.ok(["ls", "ipfs://\(cid)/a"]).contains("b/"))
    }

    @Test func carExportImportsIntoAFreshRepositoryWithTheSameCIDs() throws {
        let workspace = try Workspace()
        var random = SeededGenerator(seed: 21)
        try workspace.write("folder/big.bin", random.bytes(count: 700_000))
        try workspace.write("folder/small.txt", Array("small\n".utf8))
        let cid = try workspace.ok(["add", "-r", "-Q", workspace.directory.path("folder")])
        let car = workspace.directory.path("folder.car")
        _ = try workspace.ok(["car", "export", cid, "-o", car])
        let fresh = try Workspace()
        let imported = try fresh.ok(["car", "import", car])
        #expect(imported.hasPrefix("imported \(cid)"))
        #expect(try fresh.ok(["pin", "ls"]).hasPrefix(cid))
        #expect(try fresh.ok(["cat", "\(cid)/small.txt"]) == "small")
        #expect(try fresh.ok(["add", "-r", "-Q", "-n", workspace.directory.path("folder")]) == cid)
        // Export from the fresh repository gives the same bytes.
        let again = fresh.directory.path("again.car")
        _ = try fresh.ok(["car", "export", cid, "-o", again])
        #expect(try Data(contentsOf: URL(fileURLWithPath: again)) == Data(contentsOf: URL(fileURLWithPath: car)))
    }

    @Test func refusesBadCARsAndLeavesTheRepositoryUnchanged() throws {
        let workspace = try Workspace()
        var random = SeededGenerator(seed: 22)
        try workspace.write("data.bin", random.bytes(count: 600_000))
        let cid = try workspace.ok(["add", "-Q", "--no-pin", workspace.directory.path("data.bin")])
        let car = workspace.directory.path("data.car")
        _ = try workspace.ok(["car", "export", cid, "-o", car])
        let good = [UInt8](try Data(contentsOf: URL(fileURLWithPath: car)))

        let target = try Workspace()
        _ = try target.ok(["add", "-Q", "-"], input: Data("already here".utf8))
        // What the repository holds (disk_bytes may include dead bytes until the next gc).
        func content() throws -> String {
            try target.ok(["repo", "stat", "--json"]).split(separator: "\n").filter { !$0.contains("disk_bytes") }
                .joined(separator: "\n")
        }
        let before = try content()
        var corrupt = good
        corrupt[corrupt.count - 10] ^= 0xff
        let cases: [(String, [UInt8], String)] = [
            ("truncated.car", Array(good.prefix(good.count - 1000)), "truncated CAR"),
            ("corrupt.car", corrupt, "block does not match its CID"),
            (
                "oversized.car", Array(good.prefix(60)) + Varint.encode(64 << 20) + [UInt8](repeating: 0, count: 100),
                "too large"
            ),
            ("incomplete.car", Array(good.prefix(good.count - 300_000)) + [], "truncated CAR"),
        ]
        for (name, bytes, message) in cases {
            try target.write(name, bytes)
            let result = try target.cairn(["car", "import", target.directory.path(name)])
            #expect(result.status == 1, "\(name)")
            #expect(result.standardError.contains(message), "\(name): \(result.standardError)")
            #expect(try content() == before, "\(name) changed the repository")
        }
        // A CAR that ends cleanly at a section boundary but lacks blocks of its DAG.
        let header = Array(good.prefix(Int(good[0]) + 1))
        let firstSectionLength = Int(try Varint.decode(good[header.count...]).value)
        let firstSectionEnd = header.count + Varint.encodedLength(of: UInt64(firstSectionLength)) + firstSectionLength
        try target.write("partial.car", Array(good.prefix(firstSectionEnd)))
        let partial = try target.cairn(["car", "import", target.directory.path("partial.car")])
        #expect(partial.status == 1)
        #expect(partial.standardError.contains("incomplete DAG"), "\(partial.standardError)")
        #expect(try content() == before)
        #expect(try target.ok(["pin", "ls"]).contains(cid) == false)
    }

    @Test func gcKeepsPinnedContentAndRemovesTheRest() throws {
        let workspace = try Workspace()
        var random = SeededGenerator(seed: 23)
        try workspace.write("keep.bin", random.bytes(count: 500_000))
        try workspace.write("drop.bin", random.bytes(count: 500_000))
        let keep = try workspace.ok(["add", "-Q", workspace.directory.path("keep.bin")])
        let drop = try workspace.ok(["add", "-Q", "--no-pin", workspace.directory.path("drop.bin")])
        let output = try workspace.ok(["gc"])
        #expect(output.hasPrefix("removed 3 blocks"), "\(output)")
        #expect(try workspace.cairn(["cat", keep]).status == 0)
        let gone = try workspace.cairn(["cat", drop])
        #expect(gone.status == 1)
        #expect(gone.standardError.contains("missing block"))
        _ = try workspace.ok(["pin", "rm", keep])
        _ = try workspace.ok(["gc"])
        #expect(try workspace.ok(["repo", "stat", "--json"]).contains("\"blocks\" : 0"))
    }

    @Test func readCommandsFailClearlyWithoutARepository() throws {
        let workspace = try Workspace()
        let result = try workspace.cairn(["cat", "bafkqaaa"])
        #expect(result.status == 1)
        #expect(result.standardError.contains("no Cairn repository"))
        let usage = try workspace.cairn(["add", "--profile", "nope", "x"])
        #expect(usage.status == 64)
    }

    /// `kill -9` in the middle of a large add: the repository opens, verifies clean, and keeps
    /// what was acknowledged before.
    @Test func survivesKillDuringALargeAdd() throws {
        let workspace = try Workspace()
        let acknowledged = try workspace.ok(["add", "-Q", "-"], input: Data("acknowledged before the crash".utf8))
        try workspace.write("large.bin", UnixFSVectors.chacha20(seed: "kill -9", length: 400 << 20))
        let process = Process()
        process.executableURL = CairnExecutable.url
        process.arguments = ["add", workspace.directory.path("large.bin"), "--repo", workspace.repo]
        process.standardOutput = FileHandle.nullDevice
        let errors = Pipe()
        process.standardError = errors
        try process.run()
        // Kill it once the value log has grown well into the add: mid-write, not before or after.
        // A blocking poll: an awaiting one may not be scheduled in time while other tests hold
        // the cooperative threads.
        let segment = workspace.repo + "/blocks/00000001.vlog"
        for _ in 0..<20_000 {
            let size = (try? FileManager.default.attributesOfItem(atPath: segment)[.size] as? Int) ?? 0
            if size > 60 << 20 || !process.isRunning { break }
            usleep(200)
        }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        #expect(
            process.terminationReason == .uncaughtSignal,
            "exit \(process.terminationStatus): \(String(decoding: errors.fileHandleForReading.availableData, as: UTF8.self))"
        )
        let verify = try workspace.cairn(["repo", "verify"])
        #expect(verify.status == 0, "\(verify.standardOutput) \(verify.standardError)")
        #expect(verify.standardOutput.contains(" 0 corrupt"))
        #expect(try workspace.ok(["cat", acknowledged]) == "acknowledged before the crash")
        // The repository keeps working: the same add now completes.
        let cid = try workspace.ok(["add", "-Q", workspace.directory.path("large.bin")])
        #expect(try workspace.ok(["repo", "verify"]).hasSuffix("0 corrupt"))
        #expect(try workspace.cairn(["cat", cid]).status == 0)
    }
}

/// Multi-GiB files, behind `CAIRN_LARGE_TEST_GIB` (the number of GiB; off by default): added and
/// read back in bounded memory, compared by SHA-256 of the streams, never held whole.
@Suite struct LargeFileTests {
    static let gibibytes = Int(ProcessInfo.processInfo.environment["CAIRN_LARGE_TEST_GIB"] ?? "") ?? 0

    @Test(.enabled(if: gibibytes > 0))
    func largeFileRoundTrips() throws {
        let directory = try TemporaryDirectory()
        let input = directory.path("large.bin")
        #expect(FileManager.default.createFile(atPath: input, contents: nil))
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: input))
        var expected = SHA256()
        let chunk = 64 << 20
        for index in 0..<(Self.gibibytes * (1 << 30) / chunk) {
            let bytes = ChaCha20.keystream(
                count: chunk,
                key: [UInt8](repeating: 3, count: 32),
                nonce: [UInt8](repeating: 0, count: 12),
                counter: UInt32(index * chunk / 64)
            )
            expected.update(data: bytes)
            try handle.write(contentsOf: Data(bytes))
        }
        try handle.close()
        let repo = directory.path("repo")
        let add = try CairnExecutable.run(["add", "-Q", input, "--repo", repo])
        #expect(add.status == 0, "\(add.standardError)")
        let cid = String(add.standardOutput.dropLast())
        // Stream cat's output through SHA-256 instead of collecting gigabytes.
        let process = Process()
        process.executableURL = CairnExecutable.url
        process.arguments = ["cat", cid, "--repo", repo]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        var actual = SHA256()
        var total = 0
        while let data = try pipe.fileHandleForReading.read(upToCount: 1 << 20), !data.isEmpty {
            actual.update(data: data)
            total += data.count
        }
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        #expect(total == Self.gibibytes << 30)
        #expect(actual.finalize() == expected.finalize())
    }
}
