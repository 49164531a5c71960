import OSPFWire

@testable import OSPFEngine

/// The engine under test with two point-to-point interfaces, `eth0` to peer A and `eth1` to
/// peer B, each peer a scripted OSPF router with a higher router ID (so it is master of the
/// exchange). The peers answer what the engine sends: DD packets in turn, LS Requests with the
/// requested LSAs packed to the MTU, LS Updates with direct acknowledgements. No timer fires
/// unless a test fires it.
struct TwoLinkHarness {
    struct Peer {
        var interface: String
        var routerID: IPv4Address
        var address: IPv4Address
        /// The peer's database, in description order.
        var lsas: [LSA] = [] {
            didSet { index = Dictionary(uniqueKeysWithValues: lsas.enumerated().map { (LSAKey($1.header), $0) }) }
        }
        var index: [LSAKey: Int] = [:]
        /// LSAs the engine sent to the peer.
        var received: [LSA] = []
        var ddSequence: UInt32 = 9000
        /// Headers still to describe.
        var toDescribe: ArraySlice<LSAHeader> = []
        var describedAll = false
        /// Drop every packet the engine sends to this peer (loss).
        var deaf = false
        /// Send a Hello before the next DD (once).
        var helloBeforeNextDD = false
        /// LS Updates the peer sent.
        var updatesSent = 0
        /// LSAs the engine described that the peer lacks, still to request, in order.
        var wanted: [LSAKey] = []
        var wantedNext = 0
        /// Requests of the last LS Request still unanswered.
        var awaiting: Set<LSAKey> = []
    }

    var engine: Engine
    var now = Instant.seconds(100)
    var peers: [Peer]
    /// Every packet the engine sent, decoded, with its interface.
    var sent: [(interface: String, packet: Packet)] = []
    var notifications: [OSPFEngine.Notification] = []
    static let me = IPv4Address(192, 0, 2, 1)

    init(advertisements: [Advertisement] = [], maxMetric: Bool? = nil) {
        func link(_ name: String, _ third: UInt8) -> InterfaceConfiguration {
            InterfaceConfiguration(
                name: name, address: IPv4Address(10, 0, third, 1), prefixLength: 24, network: .pointToPoint,
                cost: 10, priority: 1, helloInterval: 10, deadInterval: 40, retransmitInterval: 5, mtu: 1500)
        }
        var config = EngineConfiguration(
            routerID: Self.me, interfaces: [link("eth0", 0), link("eth1", 1)], advertisements: advertisements, seed: 3)
        if let maxMetric { config.maxMetric = maxMetric }
        engine = Engine(config: config)
        peers = [
            Peer(interface: "eth0", routerID: IPv4Address(192, 0, 2, 9), address: IPv4Address(10, 0, 0, 9)),
            Peer(interface: "eth1", routerID: IPv4Address(192, 0, 2, 8), address: IPv4Address(10, 0, 1, 8)),
        ]
        step(.interfaceUp("eth0"))
        step(.interfaceUp("eth1"))
    }

    func state(_ p: Int) -> NeighborState? {
        engine.interfaces[peers[p].interface]?.neighbors[peers[p].routerID]?.state
    }

    func neighbor(_ p: Int) -> Neighbor? { engine.interfaces[peers[p].interface]?.neighbors[peers[p].routerID] }

    /// Feeds an event and lets the peers answer until nothing more happens.
    mutating func step(_ event: Event) {
        var queue: [Event] = [event]
        while !queue.isEmpty {
            let e = queue.removeFirst()
            now = now.adding(Span(nanoseconds: 100_000))
            for action in engine.handle(e, now: now) {
                switch action {
                case .send(let name, _, let bytes):
                    guard let packet = try? Packet(decoding: bytes) else { continue }
                    sent.append((name, packet))
                    guard let p = peers.firstIndex(where: { $0.interface == name }), !peers[p].deaf else { continue }
                    queue += answer(p, packet)
                case .notify(let n): notifications.append(n)
                default: break
                }
            }
        }
    }

    func packet(_ p: Int, _ body: Packet.Body) -> Event {
        let bytes = Packet(routerID: peers[p].routerID, areaID: .any, body: body).encoded()
        return .packetReceived(
            interface: peers[p].interface, source: peers[p].address, destination: .allSPFRouters, bytes: bytes)
    }

    func hello(_ p: Int, listing: Bool = true) -> Event {
        packet(
            p,
            .hello(
                Hello(
                    networkMask: .any, helloInterval: 10, options: .e, priority: 1, deadInterval: 40,
                    designatedRouter: .any, backupDesignatedRouter: .any, neighbors: listing ? [Self.me] : [])))
    }

    /// The peer's next DD as master (10.8): up to 72 headers, M while more remain.
    mutating func nextDD(_ p: Int) -> Event {
        let batch = peers[p].toDescribe.prefix(72)
        peers[p].toDescribe = peers[p].toDescribe.dropFirst(batch.count)
        let more = !peers[p].toDescribe.isEmpty
        if !more { peers[p].describedAll = true }
        return packet(
            p,
            .databaseDescription(
                DatabaseDescription(
                    interfaceMTU: 1500, options: [.e, .o], flags: more ? [.more, .master] : [.master],
                    sequenceNumber: peers[p].ddSequence, lsaHeaders: Array(batch))))
    }

    /// The peer's reaction to a packet from the engine.
    mutating func answer(_ p: Int, _ packet: Packet) -> [Event] {
        switch packet.body {
        case .databaseDescription(let dd):
            // The engine is slave: each of its DDs acknowledges ours; send the next until done.
            guard !dd.flags.contains(.master), dd.sequenceNumber == peers[p].ddSequence else { return [] }
            for h in dd.lsaHeaders where peers[p].index[LSAKey(h)] == nil { peers[p].wanted.append(LSAKey(h)) }
            if peers[p].describedAll && !dd.flags.contains(.more) { return nextRequest(p) }
            peers[p].ddSequence &+= 1
            if peers[p].helloBeforeNextDD {
                peers[p].helloBeforeNextDD = false
                return [hello(p), nextDD(p)]
            }
            return [nextDD(p)]
        case .linkStateRequest(let r):
            var out: [Event] = []
            var batch: [LSA] = []
            for e in r.entries {
                let key = LSAKey(
                    type: LSType(code: UInt8(truncatingIfNeeded: e.lsType)), linkStateID: e.linkStateID,
                    advertisingRouter: e.advertisingRouter)
                guard let i = peers[p].index[key] else { continue }
                batch.append(peers[p].lsas[i])
                if batch.count == 40 {
                    out.append(self.packet(p, .linkStateUpdate(LinkStateUpdate(lsas: batch))))
                    batch = []
                }
            }
            if !batch.isEmpty { out.append(self.packet(p, .linkStateUpdate(LinkStateUpdate(lsas: batch)))) }
            peers[p].updatesSent += out.count
            return out
        case .linkStateUpdate(let u):
            peers[p].received += u.lsas
            var out = [
                self.packet(p, .linkStateAcknowledgment(LinkStateAcknowledgment(lsaHeaders: u.lsas.map(\.header))))
            ]
            if !peers[p].awaiting.isEmpty {
                for l in u.lsas { peers[p].awaiting.remove(LSAKey(l.header)) }
                if peers[p].awaiting.isEmpty { out += nextRequest(p) }
            }
            return out
        default:
            return []
        }
    }

    /// The peer's next LS Request (121 entries) for what the engine described and it lacks.
    mutating func nextRequest(_ p: Int) -> [Event] {
        let start = peers[p].wantedNext
        let end = min(peers[p].wanted.count, start + 121)
        guard start < end else { return [] }
        peers[p].wantedNext = end
        let keys = peers[p].wanted[start..<end]
        peers[p].awaiting = Set(keys)
        let entries = keys.map {
            LinkStateRequest.Entry(
                lsType: UInt32($0.type.code), linkStateID: $0.linkStateID, advertisingRouter: $0.advertisingRouter)
        }
        return [packet(p, .linkStateRequest(LinkStateRequest(entries: entries)))]
    }

    /// Brings peer `p` to Full: Hellos both ways, then the peer (master) describes its database
    /// and answers the engine's requests.
    mutating func bringUp(_ p: Int) {
        peers[p].toDescribe = ArraySlice(peers[p].lsas.map(\.header))
        peers[p].describedAll = false
        step(hello(p))
        step(
            packet(
                p,
                .databaseDescription(
                    DatabaseDescription(
                        interfaceMTU: 1500, options: [.e, .o], flags: [.initial, .more, .master],
                        sequenceNumber: peers[p].ddSequence, lsaHeaders: []))))
    }

    /// Fires a timer as the daemon would.
    mutating func fire(_ timer: TimerID, after seconds: Int64) {
        now = now.adding(.seconds(seconds))
        step(.timerFired(timer))
    }

    /// A type-5 LSA from `router` for 10.x.y.0/24 number `i`.
    static func external(_ i: Int, from router: IPv4Address, seq: Int32 = Int32(bitPattern: 0x8000_0001)) -> LSA {
        LSA(
            header: LSAHeader(
                age: 1, options: .e, type: .asExternal,
                linkStateID: IPv4Address(UInt32(0x0A00_0000) | UInt32(i) << 8), advertisingRouter: router,
                sequenceNumber: seq, checksum: 0, length: 0),
            body: .external(
                ASExternalLSA(
                    networkMask: IPv4Address(255, 255, 255, 0), metricType: 2, metric: 20, forwardingAddress: .any,
                    tag: 0))
        ).finalized()
    }
}
