import OSPFEngine
import OSPFWire

/// An in-memory network of engines, for simulation tests and generated replay
/// scenarios: segments deliver multicast to every other member (AllDRouters
/// only to members that joined it) and unicast by address, after a small delay,
/// with optional random loss. Time is virtual; runs are reproducible.
public struct SimulatedNetwork {
    /// An interface of a router attached to a segment.
    public struct Member: Hashable {
        /// Router name.
        public var router: String
        /// Interface name.
        public var interface: String
    }

    /// A packet in flight.
    public struct Delivery {
        /// When it arrives.
        public var at: Instant
        /// Tie-breaker.
        public var sequence: Int
        /// Recipient.
        public var to: Member
        /// IPv4 source.
        public var source: IPv4Address
        /// IPv4 destination.
        public var destination: IPv4Address
        /// OSPF bytes.
        public var bytes: [UInt8]
    }

    /// Each router's engine with its timers, by router name.
    public var drivers: [String: EngineDriver] = [:]
    /// Engines by router name.
    public var engines: [String: Engine] { drivers.mapValues(\.engine) }
    /// Segment members.
    public var segments: [String: [Member]] = [:]
    /// The segment of each member.
    public var segmentOf: [Member: String] = [:]
    /// Members that joined AllDRouters.
    public var joined: Set<Member> = []
    /// Packets in flight.
    public var queue: [Delivery] = []
    /// Virtual time.
    public var now = Instant.zero
    /// Probability that a delivery is lost.
    public var lossRate = 0.0
    /// Loss randomness.
    public var rng = SeededGenerator(seed: 42)
    /// Delivery counter.
    public var sequence = 0
    /// Every notification, in order.
    public var notifications: [(router: String, at: Instant, Notification)] = []
    /// Transmission delay.
    public var delay = Span.milliseconds(1)
    /// Deliveries attempted.
    public var sent = 0
    /// Deliveries lost.
    public var dropped = 0
    /// What a capture on one router's interfaces would hold: packets it sent (at
    /// sending time) and packets delivered to it (at arrival time).
    public var wireLog: [(at: Instant, source: IPv4Address, destination: IPv4Address, bytes: [UInt8])] = []
    /// The router whose point of view ``wireLog`` records.
    public var observed: String?

    /// An empty network.
    public init() {}

    /// Adds a router whose interfaces attach, in order, to the named segments.
    public mutating func add(_ name: String, _ config: EngineConfiguration, segments names: [String]) {
        drivers[name] = EngineDriver(Engine(config: config))
        for (i, seg) in names.enumerated() {
            let m = Member(router: name, interface: config.interfaces[i].name)
            segments[seg, default: []].append(m)
            segmentOf[m] = seg
        }
    }

    /// Brings every interface up.
    public mutating func start() {
        for name in drivers.keys.sorted() {
            for i in drivers[name]!.engine.config.interfaces { apply(name, .interfaceUp(i.name)) }
        }
    }

    /// Feeds an event to a router and carries out its actions.
    public mutating func apply(_ router: String, _ event: Event) {
        let actions = drivers[router]!.handle(event, now: now)
        for a in actions {
            switch a {
            case .armTimer, .cancelTimer: break
            case .joinGroup(let i, _): joined.insert(Member(router: router, interface: i))
            case .leaveGroup(let i, _): joined.remove(Member(router: router, interface: i))
            case .notify(let n): notifications.append((router, now, n))
            case .send(let i, let destination, let bytes):
                let from = Member(router: router, interface: i)
                guard let seg = segmentOf[from] else { continue }
                let source = drivers[router]!.engine.interfaces[i]!.config.address
                if router == observed { wireLog.append((now, source, destination, bytes)) }
                for m in segments[seg]! where m != from {
                    let address = drivers[m.router]!.engine.interfaces[m.interface]!.config.address
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
    public mutating func run(until deadline: Instant) {
        while true {
            let nextDelivery = queue.min { ($0.at, $0.sequence) < ($1.at, $1.sequence) }
            var nextTimer: (String, TimerID, Instant)?
            for name in drivers.keys.sorted() {
                // Ties are broken by router name, then timer order, so runs are reproducible.
                guard let (t, at) = drivers[name]!.nextTimer else { continue }
                if nextTimer == nil || at < nextTimer!.2 { nextTimer = (name, t, at) }
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
                if d.to.router == observed { wireLog.append((d.at, d.source, d.destination, d.bytes)) }
                apply(
                    d.to.router,
                    .packetReceived(
                        interface: d.to.interface, source: d.source, destination: d.destination, bytes: d.bytes))
            } else if let (name, t, _) = nextTimer {
                _ = drivers[name]!.disarm(t)
                apply(name, .timerFired(t))
            }
        }
    }

    /// Runs for `seconds` of virtual time.
    public mutating func run(for seconds: Double) { run(until: now.adding(Span(nanoseconds: Int64(seconds * 1e9)))) }

    /// A neighbour's state as seen by a router.
    public func state(_ router: String, _ interface: String, _ neighbor: IPv4Address) -> NeighborState? {
        drivers[router]?.engine.interfaces[interface]?.neighbors[neighbor]?.state
    }

    /// The LSDB as comparable (key, sequence, checksum) triples, MaxAge marked.
    public func databaseSummary(_ router: String) -> [String] {
        let db = drivers[router]!.engine.database
        return db.sortedKeys.map { k in
            let e = db[k]!
            return
                "\(k) 0x\(String(e.lsa.header.sequenceNumberBits, radix: 16)) \(e.lsa.header.checksum)\(e.isMaxAge ? " maxage" : "")"
        }
    }

    /// The rejection notifications of a router.
    public func rejections(_ router: String) -> [String] {
        notifications.filter { $0.router == router }.compactMap {
            if case .rejected(_, _, let r) = $0.2 { return "\(r) (\(r.rule))" }
            return nil
        }
    }
}

/// Builders for simulated routers.
public enum Lab {
    /// 10.0.NET.LAST
    public static func address(_ last: UInt8, net: UInt8 = 0) -> IPv4Address { IPv4Address(10, 0, net, last) }

    /// A single-interface router configuration 192.0.2.ID on 10.0.0.ID/24.
    public static func router(
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
