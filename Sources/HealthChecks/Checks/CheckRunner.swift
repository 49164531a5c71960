import CSpeakerShims
import Glibc
import OSPFWire
import SystemSupport

/// Runs one check to completion (blocking; the monitor calls it off the event loop).
/// Which mechanism each type uses: `interface` and `file` read sysfs/stat directly;
/// `tc-qdisc`, `tc-filter` and `xdp` parse the JSON of `tc -j` / `ip -j -d` (iproute2
/// speaks the netlink dumps and prints them stably); `systemd` runs `systemctl is-active`;
/// `command` runs the argv in its own process group; `http` speaks HTTP/1.0 over a socket.
public enum CheckRunner {
    /// Runs `kind` with a deadline.
    public static func run(_ kind: CheckKind, timeoutMs: Int) -> CheckResult {
        switch kind {
        case .command(let argv):
            let r = command(argv, timeoutMs: timeoutMs)
            if r.timedOut { return CheckResult(passed: false, detail: "timed out after \(timeoutMs) ms; \(r.output)") }
            return CheckResult(
                passed: r.exitCode == 0, detail: "exit \(r.exitCode)\(r.output.isEmpty ? "" : ": \(r.output)")")
        case .interface(let name):
            return interfaceUp(name)
        case .tcQdisc(let name, let kind, let handle, let perTXQueue):
            return tcQdisc(name, kind: kind, handle: handle, perTXQueue: perTXQueue, timeoutMs: timeoutMs)
        case .tcFilter(let name, let direction, let filterName):
            return tcFilter(name, direction: direction, name: filterName, timeoutMs: timeoutMs)
        case .xdp(let name):
            return xdp(name, timeoutMs: timeoutMs)
        case .systemd(let unit):
            let r = command(["systemctl", "is-active", unit], timeoutMs: timeoutMs)
            return CheckResult(
                passed: r.exitCode == 0 && !r.timedOut,
                detail: "\(unit): \(r.output.isEmpty ? "exit \(r.exitCode)" : r.output)")
        case .http(let url):
            return HTTPProbe.get(url, timeoutMs: timeoutMs)
        case .file(let path, let mustExist):
            let exists = access(path, F_OK) == 0
            return CheckResult(
                passed: exists == mustExist, detail: "\(path) \(exists ? "exists" : "is absent")")
        case .libreqos(let conf):
            return LibreQoSCheck.run(lqosConf: conf, timeoutMs: timeoutMs)
        case .process(let name):
            let pid = ospf_find_process(name)
            return CheckResult(
                passed: pid > 0, detail: pid > 0 ? "\(name) runs (pid \(pid))" : "no process named \(name)")
        case .unixSocket(let path):
            let fd = ospf_unix_connect(path)
            if fd >= 0 {
                close(fd)
                return CheckResult(passed: true, detail: "\(path) accepts connections")
            }
            return CheckResult(passed: false, detail: "\(path): \(String(cString: strerror(-fd)))")
        }
    }

    /// Output of a finished command.
    public struct CommandOutput: Sendable {
        /// Exit status (128+signal when killed, -1 when it could not start or timed out).
        public var exitCode: Int32
        /// Whether the deadline passed (the process group was killed).
        public var timedOut: Bool
        /// Captured stdout+stderr, trimmed and truncated to 400 characters.
        public var output: String
    }

    /// Runs argv in its own process group with a deadline; returns the raw result and output.
    static func spawn(_ argv: [String], environment: [String]? = nil, timeoutMs: Int, capacity: Int)
        -> (ospf_run_result, [UInt8])
    {
        var cStrings = argv.map { strdup($0) }
        cStrings.append(nil)
        var cEnv = (environment ?? []).map { strdup($0) }
        cEnv.append(nil)
        defer {
            for p in cStrings { free(p) }
            for p in cEnv { free(p) }
        }
        var buffer = [CChar](repeating: 0, count: capacity)
        let r = cStrings.withUnsafeMutableBufferPointer { argvPtr in
            cEnv.withUnsafeMutableBufferPointer { envPtr in
                buffer.withUnsafeMutableBufferPointer { out in
                    ospf_run_command_env(
                        argvPtr.baseAddress, environment == nil ? nil : envPtr.baseAddress, Int32(timeoutMs),
                        out.baseAddress, out.count)
                }
            }
        }
        return (r, buffer.prefix(Int(r.output_len)).map { UInt8(bitPattern: $0) })
    }

    /// Runs argv in its own process group with a deadline.
    /// `environment` (`KEY=VALUE` entries) replaces the daemon's own when given.
    public static func command(_ argv: [String], environment: [String]? = nil, timeoutMs: Int) -> CommandOutput {
        guard !argv.isEmpty else { return CommandOutput(exitCode: -1, timedOut: false, output: "empty command") }
        let (r, bytes) = spawn(argv, environment: environment, timeoutMs: timeoutMs, capacity: 16384)
        let raw = String(decoding: bytes, as: UTF8.self)
        return CommandOutput(exitCode: r.exit_code, timedOut: r.timed_out != 0, output: truncate(raw))
    }

    /// The full output of a command (for JSON parsing), or nil with the reason.
    static func json(_ argv: [String], timeoutMs: Int) -> (JSONValue?, String) {
        guard !argv.isEmpty else { return (nil, "empty command") }
        let (r, bytes) = spawn(argv, timeoutMs: timeoutMs, capacity: 1 << 20)
        let text = argv.joined(separator: " ")
        if r.timed_out != 0 { return (nil, "\(text) timed out") }
        guard r.exit_code == 0 else {
            return (nil, "\(text): exit \(r.exit_code): \(truncate(String(decoding: bytes, as: UTF8.self)))")
        }
        do {
            return (try JSONValue.parse(String(decoding: bytes, as: UTF8.self)), "")
        } catch {
            return (nil, "\(text): output is not JSON (\(error))")
        }
    }

    static func truncate(_ s: String) -> String {
        let t = s.trimmed.replacingCharacter("\n", with: " | ")
        return t.count > 400 ? String(t.prefix(400)) + "..." : t
    }

    static func readSys(_ path: String) -> String? {
        guard let s = try? readTextFile(path) else { return nil }
        return s.trimmed
    }

    /// `operstate` up, or `unknown` with carrier (bridges without ports, some virtual devices).
    public static func interfaceUp(_ name: String) -> CheckResult {
        guard let state = readSys("/sys/class/net/\(name)/operstate") else {
            return CheckResult(passed: false, detail: "\(name): no such interface")
        }
        let carrier = readSys("/sys/class/net/\(name)/carrier") == "1"
        let up = state == "up" || (state == "unknown" && carrier)
        return CheckResult(passed: up, detail: "\(name): operstate \(state)\(carrier ? ", carrier" : ", no carrier")")
    }

    /// Number of TX queues of an interface (sysfs).
    static func txQueues(_ name: String) -> Int {
        let items = directoryEntries("/sys/class/net/\(name)/queues") ?? []
        return items.filter { $0.hasPrefix("tx-") }.count
    }

    static func tcQdisc(_ name: String, kind: String, handle: String?, perTXQueue: String?, timeoutMs: Int)
        -> CheckResult
    {
        let (value, why) = json(["tc", "-j", "qdisc", "show", "dev", name], timeoutMs: timeoutMs)
        guard let list = value?.arrayValue else { return CheckResult(passed: false, detail: why) }
        guard let root = list.first(where: { $0["root"]?.boolValue == true }) else {
            return CheckResult(passed: false, detail: "\(name): no root qdisc")
        }
        let rootKind = root["kind"]?.stringValue ?? "?"
        let rootHandle = root["handle"]?.stringValue ?? "?"
        guard rootKind == kind, handle == nil || rootHandle == handle else {
            return CheckResult(
                passed: false,
                detail:
                    "\(name): root qdisc is \(rootKind) \(rootHandle), expected \(kind)\(handle.map { " \($0)" } ?? "")"
            )
        }
        guard let child = perTXQueue else {
            return CheckResult(passed: true, detail: "\(name): root \(rootKind) \(rootHandle)")
        }
        let queues = txQueues(name)
        var missing: [String] = []
        for q in 1...max(1, queues) {
            let parent = "\(rootHandle)\(String(q, radix: 16))"
            if !list.contains(where: { $0["parent"]?.stringValue == parent && $0["kind"]?.stringValue == child }) {
                missing.append(parent)
            }
        }
        if missing.isEmpty {
            return CheckResult(
                passed: true, detail: "\(name): root \(rootKind) \(rootHandle) with \(child) on \(queues) TX queue(s)")
        }
        return CheckResult(passed: false, detail: "\(name): no \(child) under \(missing.joined(separator: ", "))")
    }

    static func tcFilter(_ name: String, direction: String, name filterName: String?, timeoutMs: Int) -> CheckResult {
        let (value, why) = json(["tc", "-j", "filter", "show", "dev", name, direction], timeoutMs: timeoutMs)
        guard let list = value?.arrayValue else { return CheckResult(passed: false, detail: why) }
        let bpf = list.filter { $0["kind"]?.stringValue == "bpf" && $0["options"] != nil }
        let names = bpf.compactMap { $0["options"]?["bpf_name"]?.stringValue }
        let match = filterName.map { n in names.contains { $0.contains(n) } } ?? !bpf.isEmpty
        return CheckResult(
            passed: match,
            detail:
                "\(name) \(direction): \(names.isEmpty ? "no BPF classifier" : "bpf \(names.joined(separator: ", "))")")
    }

    static func xdp(_ name: String, timeoutMs: Int) -> CheckResult {
        let (value, why) = json(["ip", "-j", "-d", "link", "show", "dev", name], timeoutMs: timeoutMs)
        guard let list = value?.arrayValue, let link = list.first else {
            return CheckResult(passed: false, detail: why)
        }
        guard let x = link["xdp"], x.objectValue != nil else {
            return CheckResult(passed: false, detail: "\(name): no XDP program attached")
        }
        let prog =
            x["prog"]?["name"]?.stringValue ?? x["attached"]?.arrayValue?.first?["prog"]?["name"]?.stringValue ?? "?"
        let mode = x["mode"].map { $0.stringValue ?? $0.text } ?? "?"
        return CheckResult(passed: true, detail: "\(name): XDP \(prog) (mode \(mode))")
    }
}
