/// The one place that decides what an advertisement is worth on the wire. Failing health and
/// maintenance both *degrade* an advertisement; degraded means its `degraded_cost`, or withdrawal
/// with `on_failure = "withdraw"`. The daemon asks it for the health-desired cost, the engine for
/// the cost in maintenance; nothing else decides a metric.
public enum CostPolicy {
    /// The metric to advertise for `a`, or nil when it is withdrawn.
    public static func cost(_ a: Advertisement, degraded: Bool) -> UInt32? {
        guard degraded else { return a.cost }
        return a.onFailure == .withdraw ? nil : a.degradedCost
    }

    /// The metric to advertise given health and maintenance (maintenance wins over health).
    public static func cost(_ a: Advertisement, healthy: Bool, maintenance: Bool) -> UInt32? {
        cost(a, degraded: maintenance || !healthy)
    }
}
