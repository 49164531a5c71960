/// Runs an engine for a host: the daemon, replay and the simulator all drive the engine through
/// this one type. It applies the timer actions (timers keyed by their value, ``TimerID``) and
/// hands every action back in order for the host to carry out the rest; it orders due timers by
/// instant, then by ``TimerID`` order, so runs are reproducible. Pure: the host passes the time.
public struct EngineDriver: Sendable {
    /// The engine.
    public private(set) var engine: Engine
    /// Armed timers and when they fire.
    public private(set) var timers: [TimerID: Instant] = [:]
    /// The same timers in a min-heap by (instant, timer); entries whose timer was re-armed or
    /// cancelled since are skipped when they reach the top. O(log n) per timer.
    private var heap = MinHeap<Armed>()

    /// A timer in the heap.
    struct Armed: Sendable, Comparable {
        var at: Instant
        var timer: TimerID
        static func < (a: Armed, b: Armed) -> Bool { (a.at, a.timer) < (b.at, b.timer) }
    }

    /// Drives `engine`.
    public init(_ engine: Engine) { self.engine = engine }

    /// Feeds one event at `now`. Arm and cancel actions are applied to ``timers``; all actions
    /// are returned, in order (a host ignores the timer ones or traces them).
    public mutating func handle(_ event: Event, now: Instant) -> [Action] {
        track(engine.handle(event, now: now))
    }

    /// Feeds one event at `now` up to its urgent packets (``Engine/step(_:now:)``): the host
    /// carries the actions out, then calls ``resume(now:)`` while ``hasPendingWork``.
    public mutating func step(_ event: Event, now: Instant) -> [Action] {
        track(engine.step(event, now: now))
    }

    /// Whether the engine has work left from the last step.
    public var hasPendingWork: Bool { engine.hasPendingWork }

    /// Finishes the engine's pending work (``Engine/resume(now:)``).
    public mutating func resume(now: Instant) -> [Action] {
        track(engine.resume(now: now))
    }

    /// Applies the timer actions and hands every action back.
    private mutating func track(_ actions: [Action]) -> [Action] {
        for action in actions {
            switch action {
            case .armTimer(let t, let at):
                if timers.updateValue(at, forKey: t) != at { heap.push(Armed(at: at, timer: t)) }
            case .cancelTimer(let t): timers[t] = nil
            default: break
            }
        }
        dropStale()
        return actions
    }

    /// The next timer to fire: the earliest, ties broken by ``TimerID`` order.
    public var nextTimer: (timer: TimerID, at: Instant)? { heap.first.map { ($0.timer, $0.at) } }

    /// Disarms and returns the next timer if it is due at `now`; the host then feeds
    /// `.timerFired` with it.
    public mutating func takeDueTimer(at now: Instant) -> TimerID? {
        guard let next = nextTimer, next.at <= now else { return nil }
        _ = disarm(next.timer)
        return next.timer
    }

    /// Disarms an armed timer (a replay firing what a recording fired); false when not armed.
    public mutating func disarm(_ timer: TimerID) -> Bool {
        defer { dropStale() }
        return timers.removeValue(forKey: timer) != nil
    }

    /// The armed timer whose description is `name` (recordings log timers by description).
    public func armedTimer(named name: String) -> TimerID? { timers.keys.first { $0.description == name } }

    /// Pops entries whose timer is no longer armed for that instant, so the top is live.
    private mutating func dropStale() {
        while let top = heap.first, timers[top.timer] != top.at { heap.pop() }
        // Re-arming in place leaves stale entries below the top; rebuild when they dominate.
        if heap.count > 64 && heap.count > 4 * timers.count {
            heap.removeAll()
            for (t, at) in timers { heap.push(Armed(at: at, timer: t)) }
        }
    }
}
