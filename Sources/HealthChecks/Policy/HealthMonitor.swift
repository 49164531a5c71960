import CSpeakerShims
import Dispatch
import Glibc
import SystemSupport

/// Runs checks on their schedules on background threads, never blocking the
/// caller's event loop. Results are queued and a pipe becomes readable; the loop
/// calls ``drain()`` and feeds the results to its ``HealthState``.
public final class HealthMonitor: @unchecked Sendable {
    /// One finished run.
    public struct Report: Sendable {
        /// The check's name.
        public var name: String
        /// What it found.
        public var result: CheckResult
        /// How long it took, in milliseconds.
        public var elapsedMs: Int
        /// A failure during a LibreQoS queue reload, within the grace: shown, not counted.
        public var duringReload = false
    }

    /// LibreQoS's lock file, held (it contains the pid) while LibreQoS rebuilds its queues.
    public var reloadLock = "/run/lqos/libreqos.lock"
    /// How long a failing queue check is not counted while a live process holds the lock.
    public var reloadGraceMs = 30_000
    /// When the lock was first seen held by a live process (monotonic ns), nil when free.
    private var reloadSince: Int64?

    /// The pid holding LibreQoS's lock, when the file names a live process.
    public static func lockHolder(_ path: String) -> Int32? {
        guard let text = try? readTextFile(path), let pid = Int32(text.trimmed), pid > 0 else { return nil }
        return kill(pid, 0) == 0 || errno == EPERM ? pid : nil
    }

    /// The checks.
    public let specs: [CheckSpec]
    /// Readable when reports are waiting.
    public let wakeFD: Int32
    private let writeFD: Int32
    private let lock = Lock()
    private var pending: [Report] = []
    private var running: Set<String> = []
    /// Checks asked to run again once their current run ends (a kernel event arrived meanwhile).
    private var rerun: Set<String> = []
    /// Checks confirming a failure found after a kernel event: runs left at the confirm spacing.
    private var confirming: [String: Int] = [:]
    /// Spacing of the runs that confirm a failure found after a kernel event (`[health] confirm_ms`).
    public var confirmMs = 10
    private var stopped = false
    private let queue = DispatchQueue(label: "ospf-speaker.health", attributes: .concurrent)
    private var timers: [DispatchSourceTimer] = []

    /// Prepares the monitor; ``start()`` begins the schedules.
    public init(specs: [CheckSpec]) throws {
        self.specs = specs
        var fds: [Int32] = [0, 0]
        let rc = ospf_pipe(&fds)
        guard rc == 0 else { throw FileError(path: "health wake pipe", reason: systemError(-rc)) }
        wakeFD = fds[0]
        writeFD = fds[1]
    }

    /// Starts every check now and then at its interval. A run still going when
    /// the next is due is not doubled up.
    public func start() {
        for spec in specs {
            let t = DispatchSource.makeTimerSource(queue: queue)
            t.schedule(deadline: .now(), repeating: .milliseconds(max(10, spec.intervalMs)))
            t.setEventHandler { [weak self] in self?.fire(spec) }
            t.resume()
            timers.append(t)
        }
    }

    /// Stops the schedules.
    public func stop() {
        lock.lock()
        stopped = true
        lock.unlock()
        for t in timers { t.cancel() }
        timers = []
    }

    /// Runs these checks now (a kernel notification about an interface they read): off the
    /// schedule, without waiting for their interval. A failure is then confirmed by runs at
    /// `confirmMs` spacing until `fall` consecutive failures, instead of one per interval; a pass
    /// ends the confirmation. (Recovery is never sped up: rise keeps the normal interval.)
    public func trigger(_ names: Set<String>) {
        for spec in specs where names.contains(spec.name) {
            lock.lock()
            if stopped {
                lock.unlock()
                return
            }
            if confirming[spec.name] == nil { confirming[spec.name] = max(0, spec.fall - 1) }
            if running.contains(spec.name) {
                rerun.insert(spec.name)
                lock.unlock()
                continue
            }
            lock.unlock()
            queue.async { [weak self] in self?.fire(spec) }
        }
    }

    private func fire(_ spec: CheckSpec) {
        lock.lock()
        if stopped || running.contains(spec.name) {
            lock.unlock()
            return
        }
        running.insert(spec.name)
        lock.unlock()
        let start = ospf_monotonic_ns()
        var result = CheckRunner.run(spec.kind, timeoutMs: spec.timeoutMs)
        let elapsed = Int((ospf_monotonic_ns() - start) / 1_000_000)
        if elapsed > spec.timeoutMs && result.passed {
            result = CheckResult(
                passed: false, detail: "took \(elapsed) ms (timeout \(spec.timeoutMs) ms); \(result.detail)",
                parts: result.parts)
        }
        // A LibreQoS queue reload deletes the root mq and rebuilds the tree while it holds its
        // lock: a queue check failing then is not counted, for up to reloadGraceMs.
        var duringReload = false
        if spec.kind.readsQueueTree {
            let holder = Self.lockHolder(reloadLock)
            let now = ospf_monotonic_ns()
            lock.lock()
            if let holder {
                if reloadSince == nil { reloadSince = now }
                if !result.passed && now - reloadSince! < Int64(reloadGraceMs) * 1_000_000 {
                    duringReload = true
                    result = CheckResult(
                        passed: false,
                        detail:
                            "LibreQoS reload in progress (pid \(holder) holds \(reloadLock)); not counted for up to "
                            + "\(reloadGraceMs) ms: \(result.detail)", parts: result.parts)
                }
            } else {
                reloadSince = nil
            }
            lock.unlock()
        }
        lock.lock()
        running.remove(spec.name)
        pending.append(Report(name: spec.name, result: result, elapsedMs: elapsed, duringReload: duringReload))
        // After a kernel event: confirm a failure quickly; a pass (or enough failures) ends it.
        var again = rerun.remove(spec.name) != nil
        if let left = confirming[spec.name] {
            if result.passed || left == 0 {
                confirming[spec.name] = nil
            } else {
                confirming[spec.name] = left - 1
                again = true
            }
        }
        let spacing = confirmMs
        lock.unlock()
        if again {
            queue.asyncAfter(deadline: .now() + .milliseconds(spacing)) { [weak self] in self?.fire(spec) }
        }
        var one: UInt8 = 1
        _ = write(writeFD, &one, 1)
    }

    /// Takes every waiting report (and clears the wake pipe).
    public func drain() -> [Report] {
        var buf = [UInt8](repeating: 0, count: 256)
        while read(wakeFD, &buf, buf.count) > 0 {}
        lock.lock()
        defer { lock.unlock() }
        let out = pending
        pending = []
        return out
    }
}
