import CSpeakerShims
import Glibc
import OSPFEngine
import OSPFWire

/// The speaker's version (build info metric, `--version`, the start log line).
public let ospfSpeakerVersion = "0.3.0"

/// Prometheus text exposition format 0.0.4: per family `# HELP`, `# TYPE`, then its samples.
/// Families are declared first and printed in that order; samples may be added in any order.
struct MetricsText {
    private var order: [String] = []
    private var families: [String: (type: String, help: String, samples: [String])] = [:]

    /// Declares a metric family.
    mutating func family(_ name: String, _ type: String, _ help: String) {
        if families[name] == nil { order.append(name) }
        families[name] = (type, help, families[name]?.samples ?? [])
    }

    /// One sample of a declared family.
    mutating func sample(_ name: String, _ labels: [(String, String)] = [], _ value: Double) {
        var line = name
        if !labels.isEmpty {
            line += "{" + labels.map { "\($0.0)=\"\(Self.escape($0.1))\"" }.joined(separator: ",") + "}"
        }
        line += " \(Self.format(value))"
        precondition(families[name] != nil, "metric family \(name) not declared")
        families[name]!.samples.append(line)
    }

    /// One integer sample.
    mutating func sample(_ name: String, _ labels: [(String, String)] = [], _ value: Int) {
        sample(name, labels, Double(value))
    }

    /// The exposition text.
    var text: String {
        var out = ""
        for name in order {
            let f = families[name]!
            out += "# HELP \(name) \(f.help)\n# TYPE \(name) \(f.type)\n"
            for line in f.samples { out += line + "\n" }
        }
        return out
    }

    /// Label values escape backslash, double quote and line feed.
    static func escape(_ s: String) -> String {
        var out = ""
        for c in s {
            switch c {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\n": out += "\\n"
            default: out.append(c)
            }
        }
        return out
    }

    static func format(_ v: Double) -> String {
        if v.isNaN { return "NaN" }
        if v.isInfinite { return v > 0 ? "+Inf" : "-Inf" }
        if v == v.rounded(), abs(v) < 1e15 { return String(Int64(v)) }
        return String(v)
    }
}

/// Counts the daemon keeps for the metrics (the engine's own state is read when scraped).
struct SpeakerStats {
    var packetsReceived: [UInt8: Int] = [:]
    var packetsSent: [UInt8: Int] = [:]
    var rejected: [String: Int] = [:]
    /// Per interface: packets rejected and the most recent rejection (for `status` and `check`).
    var rejectedOn: [String: Int] = [:]
    var lastRejection: [String: (source: IPv4Address, reason: String, text: String, wallSeconds: Int64)] = [:]
    var sendErrors = 0
    var originations = 0
    var flushes = 0
    var neighborStateChanges = 0
    /// When each adjacency (interface, neighbour) entered ExStart, until it reaches Full.
    var exchangeStarted: [String: Instant] = [:]
    /// The last ExStart -> Full duration of each adjacency, seconds.
    var lastSync: [String: (interface: String, neighbor: IPv4Address, seconds: Double)] = [:]
    var checkRuns: [String: Int] = [:]
    var checkTransitions: [String: Int] = [:]
    var checkLastMs: [String: Int] = [:]
    var healthTransitions = 0
    var maintenanceChanges = 0
    var metricsScrapes = 0
    var kernelTriggers = 0
    /// BFD: Control packets in (before validation) and out, send errors, rejections by reason,
    /// session transitions by new state, neighbours killed.
    var bfdPacketsReceived = 0
    var bfdPacketsSent = 0
    var bfdSendErrors = 0
    var bfdRejected: [String: Int] = [:]
    var bfdTransitions: [String: Int] = [:]
    var bfdNeighborKills = 0
    /// Times the database overflowed (lsdb_limit).
    var lsdbOverflows = 0

    static func packetTypeName(_ code: UInt8) -> String {
        switch code {
        case 1: "hello"
        case 2: "database_description"
        case 3: "ls_request"
        case 4: "ls_update"
        case 5: "ls_ack"
        default: "unknown"
        }
    }

    /// Tracks database synchronisation time from neighbour transitions.
    mutating func neighborChanged(_ interface: String, _ id: IPv4Address, to: NeighborState, at now: Instant) {
        neighborStateChanges += 1
        let key = "\(interface)|\(id)"
        switch to {
        case .exStart: exchangeStarted[key] = now
        case .full:
            if let start = exchangeStarted.removeValue(forKey: key) {
                lastSync[key] = (interface, id, Double(now.nanoseconds - start.nanoseconds) / 1e9)
            }
        case .down: exchangeStarted[key] = nil
        default: break
        }
    }
}

extension Speaker {
    // MARK: - The /metrics endpoint

    /// Opens the metrics listener when `[control] metrics_listen` is set.
    func startMetrics() throws {
        guard let listen = config.metricsListen else { return }
        let fd = ospf_tcp_listen(listen.address.value, listen.port)
        guard fd >= 0 else {
            throw DaemonError("metrics_listen \(listen): \(String(cString: strerror(-fd)))")
        }
        metricsFD = fd
        logger.info("metrics on http://\(listen)/metrics")
    }

    /// Accepts scrapers (at most 16 at once; more wait in the listen queue).
    func acceptMetricsClients() {
        while httpClients.count < 16 {
            let fd = ospf_tcp_accept(metricsFD)
            if fd < 0 { return }
            httpClients[fd] = (bytes: [], since: now)
        }
    }

    /// Reads a request; answers once the header is complete. Never blocks the loop: the reply
    /// is written as the socket takes it (``flushReply(_:)``).
    func serviceHTTPClient(_ fd: Int32) {
        var chunk = [UInt8](repeating: 0, count: 2048)
        let n = read(fd, &chunk, chunk.count)
        if n <= 0 {
            if n < 0 && (errno == EAGAIN || errno == EINTR) { return }
            close(fd)
            httpClients[fd] = nil
            return
        }
        guard var client = httpClients[fd] else { return }
        client.bytes += chunk[0..<n]
        httpClients[fd] = client
        let end: [UInt8] = [13, 10, 13, 10]
        guard let headerEnd = client.bytes.firstRange(of: end) else {
            if client.bytes.count > 8192 { respond(fd, 431, "request header too large\n") }
            return
        }
        let head = String(decoding: client.bytes[..<headerEnd.lowerBound], as: UTF8.self)
        let requestLine = head.split(separator: "\r\n", maxSplits: 1).first.map(String.init) ?? ""
        let parts = requestLine.split(separator: " ")
        guard parts.count == 3, parts[2].hasPrefix("HTTP/1.") else {
            respond(fd, 400, "bad request line\n")
            return
        }
        guard parts[0] == "GET" || parts[0] == "HEAD" else {
            respond(fd, 405, "only GET\n")
            return
        }
        let path = parts[1].split(separator: "?", maxSplits: 1).first.map(String.init) ?? ""
        switch path {
        case "/metrics":
            stats.metricsScrapes += 1
            respond(
                fd, 200, metricsText(), contentType: "text/plain; version=0.0.4; charset=utf-8",
                bodyless: parts[0] == "HEAD")
        case "/":
            respond(fd, 200, "ospf-speaker \(ospfSpeakerVersion): metrics at /metrics\n", bodyless: parts[0] == "HEAD")
        default: respond(fd, 404, "not found (metrics are at /metrics)\n")
        }
    }

    func respond(
        _ fd: Int32, _ code: Int, _ body: String, contentType: String = "text/plain; charset=utf-8",
        bodyless: Bool = false
    ) {
        httpClients[fd] = nil
        let reason =
            [
                200: "OK", 400: "Bad Request", 404: "Not Found", 405: "Method Not Allowed",
                431: "Request Header Fields Too Large",
            ][
                code] ?? "Error"
        let bytes = Array(body.utf8)
        let head =
            "HTTP/1.1 \(code) \(reason)\r\nContent-Type: \(contentType)\r\nContent-Length: \(bytes.count)\r\n"
            + "Connection: close\r\n\r\n"
        replies[fd] = (Array(head.utf8) + (bodyless ? [] : bytes))[...]
        flushReply(fd)
    }

    /// Closes scrapers that sent no complete request within 5 s.
    func expireHTTPClients() {
        for (fd, client) in httpClients where now.since(client.since) > .seconds(5) {
            close(fd)
            httpClients[fd] = nil
        }
    }

    // MARK: - The metrics

    func metricsText() -> String {
        var m = MetricsText()
        let p = "ospf_speaker_"
        m.family(p + "build_info", "gauge", "The speaker's version; always 1.")
        m.sample(p + "build_info", [("version", ospfSpeakerVersion)], 1)
        m.family(p + "start_time_seconds", "gauge", "When the speaker started, Unix time.")
        m.sample(p + "start_time_seconds", [], Double(startWallUs) / 1e6)

        m.family(p + "interface_up", "gauge", "1 when the OSPF interface is not Down.")
        m.family(p + "interface_state", "gauge", "The OSPF interface state (RFC 2328 9.1); 1 for the current one.")
        m.family(p + "neighbors", "gauge", "Neighbours on an interface by state (RFC 2328 10.1).")
        m.family(p + "neighbor_full", "gauge", "1 when the adjacency with the neighbour is Full.")
        for name in links.keys.sorted() {
            guard let i = engine.interfaces[name] else { continue }
            m.sample(p + "interface_up", [("interface", name)], i.state == .down ? 0 : 1)
            m.sample(p + "interface_state", [("interface", name), ("state", i.state.rawValue)], 1)
            var byState: [String: Int] = ["Full": 0]
            for id in i.sortedNeighborIDs {
                guard let n = i.neighbors[id] else { continue }
                byState[n.state.rawValue, default: 0] += 1
                m.sample(p + "neighbor_full", [("interface", name), ("neighbor", "\(id)")], n.state == .full ? 1 : 0)
            }
            for s in byState.keys.sorted() {
                m.sample(p + "neighbors", [("interface", name), ("state", s)], byState[s]!)
            }
        }

        m.family(p + "lsdb_lsas", "gauge", "LSAs in the link-state database by LS type.")
        var counts: [UInt8: Int] = [1: 0, 2: 0, 3: 0, 4: 0, 5: 0]
        for k in engine.database.keys { counts[k.type.code, default: 0] += 1 }
        for code in counts.keys.sorted() {
            m.sample(p + "lsdb_lsas", [("type", LSType(code: code).description)], counts[code]!)
        }
        m.family(p + "lsdb_limit", "gauge", "lsdb_limit: the most LSAs the database holds before an overflow.")
        m.sample(p + "lsdb_limit", [], config.lsdbLimit)
        m.family(
            p + "lsdb_overflow", "gauge", "1 while the database is in overflow (adjacencies down, packets ignored).")
        m.sample(p + "lsdb_overflow", [], engine.overflowUntil == nil ? 0 : 1)
        m.family(
            p + "lsdb_full", "gauge",
            "1 while the database holds lsdb_limit LSAs and new ones are refused (lsdb_overflow = refuse).")
        m.sample(p + "lsdb_full", [], engine.lsdbFull ? 1 : 0)
        m.family(p + "lsdb_overflows_total", "counter", "Times an LSA would have exceeded lsdb_limit.")
        m.sample(p + "lsdb_overflows_total", [], stats.lsdbOverflows)
        m.family(
            p + "lsdb_sync_duration_seconds", "gauge",
            "The last database synchronisation (ExStart to Full) per adjacency.")
        for key in stats.lastSync.keys.sorted() {
            let s = stats.lastSync[key]!
            m.sample(
                p + "lsdb_sync_duration_seconds", [("interface", s.interface), ("neighbor", "\(s.neighbor)")], s.seconds
            )
        }
        m.family(p + "neighbor_state_changes_total", "counter", "Neighbour state transitions.")
        m.sample(p + "neighbor_state_changes_total", [], stats.neighborStateChanges)

        m.family(p + "packets_received_total", "counter", "OSPF packets received by type (before validation).")
        m.family(p + "packets_sent_total", "counter", "OSPF packets sent by type.")
        for code: UInt8 in 1...5 {
            let t = [("type", SpeakerStats.packetTypeName(code))]
            m.sample(p + "packets_received_total", t, stats.packetsReceived[code] ?? 0)
            m.sample(p + "packets_sent_total", t, stats.packetsSent[code] ?? 0)
        }
        m.family(p + "packets_rejected_total", "counter", "Packets and LSAs dropped, by the rule that rejected them.")
        for reason in stats.rejected.keys.sorted() {
            m.sample(p + "packets_rejected_total", [("reason", reason)], stats.rejected[reason]!)
        }
        m.family(p + "auth_failures_total", "counter", "Packets that failed authentication (RFC 2328 D).")
        m.sample(p + "auth_failures_total", [], stats.rejected["authentication"] ?? 0)
        m.family(p + "send_errors_total", "counter", "Packets the kernel refused to send.")
        m.sample(p + "send_errors_total", [], stats.sendErrors)
        m.family(p + "lsa_originations_total", "counter", "Self-originated LSA instances.")
        m.sample(p + "lsa_originations_total", [], stats.originations)
        m.family(p + "lsa_flushes_total", "counter", "Self-originated LSAs flushed (premature aging).")
        m.sample(p + "lsa_flushes_total", [], stats.flushes)

        m.family(
            p + "advertisement_cost", "gauge", "The metric on the wire per advertised prefix; absent when withdrawn.")
        m.family(
            p + "advertisement_desired_cost", "gauge",
            "The metric health and maintenance ask for; absent when withdrawn.")
        m.family(p + "advertisement_withdrawn", "gauge", "1 when the prefix is not advertised.")
        m.family(p + "advertisement_backups", "gauge", "Other routers' AS-external LSAs for the prefix in the LSDB.")
        m.family(
            p + "advertisement_backup_ok", "gauge",
            "1 when a backup's metric lies strictly between the healthy and degraded costs (degrading moves traffic).")
        for a in config.advertisements {
            let labels = [("prefix", a.prefix.description)]
            let wire = wireCost(a)
            if let wire { m.sample(p + "advertisement_cost", labels, Int(wire)) }
            if let d = engine.effectiveCost(a) { m.sample(p + "advertisement_desired_cost", labels, Int(d)) }
            m.sample(p + "advertisement_withdrawn", labels, wire == nil ? 1 : 0)
            if case .external = a.kind {
                m.sample(p + "advertisement_backups", labels, backups(for: a).count)
                m.sample(p + "advertisement_backup_ok", labels, backupWarning(a) == nil ? 1 : 0)
            }
        }

        m.family(p + "healthy", "gauge", "1 when every health check is up.")
        m.sample(p + "healthy", [], health.healthy ? 1 : 0)
        m.family(p + "health_transitions_total", "counter", "Changes between healthy and degraded.")
        m.sample(p + "health_transitions_total", [], stats.healthTransitions)
        m.family(p + "health_check_up", "gauge", "1 when the check is up (after rise/fall).")
        m.family(p + "health_check_duration_seconds", "gauge", "How long the check's last run took.")
        m.family(p + "health_check_runs_total", "counter", "Runs of the check.")
        m.family(p + "health_check_damping_penalty", "gauge", "The check's flap-damping penalty (RFC 2439 style).")
        m.family(p + "health_check_damped", "gauge", "1 while damping holds a passing check down.")
        m.family(p + "health_check_transitions_total", "counter", "Up/down changes of the check.")
        for spec in config.healthChecks {
            let labels = [("check", spec.name), ("type", spec.kind.typeName)]
            m.sample(p + "health_check_up", labels, health.checks[spec.name]?.up == true ? 1 : 0)
            if let ms = stats.checkLastMs[spec.name] {
                m.sample(p + "health_check_duration_seconds", labels, Double(ms) / 1000)
            }
            m.sample(p + "health_check_runs_total", labels, stats.checkRuns[spec.name] ?? 0)
            m.sample(
                p + "health_check_damping_penalty", labels,
                health.damping[spec.name]?.penalty(at: ospf_monotonic_ns()) ?? 0)
            m.sample(p + "health_check_damped", labels, health.held.contains(spec.name) ? 1 : 0)
            m.sample(p + "health_check_transitions_total", labels, stats.checkTransitions[spec.name] ?? 0)
        }

        m.family(
            p + "health_kernel_triggers_total", "counter",
            "Kernel notifications (link, qdisc, filter) and watched process exits that re-ran checks at once.")
        m.sample(p + "health_kernel_triggers_total", [], stats.kernelTriggers)
        m.family(p + "maintenance", "gauge", "1 while maintenance is on.")
        m.sample(p + "maintenance", [], state.maintenance ? 1 : 0)
        m.family(
            p + "maintenance_since_seconds", "gauge", "When maintenance was turned on, Unix time; absent when off.")
        if state.maintenance, let since = state.maintenanceSince {
            m.sample(p + "maintenance_since_seconds", [], Int(since))
        }
        m.family(p + "maintenance_changes_total", "counter", "Maintenance turned on or off.")
        m.sample(p + "maintenance_changes_total", [], stats.maintenanceChanges)
        m.family(p + "metrics_scrapes_total", "counter", "Scrapes of this endpoint.")
        m.sample(p + "metrics_scrapes_total", [], stats.metricsScrapes)
        bfdMetrics(&m, prefix: p)
        return m.text
    }

    /// BFD sessions (per neighbour) and counters; families are declared only when BFD is configured.
    func bfdMetrics(_ m: inout MetricsText, prefix p: String) {
        guard !bfdListeners.isEmpty else { return }
        m.family(p + "bfd_session_up", "gauge", "1 when the BFD session with the neighbour is Up.")
        m.family(p + "bfd_session_state", "gauge", "The BFD session state (RFC 5880 4.1); 1 for the current one.")
        m.family(
            p + "bfd_session_transmit_interval_seconds", "gauge",
            "The negotiated interval between our Control packets (before jitter).")
        m.family(
            p + "bfd_session_detection_time_seconds", "gauge",
            "How long the neighbour may stay silent before the session goes Down.")
        m.family(p + "bfd_session_remote_discriminator", "gauge", "The neighbour's discriminator (0 until heard).")
        m.family(p + "bfd_session_diagnostic", "gauge", "The local Diag code: why the session last went down.")
        m.family(p + "bfd_session_up_transitions_total", "counter", "Times the session came Up.")
        m.family(p + "bfd_session_down_transitions_total", "counter", "Times the session left Up.")
        for key in bfdPeers.keys.sorted() {
            let peer = bfdPeers[key]!
            let s = peer.session
            let l = [("interface", key.interface), ("peer", "\(key.address)"), ("neighbor", "\(peer.routerID)")]
            m.sample(p + "bfd_session_up", l, s.state == .up ? 1 : 0)
            m.sample(p + "bfd_session_state", l + [("state", s.state.description)], 1)
            if let tx = s.transmitIntervalUs {
                m.sample(p + "bfd_session_transmit_interval_seconds", l, Double(tx) / 1e6)
            }
            if let d = s.detectionTimeUs { m.sample(p + "bfd_session_detection_time_seconds", l, Double(d) / 1e6) }
            m.sample(p + "bfd_session_remote_discriminator", l, Int(s.remoteDiscriminator))
            m.sample(p + "bfd_session_diagnostic", l, Int(s.localDiagnostic.rawValue))
            m.sample(p + "bfd_session_up_transitions_total", l, s.upCount)
            m.sample(p + "bfd_session_down_transitions_total", l, s.downCount)
        }
        m.family(p + "bfd_packets_received_total", "counter", "BFD Control packets received (before validation).")
        m.sample(p + "bfd_packets_received_total", [], stats.bfdPacketsReceived)
        m.family(p + "bfd_packets_sent_total", "counter", "BFD Control packets sent.")
        m.sample(p + "bfd_packets_sent_total", [], stats.bfdPacketsSent)
        m.family(p + "bfd_send_errors_total", "counter", "BFD packets the kernel refused to send.")
        m.sample(p + "bfd_send_errors_total", [], stats.bfdSendErrors)
        m.family(
            p + "bfd_packets_rejected_total", "counter",
            "BFD packets dropped, by the RFC 5880/5881 rule that rejected them.")
        for reason in stats.bfdRejected.keys.sorted() {
            m.sample(p + "bfd_packets_rejected_total", [("reason", reason)], stats.bfdRejected[reason]!)
        }
        m.family(p + "bfd_neighbor_kills_total", "counter", "OSPF adjacencies torn down because BFD went Down.")
        m.sample(p + "bfd_neighbor_kills_total", [], stats.bfdNeighborKills)
    }

    /// The metric of an advertisement as our LSDB holds it (what the routers see); nil when withdrawn.
    func wireCost(_ a: Advertisement) -> UInt32? {
        switch a.kind {
        case .external:
            let key = LSAKey(type: .asExternal, linkStateID: a.prefix.address, advertisingRouter: config.routerID)
            if let e = engine.database[key], !e.isMaxAge, case .external(let x) = e.lsa.body { return x.primary.metric }
            return nil
        case .stub:
            let key = LSAKey(type: .router, linkStateID: config.routerID, advertisingRouter: config.routerID)
            guard case .router(let r)? = engine.database[key]?.lsa.body else { return nil }
            let id = a.prefix.address
            let mask = a.prefix.mask
            for link in r.links where link.type == .stub && link.id == id && link.data == mask {
                return UInt32(link.metric)
            }
            return nil
        }
    }
}
