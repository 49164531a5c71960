// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "ospf-speaker",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "ospf-speaker", targets: ["ospf-speaker"]),
        .library(name: "OSPFWire", targets: ["OSPFWire"]),
        .library(name: "PcapFile", targets: ["PcapFile"]),
        .library(name: "OSPFEngine", targets: ["OSPFEngine"]),
        .library(name: "BFD", targets: ["BFD"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "4.0.0"),
        .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
    ],
    targets: [
        // Pure OSPFv2 codec: packets, LSAs, checksums, authentication. No sockets, no clock.
        .target(
            name: "OSPFWire",
            dependencies: [.product(name: "Crypto", package: "swift-crypto")]
        ),
        // Pure protocol engine: FSMs, LSDB, flooding, origination. Sans-IO: events in, actions out.
        .target(name: "OSPFEngine", dependencies: ["OSPFWire"]),
        // Pure BFD (RFC 5880 asynchronous mode, RFC 5881 single hop): Control packet codec and the
        // session state machine. Sans-IO like the engine: packets and time in, packets and state changes out.
        .target(name: "BFD"),
        // Test doubles for the engine (as NIOEmbedded is for NIO): engines joined by an in-memory
        // network on a virtual clock. Used by tests, generated scenarios and the benchmarks only.
        .target(name: "OSPFEngineTesting", dependencies: ["OSPFEngine", "OSPFWire"]),
        // Everything with side effects: configuration, sockets, timers, signals, control socket; and replay.
        .target(
            name: "SpeakerDaemon",
            dependencies: [
                "OSPFEngine", "OSPFWire", "BFD", "PcapFile", "CSpeakerShims", "HealthChecks", "SystemSupport",
                "TOML",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // Shaping health: check runners, rise/fall hysteresis, the LibreQoS built-in.
        .target(
            name: "HealthChecks",
            dependencies: [
                "CSpeakerShims", "OSPFWire", "SystemSupport", "TOML",
            ]
        ),
        // Files, text and locks through the C library: the daemon links no Foundation.
        .target(name: "SystemSupport"),
        // A TOML 1.0 reader (configuration, replay scenarios, lqos.conf); standard library only.
        .target(name: "TOML"),
        // Small C helpers for the daemon's syscalls (raw sockets with IP_PKTINFO, signalfd, Unix sockets).
        .target(name: "CSpeakerShims"),
        // libpcap from Debian's libpcap-dev.
        .systemLibrary(
            name: "CPcap",
            pkgConfig: "libpcap",
            providers: [.apt(["libpcap-dev"])]
        ),
        // Reading and writing capture files; link-layer and IPv4 framing.
        .target(name: "PcapFile", dependencies: ["CPcap"]),
        .executableTarget(
            name: "ospf-speaker",
            dependencies: [
                "OSPFWire",
                "PcapFile",
                "SpeakerDaemon",
                "OSPFEngine",
                "SystemSupport",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // Release-mode decode/verify throughput benchmark (see docs/benchmarks.md).
        .executableTarget(name: "ospf-wire-bench", dependencies: ["OSPFWire", "PcapFile"]),
        // Release-mode LSDB install-rate benchmark (see docs/benchmarks.md).
        .executableTarget(name: "ospf-engine-bench", dependencies: ["OSPFEngine", "OSPFEngineTesting", "OSPFWire"]),
        // libFuzzer entry point for the packet decoder (see docs/fuzzing.md).
        .executableTarget(name: "ospf-wire-fuzz", dependencies: ["OSPFWire", "BFD"]),
        // The lab's hostile OSPF sender (scripts/tests/hostile): forged, malformed, replayed packets and
        // floods, built with the project's codec. A test tool: not in the package.
        .executableTarget(name: "ospf-lab-sender", dependencies: ["OSPFWire", "PcapFile", "CSpeakerShims"]),
        // libFuzzer entry point for the engine: scripts of packets, timers and operator events,
        // invariants checked after every step (see docs/fuzzing.md).
        .executableTarget(name: "ospf-engine-fuzz", dependencies: ["OSPFEngine", "OSPFWire"]),
        .testTarget(
            name: "OSPFWireTests",
            dependencies: [
                "OSPFWire",
                "PcapFile",
                .product(name: "PropertyBased", package: "swift-property-based"),
            ]
        ),
        .testTarget(name: "PcapFileTests", dependencies: ["PcapFile"]),
        .testTarget(
            name: "BFDTests",
            dependencies: ["BFD", "PcapFile", .product(name: "PropertyBased", package: "swift-property-based")]
        ),
        // Test support: per-thread heap allocation counts (the test executable interposes malloc),
        // so scaling tests count work instead of timing it.
        .target(name: "AllocationCounter", path: "Tests/Support/AllocationCounter"),
        .testTarget(
            name: "OSPFEngineTests", dependencies: ["OSPFEngine", "OSPFEngineTesting", "OSPFWire", "AllocationCounter"]),
        .testTarget(
            name: "SpeakerDaemonTests", dependencies: ["SpeakerDaemon", "OSPFEngine", "OSPFEngineTesting", "OSPFWire"]),
        .testTarget(name: "HealthChecksTests", dependencies: ["HealthChecks"]),
        .testTarget(name: "SystemSupportTests", dependencies: ["SystemSupport", "OSPFWire", "TOML"]),
    ],
    swiftLanguageModes: [.v6]
)
