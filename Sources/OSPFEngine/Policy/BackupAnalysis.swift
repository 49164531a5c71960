import OSPFWire

/// Who else advertises what the speaker advertises, and whether degrading it really moves traffic
/// (RFC 2328 16.4: E1 beats E2 whatever the metrics; within a type the lower metric wins, equal
/// metrics share). Pure: it reads a database.
public enum BackupAnalysis {
    /// Another router's AS-external LSA for an advertised prefix.
    public struct Backup: Sendable, Equatable {
        /// The advertising router.
        public var router: IPv4Address
        /// 1 or 2.
        public var metricType: Int
        /// The advertised metric.
        public var metric: UInt32
        /// The forwarding address.
        public var forwardingAddress: IPv4Address
    }

    /// Why degrading an advertisement would not move traffic to a backup.
    public enum Warning: Sendable, Equatable, CustomStringConvertible {
        /// No other router advertises the prefix (withdrawing blackholes it).
        case noBackup(Prefix, withdraws: Bool)
        /// The degraded cost equals the best backup's: ECMP, not failover.
        case tie(Prefix, degradedCost: UInt32, Backup)
        /// The degraded cost is below the best backup's: no failover.
        case undercut(Prefix, degradedCost: UInt32, Backup)
        /// We advertise E1 and the backup E2: E1 is always preferred.
        case typeOneOverTypeTwo(Prefix, Backup)

        /// For logs, `status` and `maintenance on`.
        public var description: String {
            switch self {
            case .noBackup(let p, let withdraws):
                "\(p): no other router advertises it; degrading will not move traffic"
                    + (withdraws ? " (withdrawing blackholes it)" : "")
            case .tie(let p, let c, let b):
                "\(p): degraded cost \(c) ties with \(b.router) (E\(b.metricType) \(b.metric)): ECMP, not failover"
            case .undercut(let p, let c, let b):
                "\(p): degraded cost \(c) undercuts \(b.router) (E\(b.metricType) \(b.metric)): no failover"
            case .typeOneOverTypeTwo(let p, let b):
                "\(p): we advertise E1 and the backup \(b.router) E2; E1 is always preferred: no failover"
            }
        }
    }

    /// Other routers' live AS-external LSAs for the prefix of `a`, best first (type, metric,
    /// router). Only keys whose Link State ID lies in the prefix are decoded (E.1).
    public static func backups(
        for a: Advertisement, in db: LinkStateDatabase, excluding routerID: IPv4Address
    ) -> [Backup] {
        guard case .external = a.kind else { return [] }
        var out: [Backup] = []
        for key in db.keys
        where key.type == .asExternal && key.advertisingRouter != routerID
            && a.prefix.contains(key.linkStateID)
        {
            guard let e = db[key], !e.isMaxAge, case .external(let x) = e.lsa.body, x.networkMask == a.prefix.mask,
                x.primary.metric < Architectural.lsInfinity
            else { continue }
            out.append(
                Backup(
                    router: key.advertisingRouter, metricType: x.metricType, metric: x.primary.metric,
                    forwardingAddress: x.primary.forwardingAddress))
        }
        return out.sorted { ($0.metricType, $0.metric, $0.router) < ($1.metricType, $1.metric, $1.router) }
    }

    /// Whether degrading `a` fails to move traffic, given its backups (best first).
    public static func warning(for a: Advertisement, backups: [Backup]) -> Warning? {
        guard case .external(let mt, _, _) = a.kind else { return nil }
        guard let best = backups.first else { return .noBackup(a.prefix, withdraws: a.onFailure == .withdraw) }
        guard a.onFailure == .raise else { return nil }
        if best.metricType == mt {
            if a.degradedCost == best.metric { return .tie(a.prefix, degradedCost: a.degradedCost, best) }
            if a.degradedCost < best.metric { return .undercut(a.prefix, degradedCost: a.degradedCost, best) }
        } else if best.metricType == 2 && mt == 1 {
            return .typeOneOverTypeTwo(a.prefix, best)
        }
        return nil
    }
}
