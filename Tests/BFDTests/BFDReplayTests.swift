import Glibc
import PcapFile
import Testing

@testable import BFD

/// Recorded sessions (Fixtures/bfd/, captured in the lab with FRR 8.4 bfdd and BIRD 2.0.12 at
/// 50 ms x 3): the session plays one side of the recording, fed the other side's packets at their
/// recorded times, and must answer as that side did.
@Suite("BFD recorded sessions replay")
struct BFDReplayTests {
    struct Recorded {
        var time: Int64  // nanoseconds since the first packet
        var source: UInt32
        var packet: BFDControlPacket
    }

    static let root: String = {
        var path = #filePath
        for _ in 0..<3 { path = String(path[..<(path.lastIndex(of: "/") ?? path.startIndex)]) }
        return path + "/Fixtures/bfd"
    }()

    static func load(_ name: String) throws -> [Recorded] {
        let frames = try PcapReader(path: "\(root)/\(name)").readAll()
        var out: [Recorded] = []
        var first: Int64?
        for f in frames {
            guard let ip = try? LinkLayer.ipv4(in: f.data, linkType: f.linkType), ip.protocolNumber == 17,
                ip.payload.count >= 8
            else { continue }
            let u = ip.payload
            guard Int(u[2]) << 8 | Int(u[3]) == 3784 else { continue }
            #expect(ip.ttl == 255, "RFC 5881: single-hop BFD is sent with TTL 255")
            let packet = try BFDControlPacket(decoding: Array(u[8...]))
            let t = f.seconds * 1_000_000_000 + Int64(f.microseconds) * 1000
            if first == nil { first = t }
            out.append(Recorded(time: t - first!, source: ip.source, packet: packet))
        }
        return out
    }

    static func address(_ s: String) -> UInt32 {
        s.split(separator: ".").reduce(0) { $0 << 8 | UInt32($1)! }
    }

    /// Plays `us` in the recording; returns what our session sent (time, packet) and its transitions.
    static func replay(_ name: String, us: String) throws -> (
        recorded: [Recorded], sent: [(Int64, BFDControlPacket)], states: [BFDState], session: BFDSession,
        finalsForPolls: Bool
    ) {
        let recorded = try load(name)
        let me = address(us)
        let ourDiscriminator = recorded.first { $0.source == me }!.packet.myDiscriminator
        var s = BFDSession(
            localDiscriminator: ourDiscriminator,
            timers: .init(desiredMinTxUs: 50_000, requiredMinRxUs: 50_000, multiplier: 3), now: 0, seed: 7)
        var sent: [(Int64, BFDControlPacket)] = []
        var states: [BFDState] = []
        var finalsForPolls = true
        func take(_ out: [BFDOutput], _ t: Int64) -> [BFDControlPacket] {
            var packets: [BFDControlPacket] = []
            for o in out {
                switch o {
                case .send(let b):
                    let p = try! BFDControlPacket(decoding: b)
                    sent.append((t, p))
                    packets.append(p)
                case .stateChanged(_, let to, _): states.append(to)
                }
            }
            return packets
        }
        for r in recorded where r.source != me {
            while s.nextDeadline < r.time {
                let d = s.nextDeadline
                _ = take(s.advance(to: d), d)
            }
            let answers = take(s.receive(r.packet, now: r.time), r.time)
            if r.packet.poll && !answers.contains(where: \.final) { finalsForPolls = false }
        }
        let end = recorded.last!.time
        while s.nextDeadline <= end {
            let d = s.nextDeadline
            _ = take(s.advance(to: d), d)
        }
        return (recorded, sent, states, s, finalsForPolls)
    }

    /// The states a side sent from `t` on, consecutive repeats merged.
    static func stateRuns(_ packets: [(Int64, BFDControlPacket)], from t: Int64) -> [BFDState] {
        var out: [BFDState] = []
        for (time, p) in packets where time >= t && out.last != p.state { out.append(p.state) }
        return out
    }

    @Test("in BIRD's place against FRR: Up on FRR's Init, Poll answered, FRR's Poll answered, 50 ms kept")
    func birdAgainstFRR() throws {
        let r = try Self.replay("bird-frr-bringup.pcap", us: "10.77.1.2")
        let me = Self.address("10.77.1.2")
        let peerFirst = r.recorded.first { $0.source != me }!.time
        let theirs = r.recorded.filter { $0.source == me }.map { ($0.time, $0.packet) }
        #expect(Self.stateRuns(r.sent, from: peerFirst) == Self.stateRuns(theirs, from: peerFirst))
        #expect(r.states == [.up])
        #expect(r.finalsForPolls)
        #expect(r.sent.contains { $0.1.poll } && !r.session.pollActive)
        #expect(r.session.state == .up && r.session.transmitIntervalUs == 50_000)
        #expect(r.session.detectionTimeUs == 150_000)
        // About as many packets once Up as BIRD sent (jittered 37.5-50 ms either way).
        let upAt = r.sent.first { $0.1.state == .up }!.0
        let ours = r.sent.filter { $0.0 >= upAt && !$0.1.final }.count
        let bird = theirs.filter { $0.0 >= upAt && $0.1.state == .up && !$0.1.final }.count
        #expect(abs(ours - bird) <= bird / 4, "ours \(ours), BIRD \(bird)")
    }

    @Test("in FRR's place against FRR: Init on Down, then Up, Poll/Final both ways")
    func frrAgainstFRR() throws {
        let r = try Self.replay("frr-frr-bringup.pcap", us: "10.77.0.1")
        let me = Self.address("10.77.0.1")
        let peerFirst = r.recorded.first { $0.source != me }!.time
        let theirs = r.recorded.filter { $0.source == me }.map { ($0.time, $0.packet) }
        #expect(Self.stateRuns(r.sent, from: peerFirst) == [.initializing, .up])
        #expect(Self.stateRuns(theirs, from: peerFirst) == [.initializing, .up])
        #expect(r.states == [.initializing, .up])
        #expect(r.finalsForPolls)
        #expect(r.session.state == .up && !r.session.pollActive)
        #expect(r.session.remoteDiscriminator == 0x6E59_E968)
    }
}
