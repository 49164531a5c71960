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
///
///     ospf-engine-bench --exchange N [--rounds R] [--evict KB]
///
/// The receiving side of a synchronisation as the lab's peer drives it: a scripted master
/// describes N AS-external LSAs in DDs of 72 headers (an MTU of 1500) and answers each LS Request
/// with LS Updates of 40 LSAs, as BIRD does. Prints the engine's time per DD (answer and header
/// examination), per LS Update and per LSA, the best of R rounds (default 5): the work on the
/// exchange's critical path, without the network. With --evict, KB of other memory is read
/// before each packet (untimed), so the engine meets the cold cache it meets on a busy machine.

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
let exchangeSize = option("--exchange", 0)
if exchangeSize > 0 {
    let rounds = option("--rounds", 5)
    // --evict KB: between packets (untimed) read KB of other memory, as the peer, the kernel
    // and other processes do on a shared machine, so the engine meets a cold cache.
    let evictLines = option("--evict", 0) * 1024 / 64
    var evictBuffer = [UInt64](repeating: 1, count: evictLines * 8)
    var evictSum: UInt64 = 0
    func evict() {
        guard evictLines > 0 else { return }
        evictBuffer.withUnsafeBufferPointer { b in
            var i = 0
            while i < b.count {
                evictSum &+= b[i]
                i += 8
            }
        }
        evictBuffer[Int(evictSum % UInt64(evictBuffer.count))] &+= 1
    }
    let me = IPv4Address(10, 0, 0, 1)
    let peer = IPv4Address(10, 0, 0, 2)
    let keys = (0..<exchangeSize).map { i in
        LSA(
            header: LSAHeader(
                age: 1, options: .e, type: .asExternal, linkStateID: IPv4Address(0x0A00_0000 + UInt32(i)),
                advertisingRouter: peer, sequenceNumber: Int32(bitPattern: 0x8000_0001), checksum: 0, length: 0),
            body: .external(
                ASExternalLSA(
                    networkMask: IPv4Address(255, 255, 255, 255), metricType: 2, metric: 20, forwardingAddress: .any,
                    tag: 0))
        ).finalized()
    }
    var byKey: [LSAKey: LSA] = [:]
    for l in keys { byKey[LSAKey(l.header)] = l }
    var best = (dd: Double.infinity, lsu: Double.infinity, total: Double.infinity)
    var counts = (dd: 0, lsu: 0)
    for _ in 0..<rounds {
        var e = Engine(
            config: EngineConfiguration(
                routerID: me,
                interfaces: [
                    InterfaceConfiguration(
                        name: "eth0", address: me, prefixLength: 30, network: .pointToPoint, helloInterval: 10,
                        deadInterval: 40)
                ], seed: 1))
        let t = Instant.seconds(1)
        func packet(_ body: Packet.Body) -> Event {
            .packetReceived(
                interface: "eth0", source: peer, destination: .allSPFRouters,
                bytes: Packet(routerID: peer, areaID: .any, body: body).encoded())
        }
        _ = e.handle(.interfaceUp("eth0"), now: t)
        _ = e.handle(
            packet(
                .hello(
                    Hello(
                        networkMask: .any, helloInterval: 10, options: .e, priority: 1, deadInterval: 40,
                        designatedRouter: .any, backupDesignatedRouter: .any, neighbors: [me]))), now: t)
        var sequence: UInt32 = 100
        _ = e.handle(
            packet(
                .databaseDescription(
                    DatabaseDescription(
                        interfaceMTU: 1500, options: .e, flags: [.initial, .more, .master], sequenceNumber: sequence,
                        lsaHeaders: []))), now: t)
        // The peer's packets are encoded before the clock starts; only the engine is timed.
        var ddTime = 0.0
        var lsuTime = 0.0
        var requests: [LinkStateRequest.Entry] = []
        var dds = 0
        var lsus = 0
        /// Feeds one packet to the engine after the eviction; returns its actions and the
        /// engine's time.
        func timedHandle(_ event: Event) -> (actions: [Action], seconds: Double) {
            evict()
            let start = monotonicSeconds()
            let actions = e.handle(event, now: t)
            return (actions, monotonicSeconds() - start)
        }
        func collectRequests(_ actions: [Action]) {
            for case .send(_, _, let bytes) in actions {
                if let p = try? Packet(decoding: bytes), case .linkStateRequest(let r) = p.body {
                    requests.append(contentsOf: r.entries)
                }
            }
        }
        func answerRequests() {
            while !requests.isEmpty {
                let batch = requests
                requests = []
                var i = 0
                while i < batch.count {
                    let part = batch[i..<min(i + 40, batch.count)].map { r in
                        byKey[
                            LSAKey(
                                type: LSType(code: UInt8(r.lsType)), linkStateID: r.linkStateID,
                                advertisingRouter: r.advertisingRouter)]!
                    }
                    let (actions, seconds) = timedHandle(packet(.linkStateUpdate(LinkStateUpdate(lsas: part))))
                    lsuTime += seconds
                    lsus += 1
                    collectRequests(actions)
                    i += 40
                }
            }
        }
        var next = 0
        while true {
            sequence &+= 1
            let headers = keys[next..<min(next + 72, keys.count)].map(\.header)
            next += headers.count
            let more = next < keys.count
            let event = packet(
                .databaseDescription(
                    DatabaseDescription(
                        interfaceMTU: 1500, options: .e, flags: more ? [.more, .master] : [.master],
                        sequenceNumber: sequence, lsaHeaders: headers)))
            let (actions, seconds) = timedHandle(event)
            ddTime += seconds
            dds += 1
            collectRequests(actions)
            answerRequests()
            if !more { break }
        }
        guard e.interfaces["eth0"]?.neighbors[peer]?.state == .full, e.database.count >= exchangeSize else {
            print("exchange \(exchangeSize): the engine did not reach Full")
            exit(1)
        }
        if ddTime + lsuTime < best.total {
            best = (ddTime, lsuTime, ddTime + lsuTime)
            counts = (dds, lsus)
        }
    }
    /// One decimal place.
    func tenths(_ x: Double) -> String {
        let t = Int((x * 10).rounded())
        return "\(t / 10).\(t % 10)"
    }
    let perDD = tenths(best.dd / Double(counts.dd) * 1e6)
    let perUpdate = tenths(best.lsu / Double(counts.lsu) * 1e6)
    let perLSA = Int((best.total / Double(exchangeSize) * 1e9).rounded())
    let ms = tenths(best.total * 1000)
    print(
        "exchange \(exchangeSize): \(counts.dd) DDs, \(counts.lsu) LS Updates; best of \(rounds): \(perDD) us per DD, "
            + "\(perUpdate) us per LS Update, \(perLSA) ns per LSA (\(ms) ms)")
    exit(0)
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
