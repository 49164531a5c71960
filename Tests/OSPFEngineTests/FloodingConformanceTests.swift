import OSPFWire
import Testing

@testable import OSPFEngine

/// LS Update processing and flooding (RFC 2328 13, 13.3-13.7).
@Suite struct FloodingTests {
    func update(_ lsas: [LSA]) -> Packet.Body { .linkStateUpdate(LinkStateUpdate(lsas: lsas)) }

    func acks(_ actions: [Action]) -> [LSAHeader] {
        Harness.sent(actions).flatMap { (sent: (IPv4Address, Packet)) -> [LSAHeader] in
            if case .linkStateAcknowledgment(let a) = sent.1.body { return a.lsaHeaders }
            return []
        }
    }

    @Test func rfc2328_13_updateBeforeExchangeIsRejected() {
        var h = Harness()
        h.receive(.hello(h.hello()))
        #expect(Harness.rules(h.receive(update([Harness.routerLSA(h.peer)]))) == ["RFC 2328 13"])
    }

    @Test func rfc2328_13_1_badLSAChecksumIsDiscarded() {
        var h = Harness()
        h.full()
        var lsa = Harness.routerLSA(IPv4Address(7, 7, 7, 7))
        lsa.header.checksum ^= 0x0101
        var bytes = h.bytes(update([lsa]))
        // Re-decode so checksumValid reflects the wire.
        bytes = (try? Packet(decoding: bytes))!.encoded()
        #expect(Harness.rules(h.receiveRaw(bytes)) == ["RFC 2328 13 (1)"])
        #expect(h.engine.database[LSAKey(lsa.header)] == nil)
    }

    @Test func rfc2328_13_2_unsupportedLSTypeIsDiscarded() {
        var h = Harness()
        h.full()
        let opaque = LSA(
            header: LSAHeader(
                age: 1, options: [.e, .o], type: .opaqueArea, linkStateID: IPv4Address(1, 0, 0, 1),
                advertisingRouter: h.peer,
                sequenceNumber: Int32(bitPattern: 0x8000_0001), checksum: 0, length: 0),
            body: .raw([0, 0, 0, 0])
        ).finalized()
        #expect(Harness.rules(h.receive(update([opaque]))) == ["RFC 2328 13 (2)"])
    }

    @Test func rfc2328_13_4_maxAgeLSANotInDatabaseIsAckedAndDiscarded() {
        var h = Harness()
        h.full()
        let gone = Harness.routerLSA(IPv4Address(7, 7, 7, 7), age: 3600)
        let out = h.receive(update([gone]))
        #expect(acks(out).map(LSAKey.init) == [LSAKey(gone.header)])
        #expect(h.engine.database[LSAKey(gone.header)] == nil)
    }

    @Test func rfc2328_13_5_newerLSAIsInstalledAndDelayedAcked() {
        var h = Harness()
        h.full()
        let lsa = Harness.routerLSA(IPv4Address(7, 7, 7, 7))
        let out = h.receive(update([lsa]))
        #expect(h.engine.database[LSAKey(lsa.header)] != nil)
        #expect(acks(out).isEmpty)
        #expect(out.contains { if case .armTimer(.delayedAck("eth0"), _) = $0 { true } else { false } })
        let later = h.step(.timerFired(.delayedAck("eth0")))
        #expect(acks(later).map(LSAKey.init) == [LSAKey(lsa.header)])
    }

    @Test func rfc2328_13_5a_minLSArrivalDiscardsWithoutAck() {
        var h = Harness()
        h.full()
        let first = Harness.routerLSA(IPv4Address(7, 7, 7, 7))
        h.receive(update([first]))
        let second = Harness.routerLSA(IPv4Address(7, 7, 7, 7), seq: Int32(bitPattern: 0x8000_0002), metric: 20)
        let out = h.receive(update([second]))
        #expect(Harness.rules(out) == ["RFC 2328 13 (5a)"])
        #expect(acks(out).isEmpty)
        #expect(h.engine.database[LSAKey(first.header)]?.lsa.header.sequenceNumber == first.header.sequenceNumber)
        h.advance(1)
        h.receive(update([second]))
        #expect(h.engine.database[LSAKey(first.header)]?.lsa.header.sequenceNumber == second.header.sequenceNumber)
    }

    @Test func rfc2328_13_6_requestedLSANotNewerIsBadLSReq() {
        var h = Harness()
        h.twoWay()
        let newer = Harness.routerLSA(h.peer, seq: Int32(bitPattern: 0x8000_0005))
        let older = Harness.routerLSA(h.peer, seq: Int32(bitPattern: 0x8000_0002))
        h.receive(
            .databaseDescription(
                DatabaseDescription(
                    interfaceMTU: 1500, options: .e, flags: [.initial, .more, .master], sequenceNumber: 1,
                    lsaHeaders: [])))
        h.receive(
            .databaseDescription(
                DatabaseDescription(
                    interfaceMTU: 1500, options: .e, flags: [.master], sequenceNumber: 2, lsaHeaders: [newer.header])))
        #expect(h.neighborState == .loading)
        h.receive(update([older]))
        h.advance(2)
        h.receive(update([older]))
        #expect(h.neighborState == .exStart)
    }

    @Test func rfc2328_13_7_sameInstanceNotOnRetransmissionListIsAckedDirectly() {
        var h = Harness()
        h.full()
        let lsa = Harness.routerLSA(IPv4Address(7, 7, 7, 7))
        h.receive(update([lsa]))
        h.advance(2)
        let out = h.receive(update([lsa]))
        #expect(acks(out).map(LSAKey.init) == [LSAKey(lsa.header)])
    }

    @Test func rfc2328_13_7_sameInstanceOnRetransmissionListIsImpliedAck() {
        var h = Harness(advertisements: [
            Advertisement(
                prefix: Prefix("100.64.0.0/24")!, kind: .external(metricType: 2, forwardingAddress: .any, tag: 0),
                cost: 1)
        ])
        h.full()
        h.advance(6)
        h.step(.setAdvertisement(Prefix("100.64.0.0/24")!, cost: 50))  // a new instance, flooded to the peer
        let key = LSAKey(type: .asExternal, linkStateID: IPv4Address(100, 64, 0, 0), advertisingRouter: h.me)
        #expect(h.neighbor?.retransmissionList[key] != nil)
        let ours = h.engine.database[key]!.lsa
        let out = h.receive(update([ours]))
        #expect(h.neighbor?.retransmissionList[key] == nil)
        #expect(acks(out).isEmpty)
    }

    @Test func rfc2328_13_8_olderInstanceIsAnsweredWithOurCopy() {
        var h = Harness()
        h.full()
        let newer = Harness.routerLSA(IPv4Address(7, 7, 7, 7), seq: Int32(bitPattern: 0x8000_0003))
        h.receive(update([newer]))
        h.advance(2)
        let older = Harness.routerLSA(IPv4Address(7, 7, 7, 7), seq: Int32(bitPattern: 0x8000_0002))
        let out = h.receive(update([older]))
        let sent = Harness.sent(out).flatMap { (sent: (IPv4Address, Packet)) -> [LSA] in
            if case .linkStateUpdate(let u) = sent.1.body { return u.lsas }
            return []
        }
        #expect(sent.first?.header.sequenceNumber == newer.header.sequenceNumber)
    }

    @Test func rfc2328_13_7_ackRemovesFromRetransmissionList() {
        var h = Harness(advertisements: [
            Advertisement(
                prefix: Prefix("100.64.0.0/24")!, kind: .external(metricType: 2, forwardingAddress: .any, tag: 0),
                cost: 1)
        ])
        h.full()
        h.advance(6)
        h.step(.setAdvertisement(Prefix("100.64.0.0/24")!, cost: 50))
        let key = LSAKey(type: .asExternal, linkStateID: IPv4Address(100, 64, 0, 0), advertisingRouter: h.me)
        var header = h.engine.database[key]!.lsa.header
        // An ack for a different instance is ignored.
        header.sequenceNumber &+= 1
        h.receive(.linkStateAcknowledgment(LinkStateAcknowledgment(lsaHeaders: [header])))
        #expect(h.neighbor?.retransmissionList[key] != nil)
        header.sequenceNumber &-= 1
        h.receive(.linkStateAcknowledgment(LinkStateAcknowledgment(lsaHeaders: [header])))
        #expect(h.neighbor?.retransmissionList[key] == nil)
    }

    @Test func rfc2328_13_6_unacknowledgedLSAsAreRetransmitted() {
        var h = Harness(advertisements: [
            Advertisement(
                prefix: Prefix("100.64.0.0/24")!, kind: .external(metricType: 2, forwardingAddress: .any, tag: 0),
                cost: 1)
        ])
        h.full()
        h.advance(6)
        h.step(.setAdvertisement(Prefix("100.64.0.0/24")!, cost: 50))
        h.advance(5)
        let out = h.step(.timerFired(.updateRetransmit("eth0", h.peer)))
        let sent = Harness.sent(out)
        #expect(sent.count == 1)
        #expect(sent.first?.0 == .allSPFRouters)  // directly to the neighbour: on point-to-point, AllSPFRouters (8.1)
    }

    @Test("12.1.1: an LSA with LS age above MaxAge is rejected, not installed (found by the engine fuzzer)")
    func ageAboveMaxAgeIsRejected() {
        var h = Harness()
        h.full()
        var lsa = Harness.routerLSA(IPv4Address(192, 0, 2, 50), age: 3700)
        lsa = lsa.finalized()
        let out = h.receive(.linkStateUpdate(LinkStateUpdate(lsas: [lsa])))
        #expect(Harness.rules(out) == ["RFC 2328 12.1.1"])
        #expect(h.engine.database[LSAKey(lsa.header)] == nil)
        #expect(h.neighborState == .full)
    }
}

/// Origination, self-originated LSAs, aging (RFC 2328 12.4, 13.4, 14, 12.1.6).
@Suite struct OriginationTests {
    static let ad = Advertisement(
        prefix: Prefix("100.64.0.0/24")!,
        kind: .external(metricType: 2, forwardingAddress: IPv4Address(10, 0, 0, 2), tag: 9),
        cost: 1, degradedCost: 100, onFailure: .raise)
    let key = LSAKey(
        type: .asExternal, linkStateID: IPv4Address(100, 64, 0, 0), advertisingRouter: IPv4Address(192, 0, 2, 1))

    @Test func rfc2328_12_4_externalCarriesMetricForwardingAddressAndTag() {
        var h = Harness(advertisements: [Self.ad])
        h.full()
        guard case .external(let e) = h.engine.database[key]?.lsa.body else {
            Issue.record("no AS-external LSA")
            return
        }
        #expect(e.metricType == 2 && e.primary.metric == 1 && e.primary.tag == 9)
        #expect(e.primary.forwardingAddress == IPv4Address(10, 0, 0, 2))
        #expect(h.engine.database[key]?.lsa.header.sequenceNumber == Architectural.initialSequenceNumber)
        // The Router-LSA sets the E bit (ASBR).
        let router = LSAKey(type: .router, linkStateID: h.me, advertisingRouter: h.me)
        guard case .router(let r) = h.engine.database[router]?.lsa.body else {
            Issue.record("no Router-LSA")
            return
        }
        #expect(r.flags.contains(.external))
    }

    @Test func rfc2328_12_4_externalsWaitForTheFirstFullAdjacency() {
        var h = Harness(advertisements: [Self.ad])
        #expect(h.engine.database[key] == nil)
        h.full()
        #expect(h.engine.database[key]?.lsa.header.sequenceNumber == Architectural.initialSequenceNumber)
    }

    /// After a graceful stop the neighbour may still hold our flushed instance at MaxAge with the
    /// same sequence number as the fresh one (13.1: the MaxAge copy is newer). Flooded at Full, the
    /// fresh instance brings the stale copy back at once (13 (8)), and it is superseded (13.4).
    @Test func rfc2328_13_4_flushedCopyWithTheSameSequenceIsSupersededAtOnce() {
        var h = Harness(advertisements: [Self.ad])
        h.full()
        var stale = h.engine.database[key]!.lsa
        stale.header.age = 3600
        let out = h.receive(.linkStateUpdate(LinkStateUpdate(lsas: [stale])))
        #expect(h.engine.database[key]?.isMaxAge == false)
        #expect(h.engine.database[key]?.lsa.header.sequenceNumber == Architectural.initialSequenceNumber &+ 1)
        #expect(!out.contains { if case .armTimer(.minLSInterval(key), _) = $0 { true } else { false } })
    }

    @Test func rfc2328_12_4_minLSIntervalDefersButDelivers() {
        var h = Harness(advertisements: [Self.ad])
        h.full()  // self-originated LSAs wait for the first Full adjacency
        h.advance(1)
        let out = h.step(.maintenance(true))
        #expect(h.engine.database[key]?.lsa.header.sequenceNumber == Architectural.initialSequenceNumber)
        #expect(out.contains { if case .armTimer(.minLSInterval(key), _) = $0 { true } else { false } })
        h.advance(4)
        h.step(.timerFired(.minLSInterval(key)))
        guard case .external(let e) = h.engine.database[key]?.lsa.body else {
            Issue.record("no AS-external LSA")
            return
        }
        #expect(e.primary.metric == 100)
    }

    @Test func onFailureWithdrawFlushesInMaintenance() {
        var ad = Self.ad
        ad.onFailure = .withdraw
        var h = Harness(advertisements: [ad])
        h.advance(6)
        h.full()  // self-originated LSAs wait for the first Full adjacency
        let out = h.step(.maintenance(true))
        #expect(h.engine.database[key]?.isMaxAge == true)
        #expect(out.contains { if case .notify(.lsaFlushed) = $0 { true } else { false } })
    }

    @Test func rfc2328_13_4_newerSelfOriginatedIsSupersededWithHigherSequence() {
        var h = Harness(advertisements: [Self.ad])
        h.full()
        h.advance(2)
        var stale = h.engine.database[key]!.lsa
        stale.header.sequenceNumber = Int32(bitPattern: 0x8000_0010)
        stale = stale.finalized()
        h.receive(.linkStateUpdate(LinkStateUpdate(lsas: [stale])))
        #expect(h.engine.database[key]?.lsa.header.sequenceNumber == Int32(bitPattern: 0x8000_0011))
    }

    @Test func rfc2328_13_4_unwantedSelfOriginatedIsFlushed() {
        var h = Harness()
        h.full()
        h.advance(2)
        let old = LSA(
            header: LSAHeader(
                age: 10, options: .e, type: .asExternal, linkStateID: IPv4Address(198, 51, 100, 0),
                advertisingRouter: h.me,
                sequenceNumber: Int32(bitPattern: 0x8000_0004), checksum: 0, length: 0),
            body: .external(
                ASExternalLSA(
                    networkMask: IPv4Address(255, 255, 255, 0), metricType: 2, metric: 5, forwardingAddress: .any,
                    tag: 0))
        ).finalized()
        h.receive(.linkStateUpdate(LinkStateUpdate(lsas: [old])))
        #expect(h.engine.database[LSAKey(old.header)]?.isMaxAge == true)
    }

    @Test func rfc2328_14_lsaReachingMaxAgeByAgingIsFlooded() {
        var h = Harness()
        h.full()
        let old = Harness.routerLSA(IPv4Address(7, 7, 7, 7), age: 3590)
        h.receive(.linkStateUpdate(LinkStateUpdate(lsas: [old])))
        let key = LSAKey(old.header)
        h.advance(9)
        let early = h.step(.timerFired(.ageTick))
        #expect(h.engine.database[key]?.isMaxAge == false)
        #expect(!Harness.sent(early).contains { $0.1.type == .linkStateUpdate })
        h.advance(1)
        let out = h.step(.timerFired(.ageTick))
        #expect(h.engine.database[key]?.isMaxAge == true)
        let flooded = Harness.sent(out).flatMap { sent -> [LSAHeader] in
            if case .linkStateUpdate(let u) = sent.1.body { return u.lsas.map(\.header) }
            return []
        }
        #expect(flooded.contains { LSAKey($0) == key && $0.age == 3600 })
    }

    @Test func rfc2328_14_maxAgeLSAIsRemovedOnceAcknowledged() {
        var h = Harness(advertisements: [Self.ad])
        h.full()
        h.advance(6)
        h.step(.setAdvertisement(Self.ad.prefix, cost: nil))
        #expect(h.engine.database[key]?.isMaxAge == true)
        let header = h.engine.database[key]!.header(at: h.now)
        h.receive(.linkStateAcknowledgment(LinkStateAcknowledgment(lsaHeaders: [header])))
        #expect(h.engine.database[key] == nil)
    }

    @Test func rfc2328_12_1_6_maxSequenceNumberIsFlushedBeforeWrapping() {
        var h = Harness(advertisements: [Self.ad])
        h.full()
        h.advance(2)
        var top = h.engine.database[key]!.lsa
        top.header.sequenceNumber = Architectural.maxSequenceNumber
        top = top.finalized()
        // Our own instance at MaxSequenceNumber comes back (13.4): it must be flushed, not incremented.
        h.receive(.linkStateUpdate(LinkStateUpdate(lsas: [top])))
        #expect(h.engine.database[key]?.isMaxAge == true)
        #expect(h.engine.database[key]?.lsa.header.sequenceNumber == Architectural.maxSequenceNumber)
        // Once the flush is acknowledged, a fresh instance starts at InitialSequenceNumber.
        let header = h.engine.database[key]!.header(at: h.now)
        h.receive(.linkStateAcknowledgment(LinkStateAcknowledgment(lsaHeaders: [header])))
        #expect(h.engine.database[key]?.lsa.header.sequenceNumber == Architectural.initialSequenceNumber)
    }

    @Test func rfc2328_14_1_reoriginationAfterFlushContinuesTheSequence() {
        var h = Harness(advertisements: [Self.ad])
        h.full()
        h.advance(6)
        h.step(.setAdvertisement(Self.ad.prefix, cost: nil))  // flush
        let flushed = h.engine.database[key]!.header(at: h.now)
        h.receive(.linkStateAcknowledgment(LinkStateAcknowledgment(lsaHeaders: [flushed])))
        #expect(h.engine.database[key] == nil)
        h.advance(6)
        h.step(.setAdvertisement(Self.ad.prefix, cost: 1))
        // The peer may still hold the MaxAge instance: the new one must be newer than it.
        #expect(h.engine.database[key]?.lsa.header.sequenceNumber == flushed.sequenceNumber &+ 1)
    }

    @Test func rfc2328_13_4_ourMaxAgeInstanceEchoedBackIsSuperseded() {
        var h = Harness(advertisements: [Self.ad])
        h.full()
        h.advance(2)
        var echoed = h.engine.database[key]!.lsa
        echoed.header.age = 3600
        h.receive(.linkStateUpdate(LinkStateUpdate(lsas: [echoed])))
        // We still want the route: a new instance past the echoed one, not MaxAge.
        #expect(h.engine.database[key]?.isMaxAge == false)
        #expect(h.engine.database[key]?.lsa.header.sequenceNumber == echoed.header.sequenceNumber &+ 1)
    }

    @Test func rfc2328_12_4_refreshAfterLSRefreshTime() {
        var h = Harness(advertisements: [Self.ad])
        h.full()  // self-originated LSAs wait for the first Full adjacency
        h.advance(1800)
        h.step(.timerFired(.refresh(key)))
        #expect(h.engine.database[key]?.lsa.header.sequenceNumber == Architectural.initialSequenceNumber &+ 1)
    }

    @Test func rfc6987_maxMetricRaisesTransitLinksOnly() {
        var config = EngineConfiguration(
            routerID: IPv4Address(192, 0, 2, 1),
            interfaces: [
                InterfaceConfiguration(
                    name: "eth0", address: IPv4Address(10, 0, 0, 1), prefixLength: 24, network: .pointToPoint)
            ],
            maxMetric: true)
        config.seed = 3
        var e = Engine(config: config)
        _ = e.handle(.interfaceUp("eth0"), now: .zero)
        let body = e.routerLSABody()
        #expect(body.links.allSatisfy { $0.type == .stub })  // no Full neighbour yet: stub only
        #expect(body.links.first?.metric == 10)
    }

    @Test func rfc2328_14_1_shutdownFlushesEverythingSelfOriginated() {
        var h = Harness(advertisements: [Self.ad])
        h.full()
        let out = h.step(.shutdown)
        let flushed = out.compactMap { if case .notify(.lsaFlushed(let hd)) = $0 { LSAKey(hd) } else { nil } }
        #expect(Set(flushed) == [key, LSAKey(type: .router, linkStateID: h.me, advertisingRouter: h.me)])
        // The goodbye Hello lists no neighbour.
        let hellos = Harness.sent(out).compactMap { if case .hello(let x) = $0.1.body { x } else { nil } }
        #expect(hellos.last?.neighbors.isEmpty == true)
    }
}
