import HealthChecks
import OSPFEngine
import OSPFWire
import SystemSupport
import TOML

#if canImport(Glibc)
    import Glibc
#endif

/// The speaker's configuration file (TOML), validated. Every problem is
/// reported with file, line and key; unknown keys are errors, never ignored.
public struct SpeakerConfiguration: Sendable {
    /// One `[[interface]]` as written (the address may come from the system).
    public struct InterfaceEntry: Sendable, Hashable {
        /// Engine settings (address 0.0.0.0/0 until resolved).
        public var engine: InterfaceConfiguration
        /// Whether `address` was given in the file.
        public var addressGiven: Bool
        /// Whether `mtu` was given in the file.
        public var mtuGiven: Bool
        /// BFD with the neighbours on this interface (`bfd = true`), nil when off.
        public var bfd: BFDSettings? = nil
    }

    /// `bfd_interval_ms` and `bfd_multiplier` of an interface with `bfd = true`.
    public struct BFDSettings: Sendable, Hashable {
        /// Desired Min TX and Required Min RX, milliseconds (default 300, as FRR's).
        public var intervalMs: Int = 300
        /// Detect Mult (default 3).
        public var multiplier: Int = 3
    }

    /// Router ID.
    public var routerID: IPv4Address
    /// Area ID.
    public var area: IPv4Address
    /// Interfaces.
    public var interfaces: [InterfaceEntry]
    /// Advertisements.
    public var advertisements: [Advertisement]
    /// RFC 6987 max-metric.
    public var maxMetric: Bool
    /// `lsdb_limit`: the most LSAs the database holds (ours included) before an overflow.
    public var lsdbLimit = 500_000
    /// `lsdb_overflow`: what a new LSA beyond the limit does (`refuse`, the default, or `isolate`).
    public var lsdbOverflowPolicy: LSDBOverflowPolicy = .refuse
    /// `lsdb_overflow_hold_s`: how long an `isolate` overflow lasts.
    public var lsdbOverflowHoldSeconds = 60
    /// Control socket path.
    public var controlSocket: String
    /// State file path (maintenance survives restarts).
    public var stateFile: String
    /// Where Prometheus scrapes `/metrics` (`[control] metrics_listen`); nil: no metrics endpoint.
    public var metricsListen: ListenAddress?
    /// `[control] maintenance_file`: while this file exists, the speaker is in maintenance.
    public var maintenanceFile: String?
    /// `[[hook]]`: commands run on state changes.
    public var hooks: [HookSpec] = []
    /// `[health] events`: re-run kernel-state checks at once on rtnetlink notifications.
    public var healthEvents = true
    /// `[health] confirm_ms`: spacing of the runs confirming a failure found after a notification.
    public var healthConfirmMs = 10
    /// `[health] damping*`: flap damping of every check.
    public var healthDamping = FlapDamping.Settings()
    /// `[health] libreqos_lock`: the lock LibreQoS holds while it rebuilds its queues.
    public var libreqosLock = "/run/lqos/libreqos.lock"
    /// `[health] libreqos_reload_grace_ms`: how long a queue check failing during a reload is not counted.
    public var libreqosReloadGraceMs = 30_000
    /// Problems that do not stop the configuration from being used (a key file others can read).
    public var warnings: [ConfigError] = []

    /// What this machine says about the configured interfaces: ones that do not exist (fine when
    /// the file is checked for another box) and ones that are down.
    public func interfaceWarnings(sysfs: String = "/sys/class/net") -> [String] {
        interfaces.compactMap { i in
            let name = i.engine.name
            guard fileExists("\(sysfs)/\(name)") else {
                return "interface \(name) does not exist on this machine (fine if this file is for another box)"
            }
            let state = ((try? readTextFile("\(sysfs)/\(name)/operstate")) ?? "").trimmed
            if state == "down" || state == "lowerlayerdown" {
                return "interface \(name) is down (operstate \(state)); OSPF starts on it when it comes up"
            }
            return nil
        }
    }
    /// The `[replay]` table of a scenario, when parsing one.
    public var replay: ReplaySettings?
    /// Health checks (`[health]` and `[[health.check]]`); empty: always healthy.
    public var healthChecks: [CheckSpec] = []

    /// An IPv4 address and TCP port (`127.0.0.1:9469`).
    public struct ListenAddress: Sendable, Equatable, CustomStringConvertible {
        /// The address.
        public var address: IPv4Address
        /// The port.
        public var port: UInt16
        /// Parses `A.B.C.D:PORT`.
        public init?(_ text: String) {
            let parts = text.split(separator: ":", omittingEmptySubsequences: false)
            guard parts.count == 2, let a = IPv4Address(String(parts[0])), let p = UInt16(parts[1]), p > 0 else {
                return nil
            }
            address = a
            port = p
        }
        /// `A.B.C.D:PORT`.
        public var description: String { "\(address):\(port)" }
    }

    /// Default control socket.
    public static let defaultSocket = "/run/ospf-speaker/control.sock"
    /// Default state file.
    public static let defaultStateFile = "/var/lib/ospf-speaker/state.json"

    /// Reads and validates a file.
    public static func load(path: String, allowReplay: Bool = false) throws(ConfigErrors) -> SpeakerConfiguration {
        let text: String
        do { text = try readTextFile(path) } catch {
            throw ConfigErrors(errors: [
                ConfigError(file: path, line: 0, key: "-", message: "cannot read: \(error.reason)")
            ])
        }
        return try parse(text, file: path, allowReplay: allowReplay)
    }

    /// Parses and validates TOML text.
    public static func parse(_ text: String, file: String, allowReplay: Bool = false) throws(ConfigErrors)
        -> SpeakerConfiguration
    {
        if let bad = forbiddenControlByte(text) {
            let name = bad.byte == 0 ? "NUL" : "control character"
            throw ConfigErrors(errors: [
                ConfigError(
                    file: file, line: bad.line, key: "-",
                    message:
                        "byte 0x\(hex(bad.byte)) (\(name)) at column \(bad.column): not allowed in TOML "
                        + "text; nothing after it would be read")
            ])
        }
        let root: TOMLTable
        do { root = try TOMLTable(string: text) } catch {
            throw ConfigErrors(errors: [
                ConfigError(
                    file: file, line: error.line, key: "-",
                    message: "TOML syntax: column \(error.column): \(error.message)")
            ])
        }
        var p = Parser(file: file, lines: SourceLines(text))
        let config = p.configuration(root, allowReplay: allowReplay)
        if !p.errors.isEmpty || config == nil { throw ConfigErrors(errors: p.errors) }
        var c = config!
        c.warnings = p.warnings
        return c
    }

    /// The engine configuration once interface addresses and MTUs are known.
    public func engineConfiguration(seed: UInt64, cryptoSequenceStart: UInt32) -> EngineConfiguration {
        var e = EngineConfiguration(
            routerID: routerID, areaID: area, interfaces: interfaces.map(\.engine), advertisements: advertisements,
            maxMetric: maxMetric, seed: seed, cryptoSequenceStart: cryptoSequenceStart)
        e.lsdbLimit = lsdbLimit
        e.lsdbOverflowHoldSeconds = lsdbOverflowHoldSeconds
        e.lsdbOverflowPolicy = lsdbOverflowPolicy
        return e
    }
}

/// Reads a whole file as UTF-8 text.
func readFile(_ path: String) -> String? { try? readTextFile(path) }

/// The first byte a TOML file may not contain: a control character other than tab, line feed and
/// carriage return (TOML 1.0 forbids them; a NUL would also end the text early for the parser,
/// silently dropping what follows). Line and column are 1-based.
func forbiddenControlByte(_ text: String) -> (line: Int, column: Int, byte: UInt8)? {
    var line = 1
    var column = 1
    for b in text.utf8 {
        if b == 0x0A {
            line += 1
            column = 1
            continue
        }
        if (b < 0x20 && b != 0x09 && b != 0x0D) || b == 0x7F { return (line, column, b) }
        column += 1
    }
    return nil
}

/// Validating walk over the TOML tree.
private struct Parser {
    let file: String
    let lines: SourceLines
    var errors: [ConfigError] = []
    var warnings: [ConfigError] = []
    var healthEvents = true
    var healthConfirmMs = 10
    var healthDamping = FlapDamping.Settings()
    var libreqosLock = "/run/lqos/libreqos.lock"
    var libreqosReloadGraceMs = 30_000

    /// A problem that does not stop the configuration from being used (printed by check-config,
    /// logged by run).
    mutating func warn(_ table: String, _ index: Int, _ key: String, _ message: String) {
        let before = errors.count
        fail(table, index, key, message)
        if errors.count > before { warnings.append(errors.removeLast()) }
    }

    mutating func fail(_ table: String, _ index: Int, _ key: String?, _ message: String) {
        let name: String
        if table.isEmpty {
            name = key ?? "-"
        } else {
            let base =
                ["interface", "advertise", "replay.event", "health.check", "hook"].contains(table)
                ? "\(table)[\(index)]" : table
            name = key.map { "\(base).\($0)" } ?? base
        }
        errors.append(
            ConfigError(file: file, line: lines.line(table: table, index: index, key: key), key: name, message: message)
        )
    }

    mutating func unknownKeys(_ t: TOMLTable, allowed: Set<String>, table: String, index: Int = 0) {
        for key in t.keys.sorted() where !allowed.contains(key) {
            fail(table, index, key, "unknown key (allowed: \(allowed.sorted().joined(separator: ", ")))")
        }
    }

    mutating func string(_ t: TOMLTable, _ key: String, table: String, index: Int = 0) -> String? {
        guard let v = t[key] else { return nil }
        guard let s = v.string else {
            fail(table, index, key, "must be a string")
            return nil
        }
        return s
    }

    mutating func int(_ t: TOMLTable, _ key: String, table: String, index: Int = 0, range: ClosedRange<Int>) -> Int? {
        guard let v = t[key] else { return nil }
        guard let i = v.int else {
            fail(table, index, key, "must be an integer")
            return nil
        }
        guard range.contains(i) else {
            fail(table, index, key, "\(i) is out of range \(range.lowerBound)...\(range.upperBound)")
            return nil
        }
        return i
    }

    mutating func bool(_ t: TOMLTable, _ key: String, table: String, index: Int = 0) -> Bool? {
        guard let v = t[key] else { return nil }
        guard let b = v.bool else {
            fail(table, index, key, "must be true or false")
            return nil
        }
        return b
    }

    mutating func address(_ t: TOMLTable, _ key: String, table: String, index: Int = 0) -> IPv4Address? {
        guard let s = string(t, key, table: table, index: index) else { return nil }
        guard let a = IPv4Address(s) else {
            fail(table, index, key, "\"\(s)\" is not a dotted-quad IPv4 address")
            return nil
        }
        return a
    }

    mutating func configuration(_ root: TOMLTable, allowReplay: Bool) -> SpeakerConfiguration? {
        var rootKeys: Set<String> = [
            "router_id", "area", "interface", "advertise", "control", "max_metric", "health", "hook", "lsdb_limit",
            "lsdb_overflow_hold_s", "lsdb_overflow",
        ]
        if allowReplay { rootKeys.insert("replay") }
        unknownKeys(root, allowed: rootKeys, table: "")
        let routerID = address(root, "router_id", table: "")
        if root["router_id"] == nil { fail("", 0, "router_id", "required (a stable, unique router ID)") }
        if routerID == .any { fail("", 0, "router_id", "0.0.0.0 is not a valid router ID") }
        var area = IPv4Address.any
        if let s = string(root, "area", table: "") {
            if let a = IPv4Address(s) {
                area = a
            } else if let n = UInt32(s) {
                area = IPv4Address(n)
            } else {
                fail("", 0, "area", "\"\(s)\" is neither a dotted quad nor a number")
            }
        } else if let n = root["area"]?.int, (0...Int(UInt32.max)).contains(n) {
            area = IPv4Address(UInt32(n))
        }
        let maxMetric = bool(root, "max_metric", table: "") ?? true
        let lsdbLimit = int(root, "lsdb_limit", table: "", range: 100...100_000_000) ?? 500_000
        let lsdbHold = int(root, "lsdb_overflow_hold_s", table: "", range: 1...86_400) ?? 60
        var lsdbPolicy = LSDBOverflowPolicy.refuse
        if let s = string(root, "lsdb_overflow", table: "") {
            if let p = LSDBOverflowPolicy(rawValue: s) {
                lsdbPolicy = p
            } else {
                fail(
                    "", 0, "lsdb_overflow",
                    "\"\(s)\" must be one of \(LSDBOverflowPolicy.allCases.map(\.rawValue).joined(separator: ", "))")
            }
        }

        var interfaces: [SpeakerConfiguration.InterfaceEntry] = []
        let interfaceTables = tables(root, "interface")
        if interfaceTables.isEmpty { fail("", 0, "interface", "at least one [[interface]] is required") }
        for (index, t) in interfaceTables.enumerated() {
            if let entry = interface(t, index: index) { interfaces.append(entry) }
        }
        let names = interfaces.map(\.engine.name)
        for (i, n) in names.enumerated() where names[..<i].contains(n) {
            fail("interface", i, "name", "interface \"\(n)\" is configured twice")
        }

        var advertisements: [Advertisement] = []
        for (index, t) in tables(root, "advertise").enumerated() {
            if let a = advertisement(t, index: index) { advertisements.append(a) }
        }
        let prefixes = advertisements.map(\.prefix)
        for (i, p) in prefixes.enumerated() where prefixes[..<i].contains(p) {
            fail("advertise", i, "prefix", "\(p) is advertised twice")
        }

        var socket = SpeakerConfiguration.defaultSocket
        var stateFile = SpeakerConfiguration.defaultStateFile
        var metricsListen: SpeakerConfiguration.ListenAddress?
        var maintenanceFile: String?
        if let v = root["control"] {
            if let c = v.table {
                unknownKeys(
                    c, allowed: ["socket", "state_file", "metrics_listen", "maintenance_file"], table: "control")
                maintenanceFile = string(c, "maintenance_file", table: "control")
                socket = string(c, "socket", table: "control") ?? socket
                stateFile = string(c, "state_file", table: "control") ?? stateFile
                if let text = string(c, "metrics_listen", table: "control") {
                    metricsListen = SpeakerConfiguration.ListenAddress(text)
                    if metricsListen == nil {
                        fail(
                            "control", 0, "metrics_listen",
                            "\"\(text)\" is not ADDRESS:PORT with a dotted-quad IPv4 address and a port from 1 to 65535 "
                                + "(e.g. \"127.0.0.1:9469\")")
                    }
                }
            } else {
                fail("", 0, "control", "must be a table")
            }
        }
        var replay: ReplaySettings?
        if allowReplay, let v = root["replay"] {
            replay = replaySettings(v.table, names: Set(names))
        }
        var checks: [CheckSpec] = []
        if let v = root["health"] {
            if let h = v.table {
                checks = health(h)
            } else {
                fail("", 0, "health", "must be a table")
            }
        }
        var hooks: [HookSpec] = []
        for (i, t) in tables(root, "hook").enumerated() {
            unknownKeys(t, allowed: ["command", "events", "timeout_ms"], table: "hook", index: i)
            var command: [String] = []
            if let v = t["command"] {
                if let a = v.array, a.count > 0, a.allSatisfy({ $0.string != nil }) {
                    command = a.compactMap(\.string)
                } else {
                    fail("hook", i, "command", "must be a non-empty array of strings (argv, no shell)")
                }
            } else {
                fail("hook", i, "command", "required (e.g. [\"/usr/local/bin/notify\", \"--channel\", \"noc\"])")
            }
            var events = Set(HookSpec.Event.allCases)
            if let v = t["events"] {
                let names = v.array?.compactMap(\.string) ?? []
                let parsed = names.compactMap(HookSpec.Event.init(rawValue:))
                if v.array == nil || names.count != v.array!.count || parsed.count != names.count || names.isEmpty {
                    fail("hook", i, "events", "must be a non-empty array of \"health\", \"maintenance\", \"neighbor\"")
                } else {
                    events = Set(parsed)
                }
            }
            let timeout = int(t, "timeout_ms", table: "hook", index: i, range: 100...600_000) ?? 5000
            if !command.isEmpty { hooks.append(HookSpec(command: command, events: events, timeoutMs: timeout)) }
        }
        guard let routerID else { return nil }
        var c = SpeakerConfiguration(
            routerID: routerID, area: area, interfaces: interfaces, advertisements: advertisements,
            maxMetric: maxMetric, controlSocket: socket, stateFile: stateFile, metricsListen: metricsListen,
            replay: replay, healthChecks: checks)
        c.hooks = hooks
        c.lsdbLimit = lsdbLimit
        c.lsdbOverflowHoldSeconds = lsdbHold
        c.lsdbOverflowPolicy = lsdbPolicy
        c.maintenanceFile = maintenanceFile
        c.healthEvents = healthEvents
        c.healthConfirmMs = healthConfirmMs
        c.healthDamping = healthDamping
        c.libreqosLock = libreqosLock
        c.libreqosReloadGraceMs = libreqosReloadGraceMs
        return c
    }

    mutating func tables(_ root: TOMLTable, _ key: String) -> [TOMLTable] {
        guard let v = root[key] else { return [] }
        guard let array = v.array else {
            fail("", 0, key, "must be an array of tables ([[\(key)]])")
            return []
        }
        var out: [TOMLTable] = []
        for (i, item) in array.enumerated() {
            guard let t = item.table else {
                fail(key, i, nil, "must be a table")
                continue
            }
            out.append(t)
        }
        return out
    }

    mutating func interface(_ t: TOMLTable, index: Int) -> SpeakerConfiguration.InterfaceEntry? {
        let tbl = "interface"
        unknownKeys(
            t,
            allowed: [
                "name", "network", "cost", "priority", "hello_interval", "dead_interval", "retransmit_interval",
                "transmit_delay", "auth", "auth_key_id", "auth_key", "auth_key_file", "address", "mtu", "mtu_ignore",
                "bfd", "bfd_interval_ms", "bfd_multiplier",
            ], table: tbl, index: index)
        guard let name = string(t, "name", table: tbl, index: index), !name.isEmpty else {
            fail(tbl, index, "name", "required (the Linux interface name, e.g. \"br0\")")
            return nil
        }
        var network = NetworkType.broadcast
        if let s = string(t, "network", table: tbl, index: index) {
            if let n = NetworkType(rawValue: s) {
                network = n
            } else {
                fail(tbl, index, "network", "\"\(s)\" must be \"broadcast\" or \"point-to-point\"")
            }
        }
        var engine = InterfaceConfiguration(name: name, address: .any, prefixLength: 0, network: network)
        engine.cost = UInt16(int(t, "cost", table: tbl, index: index, range: 1...65535) ?? 10)
        engine.priority = UInt8(int(t, "priority", table: tbl, index: index, range: 0...255) ?? 0)
        engine.helloInterval = UInt16(int(t, "hello_interval", table: tbl, index: index, range: 1...65535) ?? 10)
        engine.deadInterval = UInt32(int(t, "dead_interval", table: tbl, index: index, range: 1...65535) ?? 40)
        engine.retransmitInterval = UInt16(
            int(t, "retransmit_interval", table: tbl, index: index, range: 1...3600) ?? 5)
        engine.transmitDelay = UInt16(int(t, "transmit_delay", table: tbl, index: index, range: 1...3600) ?? 1)
        if engine.deadInterval <= UInt32(engine.helloInterval) {
            fail(tbl, index, "dead_interval", "must be larger than hello_interval (\(engine.helloInterval))")
        }
        engine.mtuIgnore = bool(t, "mtu_ignore", table: tbl, index: index) ?? false
        let mtu = int(t, "mtu", table: tbl, index: index, range: 576...65535)
        if let mtu { engine.mtu = UInt16(mtu) }
        var addressGiven = false
        if let s = string(t, "address", table: tbl, index: index) {
            if let p = Prefix(s), let a = IPv4Address(s.split(separator: "/")[0]) {
                engine.address = a
                engine.prefixLength = p.length
                addressGiven = true
            } else {
                fail(tbl, index, "address", "\"\(s)\" must be an address with a prefix length, e.g. \"10.1.0.3/24\"")
            }
        }
        let auth = string(t, "auth", table: tbl, index: index) ?? "none"
        if auth != "none" {
            guard let algorithm = AuthenticationKey.Algorithm(rawValue: auth) else {
                fail(
                    tbl, index, "auth",
                    "\"\(auth)\" must be none, simple, md5, hmac-sha-1, hmac-sha-256, hmac-sha-384 or hmac-sha-512")
                return nil
            }
            var secret: String?
            if let k = string(t, "auth_key", table: tbl, index: index) { secret = k }
            if let path = string(t, "auth_key_file", table: tbl, index: index) {
                if secret != nil { fail(tbl, index, "auth_key_file", "give auth_key or auth_key_file, not both") }
                do {
                    secret = try readTextFile(path).trimming("\n\r")
                    if let mode = fileMode(path), mode & 0o004 != 0 {
                        warn(
                            tbl, index, "auth_key_file",
                            "\(path) is readable by every user (mode 0\(String(mode, radix: 8))); chmod 0640 or 0600")
                    }
                } catch {
                    fail(tbl, index, "auth_key_file", "cannot read \(error)")
                    return nil  // no second, misleading "auth_key: required"
                }
            }
            guard let secret, !secret.isEmpty else {
                fail(tbl, index, "auth_key", "required with auth = \"\(auth)\" (or auth_key_file)")
                return nil
            }
            let limit = algorithm == .simple ? 8 : (algorithm == .md5 ? 16 : 1024)
            if secret.utf8.count > limit {
                fail(tbl, index, "auth_key", "\(auth) keys are at most \(limit) bytes (RFC 2328 D.3)")
            }
            var keyID = 0
            if algorithm != .simple {
                guard let id = int(t, "auth_key_id", table: tbl, index: index, range: 0...255) else {
                    if t["auth_key_id"] == nil { fail(tbl, index, "auth_key_id", "required with auth = \"\(auth)\"") }
                    return nil
                }
                keyID = id
            }
            engine.authentication = AuthenticationKey(
                id: UInt8(keyID), secret: Array(secret.utf8), algorithm: algorithm)
        } else if t["auth_key"] != nil || t["auth_key_file"] != nil {
            fail(tbl, index, "auth", "a key is configured but auth is \"none\"")
        }
        var bfd: SpeakerConfiguration.BFDSettings?
        let interval = int(t, "bfd_interval_ms", table: tbl, index: index, range: 10...60000)
        let multiplier = int(t, "bfd_multiplier", table: tbl, index: index, range: 2...255)
        if bool(t, "bfd", table: tbl, index: index) == true {
            bfd = .init(intervalMs: interval ?? 300, multiplier: multiplier ?? 3)
        } else {
            if interval != nil { fail(tbl, index, "bfd_interval_ms", "set, but bfd is not true on this interface") }
            if multiplier != nil { fail(tbl, index, "bfd_multiplier", "set, but bfd is not true on this interface") }
        }
        return .init(engine: engine, addressGiven: addressGiven, mtuGiven: mtu != nil, bfd: bfd)
    }

    mutating func advertisement(_ t: TOMLTable, index: Int) -> Advertisement? {
        let tbl = "advertise"
        unknownKeys(
            t,
            allowed: [
                "prefix", "type", "metric_type", "forwarding_address", "tag", "cost", "degraded_cost", "on_failure",
            ], table: tbl, index: index)
        guard let s = string(t, "prefix", table: tbl, index: index) else {
            fail(tbl, index, "prefix", "required, e.g. \"100.64.0.0/24\"")
            return nil
        }
        guard let prefix = Prefix(s) else {
            fail(tbl, index, "prefix", "\"\(s)\" is not an IPv4 prefix (a.b.c.d/len)")
            return nil
        }
        if prefix.description != s {
            fail(tbl, index, "prefix", "\"\(s)\" has host bits set; did you mean \"\(prefix)\"?")
        }
        let type = string(t, "type", table: tbl, index: index) ?? "external"
        let cost = int(t, "cost", table: tbl, index: index, range: 0...0xFF_FFFE) ?? 1
        let degraded = int(t, "degraded_cost", table: tbl, index: index, range: 0...0xFF_FFFE) ?? 100
        var onFailure = Advertisement.OnFailure.raise
        if let f = string(t, "on_failure", table: tbl, index: index) {
            if let v = Advertisement.OnFailure(rawValue: f) {
                onFailure = v
            } else {
                fail(tbl, index, "on_failure", "\"\(f)\" must be \"raise\" or \"withdraw\"")
            }
        }
        if onFailure == .raise && degraded <= cost {
            fail(tbl, index, "degraded_cost", "\(degraded) must be larger than cost (\(cost)) to move traffic away")
        }
        let kind: Advertisement.Kind
        switch type {
        case "external":
            let metricType = int(t, "metric_type", table: tbl, index: index, range: 1...2) ?? 2
            let fa = address(t, "forwarding_address", table: tbl, index: index) ?? .any
            let tag = int(t, "tag", table: tbl, index: index, range: 0...Int(UInt32.max)) ?? 0
            kind = .external(metricType: metricType, forwardingAddress: fa, tag: UInt32(tag))
        case "stub":
            for key in ["metric_type", "forwarding_address", "tag"] where t[key] != nil {
                fail(tbl, index, key, "only applies to type = \"external\"")
            }
            if cost > 0xFFFF || degraded > 0xFFFF {
                fail(tbl, index, "cost", "stub link costs are 16-bit (at most 65535)")
            }
            kind = .stub
        default:
            fail(tbl, index, "type", "\"\(type)\" must be \"external\" or \"stub\"")
            return nil
        }
        return Advertisement(
            prefix: prefix, kind: kind, cost: UInt32(cost), degradedCost: UInt32(degraded), onFailure: onFailure)
    }

    mutating func health(_ h: TOMLTable) -> [CheckSpec] {
        unknownKeys(
            h,
            allowed: [
                "interval_ms", "timeout_ms", "rise", "fall", "check", "events", "confirm_ms", "damping",
                "damping_half_life_s", "damping_max_suppress_s", "libreqos_lock", "libreqos_reload_grace_ms",
            ], table: "health")
        healthDamping = FlapDamping.Settings(
            enabled: bool(h, "damping", table: "health") ?? true,
            halfLifeSeconds: int(h, "damping_half_life_s", table: "health", range: 1...86400) ?? 60,
            maxSuppressSeconds: int(h, "damping_max_suppress_s", table: "health", range: 1...86400) ?? 600)
        healthEvents = bool(h, "events", table: "health") ?? true
        libreqosLock = string(h, "libreqos_lock", table: "health") ?? libreqosLock
        libreqosReloadGraceMs = int(h, "libreqos_reload_grace_ms", table: "health", range: 0...600_000) ?? 30_000
        healthConfirmMs = int(h, "confirm_ms", table: "health", range: 1...10_000) ?? 10
        let interval = int(h, "interval_ms", table: "health", range: 10...3_600_000) ?? 1000
        let timeout = int(h, "timeout_ms", table: "health", range: 1...3_600_000) ?? 500
        let rise = int(h, "rise", table: "health", range: 1...1000) ?? 3
        let fall = int(h, "fall", table: "health", range: 1...1000) ?? 2
        var specs: [CheckSpec] = []
        let tbl = "health.check"
        for (i, c) in tables(h, "check").enumerated() {
            guard let name = string(c, "name", table: tbl, index: i), !name.isEmpty else {
                fail(tbl, i, "name", "required")
                continue
            }
            if specs.contains(where: { $0.name == name }) { fail(tbl, i, "name", "check \"\(name)\" is defined twice") }
            let type = string(c, "type", table: tbl, index: i) ?? ""
            var allowed: Set<String> = ["name", "type", "interval_ms", "timeout_ms", "rise", "fall"]
            var kind: CheckKind?
            func need(_ key: String) -> String? {
                allowed.insert(key)
                guard let v = string(c, key, table: tbl, index: i), !v.isEmpty else {
                    if c[key] == nil { fail(tbl, i, key, "required for type = \"\(type)\"") }
                    return nil
                }
                return v
            }
            func optional(_ key: String) -> String? {
                allowed.insert(key)
                return string(c, key, table: tbl, index: i)
            }
            switch type {
            case "command":
                allowed.insert("command")
                if let arr = c["command"]?.array {
                    let argv = arr.compactMap { $0.string }
                    if argv.count != arr.count || argv.isEmpty {
                        fail(tbl, i, "command", "must be a non-empty array of strings (argv)")
                    } else {
                        kind = .command(argv)
                    }
                } else {
                    fail(tbl, i, "command", "required: an argv array, e.g. [\"sh\", \"-c\", \"...\"]")
                }
            case "interface":
                if let n = need("interface") { kind = .interface(n) }
            case "tc-qdisc":
                let n = need("interface")
                let k = optional("kind") ?? "mq"
                let handle = optional("handle")
                let child = optional("per_tx_queue")
                if let n { kind = .tcQdisc(interface: n, kind: k, handle: handle, perTXQueue: child) }
            case "tc-filter":
                let n = need("interface")
                let d = optional("direction") ?? "egress"
                if d != "egress" && d != "ingress" { fail(tbl, i, "direction", "\"\(d)\" must be egress or ingress") }
                if let n { kind = .tcFilter(interface: n, direction: d, name: optional("filter_name")) }
            case "xdp":
                if let n = need("interface") { kind = .xdp(interface: n) }
            case "systemd":
                if let u = need("unit") { kind = .systemd(unit: u) }
            case "http":
                if let u = need("url") {
                    if u.hasPrefix("http://") {
                        kind = .http(url: u)
                    } else {
                        fail(tbl, i, "url", "only http:// URLs are supported")
                    }
                }
            case "file":
                let p = need("path")
                let expect = optional("expect") ?? "exists"
                if expect != "exists" && expect != "absent" {
                    fail(tbl, i, "expect", "\"\(expect)\" must be exists or absent")
                }
                if let p { kind = .file(path: p, mustExist: expect == "exists") }
            case "libreqos":
                kind = .libreqos(lqosConf: optional("lqos_conf") ?? "/etc/lqos.conf")
            case "process":
                if let p = need("process") {
                    if p.utf8.count > 15 || p.contains("/") {
                        fail(
                            tbl, i, "process",
                            "\"\(p)\" must be a command name as in /proc/PID/comm (at most 15 characters, no /)")
                    } else {
                        kind = .process(name: p)
                    }
                }
            case "unix-socket":
                if let p = need("path") { kind = .unixSocket(path: p) }
            default:
                fail(
                    tbl, i, "type",
                    "\"\(type)\" must be command, libreqos, interface, tc-qdisc, tc-filter, xdp, systemd, http, file, process or unix-socket"
                )
            }
            unknownKeys(c, allowed: allowed, table: tbl, index: i)
            guard let kind else { continue }
            specs.append(
                CheckSpec(
                    name: name, kind: kind,
                    intervalMs: int(c, "interval_ms", table: tbl, index: i, range: 10...3_600_000) ?? interval,
                    timeoutMs: int(c, "timeout_ms", table: tbl, index: i, range: 1...3_600_000) ?? timeout,
                    rise: int(c, "rise", table: tbl, index: i, range: 1...1000) ?? rise,
                    fall: int(c, "fall", table: tbl, index: i, range: 1...1000) ?? fall))
        }
        return specs
    }

    mutating func replaySettings(_ t: TOMLTable?, names: Set<String>) -> ReplaySettings? {
        guard let t else {
            fail("", 0, "replay", "must be a table")
            return nil
        }
        var settings = ReplaySettings()
        unknownKeys(t, allowed: ["seed", "crypto_sequence_start", "start_us", "event", "description"], table: "replay")
        settings.startUs = t["start_us"]?.int.map(Int64.init)
        settings.seed = UInt64(int(t, "seed", table: "replay", range: 0...Int.max) ?? 1)
        settings.cryptoSequenceStart = UInt32(
            int(t, "crypto_sequence_start", table: "replay", range: 0...Int(UInt32.max)) ?? 1)
        for (i, e) in tables(t, "event").enumerated() {
            unknownKeys(
                e, allowed: ["at", "action", "prefix", "cost", "interface", "neighbor"], table: "replay.event", index: i
            )
            let at: Double
            if let d = e["at"]?.double {
                at = d
            } else if let n = e["at"]?.int {
                at = Double(n)
            } else {
                fail("replay.event", i, "at", "required: seconds after the start of the capture")
                continue
            }
            guard let action = string(e, "action", table: "replay.event", index: i),
                let kind = ReplaySettings.Event.Kind(rawValue: action)
            else {
                fail(
                    "replay.event", i, "action",
                    "must be one of \(ReplaySettings.Event.Kind.allCases.map(\.rawValue).joined(separator: ", "))")
                continue
            }
            var event = ReplaySettings.Event(at: at, kind: kind)
            if let s = string(e, "prefix", table: "replay.event", index: i) { event.prefix = Prefix(s) }
            event.cost = int(e, "cost", table: "replay.event", index: i, range: 0...0xFF_FFFE).map(UInt32.init)
            event.interface = string(e, "interface", table: "replay.event", index: i)
            if let n = string(e, "neighbor", table: "replay.event", index: i) {
                if let a = IPv4Address(n) {
                    event.neighbor = a
                } else {
                    fail("replay.event", i, "neighbor", "\"\(n)\" is not an IPv4 router ID")
                }
            }
            settings.events.append(event)
        }
        return settings
    }
}

/// The `[replay]` table of a scenario: what the engine needs beyond the capture.
public struct ReplaySettings: Sendable, Hashable {
    /// A timed non-packet event.
    public struct Event: Sendable, Hashable {
        /// Kinds of events.
        public enum Kind: String, Sendable, Hashable, CaseIterable {
            /// Maintenance on (SIGUSR1).
            case maintenanceOn = "maintenance-on"
            /// Maintenance off (SIGUSR2).
            case maintenanceOff = "maintenance-off"
            /// Set an advertisement's cost (health), `cost` absent = withdraw.
            case setCost = "set-cost"
            /// Graceful shutdown (SIGTERM).
            case shutdown
            /// An interface went down.
            case interfaceDown = "interface-down"
            /// An interface came up.
            case interfaceUp = "interface-up"
            /// BFD declared a neighbour down (KillNbr): `interface` and `neighbor` (its router ID).
            case killNeighbor = "kill-neighbor"
        }
        /// Seconds after the capture's first frame.
        public var at: Double
        /// What happens.
        public var kind: Kind
        /// For `set-cost`.
        public var prefix: Prefix?
        /// For `set-cost`; nil withdraws.
        public var cost: UInt32?
        /// For interface events.
        public var interface: String?
        /// For `kill-neighbor`: the neighbour's router ID.
        public var neighbor: IPv4Address?
    }

    /// RNG seed of the recorded run.
    public var seed: UInt64 = 1
    /// First cryptographic sequence number of the recorded run.
    public var cryptoSequenceStart: UInt32 = 1
    /// Wall-clock microseconds of the recorded engine's clock zero; times in the scenario and
    /// timers.txt are relative to it. Absent: the capture's first frame.
    public var startUs: Int64?
    /// Timed events.
    public var events: [Event] = []
}
