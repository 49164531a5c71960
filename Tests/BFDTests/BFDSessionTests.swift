import Testing

@testable import BFD

/// Two sessions joined by an in-memory link on a virtual clock (nanoseconds).
struct SessionPair {
    var a: BFDSession
    var b: BFDSession
    var now: Int64 = 0
    /// Packets in flight: (arrival time, to a?, bytes).
    var wire: [(at: Int64, toA: Bool, bytes: [UInt8])] = []
    var deliverToA = true
    var deliverToB = true
    var transitionsA: [(BFDState, BFDState, BFDDiagnostic, Int64)] = []
    var transitionsB: [(BFDState, BFDState, BFDDiagnostic, Int64)] = []
    var sentByA: [(Int64, BFDControlPacket)] = []
    var sentByB: [(Int64, BFDControlPacket)] = []
    let delay: Int64 = 100_000  // 0.1 ms

    init(a: BFDSession.Timers, b: BFDSession.Timers) {
        self.a = BFDSession(localDiscriminator: 0x1111, timers: a, now: 0, seed: 1)
        self.b = BFDSession(localDiscriminator: 0x2222, timers: b, now: 0, seed: 2)
    }

    mutating func handle(_ out: [BFDOutput], fromA: Bool) {
        for o in out {
            switch o {
            case .send(let bytes):
                let p = try! BFDControlPacket(decoding: bytes)
                if fromA { sentByA.append((now, p)) } else { sentByB.append((now, p)) }
                if fromA ? deliverToB : deliverToA { wire.append((now + delay, !fromA, bytes)) }
            case .stateChanged(let f, let t, let d):
                if fromA { transitionsA.append((f, t, d, now)) } else { transitionsB.append((f, t, d, now)) }
            }
        }
    }

    /// Runs the pair until `end`, stepping to each next event.
    mutating func run(until end: Int64) {
        while true {
            let nextWire = wire.map(\.at).min() ?? .max
            let next = min(a.nextDeadline, b.nextDeadline, nextWire)
            guard next <= end else { break }
            now = max(now, next)
            if let i = wire.firstIndex(where: { $0.at <= now }) {
                let p = wire.remove(at: i)
                let packet = try! BFDControlPacket(decoding: p.bytes)
                if p.toA {
                    handle(a.receive(packet, now: now), fromA: true)
                } else {
                    handle(b.receive(packet, now: now), fromA: false)
                }
                continue
            }
            handle(a.advance(to: now), fromA: true)
            handle(b.advance(to: now), fromA: false)
        }
        now = end
    }
}

let ms: Int64 = 1_000_000

@Suite("BFD session (RFC 5880 6.8)")
struct BFDSessionTests {
    static let fast = BFDSession.Timers(desiredMinTxUs: 50_000, requiredMinRxUs: 50_000, multiplier: 3)

    @Test("three-way handshake: Down -> Init -> Up on both sides, then the configured rate by Poll/Final")
    func comesUp() {
        var pair = SessionPair(a: Self.fast, b: Self.fast)
        pair.run(until: 3000 * ms)
        #expect(pair.a.state == .up)
        #expect(pair.b.state == .up)
        #expect(pair.transitionsA.map(\.1) == [.initializing, .up] || pair.transitionsA.map(\.1) == [.up])
        #expect(pair.a.remoteDiscriminator == 0x2222)
        #expect(pair.b.remoteDiscriminator == 0x1111)
        // While Down the advertised Desired Min TX is at least 1 s (6.8.3); once Up it is 50 ms.
        let first = pair.sentByA.first!.1
        #expect(first.state == .down && first.desiredMinTxInterval == 1_000_000 && first.yourDiscriminator == 0)
        #expect(pair.a.advertisedTxUs == 50_000 && pair.a.effectiveTxUs == 50_000)
        // A Poll went out when the rate changed and was answered by a Final (6.5): no Poll pending.
        #expect(pair.sentByA.contains { $0.1.poll })
        #expect(pair.sentByB.contains { $0.1.final })
        #expect(!pair.a.pollActive && !pair.b.pollActive)
        #expect(pair.sentByA.allSatisfy { !($0.1.poll && $0.1.final) })
        #expect(pair.a.detectionTimeUs == 150_000)
    }

    @Test("periodic packets are jittered 75-100 % of the negotiated interval (6.8.7)")
    func jitter() {
        var pair = SessionPair(a: Self.fast, b: Self.fast)
        pair.run(until: 3000 * ms)
        let upAt = pair.sentByA.count
        pair.run(until: 13_000 * ms)
        let times = pair.sentByA[upAt...].filter { !$0.1.final }.map(\.0)
        let gaps = zip(times, times.dropFirst()).map { $1 - $0 }
        #expect(gaps.count > 150)
        #expect(gaps.allSatisfy { $0 >= 37_500_000 && $0 <= 50_000_000 })
        // Not a constant: jitter is actually applied.
        #expect(Set(gaps).count > 10)
    }

    @Test("silence for the detection time: Down with Diag 1 (Control Detection Time Expired)")
    func detection() {
        var pair = SessionPair(a: Self.fast, b: Self.fast)
        pair.run(until: 3000 * ms)
        pair.deliverToA = false
        let lastHeard = pair.sentByB.last!.0
        pair.run(until: 4000 * ms)
        #expect(pair.a.state == .down)
        let down = pair.transitionsA.last!
        #expect(down.1 == .down && down.2 == .controlDetectionTimeExpired)
        // Detected within detection time (3 x 50 ms) of the last packet that reached A, and not before.
        let lastDelivered = pair.sentByB.last { $0.0 <= lastHeard }!.0
        #expect(down.3 - lastDelivered <= 150 * ms + pair.delay)
        #expect(down.3 - lastDelivered >= 100 * ms)
        #expect(pair.a.remoteDiscriminator == 0)
        // B hears A's Down (Diag 1) and goes Down with Diag 3.
        #expect(pair.b.state != .up)
        #expect(pair.transitionsB.contains { $0.1 == .down && $0.2 == .neighborSignaledSessionDown })
    }

    @Test("AdminDown: the peer goes Down with Diag 3 and no detection timeout; AdminDown ignores input")
    func adminDown() {
        var pair = SessionPair(a: Self.fast, b: Self.fast)
        pair.run(until: 3000 * ms)
        pair.handle(pair.a.adminDown(now: pair.now), fromA: true)
        let sent = pair.sentByA.last!.1
        #expect(sent.state == .adminDown && sent.diagnostic == .administrativelyDown)
        pair.run(until: 3010 * ms)
        #expect(pair.b.state == .down)
        #expect(pair.b.remoteState == .adminDown)
        #expect(pair.transitionsB.last!.2 == .neighborSignaledSessionDown)
        pair.run(until: 5000 * ms)
        #expect(pair.a.state == .adminDown)
        #expect(pair.b.state == .down)  // stays Down: AdminDown peers do not come back Up (6.8.6)
    }

    @Test("a Poll from the peer is answered at once with a Final, and its new interval is used")
    func answersPoll() {
        var s = BFDSession(localDiscriminator: 7, timers: Self.fast, now: 0, seed: 3)
        var p = BFDControlPacket()
        p.myDiscriminator = 99
        p.state = .initializing
        p.yourDiscriminator = 7
        p.desiredMinTxInterval = 300_000
        p.requiredMinRxInterval = 300_000
        _ = s.receive(p, now: 10 * ms)
        #expect(s.state == .up)
        p.state = .up
        p.poll = true
        p.requiredMinRxInterval = 200_000
        p.desiredMinTxInterval = 100_000
        let out = s.receive(p, now: 20 * ms)
        let finals = out.compactMap { o -> BFDControlPacket? in
            if case .send(let b) = o { return try? BFDControlPacket(decoding: b) } else { return nil }
        }.filter(\.final)
        #expect(finals.count == 1)
        #expect(!finals[0].poll)
        #expect(s.transmitIntervalUs == 200_000)  // max(our 50 ms, its Required Min RX 200 ms)
        #expect(s.detectionTimeUs == 3 * 100_000)  // its mult x max(our RX 50 ms, its TX 100 ms)
    }

    @Test("new timers while Up: a Poll; a slower TX and a faster RX wait for the Final (6.8.3)")
    func slowerAfterFinal() {
        var pair = SessionPair(a: Self.fast, b: Self.fast)
        pair.run(until: 3000 * ms)
        let slow = BFDSession.Timers(desiredMinTxUs: 200_000, requiredMinRxUs: 20_000, multiplier: 3)
        pair.deliverToA = false  // hold back B's Final for a moment
        pair.handle(pair.a.setTimers(slow, now: pair.now), fromA: true)
        #expect(pair.a.pollActive && pair.sentByA.last!.1.poll)
        #expect(pair.a.advertisedTxUs == 200_000 && pair.a.effectiveTxUs == 50_000)
        #expect(pair.a.advertisedRxUs == 20_000 && pair.a.effectiveRxUs == 50_000)
        pair.run(until: pair.now + 20 * ms)
        #expect(pair.a.pollActive)
        pair.deliverToA = true
        pair.run(until: pair.now + 300 * ms)
        #expect(!pair.a.pollActive)
        #expect(pair.a.effectiveTxUs == 200_000 && pair.a.effectiveRxUs == 20_000)
        #expect(pair.a.state == .up && pair.b.state == .up)
        #expect(pair.b.transmitIntervalUs == 50_000 && pair.a.transmitIntervalUs == 200_000)
    }

    @Test("Required Min RX of zero from the peer stops periodic transmission (6.8.7)")
    func remoteAsksForNothing() {
        var s = BFDSession(localDiscriminator: 5, timers: Self.fast, now: 0, seed: 4)
        var p = BFDControlPacket()
        p.myDiscriminator = 9
        p.requiredMinRxInterval = 0
        let out = s.receive(p, now: 1 * ms) + s.advance(to: 5000 * ms)
        #expect(s.transmitIntervalUs == nil)
        #expect(out.allSatisfy { if case .send = $0 { false } else { true } })
    }

    @Test("restart of the peer: a new discriminator in Down brings the session Down then Up again")
    func peerRestart() {
        var pair = SessionPair(a: Self.fast, b: Self.fast)
        pair.run(until: 3000 * ms)
        pair.b = BFDSession(localDiscriminator: 0x3333, timers: Self.fast, now: pair.now, seed: 9)
        pair.run(until: 6000 * ms)
        #expect(pair.transitionsA.contains { $0.1 == .down && $0.2 == .neighborSignaledSessionDown })
        #expect(pair.a.state == .up && pair.b.state == .up)
        #expect(pair.a.remoteDiscriminator == 0x3333)
    }
}
