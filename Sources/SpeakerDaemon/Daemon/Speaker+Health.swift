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
        monitor = m
        logger.notice(
            "health: startup hold-down until every check passes rise times",
            metadata: ["checks": "\(config.healthChecks.map { "\($0.name) (\($0.kind.typeName))" })"])
        applyHealth()
        m.start()
    }

    func handleHealthReports() {
        guard let m = monitor else { return }
        for report in m.drain() {
            let wasHealthy = health.healthy
            let before = advertisedCosts()
            let (checkChanged, healthChanged) = health.record(report.name, report.result)
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
