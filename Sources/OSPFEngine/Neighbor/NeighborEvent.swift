import OSPFWire

/// Neighbour state machine events (RFC 2328 10.2). Where the RFC groups several causes under one
/// event, the case carries which one, for the log and for tests.
public enum NeighborEvent: Sendable, Hashable, CustomStringConvertible {
    /// A Hello was received from the neighbour.
    case helloReceived
    /// Bidirectional communication: the neighbour's Hello lists this router.
    case twoWayReceived
    /// Master/slave and the first DD sequence number are settled.
    case negotiationDone
    /// Both routers have described their whole databases.
    case exchangeDone
    /// An LS Request named an LSA that cannot be answered, or one arrived while requested.
    case badLSReq(BadLSReqReason)
    /// The last LS Request was answered: the request list is empty.
    case loadingDone
    /// Re-examine whether an adjacency should exist (after a DR/BDR change).
    case adjOK
    /// A DD packet broke the exchange's rules.
    case seqNumberMismatch(SeqNumberMismatchReason)
    /// The neighbour's Hello no longer lists this router.
    case oneWayReceived
    /// The adjacency must go (interface down, BFD, shutdown).
    case killNbr
    /// No Hello for RouterDeadInterval.
    case inactivityTimer
    /// The lower layer says the neighbour is unreachable.
    case llDown

    /// The RFC's name, with the cause.
    public var description: String {
        switch self {
        case .helloReceived: "HelloReceived"
        case .twoWayReceived: "2-WayReceived"
        case .negotiationDone: "NegotiationDone"
        case .exchangeDone: "ExchangeDone"
        case .badLSReq(let r): "BadLSReq (\(r))"
        case .loadingDone: "LoadingDone"
        case .adjOK: "AdjOK?"
        case .seqNumberMismatch(let r): "SeqNumberMismatch (\(r))"
        case .oneWayReceived: "1-WayReceived"
        case .killNbr: "KillNbr"
        case .inactivityTimer: "InactivityTimer"
        case .llDown: "LLDown"
        }
    }
}

/// Why a DD packet raised SeqNumberMismatch (RFC 2328 10.6).
public enum SeqNumberMismatchReason: Sendable, Hashable, CustomStringConvertible {
    /// The MS bit is not what this router's role expects.
    case masterSlaveBit
    /// The I bit is set after the first packet.
    case initBit
    /// The options differ from those of the last DD received.
    case optionsChanged(from: UInt8, to: UInt8)
    /// The DD sequence number is not the expected one.
    case sequence(received: UInt32, expected: UInt32)
    /// A DD that is not a duplicate arrived in Loading or Full.
    case ddInState(NeighborState)
    /// A header of an LS type this router does not support in its area.
    case unsupportedLSType(UInt8)

    /// For the log.
    public var description: String {
        switch self {
        case .masterSlaveBit: "MS bit"
        case .initBit: "I bit"
        case .optionsChanged(let a, let b): "options changed 0x\(String(a, radix: 16)) -> 0x\(String(b, radix: 16))"
        case .sequence(let r, let e): "sequence \(r), expected \(e)"
        case .ddInState(let s): "DD in \(s.rawValue)"
        case .unsupportedLSType(let t): "LS type \(t)"
        }
    }
}

/// Why BadLSReq was raised (RFC 2328 10.7, 13 (6)).
public enum BadLSReqReason: Sendable, Hashable, CustomStringConvertible {
    /// The neighbour requested an LSA that is not in the database.
    case notInDatabase(LSAKey)
    /// The neighbour sent an LSA this router still has on its request list, not newer (13 (6)).
    case receivedWhileRequested(LSAKey)

    /// For the log.
    public var description: String {
        switch self {
        case .notInDatabase(let k): "\(k)"
        case .receivedWhileRequested(let k): "\(k) received while requested"
        }
    }
}
