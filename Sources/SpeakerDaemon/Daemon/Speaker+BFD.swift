import BFD
import CSpeakerShims
import Glibc
import Logging
import OSPFEngine
import OSPFWire

/// Which BFD session a packet or a neighbour belongs to: the interface and the neighbour's address.
struct BFDPeerKey: Hashable, Comparable {
    var interface: String
    var address: IPv4Address

    static func < (a: Self, b: Self) -> Bool {
        (a.interface, a.address.value) < (b.interface, b.address.value)
    }
}

/// A BFD session with an OSPF neighbour (RFC 5882: the session follows the neighbour).
struct BFDPeer {
    var session: BFDSession
    var routerID: IPv4Address
    /// The session's own sending socket (one source port per session, RFC 5881 4).
    var fd: Int32
    var sourcePort: UInt16
    /// Wall-clock seconds of the last state change, for `status`.
    var changedAt: Int64
}

/// RFC 5881: Control packets go to UDP 3784 from a source port in 49152–65535, with TTL 255.
enum BFDPorts {
    static let control: UInt16 = 3784
    static let sourceRange: ClosedRange<UInt16> = 49152...65535
}

extension Speaker {
    /// Opens the BFD listening socket of every interface with `bfd = true`.
    func startBFD() throws {
        for entry in config.interfaces {
            guard let settings = entry.bfd else { continue }
            let name = entry.engine.name
            let fd = ospf_bfd_listen(name, BFDPorts.control)
            guard fd >= 0 else {
                throw DaemonError("BFD socket on \(name) (UDP \(BFDPorts.control)): \(String(cString: strerror(-fd)))")
            }
            bfdListeners[name] = fd
            logger.info(
                "BFD on \(name): \(settings.intervalMs) ms x \(settings.multiplier) (detection \(settings.intervalMs * settings.multiplier) ms)"
            )
        }
    }

    /// The BFD timers of an interface, or nil when BFD is off there.
    func bfdTimers(_ interface: String) -> BFDSession.Timers? {
        guard let s = links[interface]?.entry.bfd else { return nil }
        let us = UInt32(s.intervalMs) * 1000
        return BFDSession.Timers(desiredMinTxUs: us, requiredMinRxUs: us, multiplier: UInt8(s.multiplier))
    }

    /// Follows an OSPF neighbour: a session from its first Hello (Init) until it is Down.
    func bfdNeighborChanged(_ interface: String, _ routerID: IPv4Address, to state: NeighborState) {
        guard bfdListeners[interface] != nil, let timers = bfdTimers(interface) else { return }
        if state == .down {
            for (key, peer) in bfdPeers where key.interface == interface && peer.routerID == routerID {
                removeBFDPeer(key, adminDown: peer.session.state != .down)
            }
            return
        }
        guard let address = engine.interfaces[interface]?.neighbors[routerID]?.address else { return }
        let key = BFDPeerKey(interface: interface, address: address)
        guard bfdPeers[key] == nil, let link = links[interface] else { return }
        var system = SystemRandomNumberGenerator()
        var discriminator: UInt32 = 0
        while discriminator == 0 || bfdByDiscriminator[discriminator] != nil { discriminator = system.next() }
        let start = UInt16.random(in: BFDPorts.sourceRange, using: &system)
        var port: UInt16 = 0
        let fd = ospf_bfd_sender(
            interface, link.address.value, BFDPorts.sourceRange.lowerBound, BFDPorts.sourceRange.upperBound, start,
            &port)
        guard fd >= 0 else {
            logLimited(
                "bfd-socket:\(interface)",
                "BFD: cannot open a sending socket on \(interface) for \(address): \(String(cString: strerror(-fd)))")
            return
        }
        let session = BFDSession(
            localDiscriminator: discriminator, timers: timers, now: now.nanoseconds, seed: system.next())
        bfdPeers[key] = BFDPeer(
            session: session, routerID: routerID, fd: fd, sourcePort: port, changedAt: ospf_wallclock_seconds())
        bfdByDiscriminator[discriminator] = key
        logger.info(
            "BFD session with \(address) (\(routerID)) on \(interface): created",
            metadata: ["local_discriminator": "\(discriminator)", "source_port": "\(port)"])
        bfdRun(key) { s, t in s.advance(to: t) }
    }

    func removeBFDPeer(_ key: BFDPeerKey, adminDown: Bool) {
        guard let peer = bfdPeers[key] else { return }
        if adminDown {
            // Tell the peer the session is going away on purpose (RFC 5882 3.2), once.
            var s = peer.session
            for case .send(let bytes) in s.adminDown(now: now.nanoseconds) { bfdSend(bytes, to: key, fd: peer.fd) }
        }
        close(peer.fd)
        bfdPeers[key] = nil
        bfdByDiscriminator[peer.session.localDiscriminator] = nil
        logger.info("BFD session with \(key.address) on \(key.interface): deleted (OSPF neighbour down)")
    }

    /// Runs one step of a session and carries out what it returns.
    func bfdRun(_ key: BFDPeerKey, _ step: (inout BFDSession, Int64) -> [BFDOutput]) {
        guard var peer = bfdPeers[key] else { return }
        let out = step(&peer.session, now.nanoseconds)
        bfdPeers[key] = peer
        // Packets first: a state change may end the session (its neighbour killed, its socket closed).
        for case .send(let bytes) in out { bfdSend(bytes, to: key, fd: peer.fd) }
        for case .stateChanged(let from, let to, let diagnostic) in out {
            bfdStateChanged(key, from: from, to: to, diagnostic)
        }
    }

    func bfdSend(_ bytes: [UInt8], to key: BFDPeerKey, fd: Int32) {
        let rc = bytes.withUnsafeBufferPointer {
            ospf_udp_send(fd, $0.baseAddress, $0.count, key.address.value, BFDPorts.control)
        }
        if rc < 0 {
            stats.bfdSendErrors += 1
            logLimited(
                "bfd-send:\(key.interface):\(key.address)",
                "BFD send to \(key.address) on \(key.interface) failed: \(String(cString: strerror(Int32(-rc))))")
        } else {
            stats.bfdPacketsSent += 1
        }
    }

    func bfdStateChanged(_ key: BFDPeerKey, from: BFDState, to: BFDState, _ diagnostic: BFDDiagnostic) {
        guard let peer = bfdPeers[key] else { return }
        bfdPeers[key]?.changedAt = ospf_wallclock_seconds()
        stats.bfdTransitions[to.description, default: 0] += 1
        let s = peer.session
        let metadata: Logger.Metadata = [
            "diag": "\(diagnostic)", "remote_state": "\(s.remoteState)", "remote_diag": "\(s.remoteDiagnostic)",
            "remote_discriminator": "\(s.remoteDiscriminator)",
            "tx_ms": "\(s.transmitIntervalUs.map { String(Double($0) / 1000) } ?? "none")",
            "detect_ms": "\(s.detectionTimeUs.map { String(Double($0) / 1000) } ?? "none")",
        ]
        let level: Logger.Level = (to == .up || from == .up) ? .notice : .info
        logger.log(
            level: level, "BFD \(key.address) (\(peer.routerID)) on \(key.interface): \(from) -> \(to)",
            metadata: metadata)
        // RFC 5882 3.2 and 4.1: a session that was Up and goes Down kills the adjacency, unless
        // the peer took it down administratively (that is not a path failure).
        guard from == .up, to == .down, s.remoteState != .adminDown else { return }
        guard let state = engine.interfaces[key.interface]?.neighbors[peer.routerID]?.state, state != .down else {
            return
        }
        logger.warning(
            "BFD: neighbour \(peer.routerID) on \(key.interface) unreachable (\(diagnostic)); KillNbr",
            metadata: ["state": "\(state.rawValue)"])
        recorder?.event("action = \"kill-neighbor\"\ninterface = \"\(key.interface)\"\nneighbor = \"\(peer.routerID)\"")
        stats.bfdNeighborKills += 1
        apply(.killNeighbor(interface: key.interface, routerID: peer.routerID))
    }

    /// Reads every waiting Control packet on an interface's BFD socket. From the poll loop the
    /// engine's due timers run first (in time order); from ``bfdTick()`` they do not (no re-entry).
    func receiveBFD(on interface: String, fromTick: Bool = false) {
        guard let fd = bfdListeners[interface] else { return }
        for _ in 0..<64 {
            var source: UInt32 = 0
            var sourcePort: UInt16 = 0
            var ttl: Int32 = -1
            var ifindex: Int32 = 0
            let n = receiveBuffer.withUnsafeMutableBufferPointer {
                ospf_bfd_receive(fd, $0.baseAddress, $0.count, &source, &sourcePort, &ttl, &ifindex)
            }
            if n <= 0 { return }
            let from = IPv4Address(source)
            stats.bfdPacketsReceived += 1
            guard ttl == 255 else {
                bfdRejected(interface, from, .ttlNot255(UInt8(clamping: max(0, ttl))))
                continue
            }
            let packet: BFDControlPacket
            do { packet = try BFDControlPacket(decoding: Array(receiveBuffer[0..<n])) } catch {
                bfdRejected(interface, from, error)
                continue
            }
            let key: BFDPeerKey
            if packet.yourDiscriminator != 0 {
                guard let k = bfdByDiscriminator[packet.yourDiscriminator], k.interface == interface else {
                    bfdRejected(interface, from, .unknownDiscriminator(packet.yourDiscriminator))
                    continue
                }
                key = k
            } else {
                key = BFDPeerKey(interface: interface, address: from)
                guard bfdPeers[key] != nil else {
                    bfdRejected(interface, from, .noSession)
                    continue
                }
            }
            if logger.logLevel <= .trace { logger.trace("rx \(packet) from \(from):\(sourcePort) on \(interface)") }
            if !fromTick { fireDueTimers() }
            bfdRun(key) { s, t in s.receive(packet, now: t) }
        }
    }

    func bfdRejected(_ interface: String, _ source: IPv4Address, _ r: BFDRejection) {
        stats.bfdRejected[r.reason, default: 0] += 1
        let text = "dropped BFD packet from \(source) on \(interface): \(r) (\(r.rule))"
        if case .noSession = r {
            // Routine while a router's session starts before our OSPF neighbour exists.
            let (ok, _) = limiter.allow("bfd-rej:\(interface):\(source):\(r.reason)", now: now.nanoseconds)
            if ok { logger.info("\(text)") }
        } else {
            logLimited("bfd-rej:\(interface):\(source):\(r.reason)", text)
        }
    }

    /// Runs every session whose timer is due.
    func bfdTick() {
        guard !bfdPeers.isEmpty else { return }
        let t = now.nanoseconds
        // A detection time that ran out while the loop was busy (a burst of LS Updates) may have
        // the peer's packets waiting unread: read them before declaring the peer down.
        if bfdPeers.values.contains(where: { ($0.session.detectionDeadline ?? .max) <= t }) {
            for name in bfdListeners.keys.sorted() { receiveBFD(on: name, fromTick: true) }
        }
        for key in bfdPeers.keys where (bfdPeers[key]?.session.nextDeadline ?? .max) <= t {
            bfdRun(key) { s, t in s.advance(to: t) }
        }
    }

    /// The earliest BFD deadline.
    var bfdNextDeadline: Instant? {
        bfdPeers.values.map(\.session.nextDeadline).min().map { Instant(nanoseconds: $0) }
    }

    /// SIGTERM: every session AdminDown before the goodbye Hello (RFC 5882 3.2), so the routers
    /// do not count the withdrawal as a failure. The sessions keep sending AdminDown until exit.
    func bfdAdminDownAll() {
        for key in bfdPeers.keys.sorted() { bfdRun(key) { s, t in s.adminDown(now: t) } }
    }

    func stopBFD() {
        for peer in bfdPeers.values { close(peer.fd) }
        bfdPeers = [:]
        for fd in bfdListeners.values { close(fd) }
        bfdListeners = [:]
    }
}
