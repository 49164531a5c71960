import OSPFWire

/// The neighbour data structure (RFC 2328 10). Neighbours are keyed by router ID
/// on both network types; the IP source address is kept for DR/BDR matching and
/// unicast transmission.
public struct Neighbor: Sendable, Equatable {
    /// Neighbour state.
    public var state: NeighborState = .down
    /// The neighbour's router ID.
    public var routerID: IPv4Address
    /// The neighbour's interface address (IP source of its packets).
    public var address: IPv4Address
    /// Its router priority.
    public var priority: UInt8 = 0
    /// Its idea of the DR (an interface address).
    public var designatedRouter: IPv4Address = .any
    /// Its idea of the BDR.
    public var backupDesignatedRouter: IPv4Address = .any
    /// Options from its last Hello (RFC 2328 10.5). Database Description packets are checked
    /// against the options of the last DD received instead (10.6): BIRD, for one, sets the O-bit
    /// (RFC 5250) in DDs only.
    public var helloOptions: Options = []
    /// Whether this router is master of the DD exchange (10.6).
    public var weAreMaster = false
    /// The DD sequence number (10).
    public var ddSequence: UInt32 = 0
    /// The last DD received: flags, options and sequence, for duplicate detection (10.6).
    public var lastReceivedDD: (flags: UInt8, options: UInt8, sequence: UInt32)?
    /// The last DD packet sent (encoded), for retransmission and the slave's resend.
    public var lastSentDD: [UInt8]?
    /// Whether the last DD we sent had the M bit set.
    public var lastSentMore = true
    /// LSAs still to be described in DD packets.
    public var summaryList = SummaryList()
    /// LSAs to request, in order, with the header that caused each request.
    public var requestList = RequestList()
    /// LSAs flooded and not yet acknowledged, with the instance sent.
    public var retransmissionList = RetransmissionList()
    /// Whether the LS Update retransmission timer is running (13.6).
    public var retransmitArmed = false
    /// Highest cryptographic sequence number received (RFC 2328 D.4.3).
    public var lastCryptoSequence: UInt32?
    /// When the last LSU with each LSA was sent directly in answer (13 (8)).
    public var lastDirectSend: [LSAKey: Instant] = [:]

    /// Creates a neighbour in state Down.
    public init(routerID: IPv4Address, address: IPv4Address) {
        self.routerID = routerID
        self.address = address
    }

    /// Clears the adjacency lists (10.3: the database summary, request and retransmission lists).
    mutating func clearLists() {
        summaryList = SummaryList()
        requestList.removeAll()
        retransmissionList.removeAll()
        retransmitArmed = false
        lastReceivedDD = nil
        lastSentDD = nil
        lastDirectSend = [:]
    }

    /// Neighbours compare by their observable state (lists and DD bookkeeping included).
    public static func == (a: Neighbor, b: Neighbor) -> Bool {
        a.state == b.state && a.routerID == b.routerID && a.address == b.address && a.priority == b.priority
            && a.designatedRouter == b.designatedRouter && a.backupDesignatedRouter == b.backupDesignatedRouter
            && a.ddSequence == b.ddSequence && a.requestList == b.requestList
            && a.retransmissionList == b.retransmissionList
    }
}

/// Runtime state of one OSPF interface (RFC 2328 9).
public struct Interface: Sendable {
    /// Configuration.
    public var config: InterfaceConfiguration
    /// Interface state.
    public var state: InterfaceState = .down
    /// The Designated Router's interface address (0.0.0.0 if none).
    public var designatedRouter: IPv4Address = .any
    /// The Backup Designated Router's interface address.
    public var backupDesignatedRouter: IPv4Address = .any
    /// Neighbours by router ID.
    public var neighbors = SmallTable<IPv4Address, Neighbor>()
    /// LSA headers waiting in a delayed acknowledgement (13.5).
    public var delayedAcks: [LSAHeader] = []
    /// Whether the delayed-ack timer is running.
    public var delayedAckArmed = false
    /// Whether a shutdown is in progress (Hellos list no neighbours).
    public var goingDown = false

    /// Creates a Down interface.
    public init(config: InterfaceConfiguration) { self.config = config }

    /// Neighbours sorted by router ID (deterministic iteration).
    public var sortedNeighborIDs: [IPv4Address] { neighbors.sortedKeys }

    /// Router ID of the neighbour with interface address `address`.
    func neighborID(address: IPv4Address) -> IPv4Address? {
        neighbors.values.first { $0.address == address }?.routerID
    }
}
