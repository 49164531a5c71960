/// Rise/fall hysteresis for one check (ExaBGP healthcheck semantics): `fall`
/// consecutive failures take an up check down; `rise` consecutive passes take a
/// down check up. A check starts down (startup hold-down) and must pass `rise`
/// times before it counts as up.
public struct Hysteresis: Sendable, Hashable {
    /// Whether the check counts as up.
    public private(set) var up = false
    /// Consecutive passes (while down) or failures (while up) towards a change.
    public private(set) var streak = 0
    /// Passes needed to go up.
    public let rise: Int
    /// Failures needed to go down.
    public let fall: Int
    /// Runs seen.
    public private(set) var runs = 0

    /// A down check.
    public init(rise: Int, fall: Int) {
        self.rise = max(1, rise)
        self.fall = max(1, fall)
    }

    /// Keeps a check that has just come up down (flap damping holds it back); the next pass
    /// tries again.
    public mutating func holdDown() {
        up = false
        streak = max(0, rise - 1)
    }

    /// Feeds one result; returns true when `up` changed.
    public mutating func record(_ passed: Bool) -> Bool {
        runs += 1
        if passed == up {
            streak = 0
            return false
        }
        streak += 1
        if streak >= (up ? fall : rise) {
            up.toggle()
            streak = 0
            return true
        }
        return false
    }
}

/// The speaker's overall health: up when every check is up.
public struct HealthState: Sendable {
    /// Per-check hysteresis, by name.
    public private(set) var checks: [String: Hysteresis]
    /// The latest result of each check.
    public private(set) var lastResult: [String: CheckResult] = [:]
    /// Check order as configured.
    public let order: [String]
    /// Per-check flap damping, by name.
    public private(set) var damping: [String: FlapDamping] = [:]
    /// Checks whose recovery damping is holding back right now.
    public var held: Set<String> { Set(damping.filter { $0.value.suppressed }.map(\.key)) }

    /// All checks down (startup hold-down); checks also in `previous` with the same
    /// rise/fall keep their state (a configuration reload does not re-enter hold-down).
    public init(specs: [CheckSpec], previous: HealthState? = nil, damping settings: FlapDamping.Settings = .init()) {
        var map: [String: Hysteresis] = [:]
        for spec in specs {
            damping[spec.name] =
                previous?.damping[spec.name].flatMap { $0.settings == settings ? $0 : nil } ?? FlapDamping(settings)
        }
        for spec in specs {
            if let old = previous?.checks[spec.name], old.rise == spec.rise, old.fall == spec.fall {
                map[spec.name] = old
            } else {
                map[spec.name] = Hysteresis(rise: spec.rise, fall: spec.fall)
            }
        }
        checks = map
        order = specs.map(\.name)
        if let previous { lastResult = previous.lastResult.filter { map[$0.key] != nil } }
    }

    /// Whether every check is up (true when there are no checks).
    public var healthy: Bool { checks.values.allSatisfy(\.up) }

    /// Records a result; returns true when the overall health changed.
    /// Keeps a result for display without counting it (a failure during a LibreQoS reload).
    public mutating func note(_ name: String, _ result: CheckResult) { lastResult[name] = result }

    /// `now` is a monotonic clock in nanoseconds (for flap damping).
    public mutating func record(_ name: String, _ result: CheckResult, at now: Int64 = 0) -> (
        checkChanged: Bool, healthChanged: Bool
    ) {
        let before = healthy
        lastResult[name] = result
        var changed = checks[name]?.record(result.passed) ?? false
        if changed, let up = checks[name]?.up {
            if !up {
                damping[name]?.failed(at: now)
            } else if damping[name]?.mayRecover(at: now) == false {
                checks[name]?.holdDown()
                changed = false
            }
        }
        return (changed, healthy != before)
    }
}
