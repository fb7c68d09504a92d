import Benchmark
import Foundation
import LocalStore
import Multiformats
import SodiumKit
import UnixFS

/// `add` and `cat` of a 1 GiB file through the library, as `cairn add` and `cairn cat` run them:
/// hashing only, storing with one sync at the end, and reading back with every block verified.
///
/// The input is ChaCha20 keystream (incompressible, like media), written once to a scratch file.
/// Each iteration handles the whole gibibyte, so ops/s × 1 GiB is the throughput; Tools/bench
/// prints it beside `openssl speed` and the targets.
/// The scratch folder, its 1 GiB input, and a repository holding that input for `cat`; made once
/// per process (a global's lazy initializer), outside every measurement.
enum Scratch {
    static let size = 1 << 30
    static let directory = FileManager.default.temporaryDirectory.appendingPathComponent("cairn-bench-1gib").path
    static let input = directory + "/input.bin"
    static let catRepository = directory + "/cat-repo"
    static let catRoot: String = {
        do { return try prepare() } catch { fatalError("cannot prepare the benchmark input: \(error)") }
    }()

    private static func prepare() throws -> String {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let existing = (try? FileManager.default.attributesOfItem(atPath: input)[.size] as? Int) ?? 0
        if existing != size {
            _ = FileManager.default.createFile(atPath: input, contents: nil)
            let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: input))
            let key = [UInt8](repeating: 7, count: 32)
            let nonce = [UInt8](repeating: 0, count: 12)
            let chunk = 16 << 20
            for index in 0..<(size / chunk) {
                let counter = UInt32(index * chunk / 64)
                try handle.write(
                    contentsOf: Data(ChaCha20.keystream(count: chunk, key: key, nonce: nonce, counter: counter)))
            }
            try handle.close()
        }
        try? FileManager.default.removeItem(atPath: catRepository)
        let repository = try Repository(path: catRepository, create: true)
        let writer = repository.blocks.makeWriter()
        let root = try FileSystemImporter(options: .init(), writer: writer).addFile(input)
        try writer.commit()
        return root.cid.description
    }
}

let benchmarks: @Sendable () -> Void = {
    let size = Scratch.size
    let scratch = Scratch.directory
    let input = Scratch.input
    let catRepository = Scratch.catRepository
    func prepare() -> String { Scratch.catRoot }

    let configuration = Benchmark.Configuration(
        metrics: [.throughput, .wallClock, .peakMemoryResident],
        scalingFactor: .one,
        maxDuration: .seconds(20),
        maxIterations: 5
    )

    Benchmark("add --only-hash 1 GiB", configuration: configuration) { benchmark in
        _ = prepare()
        for _ in benchmark.scaledIterations {
            blackHole(try FileSystemImporter(options: .init(), writer: nil).addFile(input))
        }
    }

    Benchmark("add 1 GiB stored and synced", configuration: configuration) { benchmark in
        _ = prepare()
        for iteration in benchmark.scaledIterations {
            let path = scratch + "/add-repo-\(iteration)"
            benchmark.startMeasurement()
            let repository = try Repository(path: path, create: true)
            let writer = repository.blocks.makeWriter()
            let root = try FileSystemImporter(options: .init(), writer: writer).addFile(input)
            try writer.flush()
            try repository.pins.add(root.cid, verifyComplete: false)
            try writer.commit()
            benchmark.stopMeasurement()
            try FileManager.default.removeItem(atPath: path)
        }
    }

    Benchmark("cat 1 GiB verified", configuration: configuration) { benchmark in
        let root = prepare()
        let repository = try Repository(path: catRepository)
        let reader = UnixFSReader(source: repository.blocks)
        let cid = try reader.resolve(try CID(root), path: "")
        for _ in benchmark.scaledIterations {
            var total = 0
            try reader.read(cid) { total += $0.count }
            precondition(total == size)
        }
    }
}
