import OSPFWire
import Testing

@testable import OSPFEngine

/// lsdb_limit: a flood beyond the limit cannot grow memory; the speaker fails safe (adjacencies
/// down, as if the box were dead), holds, then resumes.
@Suite struct OverflowTests {
    static func external(_ i: Int) -> LSA {
        LinkStateDatabaseTests.external(i, seq: Int32(bitPattern: 0x8000_0001))
    }

    @Test func anLSABeyondTheLimitKillsEveryAdjacencyDropsForeignLSAsAndHolds() {
        var h = Harness(
            advertisements: [
                Advertisement(
                    prefix: Prefix("100.64.0.0/24")!, kind: .external(metricType: 2, forwardingAddress: .any, tag: 0),
                    cost: 1, degradedCost: 100)
            ], lsdbLimit: 20, overflowHold: 30)
        h.full(peerLSAs: [Harness.routerLSA(h.peer)])
        #expect(h.neighborState == .full)
        let ours = h.engine.database.keys.filter { $0.advertisingRouter == h.me }.count
        #expect(ours >= 2)  // our Router-LSA and the external
        // A flood: 50 new externals, limit 20.
        let out = h.receive(.linkStateUpdate(LinkStateUpdate(lsas: (0..<50).map(Self.external))))
        #expect(h.engine.overflowUntil == h.now.adding(.seconds(30)))
        #expect(out.contains { if case .notify(.lsdbOverflow(_, _, 20, 30)) = $0 { true } else { false } })
        #expect(h.neighborState == nil)  // killed (KillNbr)
        #expect(h.engine.database.count <= 20)
        #expect(h.engine.database.keys.allSatisfy { $0.advertisingRouter == h.me })
        #expect(h.engine.database.keys.count == ours)
        // During the hold every packet is dropped, counted by rule: no adjacency forms.
        h.advance(10)
        let during = h.receive(.hello(h.hello(neighbors: [h.me])))
        #expect(Harness.rules(during) == ["RFC 1765 2.3 (database overflow; lsdb_limit)"])
        #expect(h.neighborState == nil)
        // Our Hellos go on (listing nobody): the routers drop our LSAs from their SPF.
        h.advance(20)
        let end = h.step(.timerFired(.overflowEnd))
        #expect(end.contains(.notify(.lsdbOverflowEnded)))
        #expect(h.engine.overflowUntil == nil)
        h.full(peerLSAs: [Harness.routerLSA(h.peer, seq: Int32(bitPattern: 0x8000_0002))])
        #expect(h.neighborState == .full)
    }

    @Test func replacingAnLSAAtTheLimitIsNoOverflow() {
        var h = Harness(lsdbLimit: 12)
        h.full(peerLSAs: [Harness.routerLSA(h.peer)])
        let room = 12 - h.engine.database.count
        _ = h.receive(.linkStateUpdate(LinkStateUpdate(lsas: (0..<room).map(Self.external))))
        #expect(h.engine.database.count == 12)
        // A newer instance of an LSA already held does not add one.
        h.advance(2)
        let newer = LinkStateDatabaseTests.external(0, seq: Int32(bitPattern: 0x8000_0002))
        _ = h.receive(.linkStateUpdate(LinkStateUpdate(lsas: [newer])))
        #expect(h.engine.overflowUntil == nil)
        #expect(h.neighborState == .full)
    }
}
