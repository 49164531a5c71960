/// What a session asks its driver to do.
public enum BFDOutput: Sendable, Equatable {
    /// Transmit this Control packet (the UDP payload) to the peer.
    case send([UInt8])
    /// The session changed state; `diagnostic` is the local Diag (why).
    case stateChanged(from: BFDState, to: BFDState, diagnostic: BFDDiagnostic)
}

/// One BFD session in Asynchronous mode (RFC 5880 6), single-hop IPv4 (RFC 5881), without
/// Demand mode, Echo or authentication. Sans-IO like the OSPF engine: received packets and
/// the passing of time go in (monotonic nanoseconds), packets to send and state changes come
/// out; the driver owns sockets and the clock and asks ``nextDeadline`` when to call
/// ``advance(to:)`` next.
///
/// Timers follow 6.8: while the session is not Up it transmits at most once a second (6.8.3);
/// when it comes Up it advertises the configured interval with a Poll (6.5) and, for a slower
/// transmit or a faster receive interval, keeps the old value until the Final arrives. The
/// transmit interval is the larger of ours and the peer's Required Min RX, less 0–25 % jitter
/// (10–25 % with a multiplier of 1, 6.8.7); the detection time is the peer's Detect Mult times
/// the larger of our Required Min RX and its Desired Min TX (6.8.4).
public struct BFDSession: Sendable {
    /// The configured timers.
    public struct Timers: Sendable, Equatable {
        /// Desired Min TX Interval once Up, microseconds.
        public var desiredMinTxUs: UInt32
        /// Required Min RX Interval, microseconds.
        public var requiredMinRxUs: UInt32
        /// Detect Mult.
        public var multiplier: UInt8

        /// Creates timers (both intervals in microseconds).
        public init(desiredMinTxUs: UInt32, requiredMinRxUs: UInt32, multiplier: UInt8) {
            self.desiredMinTxUs = max(1, desiredMinTxUs)
            self.requiredMinRxUs = requiredMinRxUs
            self.multiplier = max(1, multiplier)
        }
    }

    /// The slowest rate a session transmits at while not Up (RFC 5880 6.8.3: at least one second).
    public static let slowTxUs: UInt32 = 1_000_000

    /// bfd.SessionState.
    public private(set) var state: BFDState = .down
    /// bfd.LocalDiag: why the session last left Up (or went AdminDown).
    public private(set) var localDiagnostic: BFDDiagnostic = .none
    /// bfd.LocalDiscr: non-zero, unique on this system (the driver chooses it).
    public let localDiscriminator: UInt32
    /// bfd.RemoteDiscr: zero until the peer is heard, and again after a detection timeout.
    public private(set) var remoteDiscriminator: UInt32 = 0
    /// bfd.RemoteSessionState.
    public private(set) var remoteState: BFDState = .down
    /// bfd.RemoteMinRxInterval, microseconds (1 until the peer says otherwise).
    public private(set) var remoteMinRxUs: UInt32 = 1
    /// The peer's last Desired Min TX Interval, microseconds.
    public private(set) var remoteDesiredMinTxUs: UInt32 = 0
    /// The peer's last Detect Mult.
    public private(set) var remoteMultiplier: UInt8 = 0
    /// The last Diag the peer sent.
    public private(set) var remoteDiagnostic: BFDDiagnostic = .none
    /// The configured timers.
    public private(set) var timers: Timers
    /// Desired Min TX as sent in our packets, microseconds.
    public private(set) var advertisedTxUs: UInt32
    /// Required Min RX as sent in our packets, microseconds.
    public private(set) var advertisedRxUs: UInt32
    /// The Desired Min TX our own transmit timer uses: it lags the advertised one during a
    /// Poll Sequence (6.8.3).
    public private(set) var effectiveTxUs: UInt32
    /// The Required Min RX our detection time uses (lags like ``effectiveTxUs``).
    public private(set) var effectiveRxUs: UInt32
    /// A Poll Sequence is in progress: our packets carry P until a Final arrives (6.5).
    public private(set) var pollActive = false
    /// When the next periodic packet is due.
    public private(set) var nextTransmit: Int64
    /// When the peer is declared down without a packet (nil until one is received).
    public private(set) var detectionDeadline: Int64?
    /// When the session last changed state.
    public private(set) var lastChange: Int64
    /// Packets accepted.
    public private(set) var packetsReceived = 0
    /// Packets sent.
    public private(set) var packetsSent = 0
    /// Times the session came Up.
    public private(set) var upCount = 0
    /// Times the session left Up.
    public private(set) var downCount = 0
    var random: UInt64

    /// A new session in Down, transmitting at once (at the slow rate until Up).
    public init(localDiscriminator: UInt32, timers: Timers, now: Int64, seed: UInt64) {
        precondition(localDiscriminator != 0, "bfd.LocalDiscr must be non-zero (RFC 5880 6.8.1)")
        self.localDiscriminator = localDiscriminator
        self.timers = timers
        advertisedTxUs = max(timers.desiredMinTxUs, Self.slowTxUs)
        advertisedRxUs = timers.requiredMinRxUs
        effectiveTxUs = advertisedTxUs
        effectiveRxUs = advertisedRxUs
        nextTransmit = now
        lastChange = now
        random = seed == 0 ? 0x9E37_79B9_7F4A_7C15 : seed
    }

    // MARK: - Derived timers

    /// The interval between our periodic packets before jitter, microseconds; nil when the
    /// peer asked for none (Required Min RX zero, 6.8.7).
    public var transmitIntervalUs: UInt32? {
        remoteMinRxUs == 0 ? nil : max(effectiveTxUs, remoteMinRxUs)
    }

    /// The detection time, microseconds (6.8.4); nil before the peer is heard.
    public var detectionTimeUs: UInt64? {
        guard remoteMultiplier > 0 else { return nil }
        return UInt64(remoteMultiplier) * UInt64(max(effectiveRxUs, remoteDesiredMinTxUs))
    }

    /// The earliest time ``advance(to:)`` has something to do.
    public var nextDeadline: Int64 {
        var d = transmitIntervalUs == nil ? Int64.max : nextTransmit
        if let det = detectionDeadline, det < d { d = det }
        return d
    }

    // MARK: - Events

    /// Processes a Control packet that passed ``BFDControlPacket/init(decoding:)`` and was
    /// demultiplexed to this session (RFC 5880 6.8.6 from "If the A bit is clear" on).
    public mutating func receive(_ packet: BFDControlPacket, now: Int64) -> [BFDOutput] {
        guard state != .adminDown else { return [] }  // 6.8.6: discard while AdminDown
        packetsReceived += 1
        remoteDiscriminator = packet.myDiscriminator
        remoteState = packet.state
        remoteDiagnostic = packet.diagnostic
        remoteMinRxUs = packet.requiredMinRxInterval
        remoteDesiredMinTxUs = packet.desiredMinTxInterval
        remoteMultiplier = packet.detectMultiplier
        if packet.final && pollActive {
            pollActive = false
            effectiveTxUs = advertisedTxUs
            effectiveRxUs = advertisedRxUs
        }
        if let d = detectionTimeUs { detectionDeadline = now + Int64(d) * 1000 }
        var out: [BFDOutput] = []
        if packet.state == .adminDown {
            // The peer stopped the session on purpose: Down, but not a path failure (RFC 5882 3.2).
            if state != .down {
                changeState(to: .down, diagnostic: .neighborSignaledSessionDown, now: now, into: &out)
            }
        } else {
            switch (state, packet.state) {
            case (.down, .down):
                changeState(to: .initializing, diagnostic: .none, now: now, into: &out)
            case (.down, .initializing), (.initializing, .initializing), (.initializing, .up):
                changeState(to: .up, diagnostic: .none, now: now, into: &out)
            case (.up, .down):
                changeState(to: .down, diagnostic: .neighborSignaledSessionDown, now: now, into: &out)
            default:
                break  // The table has no transition for the pair (e.g. Init hearing Down).
            }
        }
        if packet.poll {
            // 6.5: answer a Poll at once with a Final (never both bits in one packet).
            out.append(.send(makePacket(final: true).encoded()))
            packetsSent += 1
        }
        // A faster transmit interval asked for by the peer takes effect from now on.
        if let i = transmitIntervalUs, nextTransmit > now + Int64(i) * 1000 { nextTransmit = now + jittered(i) }
        return out
    }

    /// Runs what is due at `now`: the detection timeout, then a periodic packet.
    public mutating func advance(to now: Int64) -> [BFDOutput] {
        var out: [BFDOutput] = []
        if let det = detectionDeadline, now >= det {
            detectionDeadline = nil
            remoteDiscriminator = 0  // 6.8.1: zero once a Detection Time passes in silence
            remoteState = .down
            remoteMultiplier = 0
            if state == .initializing || state == .up {
                changeState(to: .down, diagnostic: .controlDetectionTimeExpired, now: now, into: &out)
            }
        }
        if let i = transmitIntervalUs, now >= nextTransmit {
            out.append(.send(makePacket(final: false).encoded()))
            packetsSent += 1
            nextTransmit = now + jittered(i)
        }
        return out
    }

    /// New timers (a configuration change). While Up they are announced with a Poll; a higher
    /// Desired Min TX and a lower Required Min RX take effect only once the Final arrives (6.8.3).
    public mutating func setTimers(_ new: Timers, now: Int64) -> [BFDOutput] {
        guard new != timers else { return [] }
        timers = new
        advertiseTimers(pollEvenIfUnchanged: true)
        guard state == .up, transmitIntervalUs != nil else { return [] }
        packetsSent += 1
        return [.send(makePacket(final: false).encoded())]  // a Poll may be sent at any time (6.5)
    }

    /// Takes the session administratively down (6.8.16): the peer is told at once with Diag 7
    /// and stops waiting for us without declaring a failure (RFC 5882 3.2).
    public mutating func adminDown(now: Int64) -> [BFDOutput] {
        guard state != .adminDown else { return [] }
        var out: [BFDOutput] = []
        changeState(to: .adminDown, diagnostic: .administrativelyDown, now: now, into: &out)
        detectionDeadline = nil
        return out
    }

    // MARK: - Internals

    mutating func changeState(to new: BFDState, diagnostic: BFDDiagnostic, now: Int64, into out: inout [BFDOutput]) {
        let old = state
        guard old != new else { return }
        state = new
        if diagnostic != .none || new == .down || new == .adminDown { localDiagnostic = diagnostic }
        lastChange = now
        if new == .up { upCount += 1 }
        if old == .up { downCount += 1 }
        out.append(.stateChanged(from: old, to: new, diagnostic: localDiagnostic))
        advertiseTimers(pollEvenIfUnchanged: false)
        // A state change is sent at once rather than at the next periodic slot (unless the peer
        // asked for no packets at all).
        if let i = transmitIntervalUs {
            out.append(.send(makePacket(final: false).encoded()))
            packetsSent += 1
            nextTransmit = now + jittered(i)
        }
    }

    /// The intervals our packets advertise for the current state. Not Up: the configured ones with
    /// Desired Min TX at least the slow rate, in effect at once, no Poll (6.8.3). Up: the configured
    /// ones, announced with a Poll; a lower Desired Min TX or a higher Required Min RX applies at
    /// once, a higher TX or a lower RX only after the Final (6.8.3).
    mutating func advertiseTimers(pollEvenIfUnchanged: Bool) {
        guard state == .up else {
            advertisedTxUs = max(timers.desiredMinTxUs, Self.slowTxUs)
            advertisedRxUs = timers.requiredMinRxUs
            effectiveTxUs = advertisedTxUs
            effectiveRxUs = advertisedRxUs
            pollActive = false
            return
        }
        guard
            pollEvenIfUnchanged || timers.desiredMinTxUs != advertisedTxUs
                || timers.requiredMinRxUs != advertisedRxUs
        else { return }
        advertisedTxUs = timers.desiredMinTxUs
        advertisedRxUs = timers.requiredMinRxUs
        if advertisedTxUs < effectiveTxUs { effectiveTxUs = advertisedTxUs }
        if advertisedRxUs > effectiveRxUs { effectiveRxUs = advertisedRxUs }
        pollActive = true
    }

    /// Our Control packet as of now.
    public func makePacket(final: Bool) -> BFDControlPacket {
        var p = BFDControlPacket()
        p.state = state
        p.diagnostic = localDiagnostic
        p.detectMultiplier = timers.multiplier
        p.myDiscriminator = localDiscriminator
        p.yourDiscriminator = remoteDiscriminator
        p.desiredMinTxInterval = advertisedTxUs
        p.requiredMinRxInterval = advertisedRxUs
        p.requiredMinEchoRxInterval = 0
        p.final = final
        p.poll = pollActive && !final
        return p
    }

    /// An interval in nanoseconds less 0–25 % (10–25 % with Detect Mult 1) of jitter (6.8.7).
    mutating func jittered(_ us: UInt32) -> Int64 {
        random ^= random >> 12
        random ^= random << 25
        random ^= random >> 27
        let r = (random &* 0x2545_F491_4F6C_DD1D) >> 33
        let percent: UInt64 = timers.multiplier == 1 ? 75 + r % 16 : 75 + r % 26  // 75...90 or 75...100
        return Int64(UInt64(us) * percent * 10)  // us × percent / 100 × 1000 ns
    }
}
