import CSpeakerShims
import Glibc
import HealthChecks
import Logging
import OSPFEngine
import OSPFWire

/// Health policy: checks decide each advertisement's desired cost; maintenance wins.
extension Speaker {
    /// The cost an advertisement should have for the current health (nil: withdrawn).
    func healthCost(_ a: Advertisement, healthy: Bool) -> UInt32? { CostPolicy.cost(a, degraded: !healthy) }

    /// Applies the current health to every advertisement (startup, changes, reloads).
    func applyHealth() {
        let healthy = health.healthy
        for a in config.advertisements {
            let cost = healthCost(a, healthy: healthy)
            recorder?.event(
                "action = \"set-cost\"\nprefix = \"\(a.prefix)\"\(cost.map { "\ncost = \($0)" } ?? "")")
            apply(.setAdvertisement(a.prefix, cost: cost))
        }
    }

    func startHealth() throws {
        guard !config.healthChecks.isEmpty else { return }
        let m = try HealthMonitor(specs: config.healthChecks)
        m.confirmMs = config.healthConfirmMs
        m.reloadLock = config.libreqosLock
        m.reloadGraceMs = config.libreqosReloadGraceMs
        monitor = m
        logger.notice(
            "health: startup hold-down until every check passes rise times",
            metadata: [
                "checks": "\(config.healthChecks.map { "\($0.name) (\($0.kind.typeName))" }.joined(separator: ", "))"
            ])
        applyHealth()
        m.start()
        startKernelEvents()
    }

    // MARK: - Process exits

    /// Watches every process a `process` check names with a pidfd (looked for every second while
    /// it does not run): its exit re-runs the checks at once instead of at their next interval.
    func watchProcesses() {
        let names = Set(config.healthChecks.compactMap { $0.kind.watchedProcess })
        for (name, w) in processWatches where !names.contains(name) {
            close(w.fd)
            processWatches[name] = nil
        }
        for name in names.sorted() where processWatches[name] == nil {
            let pid = ospf_find_process(name)
            guard pid > 0 else { continue }
            let fd = ospf_pidfd_open(pid)
            guard fd >= 0 else {
                logLimited(
                    "pidfd:\(name)", "health: cannot watch \(name) (pid \(pid)): \(String(cString: strerror(-fd)))")
                continue
            }
            processWatches[name] = (pid, fd)
            logger.info("health: watching \(name) (pid \(pid)) for its exit")
        }
    }

    /// A watched process exited: its checks run now (only those that are up: failing fast).
    func processExited(_ name: String) {
        guard let w = processWatches.removeValue(forKey: name) else { return }
        close(w.fd)
        let checks = Set(config.healthChecks.filter { $0.kind.watchedProcess == name }.map(\.name))
        let hurried = hurry(checks)
        logger.notice(
            "health: \(name) (pid \(w.pid)) exited; re-running checks now",
            metadata: ["checks": "\(hurried.sorted().joined(separator: ", "))"])
    }

    /// Re-runs at once those of `checks` that are up (failing fast is the point; recovery keeps
    /// `rise` at the normal interval), counted as one trigger; returns them.
    @discardableResult
    func hurry(_ checks: Set<String>) -> Set<String> {
        let hurried = checks.filter { health.checks[$0]?.up == true }
        guard !hurried.isEmpty, let m = monitor else { return hurried }
        stats.kernelTriggers += 1
        m.trigger(hurried)
        return hurried
    }

    // MARK: - Kernel notifications

    /// Subscribes to rtnetlink link and traffic-control notifications when a check reads kernel
    /// state (`[health] events`, default on): a deleted qdisc, a detached XDP program or a link
    /// going down re-runs the checks that read that interface at once.
    func startKernelEvents() {
        checksByInterface = [:]
        for spec in config.healthChecks {
            for i in spec.kind.kernelInterfaces { checksByInterface[i, default: []].insert(spec.name) }
        }
        guard config.healthEvents, !checksByInterface.isEmpty else {
            if netlinkFD >= 0 {
                close(netlinkFD)
                netlinkFD = -1
            }
            return
        }
        guard netlinkFD < 0 else { return }
        let fd = ospf_netlink_open()
        guard fd >= 0 else {
            logger.warning(
                "health: no rtnetlink notifications (\(String(cString: strerror(-fd)))); checks run at their intervals only"
            )
            return
        }
        netlinkFD = fd
        logger.info(
            "health: kernel notifications re-run checks at once",
            metadata: [
                "interfaces": "\(checksByInterface.keys.sorted().joined(separator: ", "))",
                "confirm_ms": "\(config.healthConfirmMs)",
            ])
    }

    /// Reads the notifications waiting and triggers the checks of the interfaces they name. Only
    /// checks that are up are hurried: failing fast is the point; recovery keeps `rise` at the
    /// normal interval.
    func handleKernelEvents() {
        var events = [ospf_netlink_event](repeating: ospf_netlink_event(), count: 256)
        var names: Set<String> = []
        var everything = false
        while true {
            let n = ospf_netlink_read(netlinkFD, &events, Int32(events.count))
            if n == -ENOBUFS {
                everything = true  // notifications were lost: anything may have changed
                continue
            }
            if n <= 0 { break }
            for e in events[0..<Int(n)] {
                var buf = [CChar](repeating: 0, count: Int(IF_NAMESIZE) + 1)
                if let p = if_indextoname(UInt32(e.ifindex), &buf) {
                    names.insert(String(cString: p))
                } else {
                    everything = true
                }
            }
            if n < Int32(events.count) { break }
        }
        var checks: Set<String> = []
        for (interface, specs) in checksByInterface where everything || names.contains(interface) {
            checks.formUnion(specs)
        }
        hurry(checks)
    }

    func handleHealthReports() {
        guard let m = monitor else { return }
        for report in m.drain() {
            if report.duringReload {
                health.note(report.name, report.result)
                stats.checkRuns[report.name, default: 0] += 1
                logLimited("reload:\(report.name)", "health check \(report.name): \(report.result.detail)")
                continue
            }
            let wasHealthy = health.healthy
            let before = advertisedCosts()
            let (checkChanged, healthChanged) = health.record(report.name, report.result, at: ospf_monotonic_ns())
            if report.result.passed, health.held.contains(report.name), health.checks[report.name]?.up == false {
                let wait = health.damping[report.name]?.secondsUntilReuse(at: ospf_monotonic_ns()) ?? 0
                logLimited(
                    "damped:\(report.name)",
                    "health check \(report.name) passes again but flapped: damping keeps it down about \(Int(wait.rounded(.up))) s more "
                        + "(penalty \(Int(health.damping[report.name]?.penalty(at: ospf_monotonic_ns()) ?? 0)))")
            }
            stats.checkRuns[report.name, default: 0] += 1
            stats.checkLastMs[report.name] = report.elapsedMs
            if checkChanged { stats.checkTransitions[report.name, default: 0] += 1 }
            if healthChanged { stats.healthTransitions += 1 }
            let up = health.checks[report.name]?.up ?? false
            if checkChanged {
                var meta: Logger.Metadata = [
                    "check": "\(report.name)", "state": "\(up ? "up" : "down")",
                    "output": "\(report.result.detail)", "took_ms": "\(report.elapsedMs)",
                ]
                if let failing = report.result.parts.first(where: { !$0.passed }) {
                    meta["sub_check"] = "\(failing.name)"
                }
                logger.notice("health check \(report.name) is \(up ? "up" : "down")", metadata: meta)
            } else if !report.result.passed {
                logger.debug("health check \(report.name) failed", metadata: ["output": "\(report.result.detail)"])
            }
            guard healthChanged else { continue }
            applyHealth()
            var meta: Logger.Metadata = [
                "old_state": "\(wasHealthy ? "healthy" : "degraded")",
                "new_state": "\(health.healthy ? "healthy" : "degraded")",
                "old_costs": "\(before)", "new_costs": "\(advertisedCosts())", "check": "\(report.name)",
                "output": "\(report.result.detail)",
            ]
            if let failing = report.result.parts.first(where: { !$0.passed }) { meta["sub_check"] = "\(failing.name)" }
            if state.maintenance { meta["note"] = "maintenance is on and wins until it is turned off" }
            logger.notice("health \(health.healthy ? "recovered" : "degraded")", metadata: meta)
            hooks?.fire(
                .health,
                [
                    ("ROUTER_ID", "\(config.routerID)"), ("OLD_STATE", wasHealthy ? "healthy" : "degraded"),
                    ("NEW_STATE", health.healthy ? "healthy" : "degraded"), ("CHECK", report.name),
                    ("REASON", report.result.detail), ("OLD_COSTS", before), ("NEW_COSTS", advertisedCosts()),
                ])
            if !health.healthy { warnAboutBackups() }
        }
    }

    // MARK: - Backup awareness

    /// Other routers' AS-external LSAs for an advertised prefix, best first.
    func backups(for a: Advertisement) -> [BackupAnalysis.Backup] {
        BackupAnalysis.backups(for: a, in: engine.database, excluding: config.routerID)
    }

    /// Whether degrading `a` moves traffic: nil when fine, else the warning.
    func backupWarning(_ a: Advertisement) -> String? {
        BackupAnalysis.warning(for: a, backups: backups(for: a))?.description
    }

    func warnAboutBackups() {
        for a in config.advertisements {
            if let w = backupWarning(a) { logger.warning("backup: \(w)") }
        }
    }
}
