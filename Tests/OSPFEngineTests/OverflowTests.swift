import OSPFWire
import Testing

@testable import OSPFEngine

/// lsdb_limit: a flood beyond the limit cannot grow memory. By default (`refuse`) new LSAs beyond
/// it are acknowledged and not installed while adjacencies stay Full; with `isolate` the speaker
/// fails safe (adjacencies down, as if the box were dead), holds, then resumes.
@Suite struct OverflowTests {
    static func external(_ i: Int) -> LSA {
        LinkStateDatabaseTests.external(i, seq: Int32(bitPattern: 0x8000_0001))
    }

    @Test func isolateAnLSABeyondTheLimitKillsEveryAdjacencyDropsForeignLSAsAndHolds() {
        var h = Harness(
            advertisements: [
                Advertisement(
                    prefix: Prefix("100.64.0.0/24")!, kind: .external(metricType: 2, forwardingAddress: .any, tag: 0),
                    cost: 1, degradedCost: 100)
            ], lsdbLimit: 20, overflowHold: 30, overflowPolicy: .isolate)
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

    static let ours = Advertisement(
        prefix: Prefix("100.64.0.0/24")!, kind: .external(metricType: 2, forwardingAddress: .any, tag: 0), cost: 1,
        degradedCost: 100)

    @Test func refuseNewLSAsBeyondTheLimitAreAcknowledgedNotInstalledAndTheAdjacencyStaysFull() {
        var h = Harness(advertisements: [Self.ours], lsdbLimit: 20)
        h.full(peerLSAs: [Harness.routerLSA(h.peer)])
        #expect(h.neighborState == .full)
        let before = h.engine.database.count
        let out = h.receive(.linkStateUpdate(LinkStateUpdate(lsas: (0..<50).map(Self.external))))
        // Filled to the limit, the rest refused one by one, each counted by its rule.
        #expect(h.engine.database.count == 20)
        let refused = 50 - (20 - before)
        #expect(Harness.rules(out).filter { $0.hasPrefix("RFC 1765 2.3.1") }.count == refused)
        #expect(out.filter { if case .notify(.lsdbFull(_, _, 20)) = $0 { true } else { false } }.count == 1)
        #expect(h.engine.lsdbFull)
        #expect(h.engine.overflowUntil == nil)
        #expect(h.neighborState == .full)
        // The refused ones are acknowledged directly, so the peer stops retransmitting them.
        let acked = Harness.sent(out).flatMap { (_, p) -> [LSAKey] in
            if case .linkStateAcknowledgment(let a) = p.body { a.lsaHeaders.map(LSAKey.init) } else { [] }
        }
        let refusedKeys = (0..<50).map { LSAKey(Self.external($0).header) }.filter { h.engine.database[$0] == nil }
        #expect(refusedKeys.count == refused)
        #expect(Set(refusedKeys).isSubset(of: Set(acked)))
        // Our own LSAs stay, and a new instance of one of ours is still originated at the limit.
        #expect(h.engine.database.keys.contains { $0.advertisingRouter == h.me && $0.type == .asExternal })
        // Held LSAs are still updated: a newer instance replaces without adding.
        h.advance(2)
        let held = (0..<50).first { h.engine.database[LSAKey(Self.external($0).header)] != nil }!
        let newer = LinkStateDatabaseTests.external(held, seq: Int32(bitPattern: 0x8000_0002))
        let update = h.receive(.linkStateUpdate(LinkStateUpdate(lsas: [newer])))
        #expect(Harness.rules(update).isEmpty)
        #expect(h.engine.database[LSAKey(newer.header)]?.lsa.header.sequenceNumber == newer.header.sequenceNumber)
        // The peer flushes one of its LSAs: once it is removed there is room, and that is announced.
        h.advance(2)
        var flushed = newer
        flushed.header.age = 3600
        h.receive(.linkStateUpdate(LinkStateUpdate(lsas: [flushed])))
        h.advance(1)
        let tick = h.step(.timerFired(.ageTick))
        #expect(h.engine.database.count == 19)
        #expect(tick.contains { if case .notify(.lsdbFullEnded(19)) = $0 { true } else { false } })
        #expect(!h.engine.lsdbFull)
        #expect(h.neighborState == .full)
    }

    @Test func refuseDDHeadersBeyondTheRoomAreNotRequestedAndLoadingCompletes() {
        var h = Harness(lsdbLimit: 12)
        let lsas = [Harness.routerLSA(h.peer)] + (0..<40).map(Self.external)
        let room = 12 - h.engine.database.count
        let dd = h.exchange(headers: lsas.map(\.header))
        // Only as many requests as the database has room for; the rest counted as refused.
        #expect(h.neighbor?.requestList.count == room)
        #expect(Harness.rules(dd).filter { $0.hasPrefix("RFC 1765 2.3.1") }.count == 41 - room)
        #expect(h.neighborState == .loading)
        // The peer answers what was asked: Full, with the database at the limit.
        let requested = Array(lsas.prefix(room))
        h.receive(.linkStateUpdate(LinkStateUpdate(lsas: requested)))
        #expect(h.neighborState == .full)
        // Only what was requested came in; our own Router-LSA (for the new link) is never refused.
        #expect(h.engine.database.keys.filter { $0.advertisingRouter != h.me }.count == room)
    }

    @Test func refuseAnAnswerToOurRequestBeyondTheLimitStillCompletesLoading() {
        var h = Harness(lsdbLimit: 12)
        let lsas = [Harness.routerLSA(h.peer)] + (0..<6).map(Self.external)
        h.exchange(headers: lsas.map(\.header))
        #expect(h.neighborState == .loading)
        // Meanwhile a flood fills the database (a second source of the same area's LSAs).
        let room = 12 - h.engine.database.count
        let filler = (100..<(100 + room)).map(Self.external)
        h.receive(.linkStateUpdate(LinkStateUpdate(lsas: filler)))
        #expect(h.engine.database.count == 12)
        let foreign = h.engine.database.keys.filter { $0.advertisingRouter != h.me }.count
        // The requested LSAs arrive: refused, but they answer the requests, so Loading completes.
        let answer = h.receive(.linkStateUpdate(LinkStateUpdate(lsas: lsas)))
        #expect(Harness.rules(answer).count == lsas.count)
        #expect(Harness.rules(answer).allSatisfy { $0.hasPrefix("RFC 1765 2.3.1") })
        #expect(h.neighborState == .full)
        #expect(h.engine.database.keys.filter { $0.advertisingRouter != h.me }.count == foreign)
    }

    @Test func aReloadedLimitEndsARefusalAndAReloadedPolicyApplies() {
        var h = Harness(lsdbLimit: 12)
        h.full(peerLSAs: [Harness.routerLSA(h.peer)])
        _ = h.receive(.linkStateUpdate(LinkStateUpdate(lsas: (0..<30).map(Self.external))))
        #expect(h.engine.lsdbFull && h.engine.database.count == 12)
        // A higher limit: the refusal ends at once, and new LSAs are installed again.
        let raised = h.step(.setDatabaseLimit(100, policy: .refuse, holdSeconds: 60))
        #expect(raised.contains(.notify(.lsdbFullEnded(count: 12))))
        #expect(!h.engine.lsdbFull)
        h.advance(2)
        _ = h.receive(.linkStateUpdate(LinkStateUpdate(lsas: (30..<40).map(Self.external))))
        #expect(h.engine.database.count == 22)
        #expect(h.neighborState == .full)
        // Isolate from now on: the next LSA beyond the (lowered) limit takes the adjacency down.
        _ = h.step(.setDatabaseLimit(22, policy: .isolate, holdSeconds: 15))
        h.advance(2)
        let over = h.receive(.linkStateUpdate(LinkStateUpdate(lsas: [Self.external(50)])))
        #expect(over.contains { if case .notify(.lsdbOverflow(_, _, 22, 15)) = $0 { true } else { false } })
        #expect(h.neighborState == nil)
        #expect(h.engine.overflowUntil == h.now.adding(.seconds(15)))
    }
}
