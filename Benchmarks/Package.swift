// swift-tools-version:6.2
import Foundation
import PackageDescription

// SwiftPM names a path dependency after its directory, which is whatever the clone was called.
let cairnPackage = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .lastPathComponent

// Cairn's benchmarks, a package of their own so the main package never depends on the harness.
// Run with `swift package benchmark` here, or Tools/bench for the figures beside their anchors.
let package = Package(
    name: "CairnBenchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(path: ".."),
        .package(url: "https://github.com/ordo-one/benchmark.git", from: "1.38.1", traits: ["MallocInterposer"]),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "4.5.2"),
    ],
    targets: [
        // ISA-L called straight from C: the reference the erasure-coding figures are ratios of.
        .target(name: "ISALReference", linkerSettings: [.linkedLibrary("isal")]),
        .executableTarget(
            name: "DurabilityBenchmarks",
            dependencies: [
                "ISALReference",
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "Erasure", package: cairnPackage),
                .product(name: "StorageProofs", package: cairnPackage),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            path: "Benchmarks/DurabilityBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        .executableTarget(
            name: "MultihashBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "Multiformats", package: cairnPackage),
            ],
            path: "Benchmarks/MultihashBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        .executableTarget(
            name: "LocalContentBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "LocalStore", package: cairnPackage),
                .product(name: "UnixFS", package: cairnPackage),
                .product(name: "Multiformats", package: cairnPackage),
                .product(name: "SodiumKit", package: cairnPackage),
            ],
            path: "Benchmarks/LocalContentBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        .executableTarget(
            name: "LedgerBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "Ledger", package: cairnPackage),
                .product(name: "LocalStore", package: cairnPackage),
                .product(name: "IPLD", package: cairnPackage),
                .product(name: "SodiumKit", package: cairnPackage),
            ],
            path: "Benchmarks/LedgerBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        .executableTarget(
            name: "CredentialBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "Credentials", package: cairnPackage),
                .product(name: "CairnTestSupport", package: cairnPackage),
                .product(name: "JCS", package: cairnPackage),
                .product(name: "SodiumKit", package: cairnPackage),
            ],
            path: "Benchmarks/CredentialBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
    ]
)
