/// What one health check looks at.
public enum CheckKind: Sendable, Hashable {
    /// Run argv; exit status 0 passes. Killed with its process group on timeout.
    case command([String])
    /// The interface is operationally up (`/sys/class/net/NAME/operstate` is `up`, or `unknown` with carrier).
    case interface(String)
    /// A root qdisc of `kind` (and `handle`, if given) on the interface and, with
    /// `perTXQueue`, a child qdisc of that kind under each TX queue (`tc -j qdisc show`).
    case tcQdisc(interface: String, kind: String, handle: String?, perTXQueue: String?)
    /// A BPF classifier on the interface's `direction` (egress/ingress) hook whose name contains `name`
    /// (`tc -j filter show dev X egress`).
    case tcFilter(interface: String, direction: String, name: String?)
    /// An XDP program attached to the interface (`ip -j -d link show dev X`).
    case xdp(interface: String)
    /// A systemd unit is active (`systemctl is-active`).
    case systemd(unit: String)
    /// An HTTP GET returns 2xx within the timeout (plain http, no TLS).
    case http(url: String)
    /// A file exists (or, with `absent`, does not).
    case file(path: String, mustExist: Bool)
    /// A process with this command name runs (`/proc/PID/comm`); the daemon also watches it with a
    /// pidfd, so its exit re-runs the check at once.
    case process(name: String)
    /// A Unix stream socket accepts a connection (e.g. lqosd's bus, `/run/lqos/bus`).
    case unixSocket(path: String)
    /// The LibreQoS built-in: reads lqos.conf and checks interfaces, XDP, the TC classifier,
    /// the mq/htb tree (shape mode) and lqosd (when systemd runs).
    case libreqos(lqosConf: String)

    /// The interfaces whose kernel state this check reads (link, XDP, qdiscs, filters): a netlink
    /// notification about one of them re-runs the check at once. Empty for checks that read no
    /// kernel state (command, systemd, http, file); the LibreQoS built-in reads lqos.conf.
    public var kernelInterfaces: [String] {
        switch self {
        case .interface(let i), .tcQdisc(let i, _, _, _), .tcFilter(let i, _, _), .xdp(let i): [i]
        case .libreqos(let path): (try? LibreQoSCheck.setup(lqosConf: path).interfaces) ?? []
        case .command, .systemd, .http, .file, .process, .unixSocket: []
        }
    }

    /// The process whose exit re-runs this check at once (pidfd), if any.
    public var watchedProcess: String? {
        switch self {
        case .process(let name): name
        default: nil
        }
    }

    /// Whether the check reads LibreQoS's queue tree (which a LibreQoS reload deletes and rebuilds).
    public var readsQueueTree: Bool {
        switch self {
        case .tcQdisc, .libreqos: true
        default: false
        }
    }

    /// The `type` name used in the configuration.
    public var typeName: String {
        switch self {
        case .command: "command"
        case .interface: "interface"
        case .tcQdisc: "tc-qdisc"
        case .tcFilter: "tc-filter"
        case .xdp: "xdp"
        case .systemd: "systemd"
        case .http: "http"
        case .file: "file"
        case .libreqos: "libreqos"
        case .process: "process"
        case .unixSocket: "unix-socket"
        }
    }
}

/// One configured check with its schedule and hysteresis.
public struct CheckSpec: Sendable, Hashable {
    /// Name (unique), used in logs and status.
    public var name: String
    /// What it checks.
    public var kind: CheckKind
    /// Milliseconds between runs.
    public var intervalMs: Int
    /// Milliseconds a run may take before it counts as a failure.
    public var timeoutMs: Int
    /// Consecutive passes to recover.
    public var rise: Int
    /// Consecutive failures to degrade.
    public var fall: Int

    /// Creates a check.
    public init(
        name: String, kind: CheckKind, intervalMs: Int = 1000, timeoutMs: Int = 500, rise: Int = 3, fall: Int = 2
    ) {
        self.name = name
        self.kind = kind
        self.intervalMs = intervalMs
        self.timeoutMs = timeoutMs
        self.rise = rise
        self.fall = fall
    }
}

/// The outcome of one run of a check.
public struct CheckResult: Sendable, Hashable {
    /// One part of a compound check (the LibreQoS built-in).
    public struct Part: Sendable, Hashable {
        /// Sub-check name, e.g. `xdp(eth1)`.
        public var name: String
        /// Whether it passed.
        public var passed: Bool
        /// What was seen.
        public var detail: String
        /// Creates a part.
        public init(name: String, passed: Bool, detail: String) {
            self.name = name
            self.passed = passed
            self.detail = detail
        }
    }

    /// Whether the check passed.
    public var passed: Bool
    /// A short explanation (truncated command output, the failing sub-check...).
    public var detail: String
    /// Sub-results, for compound checks.
    public var parts: [Part]

    /// Creates a result.
    public init(passed: Bool, detail: String, parts: [Part] = []) {
        self.passed = passed
        self.detail = detail
        self.parts = parts
    }

    /// A result from parts: passes when all do; the detail names the failing ones.
    public static func combined(_ parts: [Part]) -> CheckResult {
        let failing = parts.filter { !$0.passed }
        if failing.isEmpty {
            return CheckResult(passed: true, detail: "\(parts.count) sub-checks pass", parts: parts)
        }
        let text = failing.map { "\($0.name): \($0.detail)" }.joined(separator: "; ")
        return CheckResult(passed: false, detail: text, parts: parts)
    }
}
