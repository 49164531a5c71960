#if canImport(Glibc)
    import Glibc
#endif

/// Flap damping for one check, after RFC 2439's route-flap damping: every time the check goes
/// down it earns a penalty (1000); the penalty halves every `halfLifeSeconds`. Once it reaches the
/// suppress threshold (2000: a third failure within a few minutes), the check may not come back
/// up until the penalty has decayed below the reuse threshold (750), however well it passes
/// meanwhile: the degraded cost stays until the check is stable. The penalty is capped so that no
/// suppression outlasts `maxSuppressSeconds`. One failure alone is never damped.
public struct FlapDamping: Sendable, Hashable {
    /// The tunables (`[health] damping*` keys).
    public struct Settings: Sendable, Hashable {
        /// Whether damping applies at all.
        public var enabled: Bool
        /// Seconds for the penalty to halve.
        public var halfLifeSeconds: Int
        /// The longest a check can be held down after it passes again.
        public var maxSuppressSeconds: Int
        /// Penalty per failure, suppress and reuse thresholds (RFC 2439's usual values).
        public var penalty = 1000.0
        /// Penalty from which recovery is held back.
        public var suppress = 2000.0
        /// Penalty below which a held-back check may come up again.
        public var reuse = 750.0
        /// Creates settings.
        public init(enabled: Bool = true, halfLifeSeconds: Int = 60, maxSuppressSeconds: Int = 600) {
            self.enabled = enabled
            self.halfLifeSeconds = max(1, halfLifeSeconds)
            self.maxSuppressSeconds = max(1, maxSuppressSeconds)
        }
        /// The penalty no failure raises it beyond: decaying from it to `reuse` takes maxSuppress.
        var ceiling: Double { reuse * exp2(Double(maxSuppressSeconds) / Double(halfLifeSeconds)) }
    }

    /// The settings.
    public let settings: Settings
    /// The penalty at `updatedAt`.
    public private(set) var penalty = 0.0
    /// Whether recovery is being held back.
    public private(set) var suppressed = false
    /// Nanoseconds of the last update (a monotonic clock).
    private var updatedAt: Int64 = 0

    /// No penalty.
    public init(_ settings: Settings) { self.settings = settings }

    /// The penalty decayed to `now`.
    public func penalty(at now: Int64) -> Double {
        let seconds = Double(max(0, now - updatedAt)) / 1e9
        return penalty / exp2(seconds / Double(settings.halfLifeSeconds))
    }

    /// The check went down.
    public mutating func failed(at now: Int64) {
        guard settings.enabled else { return }
        penalty = min(settings.ceiling, penalty(at: now) + settings.penalty)
        updatedAt = now
        if penalty >= settings.suppress { suppressed = true }
    }

    /// Whether the check may come up now (it passed `rise` times); ends a suppression once the
    /// penalty is below the reuse threshold.
    public mutating func mayRecover(at now: Int64) -> Bool {
        guard settings.enabled, suppressed else { return true }
        penalty = penalty(at: now)
        updatedAt = now
        if penalty < settings.reuse { suppressed = false }
        return !suppressed
    }

    /// Seconds until a held-back check may come up (0 when it is not held back).
    public func secondsUntilReuse(at now: Int64) -> Double {
        let p = penalty(at: now)
        guard suppressed, p >= settings.reuse else { return 0 }
        return Double(settings.halfLifeSeconds) * log2(p / settings.reuse)
    }
}
