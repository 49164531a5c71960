import BFD
import CSpeakerShims
import Glibc
import OSPFEngine
import OSPFWire

/// The control socket: a Unix stream socket (mode 0660). A client writes one
/// command line and reads one JSON document until the server closes:
/// `status`, `database`, `maintenance on [--for SECONDS] [REASON]`, `maintenance off`.
extension Speaker {
    func acceptClients() {
        while true {
            let fd = ospf_unix_accept(controlFD)
            if fd < 0 { return }
            clients[fd] = []
        }
    }

    func serviceClient(_ fd: Int32) {
        var chunk = [UInt8](repeating: 0, count: 4096)
        let n = read(fd, &chunk, chunk.count)
        if n <= 0 {
            close(fd)
            clients[fd] = nil
            return
        }
        clients[fd]! += chunk[0..<n]
        guard let nl = clients[fd]!.firstIndex(of: 10) else {
            if clients[fd]!.count > ControlRequest.maxRequestBytes {
                // Refused with a reply the client can show, and logged (never a silent reset).
                logLimited(
                    "control:oversized",
                    "control socket: refused a request of more than \(ControlRequest.maxRequestBytes) bytes")
                clients[fd] = nil
                let error: JSONValue = .object([
                    ("error", .string("request larger than \(ControlRequest.maxRequestBytes) bytes; refused"))
                ])
                replies[fd] = Array((error.text + "\n").utf8)[...]
                flushReply(fd)
            }
            return
        }
        let line = String(decoding: clients[fd]![..<nl], as: UTF8.self)
        let reply = handleCommand(line)
        clients[fd] = nil
        replies[fd] = Array((reply.text + "\n").utf8)[...]
        flushReply(fd)
    }

    /// Writes as much of a client's pending reply as its socket takes; the rest waits for the
    /// poll loop to report the socket writable (a large `database` reply does not fit at once,
    /// and the loop never blocks on a client). Closes the connection when done or on error.
    func flushReply(_ fd: Int32) {
        guard var pending = replies[fd] else { return }
        while !pending.isEmpty {
            let w = pending.withUnsafeBufferPointer { write(fd, $0.baseAddress, $0.count) }
            if w < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) {
                replies[fd] = pending
                return
            }
            if w <= 0 { break }
            pending = pending.dropFirst(w)
        }
        replies[fd] = nil
        close(fd)
    }

    func handleCommand(_ line: String) -> JSONValue {
        let request: ControlRequest
        do { request = try ControlRequest(line: line) } catch {
            logLimited("control:invalid", "control socket: refused a request: \(error)")
            return .object([("error", .string(error.description))])
        }
        logger.debug("control: \(request.line)")
        switch request {
        case .status: return status()
        case .database: return database()
        case .maintenance(let on, let reason, let seconds, let force):
            if !on, let path = maintenanceFilePresent() {
                return .object([
                    ("error", .string("the maintenance file \(path) exists: maintenance stays on until it is removed"))
                ])
            }
            let until = seconds.map { ospf_wallclock_seconds() + $0 }
            setMaintenance(on, reason: reason ?? "control socket", until: until)
            var reply = status()
            if on && !force, case .object(var pairs) = reply {
                let warnings = config.advertisements.compactMap(backupWarning)
                for w in warnings { logger.warning("maintenance: \(w)") }
                pairs.append(("warnings", .array(warnings.map(JSONValue.string))))
                reply = .object(pairs)
            }
            return reply
        }
    }

    func status() -> JSONValue {
        let t = now
        var interfaces: [JSONValue] = []
        for name in links.keys.sorted() {
            guard let i = engine.interfaces[name] else { continue }
            let neighbors: [JSONValue] = i.sortedNeighborIDs.map { id in
                let n = i.neighbors[id]!
                return .object([
                    ("router_id", .address(id)), ("address", .address(n.address)), ("state", .string(n.state.rawValue)),
                    ("priority", .number(n.priority)), ("dr", .address(n.designatedRouter)),
                    ("bdr", .address(n.backupDesignatedRouter)),
                    ("retransmissions", .number(n.retransmissionList.count)),
                    ("bfd", bfdStatus(BFDPeerKey(interface: name, address: n.address))),
                ])
            }
            interfaces.append(
                .object([
                    ("name", .string(name)), ("address", .string("\(i.config.address)/\(i.config.prefixLength)")),
                    ("network", .string(i.config.network.rawValue)), ("state", .string(i.state.rawValue)),
                    ("cost", .number(i.config.cost)), ("priority", .number(i.config.priority)),
                    ("dr", .address(i.designatedRouter)), ("bdr", .address(i.backupDesignatedRouter)),
                    ("mtu", .number(i.config.mtu)),
                    ("auth", .string(i.config.authentication?.algorithm.rawValue ?? "none")),
                    ("hello_interval", .number(i.config.helloInterval)),
                    ("dead_interval", .number(i.config.deadInterval)),
                    ("neighbors", .array(neighbors)),
                    (
                        "bfd",
                        links[name]?.entry.bfd.map {
                            .object([("interval_ms", .number($0.intervalMs)), ("multiplier", .number($0.multiplier))])
                        } ?? .null
                    ),
                    ("rejected", .number(stats.rejectedOn[name] ?? 0)),
                    (
                        "last_rejection",
                        stats.lastRejection[name].map {
                            .object([
                                ("source", .address($0.source)), ("reason", .string($0.reason)),
                                ("detail", .string($0.text)), ("at", .int($0.wallSeconds)),
                            ])
                        } ?? .null
                    ),
                ]))
        }
        var ads: [JSONValue] = []
        for a in config.advertisements {
            var pairs: [(String, JSONValue)] = [("prefix", .string(a.prefix.description))]
            let desired = engine.effectiveCost(a)
            pairs.append(("desired_cost", desired.map { .number($0) } ?? .string("withdrawn")))
            pairs.append(("cost", .number(a.cost)))
            pairs.append(("degraded_cost", .number(a.degradedCost)))
            pairs.append(("on_failure", .string(a.onFailure.rawValue)))
            switch a.kind {
            case .external(let mt, let fa, let tag):
                pairs.append(
                    (
                        "backups",
                        .array(
                            backups(for: a).map {
                                .object([
                                    ("router", .address($0.router)), ("metric_type", .number($0.metricType)),
                                    ("metric", .number($0.metric)),
                                    ("forwarding_address", .address($0.forwardingAddress)),
                                ])
                            })
                    ))
                pairs.append(("backup_warning", backupWarning(a).map(JSONValue.string) ?? .null))
                pairs.append(("type", "external"))
                pairs.append(("metric_type", .number(mt)))
                pairs.append(("forwarding_address", .address(fa)))
                pairs.append(("tag", .number(tag)))
                let key = LSAKey(type: .asExternal, linkStateID: a.prefix.address, advertisingRouter: config.routerID)
                if let e = engine.database[key], !e.isMaxAge, case .external(let x) = e.lsa.body {
                    pairs.append(("wire_cost", .number(x.primary.metric)))
                    pairs.append(("lsa_seq", .number(e.lsa.header.sequenceNumberBits)))
                } else {
                    pairs.append(("wire_cost", "withdrawn"))
                }
            case .stub:
                pairs.append(("type", "stub"))
                let key = LSAKey(type: .router, linkStateID: config.routerID, advertisingRouter: config.routerID)
                if case .router(let r)? = engine.database[key]?.lsa.body,
                    let link = r.links.first(where: {
                        $0.type == .stub && $0.id == a.prefix.address && $0.data == a.prefix.mask
                    })
                {
                    pairs.append(("wire_cost", .number(link.metric)))
                } else {
                    pairs.append(("wire_cost", "withdrawn"))
                }
            }
            ads.append(.object(pairs))
        }
        var byType: [(String, JSONValue)] = []
        var counts: [UInt8: Int] = [:]
        for k in engine.database.keys { counts[k.type.code, default: 0] += 1 }
        for type in counts.keys.sorted() { byType.append((LSType(code: type).description, .number(counts[type]!))) }
        let maintenance: JSONValue = .object([
            ("on", .bool(state.maintenance)), ("reason", state.maintenanceReason.map(JSONValue.string) ?? .null),
            ("since", state.maintenanceSince.map { .number($0) } ?? .null),
            ("until", state.maintenanceUntil.map { .number($0) } ?? .null),
            ("source", state.maintenanceSource.map(JSONValue.string) ?? .null),
            ("file", config.maintenanceFile.map(JSONValue.string) ?? .null),
        ])
        let checks: [JSONValue] = config.healthChecks.map { spec in
            let h = health.checks[spec.name]
            let last = health.lastResult[spec.name]
            return .object([
                ("name", .string(spec.name)), ("type", .string(spec.kind.typeName)), ("up", .bool(h?.up ?? false)),
                ("last_passed", last.map { .bool($0.passed) } ?? .null),
                ("detail", last.map { .string($0.detail) } ?? .null),
                (
                    "sub_checks",
                    .array(
                        (last?.parts ?? []).map {
                            .object([
                                ("name", .string($0.name)), ("passed", .bool($0.passed)),
                                ("detail", .string($0.detail)),
                            ])
                        })
                ),
                (
                    "damping",
                    .object([
                        ("penalty", .int(Int64(health.damping[spec.name]?.penalty(at: ospf_monotonic_ns()) ?? 0))),
                        ("held", .bool(health.held.contains(spec.name))),
                        (
                            "reuse_in_seconds",
                            .int(
                                Int64(
                                    (health.damping[spec.name]?.secondsUntilReuse(at: ospf_monotonic_ns()) ?? 0)
                                        .rounded(.up)))
                        ),
                    ])
                ),
                ("rise", .number(spec.rise)), ("fall", .number(spec.fall)), ("interval_ms", .number(spec.intervalMs)),
                ("timeout_ms", .number(spec.timeoutMs)),
            ])
        }
        let healthJSON: JSONValue = .object([("healthy", .bool(health.healthy)), ("checks", .array(checks))])
        return .object([
            ("router_id", .address(config.routerID)), ("area", .address(config.area)), ("health", healthJSON),
            ("uptime_seconds", .double(Double(t.nanoseconds / 1_000_000) / 1000)),
            ("maintenance", maintenance), ("shutting_down", .bool(shutdownDeadline != nil)),
            ("interfaces", .array(interfaces)), ("advertisements", .array(ads)),
            (
                "lsdb",
                .object([
                    ("count", .number(engine.database.count)), ("by_type", .object(byType)),
                    ("limit", .number(config.lsdbLimit)),
                    ("overflow_policy", .string(config.lsdbOverflowPolicy.rawValue)),
                    ("full", .bool(engine.lsdbFull)),
                    (
                        "overflow_seconds_left",
                        engine.overflowUntil.map { .int(max(0, ($0.nanoseconds - t.nanoseconds) / 1_000_000_000)) }
                            ?? .null
                    ),
                ])
            ),
            ("counters", .object(counters.keys.sorted().map { ($0, .number(counters[$0]!)) })),
        ])
    }

    /// One BFD session for `status`, or null when the neighbour has none.
    func bfdStatus(_ key: BFDPeerKey) -> JSONValue {
        guard let p = bfdPeers[key] else { return .null }
        let s = p.session
        func ms(_ us: UInt64?) -> JSONValue { us.map { .double(Double($0) / 1000) } ?? .null }
        return .object([
            ("state", .string(s.state.description)), ("remote_state", .string(s.remoteState.description)),
            ("local_discriminator", .int(Int64(s.localDiscriminator))),
            ("remote_discriminator", .int(Int64(s.remoteDiscriminator))),
            ("transmit_interval_ms", ms(s.transmitIntervalUs.map(UInt64.init))),
            ("detection_time_ms", ms(s.detectionTimeUs)),
            ("remote_desired_min_tx_ms", ms(UInt64(s.remoteDesiredMinTxUs))),
            ("remote_required_min_rx_ms", ms(UInt64(s.remoteMinRxUs))),
            ("remote_multiplier", .number(s.remoteMultiplier)),
            ("local_diagnostic", .string(s.localDiagnostic.description)),
            ("remote_diagnostic", .string(s.remoteDiagnostic.description)),
            ("up_count", .number(s.upCount)), ("down_count", .number(s.downCount)),
            ("packets_received", .number(s.packetsReceived)), ("packets_sent", .number(s.packetsSent)),
            ("source_port", .number(p.sourcePort)), ("since", .int(p.changedAt)),
        ])
    }

    func database() -> JSONValue {
        let t = now
        return .object([
            ("router_id", .address(config.routerID)),
            (
                "lsas",
                .array(
                    engine.database.sortedKeys.map { key in
                        let e = engine.database[key]!
                        return e.lsa(at: t).json()
                    })
            ),
        ])
    }
}

/// Sends one command to a running speaker and returns its JSON reply.
public func controlRequest(socket path: String, _ command: String) throws -> String {
    let fd = ospf_unix_connect(path)
    guard fd >= 0 else {
        throw DaemonError("control socket \(path): \(String(cString: strerror(-fd))) (is ospf-speaker running?)")
    }
    defer { close(fd) }
    let bytes = Array((command + "\n").utf8)
    _ = bytes.withUnsafeBufferPointer { write(fd, $0.baseAddress, $0.count) }
    var out: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 65536)
    while true {
        let n = read(fd, &chunk, chunk.count)
        if n <= 0 { break }
        out += chunk[0..<n]
    }
    return String(decoding: out, as: UTF8.self)
}
