import OSPFWire
import Testing

@testable import OSPFEngine

/// Database exchange (RFC 2328 10.6-10.9).
@Suite struct DatabaseExchangeTests {
    func dd(
        _ flags: DatabaseDescription.Flags, _ seq: UInt32, mtu: UInt16 = 1500, headers: [LSAHeader] = [],
        options: Options = .e
    )
        -> Packet.Body
    {
        .databaseDescription(
            DatabaseDescription(
                interfaceMTU: mtu, options: options, flags: flags, sequenceNumber: seq, lsaHeaders: headers))
    }

    /// On a point-to-point network every packet goes to AllSPFRouters: DDs, LS Requests and the
    /// LS Updates answering them (no ARP, and it works on unnumbered links); elsewhere packets
    /// for one neighbour are unicast.
    @Test func rfc2328_8_1_pointToPointPacketsGoToAllSPFRouters() {
        var h = Harness()
        let lsa = LinkStateDatabaseTests.external(1, seq: 1)
        let sent = Harness.sent(h.exchange(headers: [lsa.header]))
        #expect(sent.contains { $0.1.type == .databaseDescription } && sent.contains { $0.1.type == .linkStateRequest })
        #expect(sent.allSatisfy { $0.0 == .allSPFRouters })
        h.receive(.linkStateUpdate(LinkStateUpdate(lsas: [lsa])))
        #expect(h.neighborState == .full)
        let answer = Harness.sent(
            h.receive(
                .linkStateRequest(
                    LinkStateRequest(entries: [
                        LinkStateRequest.Entry(lsType: 1, linkStateID: h.me, advertisingRouter: h.me)
                    ]))))
        #expect(answer.map(\.1.type) == [.linkStateUpdate])
        #expect(answer.allSatisfy { $0.0 == .allSPFRouters })
    }

    @Test func rfc2328_8_1_broadcastDDsAreUnicast() {
        var h = Harness(network: .broadcast, priority: 1)
        let out = h.receive(.hello(h.hello(neighbors: [h.me], priority: 5, dr: h.peerAddress, bdr: .any)))
        let dds = Harness.sent(out).filter { $0.1.type == .databaseDescription }
        #expect(!dds.isEmpty)
        #expect(dds.allSatisfy { $0.0 == h.peerAddress })
    }

    /// The answer to a DD is handed to the host before the DD's headers are examined (the
    /// exchange is a ping-pong: the peer waits for it); the LS Request follows on resume, and an
    /// event arriving meanwhile finds the examination done.
    @Test func ddAnswerIsOutBeforeItsHeadersAreExamined() {
        var h = Harness()
        h.twoWay()
        h.receive(dd([.initial, .more, .master], 5000))
        let headers = (0..<200).map { LinkStateDatabaseTests.external($0, seq: 1).header }
        let b = h.bytes(dd([.master, .more], 5001, headers: headers))
        let event = Event.packetReceived(
            interface: "eth0", source: h.peerAddress, destination: .allSPFRouters, bytes: b)
        var copy = h.engine
        let first = h.engine.step(event, now: h.now)
        #expect(Harness.sentTypes(first) == [.databaseDescription])
        #expect(h.engine.hasPendingWork && h.neighbor?.requestList.count == 0)
        let rest = h.engine.resume(now: h.now)
        #expect(!h.engine.hasPendingWork && h.neighbor?.requestList.count == 200)
        #expect(Harness.sentTypes(rest) == [.linkStateRequest])
        // handle() is the same step in one call.
        #expect(copy.handle(event, now: h.now) == first + rest)
        // A step that starts with work pending finishes it first.
        var other = copy
        other.pendingExamination = PendingExamination(
            dd: DatabaseDescription(
                interfaceMTU: 1500, options: .e, flags: [.master], sequenceNumber: 1, lsaHeaders: []),
            neighbor: h.peer, interface: "eth0", exchangeDone: false)
        _ = other.step(.timerFired(.hello("eth0")), now: h.now)
        #expect(!other.hasPendingWork)
    }

    @Test func rfc2328_10_6_largerMTUIsRejected() {
        var h = Harness()
        h.twoWay()
        #expect(Harness.rules(h.receive(dd([.initial, .more, .master], 9, mtu: 9000))) == ["RFC 2328 10.6"])
        #expect(h.neighborState == .exStart)
    }

    @Test func rfc2328_10_6_mtuIgnoreAcceptsLargerMTU() {
        var h = Harness(mtuIgnore: true)
        h.twoWay()
        #expect(Harness.rules(h.receive(dd([.initial, .more, .master], 9, mtu: 9000))).isEmpty)
        #expect(h.neighborState == .exchange)
    }

    @Test func rfc2328_10_6_higherRouterIDBecomesMaster() {
        var h = Harness()
        h.twoWay()
        h.receive(dd([.initial, .more, .master], 777))
        #expect(h.neighborState == .exchange)
        #expect(h.neighbor?.weAreMaster == false)
        #expect(h.neighbor?.ddSequence == 777)
    }

    @Test func rfc2328_10_6_lowerRouterIDInitIsIgnored() {
        var h = Harness()
        h.twoWay()
        // A peer with a lower router ID claiming master is ignored (we are master).
        h.receive(dd([.initial, .more, .master], 777), routerID: IPv4Address(192, 0, 2, 0))
        #expect(h.engine.interfaces["eth0"]?.neighbors[IPv4Address(192, 0, 2, 0)] == nil)
        #expect(h.neighborState == .exStart)
    }

    @Test func rfc2328_10_6_ddIgnoredInTwoWay() {
        var h = Harness(network: .broadcast, priority: 0)
        h.receive(.hello(h.hello(neighbors: [h.me], priority: 0)))
        #expect(h.neighborState == .twoWay)
        let out = h.receive(dd([.initial, .more, .master], 1))
        #expect(Harness.sent(out).isEmpty)
        #expect(h.neighborState == .twoWay)
    }

    @Test func rfc2328_10_6_slaveResendsOnDuplicate() {
        var h = Harness()
        h.twoWay()
        let first = h.receive(dd([.initial, .more, .master], 100))
        let reply = Harness.sent(first).filter { $0.1.type == .databaseDescription }
        #expect(reply.count == 1)
        let again = h.receive(dd([.initial, .more, .master], 100))
        #expect(Harness.sentTypes(again) == [.databaseDescription])
        #expect(h.neighborState == .exchange)
    }

    @Test func rfc2328_10_6_masterDiscardsDuplicates() {
        var h = Harness()
        h.twoWay()
        let ourSeq = h.neighbor!.ddSequence
        // The peer (lower ID) answers as slave.
        let lower = IPv4Address(192, 0, 2, 0)
        h.receive(.hello(h.hello(neighbors: [h.me])), routerID: lower)
        let seq = h.engine.interfaces["eth0"]!.neighbors[lower]!.ddSequence
        h.receive(dd([.more], seq), routerID: lower)
        #expect(h.engine.interfaces["eth0"]!.neighbors[lower]!.state == .exchange)
        let dup = h.receive(dd([.more], seq), routerID: lower)
        #expect(Harness.sent(dup).isEmpty)
        _ = ourSeq
    }

    @Test func rfc2328_10_6_msBitMismatchIsSeqNumberMismatch() {
        var h = Harness()
        h.twoWay()
        h.receive(dd([.initial, .more, .master], 100))
        h.receive(dd([.more], 101))  // master without MS
        #expect(h.neighborState == .exStart)
        #expect(
            h.log.contains {
                if case .notify(.neighborState(_, _, .exchange, .exStart, let e)) = $0 {
                    e == .seqNumberMismatch(.masterSlaveBit)
                } else {
                    false
                }
            })
    }

    @Test func rfc2328_10_6_initBitInExchangeIsSeqNumberMismatch() {
        var h = Harness()
        h.twoWay()
        h.receive(dd([.initial, .more, .master], 100))
        h.receive(dd([.initial, .master], 101))
        #expect(h.neighborState == .exStart)
    }

    @Test func rfc2328_10_6_optionsChangeIsSeqNumberMismatch() {
        var h = Harness()
        h.twoWay()
        h.receive(dd([.initial, .more, .master], 100))
        h.receive(dd([.master], 101, options: [.e, .o]))
        #expect(h.neighborState == .exStart)
    }

    @Test func rfc2328_10_6_wrongSequenceIsSeqNumberMismatch() {
        var h = Harness()
        h.twoWay()
        h.receive(dd([.initial, .more, .master], 100))
        h.receive(dd([.master], 105))
        #expect(h.neighborState == .exStart)
    }

    @Test func rfc2328_10_6_unsupportedLSTypeInDDIsSeqNumberMismatch() {
        var h = Harness()
        h.twoWay()
        h.receive(dd([.initial, .more, .master], 100))
        var header = Harness.routerLSA(h.peer).header
        header.type = .opaqueArea
        h.receive(dd([.master], 101, headers: [header]))
        #expect(h.neighborState == .exStart)
    }

    @Test func rfc2328_10_6_ddInFullIsSeqNumberMismatch() {
        var h = Harness()
        h.full()
        h.receive(dd([.master], 999))
        #expect(h.neighborState == .exStart)
    }

    @Test func rfc2328_10_9_missingLSAsAreRequestedThenFull() {
        var h = Harness()
        h.twoWay()
        let lsa = Harness.routerLSA(h.peer)
        h.receive(dd([.initial, .more, .master], 100))
        let out = h.receive(dd([.master], 101, headers: [lsa.header]))
        #expect(h.neighborState == .loading)
        #expect(Harness.sentTypes(out).contains(.linkStateRequest))
        h.receive(.linkStateUpdate(LinkStateUpdate(lsas: [lsa])))
        #expect(h.neighborState == .full)
    }

    @Test func rfc2328_10_9_requestsAreRetransmitted() {
        var h = Harness()
        h.twoWay()
        let lsa = Harness.routerLSA(h.peer)
        h.receive(dd([.initial, .more, .master], 100))
        h.receive(dd([.master], 101, headers: [lsa.header]))
        h.advance(5)
        let out = h.step(.timerFired(.requestRetransmit("eth0", h.peer)))
        #expect(Harness.sentTypes(out) == [.linkStateRequest])
        #expect(h.neighborState == .loading)
    }

    @Test func rfc2328_10_7_requestForUnknownLSAIsBadLSReq() {
        var h = Harness()
        h.full()
        let req = LinkStateRequest(entries: [
            .init(lsType: 1, linkStateID: IPv4Address(9, 9, 9, 9), advertisingRouter: IPv4Address(9, 9, 9, 9))
        ])
        h.receive(.linkStateRequest(req))
        #expect(h.neighborState == .exStart)
    }

    @Test func rfc2328_10_7_requestIsAnsweredWithTheLSA() {
        var h = Harness()
        h.full()
        let req = LinkStateRequest(entries: [.init(lsType: 1, linkStateID: h.me, advertisingRouter: h.me)])
        let out = h.receive(.linkStateRequest(req))
        let updates = Harness.sent(out).compactMap { if case .linkStateUpdate(let u) = $0.1.body { u } else { nil } }
        #expect(updates.first?.lsas.first?.header.advertisingRouter == h.me)
    }

    @Test func rfc2328_10_7_requestBeforeExchangeIsRejected() {
        var h = Harness()
        h.receive(.hello(h.hello()))
        let req = LinkStateRequest(entries: [.init(lsType: 1, linkStateID: h.me, advertisingRouter: h.me)])
        #expect(Harness.rules(h.receive(.linkStateRequest(req))) == ["RFC 2328 10.7"])
    }
}
