/// BFD session states (RFC 5880 4.1, the State field).
public enum BFDState: UInt8, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    case adminDown = 0
    case down = 1
    case initializing = 2
    case up = 3

    /// The RFC's name.
    public var description: String {
        switch self {
        case .adminDown: "AdminDown"
        case .down: "Down"
        case .initializing: "Init"
        case .up: "Up"
        }
    }
}

/// BFD diagnostic codes (RFC 5880 4.1, the Diag field): why the session last left Up.
public enum BFDDiagnostic: UInt8, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    case none = 0
    case controlDetectionTimeExpired = 1
    case echoFunctionFailed = 2
    case neighborSignaledSessionDown = 3
    case forwardingPlaneReset = 4
    case pathDown = 5
    case concatenatedPathDown = 6
    case administrativelyDown = 7
    case reverseConcatenatedPathDown = 8

    /// The RFC's wording.
    public var description: String {
        switch self {
        case .none: "No Diagnostic"
        case .controlDetectionTimeExpired: "Control Detection Time Expired"
        case .echoFunctionFailed: "Echo Function Failed"
        case .neighborSignaledSessionDown: "Neighbor Signaled Session Down"
        case .forwardingPlaneReset: "Forwarding Plane Reset"
        case .pathDown: "Path Down"
        case .concatenatedPathDown: "Concatenated Path Down"
        case .administrativelyDown: "Administratively Down"
        case .reverseConcatenatedPathDown: "Reverse Concatenated Path Down"
        }
    }
}

/// Why a BFD Control packet was discarded: each case names the RFC 5880 6.8.6 (or RFC 5881)
/// rule that rejects it.
public enum BFDRejection: Error, Sendable, Hashable, CustomStringConvertible {
    /// Shorter than the 24-byte mandatory section, or than its own Length field.
    case truncated(length: Int, need: Int)
    /// Version is not 1.
    case badVersion(UInt8)
    /// Length below 24 (26 with the A bit), or above the bytes received.
    case badLength(field: Int, received: Int)
    /// Detect Mult is zero.
    case zeroDetectMultiplier
    /// The Multipoint bit is set.
    case multipoint
    /// My Discriminator is zero.
    case zeroMyDiscriminator
    /// Your Discriminator is zero and State is neither Down nor AdminDown.
    case zeroYourDiscriminator(state: BFDState)
    /// Your Discriminator names no session of ours.
    case unknownDiscriminator(UInt32)
    /// The A bit is set: this speaker does not configure BFD authentication.
    case authenticationNotConfigured
    /// The IP TTL was not 255 (RFC 5881 5, GTSM): the packet may come from beyond the link.
    case ttlNot255(UInt8)
    /// No BFD session exists for this source on this interface.
    case noSession

    /// A short, stable name for counters and metric labels.
    public var reason: String {
        switch self {
        case .truncated: "truncated"
        case .badVersion: "bad_version"
        case .badLength: "bad_length"
        case .zeroDetectMultiplier: "zero_detect_multiplier"
        case .multipoint: "multipoint"
        case .zeroMyDiscriminator: "zero_my_discriminator"
        case .zeroYourDiscriminator: "zero_your_discriminator"
        case .unknownDiscriminator: "unknown_discriminator"
        case .authenticationNotConfigured: "authentication_not_configured"
        case .ttlNot255: "ttl_not_255"
        case .noSession: "no_session"
        }
    }

    /// The RFC rule that rejects the packet.
    public var rule: String {
        switch self {
        case .ttlNot255: "RFC 5881 5"
        case .noSession: "RFC 5880 6.3"
        default: "RFC 5880 6.8.6"
        }
    }

    /// What was wrong, with the offending value.
    public var description: String {
        switch self {
        case .truncated(let length, let need): "packet of \(length) bytes, at least \(need) needed"
        case .badVersion(let v): "version \(v), expected 1"
        case .badLength(let field, let received): "Length field \(field) with \(received) bytes received"
        case .zeroDetectMultiplier: "Detect Mult is zero"
        case .multipoint: "Multipoint (M) bit set"
        case .zeroMyDiscriminator: "My Discriminator is zero"
        case .zeroYourDiscriminator(let s): "Your Discriminator is zero in state \(s)"
        case .unknownDiscriminator(let d): "Your Discriminator \(d) matches no session"
        case .authenticationNotConfigured: "Authentication Present (A) bit set; BFD authentication is not configured"
        case .ttlNot255(let t): "IP TTL \(t), BFD single-hop requires 255"
        case .noSession: "no session for this source address on this interface"
        }
    }
}

/// A BFD Control packet (RFC 5880 4.1), the mandatory section. An authentication section,
/// when present, is reported by the decoder as a rejection: this speaker runs BFD without
/// authentication, as FRR and BIRD do by default.
public struct BFDControlPacket: Sendable, Hashable, CustomStringConvertible {
    /// Protocol version (1).
    public var version: UInt8 = 1
    /// Diagnostic: why the sender's session last changed state.
    public var diagnostic: BFDDiagnostic = .none
    /// The raw Diag field (an undefined code is kept here; ``diagnostic`` reads it as `.none`).
    public var diagnosticCode: UInt8 = 0
    /// The sender's session state.
    public var state: BFDState = .down
    /// Poll (P): the sender asks for a Final.
    public var poll = false
    /// Final (F): the answer to a Poll.
    public var final = false
    /// Control Plane Independent (C).
    public var controlPlaneIndependent = false
    /// Authentication Present (A).
    public var authenticationPresent = false
    /// Demand (D).
    public var demand = false
    /// Multipoint (M), reserved: must be zero.
    public var multipoint = false
    /// Detect Mult.
    public var detectMultiplier: UInt8 = 3
    /// The Length field (24 without authentication).
    public var length: UInt8 = 24
    /// My Discriminator.
    public var myDiscriminator: UInt32 = 0
    /// Your Discriminator (zero while the remote one is unknown).
    public var yourDiscriminator: UInt32 = 0
    /// Desired Min TX Interval, microseconds.
    public var desiredMinTxInterval: UInt32 = 1_000_000
    /// Required Min RX Interval, microseconds.
    public var requiredMinRxInterval: UInt32 = 1_000_000
    /// Required Min Echo RX Interval, microseconds (0: no Echo).
    public var requiredMinEchoRxInterval: UInt32 = 0

    /// Creates a packet with the RFC's initial values.
    public init() {}

    /// The size of the mandatory section.
    public static let mandatoryLength = 24

    /// Decodes and validates a received Control packet (the UDP payload) by the rules of
    /// RFC 5880 6.8.6 that need no session state. Never traps: every read is bounds-checked.
    public init(decoding bytes: [UInt8]) throws(BFDRejection) {
        guard bytes.count >= Self.mandatoryLength else {
            throw .truncated(length: bytes.count, need: Self.mandatoryLength)
        }
        let b = bytes
        version = b[0] >> 5
        guard version == 1 else { throw .badVersion(version) }
        diagnosticCode = b[0] & 0x1F
        diagnostic = BFDDiagnostic(rawValue: diagnosticCode) ?? .none
        state = BFDState(rawValue: b[1] >> 6) ?? .down
        poll = b[1] & 0x20 != 0
        final = b[1] & 0x10 != 0
        controlPlaneIndependent = b[1] & 0x08 != 0
        authenticationPresent = b[1] & 0x04 != 0
        demand = b[1] & 0x02 != 0
        multipoint = b[1] & 0x01 != 0
        detectMultiplier = b[2]
        length = b[3]
        let minimum = authenticationPresent ? 26 : 24
        guard Int(length) >= minimum, Int(length) <= bytes.count else {
            throw .badLength(field: Int(length), received: bytes.count)
        }
        func word(_ at: Int) -> UInt32 {
            UInt32(b[at]) << 24 | UInt32(b[at + 1]) << 16 | UInt32(b[at + 2]) << 8 | UInt32(b[at + 3])
        }
        myDiscriminator = word(4)
        yourDiscriminator = word(8)
        desiredMinTxInterval = word(12)
        requiredMinRxInterval = word(16)
        requiredMinEchoRxInterval = word(20)
        guard detectMultiplier != 0 else { throw .zeroDetectMultiplier }
        guard !multipoint else { throw .multipoint }
        guard myDiscriminator != 0 else { throw .zeroMyDiscriminator }
        guard yourDiscriminator != 0 || state == .down || state == .adminDown else {
            throw .zeroYourDiscriminator(state: state)
        }
        guard !authenticationPresent else { throw .authenticationNotConfigured }
    }

    /// The 24-byte encoding (no authentication section).
    public func encoded() -> [UInt8] {
        var out = [UInt8](repeating: 0, count: Self.mandatoryLength)
        out[0] = (version & 0x7) << 5 | (diagnosticCode == 0 ? diagnostic.rawValue : diagnosticCode & 0x1F)
        var flags = state.rawValue << 6
        if poll { flags |= 0x20 }
        if final { flags |= 0x10 }
        if controlPlaneIndependent { flags |= 0x08 }
        if authenticationPresent { flags |= 0x04 }
        if demand { flags |= 0x02 }
        if multipoint { flags |= 0x01 }
        out[1] = flags
        out[2] = detectMultiplier
        out[3] = UInt8(Self.mandatoryLength)
        func put(_ v: UInt32, _ at: Int) {
            out[at] = UInt8(truncatingIfNeeded: v >> 24)
            out[at + 1] = UInt8(truncatingIfNeeded: v >> 16)
            out[at + 2] = UInt8(truncatingIfNeeded: v >> 8)
            out[at + 3] = UInt8(truncatingIfNeeded: v)
        }
        put(myDiscriminator, 4)
        put(yourDiscriminator, 8)
        put(desiredMinTxInterval, 12)
        put(requiredMinRxInterval, 16)
        put(requiredMinEchoRxInterval, 20)
        return out
    }

    /// One line: state, flags, discriminators and intervals.
    public var description: String {
        var flags = ""
        if poll { flags += "P" }
        if final { flags += "F" }
        if demand { flags += "D" }
        if controlPlaneIndependent { flags += "C" }
        return
            "BFD \(state) diag \(diagnosticCode)\(flags.isEmpty ? "" : " [\(flags)]") mult \(detectMultiplier) "
            + "my \(myDiscriminator) your \(yourDiscriminator) tx \(desiredMinTxInterval)us "
            + "rx \(requiredMinRxInterval)us echo \(requiredMinEchoRxInterval)us"
    }
}
