import OSPFWire

@testable import OSPFEngine

/// Drives one engine (the router under test) with hand-crafted packets from a
/// scripted peer, and records what it does.
struct Harness {
    var engine: Engine
    var now = Instant.seconds(100)
    var log: [Action] = []
    let me = IPv4Address(192, 0, 2, 1)
    let myAddress = IPv4Address(10, 0, 0, 1)
    let peer = IPv4Address(192, 0, 2, 9)
    let peerAddress = IPv4Address(10, 0, 0, 9)
    var peerKey: AuthenticationKey?
    var cryptoSeq: UInt32 = 1

    init(
        network: NetworkType = .pointToPoint, priority: UInt8 = 1, auth: AuthenticationKey? = nil,
        advertisements: [Advertisement] = [], mtuIgnore: Bool = false, lsdbLimit: Int? = nil, overflowHold: Int = 60,
        overflowPolicy: LSDBOverflowPolicy = .refuse
    ) {
        var config = EngineConfiguration(
            routerID: IPv4Address(192, 0, 2, 1),
            interfaces: [
                InterfaceConfiguration(
                    name: "eth0", address: IPv4Address(10, 0, 0, 1), prefixLength: 24, network: network, cost: 10,
                    priority: priority, helloInterval: 10, deadInterval: 40, retransmitInterval: 5, mtu: 1500,
                    mtuIgnore: mtuIgnore, authentication: auth)
            ], advertisements: advertisements, seed: 7)
        config.lsdbLimit = lsdbLimit
        config.lsdbOverflowHoldSeconds = overflowHold
        config.lsdbOverflowPolicy = overflowPolicy
        engine = Engine(config: config)
        peerKey = auth
        _ = step(.interfaceUp("eth0"))
    }

    @discardableResult
    mutating func step(_ event: Event) -> [Action] {
        let out = engine.handle(event, now: now)
        log += out
        return out
    }

    mutating func advance(_ seconds: Int64) { now = now.adding(.seconds(seconds)) }

    /// Encodes a packet from the peer.
    mutating func bytes(_ body: Packet.Body, routerID: IPv4Address? = nil, area: IPv4Address = .any) -> [UInt8] {
        let p = Packet(routerID: routerID ?? peer, areaID: area, body: body)
        guard let key = peerKey else { return p.encoded() }
        cryptoSeq += 1
        return Authenticator.sign(p, with: key, sequence: cryptoSeq)
    }

    @discardableResult
    mutating func receive(
        _ body: Packet.Body, from source: IPv4Address? = nil, to destination: IPv4Address = .allSPFRouters,
        routerID: IPv4Address? = nil, area: IPv4Address = .any
    ) -> [Action] {
        let b = bytes(body, routerID: routerID, area: area)
        return step(
            .packetReceived(interface: "eth0", source: source ?? peerAddress, destination: destination, bytes: b))
    }

    mutating func receiveRaw(
        _ b: [UInt8], from source: IPv4Address? = nil, to destination: IPv4Address = .allSPFRouters
    )
        -> [Action]
    {
        step(.packetReceived(interface: "eth0", source: source ?? peerAddress, destination: destination, bytes: b))
    }

    func hello(neighbors: [IPv4Address] = [], priority: UInt8 = 1, dr: IPv4Address = .any, bdr: IPv4Address = .any)
        -> Hello
    {
        let broadcast = engine.interfaces["eth0"]!.config.network == .broadcast
        return Hello(
            networkMask: broadcast ? IPv4Address(255, 255, 255, 0) : .any, helloInterval: 10, options: .e,
            priority: priority, deadInterval: 40, designatedRouter: dr, backupDesignatedRouter: bdr,
            neighbors: neighbors)
    }

    var neighborState: NeighborState? { engine.interfaces["eth0"]?.neighbors[peer]?.state }
    var neighbor: Neighbor? { engine.interfaces["eth0"]?.neighbors[peer] }

    /// Rules named in rejection notifications of the last actions.
    static func rules(_ actions: [Action]) -> [String] {
        actions.compactMap { if case .notify(.rejected(_, _, let r)) = $0 { return r.rule } else { return nil } }
    }

    static func sent(_ actions: [Action]) -> [(IPv4Address, Packet)] {
        actions.compactMap {
            if case .send(_, let d, let b) = $0, let p = try? Packet(decoding: b) { return (d, p) }
            return nil
        }
    }

    static func sentTypes(_ actions: [Action]) -> [PacketType] { sent(actions).map(\.1.type) }

    /// Brings the peer to 2-Way (and ExStart on point-to-point, where the engine then sends DDs).
    mutating func twoWay() {
        receive(.hello(hello(neighbors: [me])))
    }

    /// Drives a database exchange where the peer (higher router ID 192.0.2.9) is master and
    /// describes `headers` in its last DD; returns what that DD caused.
    @discardableResult
    mutating func exchange(headers: [LSAHeader]) -> [Action] {
        twoWay()
        let seq: UInt32 = 5000
        receive(
            .databaseDescription(
                DatabaseDescription(
                    interfaceMTU: 1500, options: .e, flags: [.initial, .more, .master], sequenceNumber: seq,
                    lsaHeaders: [])))
        return receive(
            .databaseDescription(
                DatabaseDescription(
                    interfaceMTU: 1500, options: .e, flags: [.master], sequenceNumber: seq + 1,
                    lsaHeaders: headers)))
    }

    /// Drives a full exchange where the peer (higher router ID 192.0.2.9) is master and has `lsas`.
    mutating func full(peerLSAs: [LSA] = []) {
        exchange(headers: peerLSAs.map(\.header))
        if !peerLSAs.isEmpty { receive(.linkStateUpdate(LinkStateUpdate(lsas: peerLSAs))) }
    }

    static func routerLSA(
        _ id: IPv4Address, seq: Int32 = Int32(bitPattern: 0x8000_0001), age: UInt16 = 1, metric: UInt16 = 10
    )
        -> LSA
    {
        LSA(
            header: LSAHeader(
                age: age, options: .e, type: .router, linkStateID: id, advertisingRouter: id, sequenceNumber: seq,
                checksum: 0, length: 0),
            body: .router(
                RouterLSA(
                    flags: [],
                    links: [
                        .init(
                            id: IPv4Address(10, 9, 0, 0), data: IPv4Address(255, 255, 255, 0), type: .stub,
                            metric: metric)
                    ]))
        ).finalized()
    }
}
