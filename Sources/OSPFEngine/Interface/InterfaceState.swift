/// Interface states (RFC 2328 9.1).
public enum InterfaceState: String, Sendable, Hashable, Comparable {
    /// Down: no protocol traffic.
    case down = "Down"
    /// Waiting: on a broadcast network, waiting to learn the DR/BDR before electing (9.4).
    case waiting = "Waiting"
    /// Point-to-point: the interface is up on a point-to-point network.
    case pointToPoint = "Point-to-point"
    /// DR Other: another router is DR on this broadcast network.
    case drOther = "DROther"
    /// Backup: this router is the Backup Designated Router.
    case backup = "Backup"
    /// DR: this router is the Designated Router.
    case dr = "DR"

    private var rank: Int {
        switch self {
        case .down: 0
        case .waiting: 1
        case .pointToPoint: 2
        case .drOther: 3
        case .backup: 4
        case .dr: 5
        }
    }

    /// Orders states as listed in 9.1.
    public static func < (a: InterfaceState, b: InterfaceState) -> Bool { a.rank < b.rank }
}

/// Neighbour states (RFC 2328 10.1).
public enum NeighborState: String, Sendable, Hashable, Comparable {
    /// Down: nothing heard recently.
    case down = "Down"
    /// Init: a Hello was seen, but it did not list us.
    case initializing = "Init"
    /// 2-Way: bidirectional communication.
    case twoWay = "2-Way"
    /// ExStart: negotiating master/slave and the first DD sequence number.
    case exStart = "ExStart"
    /// Exchange: describing databases with DD packets.
    case exchange = "Exchange"
    /// Loading: requesting LSAs found to be missing or out of date.
    case loading = "Loading"
    /// Full: fully adjacent.
    case full = "Full"

    private var rank: Int {
        switch self {
        case .down: 0
        case .initializing: 1
        case .twoWay: 2
        case .exStart: 3
        case .exchange: 4
        case .loading: 5
        case .full: 6
        }
    }

    /// Orders states as listed in 10.1.
    public static func < (a: NeighborState, b: NeighborState) -> Bool { a.rank < b.rank }
}
