import OSPFWire

@testable import OSPFEngine

/// An in-memory network of engines: segments deliver multicast to every other
/// member (AllDRouters only to members that joined it) and unicast by address,
/// after a small delay, with optional random loss. Time is virtual.
struct Simulation {
    struct Member: Hashable {
        var router: String
        var interface: String
    }

    struct Delivery {
        var at: Instant
        var sequence: Int
        var to: Member
        var source: IPv4Address
        var destination: IPv4Address
        var bytes: [UInt8]
    }

    var engines: [String: Engine] = [:]
    var timers: [String: [TimerID: Instant]] = [:]
    var segments: [String: [Member]] = [:]
    var segmentOf: [Member: String] = [:]
    var joined: Set<Member> = []
    var queue: [Delivery] = []
    var now = Instant.zero
    var lossRate = 0.0
    var rng = SeededGenerator(seed: 42)
    var sequence = 0
    var notifications: [(router: String, at: Instant, Notification)] = []
    var delay = Span.milliseconds(1)
    var sent = 0
    var dropped = 0

    mutating func add(_ name: String, _ config: EngineConfiguration, segments names: [String]) {
        engines[name] = Engine(config: config)
        timers[name] = [:]
        for (i, seg) in names.enumerated() {
            let m = Member(router: name, interface: config.interfaces[i].name)
            segments[seg, default: []].append(m)
            segmentOf[m] = seg
        }
    }

    mutating func start() {
        for name in engines.keys.sorted() {
            for i in engines[name]!.config.interfaces { apply(name, .interfaceUp(i.name)) }
        }
    }

    mutating func apply(_ router: String, _ event: Event) {
        let actions = engines[router]!.handle(event, now: now)
        for a in actions {
            switch a {
            case .armTimer(let t, let at): timers[router]![t] = at
            case .cancelTimer(let t): timers[router]![t] = nil
            case .joinGroup(let i, _): joined.insert(Member(router: router, interface: i))
            case .leaveGroup(let i, _): joined.remove(Member(router: router, interface: i))
            case .notify(let n): notifications.append((router, now, n))
            case .send(let i, let destination, let bytes):
                let from = Member(router: router, interface: i)
                guard let seg = segmentOf[from] else { continue }
                let source = engines[router]!.interfaces[i]!.config.address
                for m in segments[seg]! where m != from {
                    let address = engines[m.router]!.interfaces[m.interface]!.config.address
                    let wanted =
                        destination == .allSPFRouters || (destination == .allDRouters && joined.contains(m))
                        || destination == address
                    guard wanted else { continue }
                    sent += 1
                    if lossRate > 0 && Double.random(in: 0..<1, using: &rng) < lossRate {
                        dropped += 1
                        continue
                    }
                    sequence += 1
                    queue.append(
                        Delivery(
                            at: now.adding(delay), sequence: sequence, to: m, source: source, destination: destination,
                            bytes: bytes))
                }
            }
        }
    }

    /// Runs until `deadline`, processing deliveries and timers in time order.
    mutating func run(until deadline: Instant) {
        while true {
            let nextDelivery = queue.min { ($0.at, $0.sequence) < ($1.at, $1.sequence) }
            var nextTimer: (String, TimerID, Instant)?
            for name in timers.keys.sorted() {
                // Ties are broken by the timer's name so runs are reproducible.
                for (t, at) in timers[name]!
                where nextTimer == nil || (at, t.description) < (nextTimer!.2, nextTimer!.1.description) {
                    nextTimer = (name, t, at)
                }
            }
            let deliveryAt = nextDelivery?.at
            let timerAt = nextTimer?.2
            guard let soonest = [deliveryAt, timerAt].compactMap({ $0 }).min(), soonest <= deadline else {
                now = deadline
                return
            }
            now = max(now, soonest)
            if let d = nextDelivery, d.at == soonest {
                queue.removeAll { $0.sequence == d.sequence }
                apply(
                    d.to.router,
                    .packetReceived(
                        interface: d.to.interface, source: d.source, destination: d.destination, bytes: d.bytes))
            } else if let (name, t, _) = nextTimer {
                timers[name]![t] = nil
                apply(name, .timerFired(t))
            }
        }
    }

    mutating func run(for seconds: Double) { run(until: now.adding(Span(nanoseconds: Int64(seconds * 1e9)))) }

    func state(_ router: String, _ interface: String, _ neighbor: IPv4Address) -> NeighborState? {
        engines[router]?.interfaces[interface]?.neighbors[neighbor]?.state
    }

    /// The LSDB as comparable (key, sequence, checksum) triples, MaxAge marked.
    func databaseSummary(_ router: String) -> [String] {
        let db = engines[router]!.database
        return db.sortedKeys.map { k in
            let e = db[k]!
            return
                "\(k) 0x\(String(e.lsa.header.sequenceNumberBits, radix: 16)) \(e.lsa.header.checksum)\(e.isMaxAge ? " maxage" : "")"
        }
    }

    func rejections(_ router: String) -> [String] {
        notifications.filter { $0.router == router }.compactMap {
            if case .rejected(_, _, let reason, let rule) = $0.2 { return "\(reason) (\(rule))" }
            return nil
        }
    }
}

enum Lab {
    static func address(_ last: UInt8, net: UInt8 = 0) -> IPv4Address { IPv4Address(10, 0, net, last) }

    static func router(
        _ id: UInt8, priority: UInt8 = 1, network: NetworkType = .broadcast, advertisements: [Advertisement] = [],
        auth: AuthenticationKey? = nil, seed: UInt64? = nil, hello: UInt16 = 1, dead: UInt32 = 4
    ) -> EngineConfiguration {
        EngineConfiguration(
            routerID: IPv4Address(192, 0, 2, id),
            interfaces: [
                InterfaceConfiguration(
                    name: "eth0", address: address(id), prefixLength: 24, network: network, cost: 10,
                    priority: priority,
                    helloInterval: hello, deadInterval: dead, retransmitInterval: 2, authentication: auth)
            ], advertisements: advertisements, seed: seed ?? UInt64(id), cryptoSequenceStart: 1000)
    }
}
