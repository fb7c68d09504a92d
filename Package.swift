// swift-tools-version:6.2
import PackageDescription

// Layering (see ../shared/brief.md): C system libraries → thin Swift wrappers → pure formats and
// rules → storage → node → the `cairn` executable. A module never imports one above it.

/// Settings every Swift target shares: the style guide's upcoming features, and warnings as errors.
let strictSwift: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .enableUpcomingFeature("InternalImportsByDefault"),
    .treatAllWarnings(as: .error),
]

let package = Package(
    name: "Cairn",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "cairn", targets: ["cairn"]),
        .library(name: "Multiformats", targets: ["Multiformats"]),
        .library(name: "IPLD", targets: ["IPLD"]),
        .library(name: "UnixFS", targets: ["UnixFS"]),
        .library(name: "CAR", targets: ["CAR"]),
        .library(name: "Erasure", targets: ["Erasure"]),
        .library(name: "StorageProofs", targets: ["StorageProofs"]),
        .library(name: "Segments", targets: ["Segments"]),
        .library(name: "Ledger", targets: ["Ledger"]),
        .library(name: "LocalStore", targets: ["LocalStore"]),
        .library(name: "LevelDBKit", targets: ["LevelDBKit"]),
        .library(name: "SodiumKit", targets: ["SodiumKit"]),
        .library(name: "ZstdKit", targets: ["ZstdKit"]),
        .library(name: "JCS", targets: ["JCS"]),
        .library(name: "Credentials", targets: ["Credentials"]),
        .library(name: "ISALKit", targets: ["ISALKit"]),
        .library(name: "CairnTestSupport", targets: ["CairnTestSupport"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-crypto.git", from: "4.5.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.3"),
        .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.35.2"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
    ],
    targets: [
        // MARK: Layer 1 — C libraries, as Debian ships them.
        .systemLibrary(name: "CLevelDB", providers: [.apt(["libleveldb-dev"])]),
        .systemLibrary(name: "CSodium", pkgConfig: "libsodium", providers: [.apt(["libsodium-dev"])]),
        .systemLibrary(name: "CZstd", pkgConfig: "libzstd", providers: [.apt(["libzstd-dev"])]),
        .systemLibrary(name: "CISAL", pkgConfig: "libisal", providers: [.apt(["libisal-dev"])]),
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),

        // SHA-256 for many small messages (Merkle leaves and nodes), SHA-NI with a portable fallback.
        .target(name: "CSHA256"),

        // MARK: Layer 0 — what every module shares: the error convention.
        .target(name: "CodedErrors", swiftSettings: strictSwift),

        // MARK: Layer 1 — thin Swift wrappers; no C type appears in their public API.
        .target(name: "LevelDBKit", dependencies: ["CLevelDB", "CodedErrors"], swiftSettings: strictSwift),
        .target(name: "SodiumKit", dependencies: ["CSodium", "CodedErrors"], swiftSettings: strictSwift),
        .target(name: "ZstdKit", dependencies: ["CZstd", "CodedErrors"], swiftSettings: strictSwift),
        .target(name: "ISALKit", dependencies: ["CISAL", "CodedErrors"], swiftSettings: strictSwift),
        .target(name: "ZlibKit", dependencies: ["CZlib", "CodedErrors"], swiftSettings: strictSwift),

        // MARK: Layer 2 — formats (pure: bytes in, values out).
        .target(
            name: "Multiformats",
            dependencies: [
                "CodedErrors",
                "SodiumKit",
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: strictSwift
        ),

        .target(name: "IPLD", dependencies: ["CodedErrors", "Multiformats"], swiftSettings: strictSwift),
        .target(name: "UnixFS", dependencies: ["CodedErrors", "IPLD", "Multiformats"], swiftSettings: strictSwift),
        .target(name: "CAR", dependencies: ["CodedErrors", "IPLD", "Multiformats"], swiftSettings: strictSwift),
        // JSON read strictly (I-JSON) and canonicalized (RFC 8785), for credentials' proofs.
        .target(name: "JCS", dependencies: ["CodedErrors"], swiftSettings: strictSwift),

        // MARK: Layer 3 — durability: erasure coding, shard commitments, storage proofs.
        // GF(2^8) products with GFNI on AVX-512, bit-identical to ISA-L.
        .target(name: "CGFNI"),
        .target(name: "Erasure", dependencies: ["CodedErrors", "ISALKit", "CGFNI"], swiftSettings: strictSwift),
        .target(
            name: "StorageProofs",
            dependencies: ["CodedErrors", "IPLD", "CSHA256"],
            swiftSettings: strictSwift
        ),

        .target(
            name: "Segments",
            dependencies: ["CodedErrors", "IPLD", "Multiformats", "Erasure", "StorageProofs"],
            swiftSettings: strictSwift
        ),

        // MARK: Layer 4 — the ledger: transactions, blocks, state rules and state proofs (pure).
        .target(
            name: "Ledger",
            dependencies: ["CodedErrors", "IPLD", "Multiformats", "SodiumKit", "StorageProofs"],
            swiftSettings: strictSwift
        ),

        // MARK: Layer 5 — credentials: VC Data Model 2.0, Data Integrity (eddsa-jcs-2022), did:key,
        // Bitstring Status Lists, offline verification against ledger proofs (pure).
        .target(
            name: "Credentials",
            dependencies: [
                "CodedErrors", "JCS", "Ledger", "Multiformats", "SodiumKit", "ZlibKit",
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: strictSwift
        ),

        // MARK: Layer 6 — storage: the local repository on LevelDB and a value log.
        .target(
            name: "LocalStore",
            dependencies: ["CodedErrors", "IPLD", "Multiformats", "UnixFS", "CAR", "Ledger", "LevelDBKit", "ZstdKit"],
            swiftSettings: strictSwift
        ),

        // MARK: Layer 7 — the node: HTTP gateway, pinning API, uploads, metrics, services.
        .target(
            name: "CairnNode",
            dependencies: [
                "CodedErrors", "Multiformats", "IPLD", "UnixFS", "CAR", "LocalStore", "SodiumKit", "Ledger", "JCS",
                "Credentials",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ],
            swiftSettings: strictSwift
        ),

        // The node's clients: the CLI talking to a daemon, and to remote Pinning Service APIs.
        .target(
            name: "CairnClient",
            dependencies: [
                "CodedErrors", "Multiformats", "Ledger", "SodiumKit",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOFoundationCompat", package: "swift-nio"),
            ],
            swiftSettings: strictSwift
        ),

        // MARK: The command-line program.
        .executableTarget(
            name: "cairn",
            dependencies: [
                "Multiformats", "IPLD", "UnixFS", "CAR", "LocalStore", "Erasure", "Segments", "StorageProofs",
                "CairnNode", "CairnClient", "Ledger", "SodiumKit", "JCS", "Credentials",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSwift
        ),

        // MARK: Test support — seeded randomness, vectors, scratch directories.
        .target(
            name: "CairnTestSupport",
            dependencies: [
                "IPLD", "JCS", "Multiformats", "SodiumKit", .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: strictSwift
        ),

        // MARK: Tests
        .testTarget(
            name: "MultiformatsTests",
            dependencies: ["Multiformats", "CairnTestSupport"],
            resources: [.copy("Vectors")],
            swiftSettings: strictSwift
        ),
        .testTarget(
            name: "IPLDTests",
            dependencies: ["IPLD", "Multiformats", "CairnTestSupport"],
            resources: [.copy("Vectors")],
            swiftSettings: strictSwift
        ),
        .testTarget(
            name: "UnixFSTests",
            dependencies: [
                "UnixFS", "IPLD", "Multiformats", "SodiumKit", "CairnTestSupport",
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: strictSwift
        ),
        .testTarget(
            name: "CARTests",
            dependencies: ["CAR", "UnixFS", "IPLD", "Multiformats", "CairnTestSupport"],
            swiftSettings: strictSwift
        ),
        .testTarget(
            name: "LocalStoreTests",
            dependencies: ["LocalStore", "UnixFS", "IPLD", "Multiformats", "Ledger", "SodiumKit", "CairnTestSupport"],
            swiftSettings: strictSwift
        ),
        .testTarget(
            name: "ErasureTests",
            dependencies: ["Erasure", "CairnTestSupport"],
            swiftSettings: strictSwift
        ),
        .testTarget(
            name: "SegmentsTests",
            dependencies: ["Segments", "Erasure", "StorageProofs", "Multiformats", "CairnTestSupport"],
            swiftSettings: strictSwift
        ),
        .testTarget(
            name: "StorageProofsTests",
            dependencies: ["StorageProofs", "CairnTestSupport", .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: strictSwift
        ),
        .testTarget(
            name: "LedgerTests",
            dependencies: [
                "Ledger", "IPLD", "Multiformats", "SodiumKit", "CairnTestSupport",
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: strictSwift
        ),
        .testTarget(
            name: "CredentialsTests",
            dependencies: ["Credentials", "JCS", "CodedErrors", "Multiformats", "SodiumKit", "CairnTestSupport"],
            resources: [.copy("Vectors")],
            swiftSettings: strictSwift
        ),
        .testTarget(
            name: "SystemLibrariesTests",
            dependencies: ["LevelDBKit", "SodiumKit", "ZstdKit", "ZlibKit", "ISALKit", "CairnTestSupport"],
            swiftSettings: strictSwift
        ),
        .testTarget(
            name: "CairnNodeTests",
            dependencies: [
                "cairn", "CairnNode", "CAR", "IPLD", "Multiformats", "LocalStore", "Ledger", "SodiumKit", "JCS",
                "Credentials",
                "CairnTestSupport",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOFoundationCompat", package: "swift-nio"),
            ],
            swiftSettings: strictSwift
        ),
        .testTarget(
            name: "CairnCLITests",
            dependencies: [
                "cairn", "Multiformats", "LocalStore", "SodiumKit", "CairnTestSupport",
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: strictSwift
        ),
    ]
)
