/// OSPF packet types (RFC 2328 A.3.1).
public enum PacketType: UInt8, Sendable, Hashable, CaseIterable {
    /// Hello (A.3.2).
    case hello = 1
    /// Database Description (A.3.3).
    case databaseDescription = 2
    /// Link State Request (A.3.4).
    case linkStateRequest = 3
    /// Link State Update (A.3.5).
    case linkStateUpdate = 4
    /// Link State Acknowledgment (A.3.6).
    case linkStateAcknowledgment = 5

    /// The name used in `decode --json`: `hello`, `db-description`, `ls-request`, `ls-update`, `ls-ack`.
    public var name: String {
        switch self {
        case .hello: "hello"
        case .databaseDescription: "db-description"
        case .linkStateRequest: "ls-request"
        case .linkStateUpdate: "ls-update"
        case .linkStateAcknowledgment: "ls-ack"
        }
    }
}
