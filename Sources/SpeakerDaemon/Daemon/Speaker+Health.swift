import CSpeakerShims
import Foundation
import HealthChecks
import Logging
import OSPFEngine
import OSPFWire

/// Health policy: checks decide each advertisement's desired cost; maintenance wins.
extension Speaker {
    /// The cost an advertisement should have for the current health (nil: withdrawn).
    func healthCost(_ a: Advertisement, healthy: Bool) -> UInt32? {
        if healthy { return a.cost }
        return a.onFailure == .withdraw ? nil : a.degradedCost
    }

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
            if !health.healthy { warnAboutBackups() }
        }
    }

    // MARK: - Backup awareness

    /// Other routers' AS-external LSAs for each advertised external prefix.
    func backups(for a: Advertisement) -> [(router: IPv4Address, metricType: Int, metric: UInt32, fa: IPv4Address)] {
        guard case .external = a.kind else { return [] }
        var out: [(IPv4Address, Int, UInt32, IPv4Address)] = []
        // The Link State ID of a type-5 LSA is the destination's network (E.1, possibly with host
        // bits set to keep prefixes apart): match keys first, decode only the candidates.
        let db = engine.database
        for key in db.keys
        where key.type == 5 && key.advertisingRouter != config.routerID && a.prefix.contains(key.linkStateID) {
            guard let e = db[key], !e.isMaxAge, case .external(let x) = e.lsa.body, x.networkMask == a.prefix.mask,
                key.linkStateID.value & a.prefix.mask.value == a.prefix.address.value,
                x.primary.metric < 0xFF_FFFF
            else { continue }
            out.append((key.advertisingRouter, x.metricType, x.primary.metric, x.primary.forwardingAddress))
        }
        return out.sorted { ($0.1, $0.2, $0.0) < ($1.1, $1.2, $1.0) }
    }

    /// Whether degrading `a` moves traffic: nil when fine, else the warning.
    func backupWarning(_ a: Advertisement) -> String? {
        guard case .external(let mt, _, _) = a.kind else { return nil }
        let list = backups(for: a)
        guard let best = list.first else {
            return "\(a.prefix): no other router advertises it; degrading will not move traffic"
                + (a.onFailure == .withdraw ? " (withdrawing blackholes it)" : "")
        }
        guard a.onFailure == .raise else { return nil }
        if best.metricType == mt {
            if a.degradedCost == best.metric {
                return
                    "\(a.prefix): degraded cost \(a.degradedCost) ties with \(best.router) (E\(mt) \(best.metric)): ECMP, not failover"
            }
            if a.degradedCost < best.metric {
                return
                    "\(a.prefix): degraded cost \(a.degradedCost) undercuts \(best.router) (E\(mt) \(best.metric)): no failover"
            }
        } else if best.metricType == 2 && mt == 1 {
            return "\(a.prefix): we advertise E1 and the backup \(best.router) E2; E1 is always preferred: no failover"
        }
        return nil
    }

    func warnAboutBackups() {
        for a in config.advertisements {
            if let w = backupWarning(a) { logger.warning("backup: \(w)") }
        }
    }
}
