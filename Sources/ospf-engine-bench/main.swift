import OSPFEngine
import OSPFEngineTesting
import OSPFWire

#if canImport(Glibc)
    import Glibc
#endif

/// LSDB install-rate benchmark (release build):
///
///     swift run -c release ospf-engine-bench [--lsas N] [--per-update K]
///
/// Brings one engine to Full with a scripted peer on a point-to-point link,
/// then feeds N distinct AS-external LSAs in LS Updates of K LSAs each, as
/// received from the peer (checksum check, 13.1 comparison, install,
/// flooding decision, delayed-ack bookkeeping). Prints LSAs/s and the process's
/// resident memory afterwards.
///
///     ospf-engine-bench --sync N
///
/// Database synchronisation between two engines on a simulated point-to-point link: router A
/// originates N AS-external LSAs, then router B comes up and synchronises with it (A describes
/// and answers requests, B requests and installs). Prints B's LSDB size and the wall time; run
/// under `valgrind --tool=callgrind` to count instructions (scripts/bench/sync-work).

func monotonicSeconds() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

func residentMB() -> Double {
    guard let f = fopen("/proc/self/statm", "r") else { return 0 }
    defer { fclose(f) }
    var size = 0
    var resident = 0
    _ = withUnsafeMutablePointer(to: &size) { s in
        withUnsafeMutablePointer(to: &resident) { r in
            withVaList([s, r]) { vfscanf(f, "%ld %ld", $0) }
        }
    }
    return Double(resident * Int(sysconf(Int32(_SC_PAGESIZE)))) / 1_048_576
}

let args = Array(CommandLine.arguments.dropFirst())
@MainActor func option(_ name: String, _ fallback: Int) -> Int {
    guard let i = args.firstIndex(of: name), i + 1 < args.count, let v = Int(args[i + 1]) else { return fallback }
    return v
}
let syncSize = option("--sync", 0)
if syncSize > 0 {
    func router(_ id: UInt8, advertisements: [Advertisement]) -> EngineConfiguration {
        EngineConfiguration(
            routerID: IPv4Address(192, 0, 2, id),
            interfaces: [
                InterfaceConfiguration(
                    name: "eth0", address: IPv4Address(10, 0, 0, id), prefixLength: 24, network: .pointToPoint,
                    helloInterval: 10, deadInterval: 40, retransmitInterval: 5)
            ], advertisements: advertisements, seed: UInt64(id))
    }
    let ads = (0..<syncSize).map { i in
        Advertisement(
            prefix: Prefix(address: IPv4Address(UInt32(0x6400_0000) | UInt32(i) << 8), length: 24),
            kind: .external(metricType: 2, forwardingAddress: .any, tag: 0), cost: 20)
    }
    var sim = SimulatedNetwork()
    sim.add("a", router(1, advertisements: ads), segments: ["link"])
    sim.add("b", router(2, advertisements: []), segments: ["link"])
    sim.apply("a", .interfaceUp("eth0"))
    let start = monotonicSeconds()
    sim.apply("b", .interfaceUp("eth0"))
    var full = false
    for _ in 0..<600 {
        sim.run(for: 0.1)
        if sim.state("b", "eth0", IPv4Address(192, 0, 2, 1)) == .full {
            full = true
            break
        }
    }
    let elapsed = monotonicSeconds() - start
    let count = sim.drivers["b"]!.engine.database.count
    print("sync \(syncSize): B \(full ? "Full" : "not Full") with \(count) LSAs in \(Int(elapsed * 1000)) ms (wall)")
    exit(full && count >= syncSize ? 0 : 1)
}
let total = option("--lsas", 50_000)
let perUpdate = option("--per-update", 100)

let me = IPv4Address(10, 0, 0, 1)
let peer = IPv4Address(10, 0, 0, 2)
var engine = Engine(
    config: EngineConfiguration(
        routerID: me,
        interfaces: [
            InterfaceConfiguration(
                name: "eth0", address: me, prefixLength: 30, network: .pointToPoint, helloInterval: 10, deadInterval: 40
            )
        ], seed: 1))
var now = Instant.seconds(1)
@MainActor func deliver(_ body: Packet.Body) {
    let bytes = Packet(routerID: peer, areaID: .any, body: body).encoded()
    _ = engine.handle(
        .packetReceived(interface: "eth0", source: peer, destination: .allSPFRouters, bytes: bytes), now: now)
}
_ = engine.handle(.interfaceUp("eth0"), now: now)
deliver(
    .hello(
        Hello(
            networkMask: .any, helloInterval: 10, options: .e, priority: 1, deadInterval: 40, designatedRouter: .any,
            backupDesignatedRouter: .any, neighbors: [me])))
deliver(
    .databaseDescription(
        DatabaseDescription(
            interfaceMTU: 1500, options: .e, flags: [.initial, .more, .master], sequenceNumber: 9, lsaHeaders: [])))
deliver(
    .databaseDescription(
        DatabaseDescription(interfaceMTU: 1500, options: .e, flags: [.master], sequenceNumber: 10, lsaHeaders: [])))
guard engine.interfaces["eth0"]?.neighbors[peer]?.state == .full else {
    print("the scripted peer did not reach Full")
    exit(1)
}

// Pre-build the updates (encoding is not part of the measurement).
var updates: [[UInt8]] = []
var index = 0
while index < total {
    let count = min(perUpdate, total - index)
    let lsas = (0..<count).map { k -> LSA in
        let n = UInt32(index + k)
        return LSA(
            header: LSAHeader(
                age: 1, options: .e, type: .asExternal, linkStateID: IPv4Address(0x6400_0000 + n << 8),
                advertisingRouter: peer, sequenceNumber: Int32(bitPattern: 0x8000_0001), checksum: 0, length: 0),
            body: .external(
                ASExternalLSA(
                    networkMask: IPv4Address(255, 255, 255, 0), metricType: 2, metric: 20, forwardingAddress: .any,
                    tag: n))
        ).finalized()
    }
    updates.append(Packet(routerID: peer, areaID: .any, body: .linkStateUpdate(LinkStateUpdate(lsas: lsas))).encoded())
    index += count
}
let before = residentMB()
let start = monotonicSeconds()
for u in updates {
    _ = engine.handle(.packetReceived(interface: "eth0", source: peer, destination: .allSPFRouters, bytes: u), now: now)
}
let elapsed = monotonicSeconds() - start
print("installed: \(engine.database.count - 1) LSAs (+ our Router-LSA) in \(updates.count) updates")
print("LSAs/s: \(Int(Double(total) / elapsed)) (\(String(Int(elapsed * 1000))) ms)")
print("resident memory: \(Int(residentMB())) MB after, \(Int(before)) MB before the updates")
