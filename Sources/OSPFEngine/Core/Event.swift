import OSPFWire

/// A stable, value-typed timer identity. Arming an armed timer re-arms it.
public enum TimerID: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// Send a Hello on the interface (RFC 2328 9.5).
    case hello(String)
    /// The interface Wait timer (9.4).
    case wait(String)
    /// A neighbour's inactivity timer (10.3).
    case inactivity(String, IPv4Address)
    /// Retransmit the last DD packet to a neighbour (10.8).
    case ddRetransmit(String, IPv4Address)
    /// Retransmit outstanding LS Requests (10.9).
    case requestRetransmit(String, IPv4Address)
    /// Retransmit unacknowledged LSAs to a neighbour (13.6).
    case updateRetransmit(String, IPv4Address)
    /// Send the interface's delayed acknowledgements (13.5).
    case delayedAck(String)
    /// Refresh a self-originated LSA after LSRefreshTime (12.4).
    case refresh(LSAKey)
    /// MinLSInterval expired for a self-originated LSA: originate the pending instance (12.4).
    case minLSInterval(LSAKey)
    /// The once-a-second database aging tick (14).
    case ageTick
    /// The end of an LSDB overflow (``EngineConfiguration/lsdbLimit``).
    case overflowEnd

    /// Kind, interface and neighbour or LSA, for ordering timers that fall due together.
    private var order: (Int, String, UInt32, LSAKey?) {
        switch self {
        case .ageTick: (0, "", 0, nil)
        case .ddRetransmit(let i, let n): (1, i, n.value, nil)
        case .delayedAck(let i): (2, i, 0, nil)
        case .hello(let i): (3, i, 0, nil)
        case .inactivity(let i, let n): (4, i, n.value, nil)
        case .requestRetransmit(let i, let n): (5, i, n.value, nil)
        case .updateRetransmit(let i, let n): (6, i, n.value, nil)
        case .minLSInterval(let k): (7, "", 0, k)
        case .refresh(let k): (8, "", 0, k)
        case .wait(let i): (9, i, 0, nil)
        case .overflowEnd: (10, "", 0, nil)
        }
    }

    /// A fixed order (kind, interface, neighbour, LSA key) for timers due at the same instant.
    public static func < (a: TimerID, b: TimerID) -> Bool {
        let x = a.order
        let y = b.order
        if (x.0, x.1, x.2) != (y.0, y.1, y.2) { return (x.0, x.1, x.2) < (y.0, y.1, y.2) }
        switch (x.3, y.3) {
        case (let p?, let q?): return p < q
        default: return false
        }
    }

    /// Human-readable form for logs.
    public var description: String {
        switch self {
        case .hello(let i): "hello(\(i))"
        case .wait(let i): "wait(\(i))"
        case .inactivity(let i, let n): "inactivity(\(i), \(n))"
        case .ddRetransmit(let i, let n): "dd-retransmit(\(i), \(n))"
        case .requestRetransmit(let i, let n): "lsr-retransmit(\(i), \(n))"
        case .updateRetransmit(let i, let n): "lsu-retransmit(\(i), \(n))"
        case .delayedAck(let i): "delayed-ack(\(i))"
        case .refresh(let k): "refresh(\(k))"
        case .minLSInterval(let k): "min-ls-interval(\(k))"
        case .ageTick: "age-tick"
        case .overflowEnd: "lsdb-overflow-end"
        }
    }
}

/// Inputs to the engine.
public enum Event: Sendable {
    /// An interface came up (RFC 2328 9.3 InterfaceUp).
    case interfaceUp(String)
    /// An interface went down (9.3 InterfaceDown).
    case interfaceDown(String)
    /// A lower layer (BFD, RFC 5882 4.1) found the neighbour with this router ID unreachable:
    /// KillNbr (10.2). Its next Hello starts a new adjacency.
    case killNeighbor(interface: String, routerID: IPv4Address)
    /// An OSPF packet arrived: `bytes` start at the OSPF header (the IPv4 header removed).
    case packetReceived(interface: String, source: IPv4Address, destination: IPv4Address, bytes: [UInt8])
    /// A timer armed by the engine expired.
    case timerFired(TimerID)
    /// The desired cost of an advertisement changed (health); nil withdraws it.
    case setAdvertisement(Prefix, cost: UInt32?)
    /// Maintenance on (every advertisement degraded) or off.
    case maintenance(Bool)
    /// Graceful shutdown: flush self-originated LSAs, say goodbye in Hellos.
    case shutdown
    /// New advertisements and max-metric setting (a configuration reload); interfaces are unchanged.
    case reconfigure(advertisements: [Advertisement], maxMetric: Bool)
    /// New database limit settings (a configuration reload): ``EngineConfiguration/lsdbLimit``,
    /// ``EngineConfiguration/lsdbOverflowPolicy``, ``EngineConfiguration/lsdbOverflowHoldSeconds``.
    /// LSAs already held stay; a limit the database is now below ends a refusal at once.
    case setDatabaseLimit(Int?, policy: LSDBOverflowPolicy, holdSeconds: Int)
}

/// Outputs of the engine, for the caller to carry out.
public enum Action: Sendable, Equatable {
    /// Send `bytes` (an OSPF packet) on an interface to a destination (multicast or unicast).
    case send(interface: String, destination: IPv4Address, bytes: [UInt8])
    /// Arm (or re-arm) a timer to fire at an instant.
    case armTimer(TimerID, at: Instant)
    /// Cancel a timer.
    case cancelTimer(TimerID)
    /// Join a multicast group on an interface (AllDRouters while DR or Backup).
    case joinGroup(interface: String, group: IPv4Address)
    /// Leave a multicast group.
    case leaveGroup(interface: String, group: IPv4Address)
    /// Something worth logging or counting.
    case notify(Notification)
}

/// Things the engine reports.
public enum Notification: Sendable, Equatable, CustomStringConvertible {
    /// An interface changed state (RFC 2328 9.1).
    case interfaceState(interface: String, from: InterfaceState, to: InterfaceState, dr: IPv4Address, bdr: IPv4Address)
    /// A neighbour changed state (10.1), with the event that caused it.
    case neighborState(
        interface: String, neighbor: IPv4Address, from: NeighborState, to: NeighborState, event: NeighborEvent)
    /// A self-originated LSA instance was flooded.
    case lsaOriginated(LSAHeader)
    /// A self-originated LSA was flushed (premature aging).
    case lsaFlushed(LSAHeader)
    /// A received packet or LSA was dropped, and why (the rejection names its RFC rule).
    case rejected(interface: String, source: IPv4Address, Rejection)
    /// Graceful shutdown finished: every flushed LSA was acknowledged (or the bound expired).
    case shutdownComplete
    /// An LSA from `source` on `interface` would have taken the database past `limit`: every
    /// adjacency is killed and other routers' LSAs dropped, for `holdSeconds`.
    case lsdbOverflow(interface: String, source: IPv4Address, limit: Int, holdSeconds: Int)
    /// The overflow hold ended: packets are accepted again and adjacencies re-form.
    case lsdbOverflowEnded
    /// The database reached `limit` with an LSA from `source` on `interface`: new LSAs are refused
    /// (``LSDBOverflowPolicy/refuse``); adjacencies stay up.
    case lsdbFull(interface: String, source: IPv4Address, limit: Int)
    /// MaxAge removals brought the database below the limit (`count` LSAs): new LSAs are accepted again.
    case lsdbFullEnded(count: Int)

    /// One log line.
    public var description: String {
        switch self {
        case .interfaceState(let i, let f, let t, let dr, let bdr): "interface \(i) \(f) -> \(t) dr \(dr) bdr \(bdr)"
        case .neighborState(let i, let n, let f, let t, let e): "neighbor \(n) on \(i) \(f) -> \(t) (\(e))"
        case .lsaOriginated(let h):
            "originated \(LSAKey(h)) seq 0x\(String(h.sequenceNumberBits, radix: 16))"
        case .lsaFlushed(let h): "flushed \(LSAKey(h)) seq 0x\(String(h.sequenceNumberBits, radix: 16))"
        case .rejected(let i, let s, let r): "rejected packet from \(s) on \(i): \(r) (\(r.rule))"
        case .shutdownComplete: "shutdown complete"
        case .lsdbOverflow(let i, let s, let limit, let hold):
            "LSDB overflow: an LSA from \(s) on \(i) would exceed lsdb_limit \(limit); adjacencies killed, "
                + "other routers' LSAs dropped, packets ignored for \(hold) s"
        case .lsdbOverflowEnded: "LSDB overflow ended: accepting packets again"
        case .lsdbFull(let i, let s, let limit):
            "LSDB full: an LSA from \(s) on \(i) would exceed lsdb_limit \(limit); new LSAs are refused "
                + "(acknowledged, not installed) until there is room; adjacencies stay up"
        case .lsdbFullEnded(let count): "LSDB below lsdb_limit again (\(count) LSAs): accepting new LSAs"
        }
    }
}
