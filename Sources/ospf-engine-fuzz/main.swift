import OSPFEngine
import OSPFWire

/// libFuzzer entry point for the engine as a whole: the input is read as a script of steps
/// (well-formed packets built from the input's bytes, raw packets, time passing with every due
/// timer fired, operator events) fed to one engine with a broadcast and a point-to-point interface
/// and a small LSDB limit (either overflow policy). After every step the invariants below must
/// hold; any trap or violated invariant is a finding. Build and run: docs/fuzzing.md.
///
/// Invariants: no neighbour is kept in Down; below Exchange a neighbour has no request or
/// retransmission list; lists stay bounded; the database never exceeds its limit; every installed
/// LSA has a valid checksum and an age of at most MaxAge.
struct Script {
    var bytes: [UInt8]
    var at = 0
    var done: Bool { at >= bytes.count }
    mutating func byte() -> UInt8 {
        guard at < bytes.count else { return 0 }
        defer { at += 1 }
        return bytes[at]
    }
    mutating func u16() -> UInt16 { UInt16(byte()) << 8 | UInt16(byte()) }
    mutating func u32() -> UInt32 { UInt32(u16()) << 16 | UInt32(u16()) }
    mutating func pick<T>(_ xs: [T]) -> T { xs[Int(byte()) % xs.count] }
}

let me = IPv4Address(192, 0, 2, 1)
/// (interface, router ID, address) of the routers the script speaks for; the last is our own ID.
let peers: [(String, IPv4Address, IPv4Address)] = [
    ("eth0", IPv4Address(192, 0, 2, 2), IPv4Address(10, 0, 0, 2)),
    ("eth0", IPv4Address(192, 0, 2, 3), IPv4Address(10, 0, 0, 3)),
    ("eth0", IPv4Address(192, 0, 2, 4), IPv4Address(10, 0, 0, 4)),
    ("eth1", IPv4Address(192, 0, 2, 5), IPv4Address(10, 1, 0, 2)),
    ("eth0", me, IPv4Address(10, 0, 0, 9)),
]
let limit = 64

/// The overflow policy comes from the input's length (no byte is consumed, so seeds keep their meaning).
func makeEngine(policy: LSDBOverflowPolicy) -> EngineDriver {
    var config = EngineConfiguration(
        routerID: me,
        interfaces: [
            InterfaceConfiguration(
                name: "eth0", address: IPv4Address(10, 0, 0, 1), prefixLength: 24, network: .broadcast, priority: 1,
                helloInterval: 10, deadInterval: 40),
            InterfaceConfiguration(
                name: "eth1", address: IPv4Address(10, 1, 0, 1), prefixLength: 30, network: .pointToPoint,
                helloInterval: 10, deadInterval: 40),
        ],
        advertisements: [
            Advertisement(
                prefix: Prefix(address: IPv4Address(100, 64, 0, 0), length: 24),
                kind: .external(metricType: 2, forwardingAddress: IPv4Address(10, 0, 0, 2), tag: 0), cost: 1),
            Advertisement(prefix: Prefix(address: IPv4Address(192, 0, 2, 1), length: 32), kind: .stub, cost: 5),
        ], seed: 11)
    config.lsdbLimit = limit
    config.lsdbOverflowHoldSeconds = 30
    config.lsdbOverflowPolicy = policy
    return EngineDriver(Engine(config: config))
}

/// An LSA from a small key space (so instances collide), sometimes with a bad checksum.
func lsa(_ s: inout Script) -> LSA {
    let kind = s.byte() % 3
    let router = s.pick(peers.map(\.1) + [IPv4Address(198, 51, 100, 7)])
    let id = IPv4Address(10, 9, 0, s.byte() % 8)
    let seq = Int32(bitPattern: 0x8000_0001 &+ UInt32(s.byte() % 6)) &+ (s.byte() == 255 ? 0x7FFF_FFF0 : 0)
    let age = s.pick([0, 1, 1, 2, 900, 1800, 3599, 3600, 3700] as [UInt16])
    let body: LSA.Body
    let type: LSType
    switch kind {
    case 0:
        type = .router
        let links = (0..<Int(s.byte() % 4)).map { _ in
            RouterLSA.Link(
                id: IPv4Address(10, 0, 0, s.byte() % 4), data: IPv4Address(10, 0, 0, s.byte() % 4),
                type: RouterLSA.LinkType(code: 1 + s.byte() % 3), metric: s.u16())
        }
        body = .router(RouterLSA(flags: [], links: links))
    case 1:
        type = .network
        body = .network(
            NetworkLSA(networkMask: IPv4Address(255, 255, 255, 0), attachedRouters: [router, s.pick(peers.map(\.1))]))
    default:
        type = .asExternal
        body = .external(
            ASExternalLSA(
                networkMask: IPv4Address(255, 255, 255, 0), metricType: 1 + Int(s.byte() % 2), metric: UInt32(s.u16()),
                forwardingAddress: s.pick([.any, IPv4Address(10, 0, 0, 2)]), tag: 0))
    }
    let l = LSA(
        header: LSAHeader(
            age: age, options: .e, type: type, linkStateID: kind == 0 ? router : id, advertisingRouter: router,
            sequenceNumber: seq, checksum: 0, length: 0), body: body)
    return s.byte() % 16 == 0 ? l : l.finalized()
}

func packet(_ s: inout Script) -> (String, IPv4Address, IPv4Address, [UInt8]) {
    let (name, rid, address) = s.pick(peers)
    let destination = s.pick([IPv4Address.allSPFRouters, .allSPFRouters, .allDRouters, IPv4Address(10, 0, 0, 1)])
    let body: Packet.Body
    switch s.byte() % 5 {
    case 0:
        let listed = (0..<Int(s.byte() % 3)).map { _ in s.pick(peers.map(\.1) + [me]) }
        body = .hello(
            Hello(
                networkMask: name == "eth0" ? IPv4Address(255, 255, 255, 0) : .any,
                helloInterval: s.byte() == 7 ? 5 : 10, options: .e, priority: s.byte() % 3,
                deadInterval: 40, designatedRouter: s.pick([.any, address, IPv4Address(10, 0, 0, 1)]),
                backupDesignatedRouter: s.pick([.any, address, IPv4Address(10, 0, 0, 1)]), neighbors: listed))
    case 1:
        let headers = (0..<Int(s.byte() % 4)).map { _ in lsa(&s).header }
        body = .databaseDescription(
            DatabaseDescription(
                interfaceMTU: s.pick([1500, 1500, 9000, 0]), options: .e,
                flags: DatabaseDescription.Flags(rawValue: s.byte() & 0x07),
                sequenceNumber: s.byte() < 128 ? UInt32(s.byte() % 8) : s.u32(), lsaHeaders: headers))
    case 2:
        let entries = (0..<Int(1 + s.byte() % 3)).map { _ -> LinkStateRequest.Entry in
            let h = lsa(&s).header
            return .init(
                lsType: UInt32(h.type.code), linkStateID: h.linkStateID, advertisingRouter: h.advertisingRouter)
        }
        body = .linkStateRequest(LinkStateRequest(entries: entries))
    case 3:
        body = .linkStateUpdate(LinkStateUpdate(lsas: (0..<Int(1 + s.byte() % 6)).map { _ in lsa(&s) }))
    default:
        body = .linkStateAcknowledgment(
            LinkStateAcknowledgment(lsaHeaders: (0..<Int(1 + s.byte() % 4)).map { _ in lsa(&s).header }))
    }
    return (name, address, destination, Packet(routerID: rid, areaID: .any, body: body).encoded())
}

func check(_ e: Engine) {
    for name in ["eth0", "eth1"] {
        guard let i = e.interfaces[name] else { continue }
        for id in i.sortedNeighborIDs {
            guard let n = i.neighbors[id] else { fatalError("listed neighbour \(id) missing on \(name)") }
            if n.state == .down { fatalError("neighbour \(id) on \(name) kept in Down") }
            if n.state < .exchange && !(n.requestList.isEmpty && n.retransmissionList.isEmpty) {
                fatalError("neighbour \(id) on \(name) in \(n.state) with lists")
            }
            if n.requestList.count > 4 * limit || n.retransmissionList.count > 4 * limit {
                fatalError("unbounded lists on \(id)")
            }
        }
    }
    if e.database.count > limit { fatalError("database \(e.database.count) above its limit \(limit)") }
    for key in e.database.keys {
        guard let entry = e.database[key] else { fatalError("key \(key) without entry") }
        if !entry.lsa.checksumValid { fatalError("installed \(key) with a bad checksum") }
        if entry.lsa.header.age > 3600 { fatalError("installed \(key) older than MaxAge") }
    }
}

/// One input: a fresh engine, the script run step by step, the invariants after each.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    var s = Script(bytes: Array(UnsafeBufferPointer(start: data, count: size)))
    var driver = makeEngine(policy: size % 2 == 0 ? .refuse : .isolate)
    var now = Instant.seconds(1)
    _ = driver.handle(.interfaceUp("eth0"), now: now)
    _ = driver.handle(.interfaceUp("eth1"), now: now)
    var steps = 0
    while !s.done && steps < 400 {
        steps += 1
        switch s.byte() % 10 {
        case 0, 1, 2, 3, 4:
            let (name, source, destination, bytes) = packet(&s)
            _ = driver.handle(
                .packetReceived(interface: name, source: source, destination: destination, bytes: bytes), now: now)
        case 5:
            // Raw bytes as a packet (mostly rejected by the decoder: exercises the reject paths).
            let n = Int(s.byte())
            let raw = (0..<n).map { _ in s.byte() }
            _ = driver.handle(
                .packetReceived(
                    interface: s.pick(["eth0", "eth1"]), source: IPv4Address(10, 0, 0, 2), destination: .allSPFRouters,
                    bytes: raw), now: now)
        case 6, 7:
            now = now.adding(.milliseconds(Int64(s.u16() % 30_000)))
            while let t = driver.takeDueTimer(at: now) { _ = driver.handle(.timerFired(t), now: now) }
        case 8:
            let events: [Event] = [
                .maintenance(true), .maintenance(false),
                .setAdvertisement(Prefix(address: IPv4Address(100, 64, 0, 0), length: 24), cost: UInt32(s.byte())),
                .setAdvertisement(Prefix(address: IPv4Address(100, 64, 0, 0), length: 24), cost: nil),
                .interfaceDown("eth1"), .interfaceUp("eth1"), .interfaceDown("eth0"), .interfaceUp("eth0"),
                .killNeighbor(interface: "eth0", routerID: IPv4Address(192, 0, 2, 2)),
                .reconfigure(advertisements: [], maxMetric: s.byte() % 2 == 0),
            ]
            _ = driver.handle(s.pick(events), now: now)
        default:
            // One byte, as before this event existed (seeds keep their meaning): a reload of the
            // database limit (8...64, either policy) for low values, shutdown for high ones.
            let b = s.byte()
            if b > 240 {
                _ = driver.handle(.shutdown, now: now)
            } else if b < 8 {
                let event = Event.setDatabaseLimit(
                    Int(b) * 8 + 8, policy: b % 2 == 0 ? .refuse : .isolate, holdSeconds: 30)
                _ = driver.handle(event, now: now)
            }
        }
        check(driver.engine)
    }
    return 0
}
