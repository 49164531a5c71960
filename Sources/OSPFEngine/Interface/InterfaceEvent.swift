/// Interface state machine events (RFC 2328 9.2) this speaker handles (no loopback events).
public enum InterfaceEvent: Sendable, Hashable, CustomStringConvertible {
    /// The lower layer says the interface works.
    case interfaceUp
    /// The Wait timer fired: the end of Waiting.
    case waitTimer
    /// A neighbour declared itself BDR, or DR with no BDR, while Waiting.
    case backupSeen
    /// A bidirectional neighbour appeared or left, or changed its priority or DR/BDR declaration.
    case neighborChange
    /// The lower layer says the interface is down.
    case interfaceDown

    /// The RFC's name.
    public var description: String {
        switch self {
        case .interfaceUp: "InterfaceUp"
        case .waitTimer: "WaitTimer"
        case .backupSeen: "BackupSeen"
        case .neighborChange: "NeighborChange"
        case .interfaceDown: "InterfaceDown"
        }
    }
}
