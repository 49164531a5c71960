import OSPFWire
import Testing

@testable import OSPFEngine

/// One named test per RFC 2328 acceptance or discard rule, packet level (8.2, 10.5, D).
@Suite struct PacketAcceptanceTests {
    @Test func rfc2328_8_2_undecodablePacketIsRejectedWithItsRule() {
        var h = Harness()
        var b = h.bytes(.hello(h.hello()))
        b[0] = 3
        #expect(Harness.rules(h.receiveRaw(b)) == ["RFC 2328 8.2"])
    }

    @Test func rfc2328_8_2_badChecksumIsDiscarded() {
        var h = Harness()
        var b = h.bytes(.hello(h.hello()))
        b[12] ^= 0xFF
        #expect(Harness.rules(h.receiveRaw(b)) == ["RFC 2328 8.2"])
        #expect(h.neighbor == nil)
    }

    @Test func rfc2328_8_2_areaMismatchIsDiscarded() {
        var h = Harness()
        #expect(Harness.rules(h.receive(.hello(h.hello()), area: IPv4Address(0, 0, 0, 1))) == ["RFC 2328 8.2"])
        #expect(h.neighbor == nil)
    }

    @Test func rfc2328_8_2_allDRoutersAcceptedOnlyByDRAndBackup() {
        var h = Harness(network: .broadcast, priority: 0)
        #expect(Harness.rules(h.receive(.hello(h.hello()), to: .allDRouters)) == ["RFC 2328 8.2"])
    }

    @Test func rfc2328_8_2_broadcastSourceMustBeOnTheNetwork() {
        var h = Harness(network: .broadcast)
        #expect(Harness.rules(h.receive(.hello(h.hello()), from: IPv4Address(10, 9, 9, 9))) == ["RFC 2328 8.2"])
    }

    @Test func rfc2328_8_2_ownRouterIDIsDiscarded() {
        var h = Harness()
        #expect(Harness.rules(h.receive(.hello(h.hello()), routerID: h.me)) == ["RFC 2328 8.2"])
    }

    @Test func rfc2328_8_2_packetFromUnknownNeighbourIsDiscarded() {
        var h = Harness()
        let dd = DatabaseDescription(
            interfaceMTU: 1500, options: .e, flags: [.initial, .more, .master], sequenceNumber: 1, lsaHeaders: [])
        #expect(Harness.rules(h.receive(.databaseDescription(dd))) == ["RFC 2328 8.2"])
    }

    @Test func rfc2328_D_wrongKeyIsDiscarded() {
        var h = Harness(auth: AuthenticationKey(id: 1, secret: Array("a".utf8), algorithm: .md5))
        h.peerKey = AuthenticationKey(id: 1, secret: Array("b".utf8), algorithm: .md5)
        #expect(Harness.rules(h.receive(.hello(h.hello()))) == ["RFC 2328 D.4.3"])
        #expect(h.neighbor == nil)
    }

    @Test func rfc2328_D_nullAuthenticationWhereKeyConfiguredIsDiscarded() {
        var h = Harness(auth: AuthenticationKey(id: 1, secret: Array("a".utf8), algorithm: .md5))
        h.peerKey = nil
        #expect(Harness.rules(h.receive(.hello(h.hello()))) == ["RFC 2328 D.2"])
    }

    @Test func rfc2328_D_4_3_decreasingCryptoSequenceIsDiscarded() {
        let key = AuthenticationKey(id: 1, secret: Array("a".utf8), algorithm: .hmacSHA256)
        var h = Harness(auth: key)
        h.cryptoSeq = 100
        h.receive(.hello(h.hello()))
        h.cryptoSeq = 50
        #expect(Harness.rules(h.receive(.hello(h.hello()))) == ["RFC 2328 D.4.3"])
    }

    @Test func rfc2328_D_4_3_correctDigestIsAccepted() {
        let key = AuthenticationKey(id: 1, secret: Array("a".utf8), algorithm: .md5)
        var h = Harness(auth: key)
        #expect(Harness.rules(h.receive(.hello(h.hello()))).isEmpty)
        #expect(h.neighborState == .initializing)
    }
}

/// Hello processing (RFC 2328 10.5).
@Suite struct HelloTests {
    @Test func rfc2328_10_5_networkMaskMustMatchOnBroadcast() {
        var h = Harness(network: .broadcast)
        var hello = h.hello()
        hello.networkMask = IPv4Address(255, 255, 0, 0)
        #expect(Harness.rules(h.receive(.hello(hello))) == ["RFC 2328 10.5"])
    }

    @Test func rfc2328_10_5_networkMaskIgnoredOnPointToPoint() {
        var h = Harness(network: .pointToPoint)
        var hello = h.hello()
        hello.networkMask = IPv4Address(255, 255, 0, 0)
        #expect(Harness.rules(h.receive(.hello(hello))).isEmpty)
    }

    @Test func rfc2328_10_5_helloIntervalMustMatch() {
        var h = Harness()
        var hello = h.hello()
        hello.helloInterval = 5
        #expect(Harness.rules(h.receive(.hello(hello))) == ["RFC 2328 10.5"])
    }

    @Test func rfc2328_10_5_deadIntervalMustMatch() {
        var h = Harness()
        var hello = h.hello()
        hello.deadInterval = 4
        #expect(Harness.rules(h.receive(.hello(hello))) == ["RFC 2328 10.5"])
    }

    @Test func rfc2328_10_5_eBitMustMatchTheArea() {
        var h = Harness()
        var hello = h.hello()
        hello.options = []
        #expect(Harness.rules(h.receive(.hello(hello))) == ["RFC 2328 10.5"])
    }

    @Test func rfc2328_10_5_helloWithoutUsIsInit() {
        var h = Harness()
        h.receive(.hello(h.hello()))
        #expect(h.neighborState == .initializing)
    }

    @Test func rfc2328_10_5_helloListingUsIsTwoWayThenExStartOnPointToPoint() {
        var h = Harness()
        let out = h.receive(.hello(h.hello(neighbors: [h.me])))
        #expect(h.neighborState == .exStart)
        // 10.8: the first DD has I, M and MS set and no headers.
        let dd = Harness.sent(out).compactMap { if case .databaseDescription(let d) = $0.1.body { d } else { nil } }
        #expect(dd.count == 1)
        #expect(dd.first?.flags == [.initial, .more, .master])
        #expect(dd.first?.lsaHeaders.isEmpty == true)
    }

    @Test func rfc2328_10_3_oneWayReceivedDropsToInit() {
        var h = Harness()
        h.full()
        #expect(h.neighborState == .full)
        h.receive(.hello(h.hello()))
        #expect(h.neighborState == .initializing)
        #expect(h.neighbor?.retransmissionList.isEmpty == true)
    }

    @Test func rfc2328_10_3_inactivityTimerKillsTheNeighbour() {
        var h = Harness()
        h.full()
        h.step(.timerFired(.inactivity("eth0", h.peer)))
        #expect(h.neighbor == nil)
    }

    @Test func rfc2328_10_3_interfaceDownKillsNeighbours() {
        var h = Harness()
        h.full()
        h.step(.interfaceDown("eth0"))
        #expect(h.neighbor == nil)
        #expect(h.engine.interfaces["eth0"]?.state == .down)
    }

    @Test func onlyHellosRefreshTheInactivityTimer() {
        var h = Harness()
        h.full()
        let out = h.receive(.linkStateAcknowledgment(LinkStateAcknowledgment(lsaHeaders: [])))
        #expect(!out.contains { if case .armTimer(.inactivity, _) = $0 { true } else { false } })
    }
}

/// Interface state machine and DR election (RFC 2328 9.3, 9.4).
@Suite struct InterfaceTests {
    @Test func rfc2328_9_3_pointToPointGoesStraightToPointToPoint() {
        let h = Harness(network: .pointToPoint)
        #expect(h.engine.interfaces["eth0"]?.state == .pointToPoint)
    }

    @Test func rfc2328_9_3_priorityZeroIsDROtherAtOnce() {
        let h = Harness(network: .broadcast, priority: 0)
        #expect(h.engine.interfaces["eth0"]?.state == .drOther)
    }

    @Test func rfc2328_9_3_broadcastWithPriorityWaits() {
        let h = Harness(network: .broadcast, priority: 1)
        #expect(h.engine.interfaces["eth0"]?.state == .waiting)
        #expect(h.log.contains { if case .armTimer(.wait("eth0"), _) = $0 { true } else { false } })
    }

    @Test func rfc2328_9_4_waitTimerElectsItselfWhenAlone() {
        var h = Harness(network: .broadcast, priority: 1)
        let out = h.step(.timerFired(.wait("eth0")))
        #expect(h.engine.interfaces["eth0"]?.state == .dr)
        #expect(out.contains(.joinGroup(interface: "eth0", group: .allDRouters)))
    }

    @Test func rfc2328_9_2_backupSeenEndsWaitingEarly() {
        var h = Harness(network: .broadcast, priority: 1)
        h.receive(.hello(h.hello(neighbors: [h.me], priority: 5, dr: h.peerAddress, bdr: .any)))
        #expect(h.engine.interfaces["eth0"]?.state == .backup)
        #expect(h.engine.interfaces["eth0"]?.designatedRouter == h.peerAddress)
    }

    @Test func rfc2328_9_4_existingDRIsNotPreempted() {
        var h = Harness(network: .broadcast, priority: 1)
        h.step(.timerFired(.wait("eth0")))
        #expect(h.engine.interfaces["eth0"]?.state == .dr)
        // A higher-priority router arrives; it does not declare itself DR, so it becomes BDR.
        h.receive(.hello(h.hello(neighbors: [h.me], priority: 100)))
        #expect(h.engine.interfaces["eth0"]?.designatedRouter == h.myAddress)
        #expect(h.engine.interfaces["eth0"]?.backupDesignatedRouter == h.peerAddress)
    }

    @Test func rfc2328_9_4_priorityZeroNeverBecomesDR() {
        var h = Harness(network: .broadcast, priority: 0)
        h.receive(.hello(h.hello(neighbors: [h.me], priority: 0)))
        #expect(h.engine.interfaces["eth0"]?.designatedRouter == .any)
        #expect(h.engine.interfaces["eth0"]?.state == .drOther)
    }

    @Test func rfc2328_10_4_drOthersDoNotFormAdjacencies() {
        var h = Harness(network: .broadcast, priority: 0)
        h.receive(.hello(h.hello(neighbors: [h.me], priority: 0)))
        #expect(h.neighborState == .twoWay)
    }
}
