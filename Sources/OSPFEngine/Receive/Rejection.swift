import OSPFWire

/// Why the engine dropped a received packet or LSA: one case per rule, each naming the RFC
/// rule it applies. Logs, counters, status and tests read the same value.
public enum Rejection: Sendable, Hashable, CustomStringConvertible {
    /// The packet could not be decoded (its ``WireError`` code, field and rule are kept).
    case malformed(WireError)
    /// Authentication failed (type, key, digest; D.4).
    case authentication(WireError)
    /// The packet checksum does not match (8.2).
    case packetChecksum
    /// The area ID is not the interface's area (8.2).
    case areaMismatch(received: IPv4Address, expected: IPv4Address)
    /// Sent to AllDRouters while this router is neither DR nor Backup (8.2).
    case allDRoutersNotDR
    /// On a broadcast network, the source is not on the interface's subnet (8.2).
    case sourceNotOnNetwork(Prefix)
    /// The packet carries this router's own router ID (8.2).
    case ownRouterID(IPv4Address)
    /// The cryptographic sequence number went backwards (D.4.3).
    case cryptoSequenceDecreased(received: UInt32, last: UInt32)
    /// A non-Hello packet from a router that is not a neighbour (8.2).
    case unknownNeighbor(PacketType, IPv4Address)
    /// Hello: the network mask differs on a broadcast network (10.5).
    case networkMaskMismatch(IPv4Address)
    /// Hello: HelloInterval differs (10.5).
    case helloIntervalMismatch(received: UInt16, configured: UInt16)
    /// Hello: RouterDeadInterval differs (10.5).
    case deadIntervalMismatch(received: UInt32, configured: UInt32)
    /// Hello: the E-bit does not match the area type (10.5).
    case externalRoutingMismatch
    /// DD: the neighbour's interface MTU exceeds ours (10.6).
    case mtuMismatch(received: UInt16, ours: UInt16)
    /// A packet type not accepted in the neighbour's state (10.6, 10.7, 13).
    case wrongState(PacketType, NeighborState)
    /// LS Update: an LSA whose checksum is wrong (13 (1)).
    case lsaChecksum(LSAKey)
    /// LS Update: an LSA whose LS age is above MaxAge, which no router can send (12.1.1, 14).
    case lsaAgeAboveMaxAge(LSAKey, age: UInt16)
    /// LS Update: an LS type this router does not support in its area (13 (2)).
    case unsupportedLSType(LSAKey)
    /// LS Update: a newer instance within MinLSArrival of the last (13 (5a)).
    case minLSArrival(LSAKey)
    /// The database is in overflow (lsdb_limit): every packet is ignored until the hold ends.
    case lsdbOverflow
    /// LS Update or DD: a new LSA that would take the database past lsdb_limit is not installed
    /// or requested (``LSDBOverflowPolicy/refuse``).
    case lsdbFull(LSAKey)

    /// The RFC rule that rejected the input, e.g. `RFC 2328 10.5`.
    public var rule: String {
        switch self {
        case .malformed(let e), .authentication(let e): e.rule
        case .packetChecksum, .areaMismatch, .allDRoutersNotDR, .sourceNotOnNetwork, .ownRouterID, .unknownNeighbor:
            "RFC 2328 8.2"
        case .cryptoSequenceDecreased: "RFC 2328 D.4.3"
        case .networkMaskMismatch, .helloIntervalMismatch, .deadIntervalMismatch, .externalRoutingMismatch:
            "RFC 2328 10.5"
        case .mtuMismatch: "RFC 2328 10.6"
        case .wrongState(let type, _):
            switch type {
            case .databaseDescription: "RFC 2328 10.6"
            case .linkStateRequest: "RFC 2328 10.7"
            default: "RFC 2328 13"
            }
        case .lsaChecksum: "RFC 2328 13 (1)"
        case .lsaAgeAboveMaxAge: "RFC 2328 12.1.1"
        case .unsupportedLSType: "RFC 2328 13 (2)"
        case .minLSArrival: "RFC 2328 13 (5a)"
        case .lsdbOverflow: "RFC 1765 2.3 (database overflow; lsdb_limit)"
        case .lsdbFull: "RFC 1765 2.3.1 (database at lsdb_limit; new LSA not installed)"
        }
    }

    /// A stable short name for counters and metric labels.
    public var reason: String {
        switch self {
        case .malformed: "malformed"
        case .authentication: "authentication"
        case .packetChecksum: "packet_checksum"
        case .areaMismatch: "area_mismatch"
        case .allDRoutersNotDR: "alldrouters_not_dr"
        case .sourceNotOnNetwork: "source_not_on_network"
        case .ownRouterID: "own_router_id"
        case .cryptoSequenceDecreased: "crypto_sequence"
        case .unknownNeighbor: "unknown_neighbor"
        case .networkMaskMismatch: "network_mask_mismatch"
        case .helloIntervalMismatch: "hello_interval_mismatch"
        case .deadIntervalMismatch: "dead_interval_mismatch"
        case .externalRoutingMismatch: "external_routing_mismatch"
        case .mtuMismatch: "mtu_mismatch"
        case .wrongState: "wrong_state"
        case .lsaChecksum: "lsa_checksum"
        case .lsaAgeAboveMaxAge: "lsa_age_above_maxage"
        case .unsupportedLSType: "unsupported_ls_type"
        case .minLSArrival: "min_ls_arrival"
        case .lsdbOverflow: "lsdb_overflow"
        case .lsdbFull: "lsdb_full"
        }
    }

    /// What was wrong, for a log line (the rule is added by ``Notification``).
    public var description: String {
        switch self {
        case .malformed(let e), .authentication(let e): "\(e.field) at offset \(e.offset): \(e.detail)"
        case .packetChecksum: "packet checksum mismatch"
        case .areaMismatch(let r, let e): "area \(r) does not match \(e)"
        case .allDRoutersNotDR: "sent to AllDRouters and this router is not DR/Backup"
        case .sourceNotOnNetwork(let p): "source not on the interface network \(p)"
        case .ownRouterID(let id): "packet carries our own router ID \(id)"
        case .cryptoSequenceDecreased(let r, let last): "cryptographic sequence \(r) below last \(last)"
        case .unknownNeighbor(let t, let id): "\(t.name) from unknown neighbour \(id)"
        case .networkMaskMismatch(let m): "network mask \(m) differs"
        case .helloIntervalMismatch(let r, let c): "HelloInterval \(r) differs from \(c)"
        case .deadIntervalMismatch(let r, let c): "RouterDeadInterval \(r) differs from \(c)"
        case .externalRoutingMismatch: "E-bit does not match the area type"
        case .mtuMismatch(let r, let o): "DD interface MTU \(r) exceeds ours (\(o))"
        case .wrongState(let t, let s):
            t == .databaseDescription && s == .down
                ? "DD from a neighbour in state Down" : "\(t.name) in state \(s.rawValue)"
        case .lsaChecksum(let k): "LSA \(k) checksum mismatch"
        case .lsaAgeAboveMaxAge(let k, let age): "LSA \(k) with LS age \(age), above MaxAge 3600"
        case .unsupportedLSType(let k): "LSA \(k) has an unsupported LS type"
        case .minLSArrival(let k): "LSA \(k) arrived within MinLSArrival"
        case .lsdbOverflow: "the database is in overflow (lsdb_limit): packets are ignored until the hold ends"
        case .lsdbFull(let k): "LSA \(k) refused: the database holds lsdb_limit LSAs"
        }
    }
}
