import CSpeakerShims
import Glibc
import HealthChecks
import Logging
import OSPFEngine
import OSPFWire
import PcapFile
import SystemSupport

/// The live speaker: one single-threaded poll(2) loop over the raw OSPF sockets
/// (one per interface), the control socket, a signalfd and the engine's timers.
/// It owns the clock and turns the engine's actions into syscalls.
///
/// Why poll rather than SwiftNIO: the daemon watches a handful of descriptors,
/// needs IP_PKTINFO and per-interface multicast membership by ifindex, and must
/// feed a value-typed engine from one thread; a small loop does that with no
/// thread hops and keeps the binary and the build small.
public final class Speaker {
    struct Link {
        var entry: SpeakerConfiguration.InterfaceEntry
        var fd: Int32 = -1
        var ifindex: Int32 = 0
        var up = false
        var address = IPv4Address.any
    }

    let configPath: String
    var config: SpeakerConfiguration
    var configText: String
    var logger: Logger
    /// The engine with its timers.
    var driver: EngineDriver
    /// The engine (read-only; events go through ``apply(_:)``).
    var engine: Engine { driver.engine }
    var links: [String: Link] = [:]
    var state: PersistentState
    var recorder: Recorder?
    /// Held for the process's life: one speaker per state file.
    let lock: InstanceLock
    var signalFD: Int32 = -1
    var controlFD: Int32 = -1
    var clients: [Int32: [UInt8]] = [:]
    /// Replies not yet fully written, by client socket.
    var replies: [Int32: ArraySlice<UInt8>] = [:]
    /// One receive buffer for every socket (the largest IPv4 datagram), allocated once.
    var receiveBuffer = [UInt8](repeating: 0, count: 65535)
    let start = ospf_monotonic_ns()
    let startWallUs = ospf_wallclock_us()
    var shutdownDeadline: Instant?
    var exitRequested = false
    /// Whether the resident code was trimmed after the start (``trimAfterStart()``).
    var trimmedAfterStart = false
    var limiter = RateLimiter()
    var counters: [String: Int] = [:]
    var nextInterfaceCheck = Instant.zero
    var nextStateSave = Instant.seconds(30)
    var health: HealthState
    var monitor: HealthMonitor?
    /// systemd's notification socket (READY, RELOADING, STOPPING, WATCHDOG), when run by systemd.
    var notifier = SystemdNotifier(environment: SystemdNotifier.processEnvironment)
    /// The Prometheus listener (`[control] metrics_listen`), -1 when off.
    var metricsFD: Int32 = -1
    /// Scrapers whose request is still being read.
    var httpClients: [Int32: (bytes: [UInt8], since: Instant)] = [:]
    /// What the metrics count.
    var stats = SpeakerStats()
    /// `[[hook]]` commands, run off the loop.
    var hooks: HookRunner?
    /// rtnetlink notifications for the health checks, -1 when off.
    var netlinkFD: Int32 = -1
    /// Which checks read each interface's kernel state.
    var checksByInterface: [String: Set<String>] = [:]
    /// `process` checks: the pidfd of each watched process (by command name) while it runs.
    var processWatches: [String: (pid: Int32, fd: Int32)] = [:]
    /// BFD: the UDP 3784 socket of each interface with `bfd = true`.
    var bfdListeners: [String: Int32] = [:]
    /// BFD sessions, one per OSPF neighbour on those interfaces.
    var bfdPeers: [BFDPeerKey: BFDPeer] = [:]
    /// BFD sessions by our discriminator (RFC 5880 6.3 demultiplexing).
    var bfdByDiscriminator: [UInt32: BFDPeerKey] = [:]

    /// Prepares the speaker: resolves interfaces, loads the state file, opens sockets.
    public init(configPath: String, recordDirectory: String?, logger: Logger) throws {
        self.configPath = configPath
        self.logger = logger
        let text: String
        do { text = try readTextFile(configPath) } catch { throw DaemonError("\(error)") }
        configText = text
        config = try SpeakerConfiguration.parse(text, file: configPath)
        // Before anything is read or opened: one speaker per state file.
        lock = try InstanceLock(stateFile: config.stateFile)
        state = try PersistentState.load(config.stateFile)
        health = HealthState(specs: config.healthChecks, damping: config.healthDamping)
        // Resolve interfaces (address, prefix length, MTU, ifindex).
        var resolved = config
        for (i, entry) in config.interfaces.enumerated() {
            var info = ospf_interface_info()
            let rc = ospf_interface_info_get(entry.engine.name, &info)
            guard rc == 0 else {
                throw DaemonError("interface \(entry.engine.name): \(String(cString: strerror(-rc)))")
            }
            var e = entry
            if !entry.addressGiven {
                guard info.address != 0 else {
                    throw DaemonError(
                        "interface \(entry.engine.name) has no IPv4 address; add one or set address in \(configPath)")
                }
                e.engine.address = IPv4Address(info.address)
                e.engine.prefixLength = info.netmask.nonzeroBitCount
            }
            if !entry.mtuGiven && info.mtu > 0 { e.engine.mtu = UInt16(clamping: info.mtu) }
            resolved.interfaces[i] = e
            links[e.engine.name] = Link(entry: e, ifindex: info.index, up: false, address: e.engine.address)
        }
        config = resolved
        var system = SystemRandomNumberGenerator()
        let seedBytes = system.next() >> 1  // 63 bits: TOML integers are signed 64-bit
        let wall = UInt32(clamping: ospf_wallclock_seconds())
        // Wall-clock seconds, but never at or below what a previous run used (saved every 30 s;
        // the margin covers packets sent after the last save before a crash).
        let cryptoStart = max(wall, state.cryptoSequence.map { $0 &+ 100_000 } ?? 0)
        driver = EngineDriver(
            Engine(config: config.engineConfiguration(seed: seedBytes, cryptoSequenceStart: cryptoStart)))
        if let recordDirectory {
            recorder = try Recorder(
                directory: recordDirectory, configText: text,
                interfaces: config.interfaces.map {
                    ($0.engine.name, $0.engine.address, $0.engine.prefixLength, $0.engine.mtu)
                }, seed: seedBytes, cryptoStart: cryptoStart, originUs: startWallUs)
        }
    }

    var now: Instant { Instant(nanoseconds: ospf_monotonic_ns() - start) }

    // MARK: - Running

    /// Runs until shutdown; returns the process exit code.
    public func run() throws -> Int32 {
        signalFD = ospf_signalfd_open()
        guard signalFD >= 0 else { throw DaemonError("signalfd: \(String(cString: strerror(-signalFD)))") }
        do { try makeDirectories(parentDirectory(config.controlSocket)) } catch {
            throw DaemonError("control socket folder: \(error)")
        }
        controlFD = ospf_unix_listen(config.controlSocket)
        guard controlFD >= 0 else {
            throw DaemonError("control socket \(config.controlSocket): \(String(cString: strerror(-controlFD)))")
        }
        for name in links.keys.sorted() {
            let fd = ospf_socket_open(name, links[name]!.ifindex)
            guard fd >= 0 else {
                throw DaemonError("raw socket on \(name): \(String(cString: strerror(-fd))) (needs CAP_NET_RAW)")
            }
            links[name]!.fd = fd
            let rc = ospf_socket_membership(fd, links[name]!.ifindex, IPv4Address.allSPFRouters.value, 1)
            if rc < 0 { throw DaemonError("join 224.0.0.5 on \(name): \(String(cString: strerror(-rc)))") }
        }
        logger.info(
            "ospf-speaker starting",
            metadata: [
                "version": "\(ospfSpeakerVersion)", "router_id": "\(config.routerID)", "area": "\(config.area)",
                "interfaces":
                    "\(config.interfaces.map { "\($0.engine.name) \($0.engine.address)/\($0.engine.prefixLength) mtu \($0.engine.mtu)" }.joined(separator: ", "))",
                "control": "\(config.controlSocket)",
            ])
        if state.maintenance {
            logger.notice(
                "maintenance restored from state file",
                metadata: ["reason": "\(state.maintenanceReason ?? "")", "state_file": "\(config.stateFile)"])
            recorder?.event("action = \"maintenance-on\"")
            apply(.maintenance(true))
        }
        for w in config.warnings { logger.warning("configuration: \(w.description)") }
        for w in config.interfaceWarnings() { logger.warning("\(w)") }
        try startMetrics()
        try startBFD()
        if !config.hooks.isEmpty { hooks = HookRunner(specs: config.hooks, logger: logger) }
        checkMaintenanceFile()
        try startHealth()
        checkInterfaces()
        let trimDeadline = now.adding(.seconds(60))
        // Sockets open, configuration applied, engine running: ready for systemd (Type=notify).
        notify(
            "READY=1",
            "STATUS=running: \(config.interfaces.count) interface(s), \(config.advertisements.count) advertisement(s)")
        while !exitRequested {
            if notifier.watchdogInterval != nil { _ = notifier.watchdog(now: now) }
            pollOnce()
            fireDueTimers()
            if now >= nextInterfaceCheck {
                checkInterfaces()
                checkMaintenanceFile()
                watchProcesses()
                if !httpClients.isEmpty { expireHTTPClients() }
                if now >= trimDeadline { trimAfterStart() }
            }
            checkMaintenanceExpiry()
            if now >= nextStateSave {
                nextStateSave = now.adding(.seconds(30))
                if config.interfaces.contains(where: { $0.engine.authentication != nil }) { saveState() }
            }
            if let deadline = shutdownDeadline, now >= deadline {
                logger.warning("shutdown: acknowledgements still outstanding after 1 s; exiting")
                exitRequested = true
            }
        }
        finish()
        return 0
    }

    /// What a descriptor in the poll set is for.
    enum PollRole {
        case signals, controlListener
        case link(String)
        case bfd(String)
        case processExit(String)
        case controlClient, healthReports, reply, metricsListener
        case metricsClient, kernelEvents
    }

    func pollOnce() {
        var fds: [pollfd] = []
        var roles: [(role: PollRole, fd: Int32)] = []
        func watch(_ fd: Int32, _ role: PollRole, _ events: Int32 = Int32(POLLIN)) {
            fds.append(pollfd(fd: fd, events: Int16(events), revents: 0))
            roles.append((role, fd))
        }
        watch(signalFD, .signals)
        watch(controlFD, .controlListener)
        for (name, link) in links where link.fd >= 0 { watch(link.fd, .link(name)) }
        for (name, fd) in bfdListeners { watch(fd, .bfd(name)) }
        for (name, w) in processWatches { watch(w.fd, .processExit(name)) }
        if let m = monitor { watch(m.wakeFD, .healthReports) }
        if netlinkFD >= 0 { watch(netlinkFD, .kernelEvents) }
        for fd in clients.keys { watch(fd, .controlClient) }
        if metricsFD >= 0 { watch(metricsFD, .metricsListener) }
        for fd in httpClients.keys { watch(fd, .metricsClient) }
        for fd in replies.keys { watch(fd, .reply, Int32(POLLOUT)) }
        var deadline = nextInterfaceCheck
        if let t = driver.nextTimer?.at, t < deadline { deadline = t }
        if let s = shutdownDeadline, s < deadline { deadline = s }
        if let b = bfdNextDeadline, b < deadline { deadline = b }
        if notifier.watchdogInterval != nil, notifier.nextWatchdog < deadline { deadline = notifier.nextWatchdog }
        let waitMs = max(0, min(1000, Int32((deadline.nanoseconds - now.nanoseconds + 999_999) / 1_000_000)))
        let n = poll(&fds, nfds_t(fds.count), waitMs)
        // Timers that fell due while waiting go first, in due order, so the order of events
        // is the order of their times (what a replay of a --record capture reproduces).
        fireDueTimers()
        guard n > 0 else { return }
        for (i, p) in fds.enumerated() where p.revents != 0 {
            let fd = roles[i].fd
            switch roles[i].role {
            case .signals: handleSignals()
            case .controlListener: acceptClients()
            case .link(let name): receivePackets(on: name)
            case .bfd(let name): receiveBFD(on: name)
            case .processExit(let name): processExited(name)
            case .healthReports: handleHealthReports()
            case .reply: flushReply(fd)
            case .metricsListener: acceptMetricsClients()
            case .metricsClient: serviceHTTPClient(fd)
            case .kernelEvents: handleKernelEvents()
            case .controlClient: serviceClient(fd)
            }
        }
    }

    func fireDueTimers() {
        bfdTick()
        while let timer = driver.takeDueTimer(at: now) {
            recorder?.timer(timer.description)
            if logger.logLevel <= .debug { logger.debug("timer \(timer.description)") }
            apply(.timerFired(timer))
        }
    }

    // MARK: - Engine actions

    func apply(_ event: Event) {
        // A DD's answer goes out before the engine examines the DD (Engine.step): the exchange
        // is a ping-pong, and the peer waits for it.
        var batch = driver.step(event, now: now)
        while true {
            for action in batch { perform(action) }
            guard driver.hasPendingWork else { break }
            batch = driver.resume(now: now)
        }
        state.cryptoSequence = engine.lastCryptoSequence
    }

    func perform(_ action: Action) {
        switch action {
        case .send(let name, let destination, let bytes):
            guard let link = links[name], link.fd >= 0 else { return }
            let rc = bytes.withUnsafeBufferPointer {
                ospf_socket_send(link.fd, $0.baseAddress, $0.count, destination.value)
            }
            if rc < 0 {
                counters["send_errors", default: 0] += 1
                stats.sendErrors += 1
                logLimited(
                    "send:\(name):\(destination)",
                    "send to \(destination) on \(name) failed: \(String(cString: strerror(Int32(-rc))))")
            } else {
                counters["packets_sent", default: 0] += 1
                if bytes.count > 1 { stats.packetsSent[bytes[1], default: 0] += 1 }
                if logger.logLevel <= .trace {
                    let type = bytes.count > 1 ? SpeakerStats.packetTypeName(bytes[1]) : "?"
                    logger.trace("tx \(type) to \(destination) on \(name) (\(bytes.count) bytes)")
                }
                recorder?.sent(bytes, from: link.address, to: destination)
            }
        case .armTimer, .cancelTimer: break  // kept by the driver
        case .joinGroup(let name, let group), .leaveGroup(let name, let group):
            guard let link = links[name], link.fd >= 0 else { return }
            var join: Int32 = 0
            if case .joinGroup = action { join = 1 }
            let rc = ospf_socket_membership(link.fd, link.ifindex, group.value, join)
            if rc < 0 {
                logger.error(
                    "multicast \(join == 1 ? "join" : "leave") \(group) on \(name): \(String(cString: strerror(-rc)))")
            }
        case .notify(let n): log(n)
        }
    }

    func log(_ n: OSPFEngine.Notification) {
        switch n {
        case .rejected(let i, let source, let r):
            counters["packets_rejected", default: 0] += 1
            counters["rejected_\(r.reason)", default: 0] += 1
            stats.rejected[r.reason, default: 0] += 1
            stats.rejectedOn[i, default: 0] += 1
            stats.lastRejection[i] = (source, r.reason, "\(r) (\(r.rule))", ospf_wallclock_seconds())
            if case .minLSArrival = r {
                // Routine (a router's new instance within 1 s of the last, e.g. at an adjacency's
                // Full): counted, logged at info; the sender retransmits it.
                logger.info("dropped LSA from \(source) on \(i): \(r) (\(r.rule))")
            } else {
                logLimited("rej:\(i):\(source):\(r.reason)", "dropped packet from \(source) on \(i): \(r) (\(r.rule))")
            }
        case .neighborState(let i, let nbr, let from, let to, let event):
            stats.neighborChanged(i, nbr, to: to, at: now)
            bfdNeighborChanged(i, nbr, to: to)
            if to == .full || from == .full {
                hooks?.fire(
                    .neighbor,
                    [
                        ("ROUTER_ID", "\(config.routerID)"), ("INTERFACE", i), ("NEIGHBOR", "\(nbr)"),
                        ("OLD_STATE", from.rawValue), ("NEW_STATE", to.rawValue), ("REASON", "\(event)"),
                    ])
            }
            let level: Logger.Level = (to == .full || from == .full) ? .notice : .info
            logger.log(
                level: level, "neighbor \(nbr) on \(i): \(from.rawValue) -> \(to.rawValue)",
                metadata: ["event": "\(event)"])
            if to == .full { trimAfterStart() }
        case .interfaceState(let i, let from, let to, let dr, let bdr):
            logger.notice(
                "interface \(i): \(from.rawValue) -> \(to.rawValue)", metadata: ["dr": "\(dr)", "bdr": "\(bdr)"])
        case .lsaOriginated(let h), .lsaFlushed(let h):
            if case .lsaOriginated = n { stats.originations += 1 } else { stats.flushes += 1 }
            logger.info("\(n)", metadata: ["lsa": "\(LSAKey(h))"])
        case .shutdownComplete:
            logger.notice("shutdown: every flushed LSA acknowledged")
            exitRequested = true
        case .lsdbOverflow, .lsdbFull:
            stats.lsdbOverflows += 1
            logger.error("\(n)", metadata: ["lsdb_limit": "\(config.lsdbLimit)"])
        case .lsdbOverflowEnded, .lsdbFullEnded:
            logger.notice("\(n)")
        }
    }

    /// The one-time work of a start is over once the first adjacency is Full (startup, the first
    /// database exchange, the runtime's lazy first uses such as type lookups and symbol binding),
    /// or 60 s after the start when none is: its code and constants leave the resident set (see
    /// the shim). Once per process.
    func trimAfterStart() {
        guard !trimmedAfterStart else { return }
        trimmedAfterStart = true
        _ = ospf_trim_executable_text()
    }

    func logLimited(_ key: String, _ message: String) {
        let (ok, suppressed) = limiter.allow(key, now: now.nanoseconds)
        guard ok else { return }
        logger.warning("\(message)\(suppressed > 0 ? " (\(suppressed) similar suppressed)" : "")")
    }

    // MARK: - Sockets

    func receivePackets(on name: String) {
        guard let link = links[name] else { return }
        for _ in 0..<64 {
            var source: UInt32 = 0
            var destination: UInt32 = 0
            var ifindex: Int32 = 0
            let n = receiveBuffer.withUnsafeMutableBufferPointer {
                ospf_socket_receive(link.fd, $0.baseAddress, $0.count, &source, &destination, &ifindex)
            }
            if n <= 0 { return }
            let datagram = Array(receiveBuffer[0..<n])
            counters["packets_received", default: 0] += 1
            let ip: IPv4Datagram
            do { ip = try LinkLayer.parseIPv4(datagram, at: 0) } catch {
                counters["packets_rejected", default: 0] += 1
                logLimited("ip:\(name)", "dropped an IPv4 datagram on \(name): \(error) (RFC 791)")
                continue
            }
            if IPv4Address(source) == link.address { continue }  // our own multicast, should loop be on
            if ip.payload.count > 1 { stats.packetsReceived[ip.payload[ip.payload.startIndex + 1], default: 0] += 1 }
            if logger.logLevel <= .trace {
                let type =
                    ip.payload.count > 1 ? SpeakerStats.packetTypeName(ip.payload[ip.payload.startIndex + 1]) : "?"
                logger.trace("rx \(type) from \(IPv4Address(source)) on \(name) (\(ip.payload.count) bytes)")
            }
            fireDueTimers()  // a timer due before this packet was read runs before it
            recorder?.frame(datagram)
            apply(
                .packetReceived(
                    interface: name, source: IPv4Address(source),
                    destination: IPv4Address(destination != 0 ? destination : ip.destination), bytes: ip.payload))
        }
    }

    func checkInterfaces() {
        nextInterfaceCheck = now.adding(.seconds(1))
        for name in links.keys.sorted() {
            var info = ospf_interface_info()
            let present = ospf_interface_info_get(name, &info) == 0
            let up = present && info.up != 0
            guard up != links[name]!.up else { continue }
            links[name]!.up = up
            if up {
                if info.index != links[name]!.ifindex, links[name]!.fd >= 0 {
                    // The interface was re-created: reopen its socket.
                    close(links[name]!.fd)
                    links[name]!.ifindex = info.index
                    links[name]!.fd = ospf_socket_open(name, info.index)
                    if links[name]!.fd >= 0 {
                        _ = ospf_socket_membership(links[name]!.fd, info.index, IPv4Address.allSPFRouters.value, 1)
                    }
                }
                logger.notice("interface \(name) is up")
                recorder?.event("action = \"interface-up\"\ninterface = \"\(name)\"")
                apply(.interfaceUp(name))
            } else {
                logger.warning("interface \(name) is down")
                recorder?.event("action = \"interface-down\"\ninterface = \"\(name)\"")
                apply(.interfaceDown(name))
            }
        }
    }

    // MARK: - Signals

    func handleSignals() {
        while true {
            let sig = ospf_signalfd_read(signalFD)
            if sig <= 0 { return }
            switch sig {
            case SIGUSR1: setMaintenance(true, reason: "SIGUSR1", until: nil, source: "signal")
            case SIGUSR2:
                if let path = maintenanceFilePresent() {
                    logger.warning("SIGUSR2: maintenance stays on while the maintenance file \(path) exists; remove it")
                } else {
                    setMaintenance(false, reason: "SIGUSR2", until: nil)
                }
            case SIGHUP: reload()
            case SIGTERM, SIGINT: beginShutdown(signal: sig == SIGTERM ? "SIGTERM" : "SIGINT")
            default: break
            }
        }
    }

    /// The maintenance file's path when it is configured and exists.
    func maintenanceFilePresent() -> String? {
        guard let path = config.maintenanceFile, fileExists(path) else { return nil }
        return path
    }

    /// `[control] maintenance_file`: present means maintenance (its first line, if any, is the
    /// reason); removing it ends a maintenance that the file began. Checked every second.
    func checkMaintenanceFile() {
        guard let path = config.maintenanceFile else { return }
        if fileExists(path) {
            guard !state.maintenance else { return }
            let note = ((try? readTextFile(path)) ?? "").split(separator: "\n").first.map { String($0).trimmed } ?? ""
            setMaintenance(
                true, reason: "maintenance file \(path)\(note.isEmpty ? "" : ": \(note.prefix(200))")", until: nil,
                source: "file")
        } else if state.maintenance && state.maintenanceSource == "file" {
            setMaintenance(false, reason: "maintenance file \(path) removed", until: nil)
        }
    }

    func setMaintenance(_ on: Bool, reason: String?, until: Int64?, source: String = "operator") {
        let changed = state.maintenance != on
        if !changed && on && (state.maintenanceReason != reason || state.maintenanceUntil != until) {
            // Already on: a new reason or end time is a change of state too, and is logged.
            logger.notice(
                "maintenance stays on with a new reason or end",
                metadata: [
                    "reason": "\(reason ?? "")", "was": "\(state.maintenanceReason ?? "")",
                    "until": "\(until.map(String.init) ?? "none")",
                    "was_until": "\(state.maintenanceUntil.map(String.init) ?? "none")",
                ])
        }
        state.maintenance = on
        state.maintenanceReason = on ? reason : nil
        if changed || on { state.maintenanceSource = on ? source : nil }
        state.maintenanceSince = on ? (changed ? ospf_wallclock_seconds() : state.maintenanceSince) : nil
        state.maintenanceUntil = on ? until : nil
        saveState()
        guard changed else { return }
        stats.maintenanceChanges += 1
        let before = advertisedCosts()
        recorder?.event("action = \"\(on ? "maintenance-on" : "maintenance-off")\"")
        apply(.maintenance(on))
        let after = advertisedCosts()
        logger.notice(
            "maintenance \(on ? "on" : "off")",
            metadata: ["reason": "\(reason ?? "")", "before": "\(before)", "after": "\(after)", "source": "\(source)"])
        hooks?.fire(
            .maintenance,
            [
                ("ROUTER_ID", "\(config.routerID)"), ("OLD_STATE", on ? "off" : "on"), ("NEW_STATE", on ? "on" : "off"),
                ("REASON", reason ?? ""), ("OLD_COSTS", before), ("NEW_COSTS", after),
            ])
    }

    func checkMaintenanceExpiry() {
        if state.maintenance, let until = state.maintenanceUntil, ospf_wallclock_seconds() >= until {
            setMaintenance(false, reason: "expired", until: nil)
        }
    }

    func advertisedCosts() -> String {
        config.advertisements.map { a in "\(a.prefix)=\(engine.effectiveCost(a).map(String.init) ?? "withdrawn")" }
            .joined(separator: " ")
    }

    func saveState() {
        do { try state.save(config.stateFile) } catch {
            logger.error("cannot write state file \(config.stateFile): \(error)")
        }
    }

    func reload() {
        // Type=notify: RELOADING=1 with the monotonic time, READY=1 once done (applied or refused).
        notify("RELOADING=1", "MONOTONIC_USEC=\(ospf_monotonic_ns() / 1000)")
        defer { notify("READY=1") }
        let text: String
        do { text = try readTextFile(configPath) } catch {
            logger.error("reload: cannot read \(error); keeping the running configuration")
            return
        }
        let fresh: SpeakerConfiguration
        do { fresh = try SpeakerConfiguration.parse(text, file: configPath) } catch {
            logger.error("reload: \(configPath) is invalid; keeping the running configuration:\n\(error)")
            return
        }
        let restartOnly = Self.restartOnlyChanges(from: config, to: fresh)
        if !restartOnly.isEmpty {
            logger.warning(
                "reload: these settings apply after a restart: \(restartOnly.joined(separator: "; "))")
        }
        configText = text
        config.advertisements = fresh.advertisements
        config.maxMetric = fresh.maxMetric
        if fresh.hooks != config.hooks {
            config.hooks = fresh.hooks
            hooks = fresh.hooks.isEmpty ? nil : HookRunner(specs: fresh.hooks, logger: logger)
            logger.notice("reload: \(fresh.hooks.count) hook(s)")
        }
        if fresh.maintenanceFile != config.maintenanceFile {
            config.maintenanceFile = fresh.maintenanceFile
            logger.notice("reload: maintenance_file \(fresh.maintenanceFile ?? "(none)")")
        }
        apply(.reconfigure(advertisements: fresh.advertisements, maxMetric: fresh.maxMetric))
        if fresh.lsdbLimit != config.lsdbLimit || fresh.lsdbOverflowPolicy != config.lsdbOverflowPolicy
            || fresh.lsdbOverflowHoldSeconds != config.lsdbOverflowHoldSeconds
        {
            config.lsdbLimit = fresh.lsdbLimit
            config.lsdbOverflowPolicy = fresh.lsdbOverflowPolicy
            config.lsdbOverflowHoldSeconds = fresh.lsdbOverflowHoldSeconds
            apply(
                .setDatabaseLimit(
                    fresh.lsdbLimit, policy: fresh.lsdbOverflowPolicy, holdSeconds: fresh.lsdbOverflowHoldSeconds))
            let limits =
                "lsdb_limit \(fresh.lsdbLimit), lsdb_overflow \(fresh.lsdbOverflowPolicy.rawValue), "
                + "lsdb_overflow_hold_s \(fresh.lsdbOverflowHoldSeconds)"
            logger.notice("reload: \(limits)")
        }
        if fresh.healthChecks != config.healthChecks {
            monitor?.stop()
            monitor = nil
            config.healthChecks = fresh.healthChecks
            health = HealthState(specs: fresh.healthChecks, previous: health, damping: fresh.healthDamping)
            if !fresh.healthChecks.isEmpty, let m = try? HealthMonitor(specs: fresh.healthChecks) {
                m.confirmMs = fresh.healthConfirmMs
                m.reloadLock = fresh.libreqosLock
                m.reloadGraceMs = fresh.libreqosReloadGraceMs
                monitor = m
                m.start()
            }
            config.healthEvents = fresh.healthEvents
            config.healthConfirmMs = fresh.healthConfirmMs
            startKernelEvents()
            logger.notice("reload: health checks \(fresh.healthChecks.map(\.name))")
        }
        applyHealth()
        logger.notice("reload: configuration applied", metadata: ["advertisements": "\(advertisedCosts())"])
    }

    func beginShutdown(signal: String) {
        guard shutdownDeadline == nil else {
            exitRequested = true
            return
        }
        logger.notice("\(signal): withdrawing (flushing our LSAs, goodbye Hellos)")
        notify("STOPPING=1")
        recorder?.event("action = \"shutdown\"")
        shutdownDeadline = now.adding(.seconds(1))
        bfdAdminDownAll()
        apply(.shutdown)
    }

    /// Settings a reload cannot apply (router ID, area, interfaces), each named with its old and
    /// new value; keys are never shown.
    static func restartOnlyChanges(from old: SpeakerConfiguration, to new: SpeakerConfiguration) -> [String] {
        var out: [String] = []
        if new.routerID != old.routerID { out.append("router_id \(old.routerID) -> \(new.routerID)") }
        if new.area != old.area { out.append("area \(old.area) -> \(new.area)") }
        let oldNames = old.interfaces.map(\.engine.name)
        let newNames = new.interfaces.map(\.engine.name)
        for n in newNames where !oldNames.contains(n) { out.append("interface \(n) added") }
        for n in oldNames where !newNames.contains(n) { out.append("interface \(n) removed") }
        for a in new.interfaces {
            guard let b = old.interfaces.first(where: { $0.engine.name == a.engine.name }) else { continue }
            let x = a.engine
            let y = b.engine
            var fields: [String] = []
            func field<T: Equatable>(_ name: String, _ new: T, _ old: T) {
                if new != old { fields.append("\(name) \(old) -> \(new)") }
            }
            field("network", x.network.rawValue, y.network.rawValue)
            field("cost", x.cost, y.cost)
            field("priority", x.priority, y.priority)
            field("hello_interval", x.helloInterval, y.helloInterval)
            field("dead_interval", x.deadInterval, y.deadInterval)
            field("retransmit_interval", x.retransmitInterval, y.retransmitInterval)
            field("transmit_delay", x.transmitDelay, y.transmitDelay)
            field("mtu_ignore", x.mtuIgnore, y.mtuIgnore)
            if a.mtuGiven { field("mtu", x.mtu, y.mtu) }
            field(
                "bfd", a.bfd.map { "\($0.intervalMs) ms x \($0.multiplier)" } ?? "off",
                b.bfd.map { "\($0.intervalMs) ms x \($0.multiplier)" } ?? "off")
            if a.addressGiven { field("address", "\(x.address)/\(x.prefixLength)", "\(y.address)/\(y.prefixLength)") }
            field(
                "auth", x.authentication?.algorithm.rawValue ?? "none", y.authentication?.algorithm.rawValue ?? "none")
            if x.authentication != y.authentication && x.authentication?.algorithm == y.authentication?.algorithm {
                fields.append("auth key or key id")
            }
            if !fields.isEmpty { out.append("interface \(a.engine.name): \(fields.joined(separator: ", "))") }
        }
        return out
    }

    /// Sends to systemd's notification socket; a failure is logged once.
    func notify(_ lines: String...) {
        let hadError = notifier.lastError != nil
        let ok = notifier.send(lines.joined(separator: "\n"))
        if !ok && !hadError { logger.warning("systemd notification failed: \(notifier.lastError ?? "?")") }
    }

    func finish() {
        monitor?.stop()
        stopBFD()
        if metricsFD >= 0 { close(metricsFD) }
        saveState()
        for link in links.values where link.fd >= 0 { close(link.fd) }
        if controlFD >= 0 {
            close(controlFD)
            unlink(config.controlSocket)
        }
        logger.notice("ospf-speaker stopped")
    }
}

/// A fatal startup problem, with the file, interface or syscall named.
public struct DaemonError: Error, CustomStringConvertible {
    /// The message.
    public var description: String
    init(_ d: String) { description = d }
}
