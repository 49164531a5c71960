import ArgumentParser
import Glibc
import OSPFWire
import SpeakerDaemon
import SystemSupport

/// `ospf-speaker check [--json]`: the HA readiness checklist; exit 0 only when every item holds.
struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Is this box ready to be the primary path? Configuration, interfaces, adjacencies, health, backups, "
            + "timers and authentication, maintenance. Exits 1 when not ready; each item says why.")

    @OptionGroup var control: ControlOptions
    @Flag(help: "Print the checklist as JSON.") var json = false

    func run() throws {
        var items: [Readiness.Item] = []
        if let path = control.config {
            do {
                let c = try SpeakerConfiguration.load(path: path)
                items.append(.init("config", true, "\(path): valid (\(c.advertisements.count) advertisement(s))"))
            } catch {
                items.append(.init("config", false, "\(error.description)"))
            }
        }
        do {
            let reply = try control.request(.status)
            let status = try JSONValue.parse(reply)
            if let e = status["error"]?.stringValue {
                items.append(.init("daemon", false, e))
            } else {
                items.append(.init("daemon", true, "answering on \(try control.socketPath())"))
                items += Readiness.evaluate(status: status)
            }
        } catch {
            items.append(.init("daemon", false, "\(error)"))
        }
        let ready = items.allSatisfy(\.ok)
        if json {
            print(JSONValue.object([("ready", .bool(ready)), ("items", .array(items.map(\.json)))]).text)
        } else {
            for i in items { print("\(i.ok ? "ok  " : "FAIL") \(i.name): \(i.detail)") }
            print(ready ? "ready" : "NOT READY")
        }
        if !ready { throw ExitCode(1) }
    }
}

/// Set by SIGINT/SIGTERM while a drill runs; the drill then restores maintenance and stops.
nonisolated(unsafe) private var drillInterrupted: sig_atomic_t = 0

/// `ospf-speaker drill [--hold 30s] [--dry-run]`: the regular failover drill.
struct DrillCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "drill",
        abstract: "Failover drill: maintenance on, wait until every neighbour acknowledged the degraded LSAs, hold, "
            + "maintenance off, wait again; each step timed. Interrupted, it leaves maintenance as it found it.")

    @OptionGroup var control: ControlOptions
    @Option(help: "How long to stay failed over (e.g. 30s, 5m).") var hold = "30s"
    @Option(help: "How long to wait for the neighbours' acknowledgements at each step.") var timeout = "30s"
    @Flag(help: "Print the plan and the current readiness; change nothing.") var dryRun = false
    @Flag(help: "Run even when the readiness checklist fails (e.g. no backup visible).") var force = false

    func run() throws {
        guard let holdSeconds = MaintenanceCommand.seconds(hold) else {
            throw ValidationError("--hold \(hold): expected a duration like 30s, 5m")
        }
        guard let timeoutSeconds = MaintenanceCommand.seconds(timeout) else {
            throw ValidationError("--timeout \(timeout): expected a duration like 30s")
        }
        let before = try status()
        let items = Readiness.evaluate(status: before).filter { $0.name != "maintenance" }
        let failing = items.filter { !$0.ok }
        if before["maintenance"]?["on"]?.boolValue == true {
            throw RuntimeFailure(
                "maintenance is already on (\(before["maintenance"]?["reason"]?.stringValue ?? "")); not drilling")
        }
        if dryRun {
            print("plan:")
            print("  1. maintenance on (reason \"drill\"): every advertisement at its degraded cost or withdrawn")
            print(
                "  2. wait (at most \(timeoutSeconds) s) until each is on the wire degraded and every Full neighbour acknowledged it"
            )
            print("  3. hold \(holdSeconds) s")
            print("  4. maintenance off")
            print("  5. wait (at most \(timeoutSeconds) s) until the healthy costs are on the wire and acknowledged")
            for i in items { print("\(i.ok ? "ok  " : "FAIL") \(i.name): \(i.detail)") }
            print(failing.isEmpty ? "readiness: ok" : "readiness: NOT READY (the drill would stop unless --force)")
            return
        }
        if !failing.isEmpty && !force {
            for i in failing { print("FAIL \(i.name): \(i.detail)") }
            throw RuntimeFailure("not ready; fix the above or run with --force")
        }
        signal(SIGINT) { _ in drillInterrupted = 1 }
        signal(SIGTERM) { _ in drillInterrupted = 1 }
        let t0 = monotonicSeconds()
        _ = try control.request(.maintenance(on: true, reason: "drill", forSeconds: nil, force: true))
        defer {
            // However the drill ends, maintenance goes back off (it was off when the drill began).
            if drillInterrupted != 0 || (try? status())?["maintenance"]?["on"]?.boolValue == true {
                _ = try? control.request(.maintenance(on: false, reason: "drill ended", forSeconds: nil, force: false))
            }
        }
        print(step("maintenance on", since: t0))
        let failedOver = try waitConverged(degraded: true, timeout: timeoutSeconds)
        print(step("degraded costs on the wire and acknowledged by every neighbour", since: t0, detail: failedOver))
        let holdStart = monotonicSeconds()
        while monotonicSeconds() - holdStart < Double(holdSeconds) {
            if drillInterrupted != 0 { throw RuntimeFailure("interrupted during the hold; maintenance turned off") }
            usleep(100_000)
        }
        print(step("held \(holdSeconds) s", since: t0))
        _ = try control.request(.maintenance(on: false, reason: "drill", forSeconds: nil, force: false))
        print(step("maintenance off", since: t0))
        let back = try waitConverged(degraded: false, timeout: timeoutSeconds)
        print(step("healthy costs on the wire and acknowledged by every neighbour", since: t0, detail: back))
        print("drill done: failover \(fixed(failedOver)) s, failback \(fixed(back)) s")
    }

    func status() throws -> JSONValue {
        let reply = try control.request(.status)
        do { return try JSONValue.parse(reply) } catch { throw RuntimeFailure("status reply: \(error)") }
    }

    /// Waits until every advertisement's wire cost is the degraded one (or withdrawn) — or the
    /// healthy one — and no Full neighbour has anything left to acknowledge.
    func waitConverged(degraded: Bool, timeout: Int) throws -> Double {
        let start = monotonicSeconds()
        while true {
            if drillInterrupted != 0 { throw RuntimeFailure("interrupted; maintenance turned off") }
            let s = try status()
            if pending(s, degraded: degraded).isEmpty { return monotonicSeconds() - start }
            if monotonicSeconds() - start > Double(timeout) {
                throw RuntimeFailure(
                    "not converged after \(timeout) s: \(pending(s, degraded: degraded).joined(separator: "; "))")
            }
            usleep(10_000)
        }
    }

    /// What is still missing: advertisements not yet at their target, neighbours with unacknowledged LSAs.
    func pending(_ s: JSONValue, degraded: Bool) -> [String] {
        var out: [String] = []
        for a in s["advertisements"]?.arrayValue ?? [] {
            let prefix = a["prefix"]?.stringValue ?? "?"
            let wire = a["wire_cost"]
            let target: JSONValue? =
                degraded
                ? (a["on_failure"]?.stringValue == "withdraw" ? .string("withdrawn") : a["degraded_cost"])
                : a["desired_cost"]
            if wire?.text != target?.text {
                out.append("\(prefix) on the wire \(wire?.text ?? "?"), want \(target?.text ?? "?")")
            }
        }
        for i in s["interfaces"]?.arrayValue ?? [] {
            for n in i["neighbors"]?.arrayValue ?? [] where n["state"]?.stringValue == "Full" {
                if let r = n["retransmissions"]?.intValue, r > 0 {
                    out.append("neighbour \(n["router_id"]?.stringValue ?? "?") has \(r) LSA(s) unacknowledged")
                }
            }
        }
        return out
    }

    func step(_ what: String, since t0: Double, detail: Double? = nil) -> String {
        let t = fixed(monotonicSeconds() - t0, width: 8) + " s"
        return "\(t)  \(what)" + (detail.map { " (\(fixed($0)) s)" } ?? "")
    }
}

func monotonicSeconds() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

/// `v` with `precision` decimals, right-aligned to `width`.
func fixed(_ v: Double, _ precision: Int = 3, width: Int = 0) -> String {
    var scale: Int64 = 1
    for _ in 0..<precision { scale *= 10 }
    let scaled = Int64((abs(v) * Double(scale)).rounded())
    let frac = String(scaled % scale)
    var text = (v < 0 ? "-" : "") + String(scaled / scale)
    if precision > 0 { text += "." + String(repeating: "0", count: precision - frac.count) + frac }
    return String(repeating: " ", count: max(0, width - text.count)) + text
}
