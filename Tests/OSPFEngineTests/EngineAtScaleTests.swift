import AllocationCounter
import OSPFWire
import Testing

@testable import OSPFEngine

/// The fixes and the scaling of the engine measured by counting work, never time: the packets
/// it sends and the heap allocations its thread makes while it synchronises N LSAs.
@Suite struct EngineAtScaleTests {
    /// 10.6: DD options are compared with those of the last DD received. BIRD sets the O-bit
    /// (RFC 5250) in DDs and not in Hellos; a Hello arriving mid-exchange must not restart it.
    @Test func rfc2328_10_6_helloOptionsDoNotRestartTheExchange() {
        var h = TwoLinkHarness()
        // The peer's DDs carry E and O; its Hellos E only. One arrives in the middle of the exchange.
        h.peers[0].lsas = (0..<300).map { TwoLinkHarness.external($0, from: h.peers[0].routerID) }
        h.peers[0].helloBeforeNextDD = true
        h.bringUp(0)
        let mismatches = h.notifications.filter {
            if case .neighborState(_, _, _, .exStart, .seqNumberMismatch) = $0 {
                true
            } else {
                false
            }
        }
        #expect(mismatches.isEmpty, "\(mismatches)")
        #expect(h.state(0) == .full)
        #expect(h.engine.database.count == 301)
        #expect(h.engine.interfaces["eth0"]?.neighbors[h.peers[0].routerID]?.helloOptions == .e)
    }

    /// 13 (5b)/(5c): an LSA flooded on to another neighbour stays on that neighbour's
    /// retransmission list until acknowledged, and is retransmitted after RxmtInterval (13.6).
    @Test func rfc2328_13_5c_lsaFloodedOnIsRetransmittedUntilAcknowledged() {
        var h = TwoLinkHarness()
        h.bringUp(0)
        h.bringUp(1)
        #expect(h.state(0) == .full && h.state(1) == .full)
        h.peers[1].deaf = true  // every flood to B is lost
        let lsas = (0..<40).map { TwoLinkHarness.external($0, from: h.peers[0].routerID) }
        h.sent = []
        h.step(h.packet(0, .linkStateUpdate(LinkStateUpdate(lsas: lsas))))
        let keys = Set(lsas.map { LSAKey($0.header) })
        #expect(h.neighbor(1)?.retransmissionList.count == 40)
        // Flooded packed: one LS Update on eth1 carries all 40.
        let floods = h.sent.filter { $0.interface == "eth1" && $0.packet.type == .linkStateUpdate }
        #expect(floods.count == 1)
        h.peers[1].deaf = false
        h.fire(.updateRetransmit("eth1", h.peers[1].routerID), after: 5)
        #expect(Set(h.peers[1].received.map { LSAKey($0.header) }).isSuperset(of: keys))
        #expect(h.neighbor(1)?.retransmissionList.isEmpty == true)  // B acknowledged the retransmission
    }

    /// RFC 6987 max-metric on transit links is the default: the speaker forwards nothing.
    @Test func rfc6987_maxMetricIsTheDefault() {
        #expect(EngineConfiguration(routerID: .any, interfaces: []).maxMetric)
        var h = TwoLinkHarness()
        h.bringUp(0)
        guard case .router(let r)? = h.engine.database[h.engine.routerLSAKey]?.lsa.body else {
            Issue.record("no Router-LSA")
            return
        }
        #expect(r.links.filter { $0.type == .pointToPoint }.map(\.metric) == [0xFFFF])
        #expect(r.links.filter { $0.type == .stub }.allSatisfy { $0.metric == 10 })
    }

    /// 12.4: no Router-LSA before the first adjacency is Full; at Full it goes out at once with
    /// the link, and is not held back by MinLSInterval.
    @Test func rfc2328_12_4_routerLSAWaitsForTheFirstFullAdjacency() {
        var h = TwoLinkHarness(maxMetric: false)
        #expect(h.engine.database[h.engine.routerLSAKey] == nil)
        h.bringUp(0)
        #expect(h.state(0) == .full)
        guard case .router(let r)? = h.engine.database[h.engine.routerLSAKey]?.lsa.body else {
            Issue.record("no Router-LSA at Full")
            return
        }
        #expect(r.links.contains { $0.type == .pointToPoint && $0.id == h.peers[0].routerID && $0.metric == 10 })
        #expect(h.peers[0].received.contains { LSAKey($0.header) == h.engine.routerLSAKey })
        #expect(h.engine.pendingOrigination.isEmpty)
    }

    /// 13.4 after a restart: the peer still holds our Router-LSA with a higher sequence number.
    /// It is not flushed during the exchange, and at Full the instance with the link goes out
    /// at once, numbered past it.
    @Test func rfc2328_13_4_staleRouterLSAIsSupersededAtFullWithoutDelay() {
        var h = TwoLinkHarness()
        let stale = LSA(
            header: LSAHeader(
                age: 200, options: .e, type: .router, linkStateID: TwoLinkHarness.me,
                advertisingRouter: TwoLinkHarness.me, sequenceNumber: Int32(bitPattern: 0x8000_0010), checksum: 0,
                length: 0),
            body: .router(RouterLSA(flags: [], links: []))
        ).finalized()
        h.peers[0].lsas = [stale]
        h.bringUp(0)
        #expect(h.state(0) == .full)
        #expect(!h.notifications.contains { if case .lsaFlushed = $0 { true } else { false } })
        let ours = h.peers[0].received.filter { LSAKey($0.header) == h.engine.routerLSAKey }
        #expect(ours.map(\.header.sequenceNumber) == [Int32(bitPattern: 0x8000_0011)])
        guard case .router(let r)? = ours.first?.body else {
            Issue.record("no Router-LSA flooded at Full")
            return
        }
        #expect(r.links.contains { $0.type == .pointToPoint && $0.id == h.peers[0].routerID })
    }

    /// Synchronisation at scale, both ways: peer A brings `n` external LSAs while peer B is Full
    /// (so every LSA is also flooded on to B and acknowledged); then B restarts its adjacency and
    /// learns all of them from the engine (which describes `n` LSAs and answers B's requests).
    /// Returns the packets the engine sent and the allocations its thread made.
    static func synchronise(_ n: Int) -> (
        packets: [PacketType: Int], counts: allocation_counts, full: Bool, updatesFromA: Int, bLearned: Int
    ) {
        var h = TwoLinkHarness()
        h.bringUp(1)
        h.peers[0].lsas = (0..<n).map { TwoLinkHarness.external($0, from: IPv4Address(198, 51, 100, 7)) }
        h.sent = []
        allocation_counter_reset()
        h.bringUp(0)
        let fromA = h.sent
        // B goes down (a Hello not listing us: 1-WayReceived) and comes back with an empty database.
        h.step(h.hello(1, listing: false))
        h.peers[1].received = []
        h.peers[1].ddSequence &+= 100
        h.bringUp(1)
        let counts = allocation_counter_read()
        var packets: [PacketType: Int] = [:]
        for s in fromA { packets[s.packet.type, default: 0] += 1 }
        let learned = Set(h.peers[1].received.map { LSAKey($0.header) }).count
        let full = h.state(0) == .full && h.state(1) == .full && h.engine.database.count == n + 1
        return (packets, counts, full, h.peers[0].updatesSent, learned)
    }

    /// Every per-LSA step is O(1) or O(log n): four times the LSAs cost about four times the
    /// allocations (bytes and calls), where a per-packet copy of a neighbour's lists or a linear
    /// list removal grows them sixteen-fold; packets are packed to the MTU.
    @Test func synchronisationWorkGrowsLinearly() {
        let small = Self.synchronise(1500)
        let large = Self.synchronise(6000)
        #expect(small.full && large.full)
        #expect(large.bLearned >= 6000)
        let bytesRatio = Double(large.counts.bytes) / Double(small.counts.bytes)
        let callsRatio = Double(large.counts.calls) / Double(small.counts.calls)
        #expect(
            bytesRatio < 5.5, "allocated bytes grew \(bytesRatio)x for 4x the LSAs (\(small.counts), \(large.counts))")
        #expect(callsRatio < 5.5, "allocations grew \(callsRatio)x for 4x the LSAs (\(small.counts), \(large.counts))")
        // Packing: (1500 - 20 - 24 - 8) / 20 = 72 headers per DD, (1500 - 20 - 24) / 12 = 121
        // requests per LS Request; the LSAs of each LS Update from A go on to B in one.
        let n = 6000.0
        #expect(Double(large.packets[.databaseDescription] ?? 0) <= (n / 72).rounded(.up) + 3)
        #expect(Double(large.packets[.linkStateRequest] ?? 0) <= (n / 121).rounded(.up) + 1)
        #expect((large.packets[.linkStateUpdate] ?? 0) <= large.updatesFromA + 2)
    }
}
