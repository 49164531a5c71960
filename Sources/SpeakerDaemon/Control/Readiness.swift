import OSPFWire

/// The HA readiness checklist (LibreQoS's, made executable): what must hold before this box is
/// trusted as the primary path. Evaluated from the daemon's status document, so the CLI and
/// tests see the same verdict.
public enum Readiness {
    /// One line of the checklist.
    public struct Item: Equatable, Sendable {
        /// Short name (`interfaces`, `neighbors`, `health`, `backups`, `timers-auth`, `maintenance`...).
        public var name: String
        /// Whether it holds.
        public var ok: Bool
        /// Why, in words an operator acts on.
        public var detail: String
        /// Creates an item.
        public init(_ name: String, _ ok: Bool, _ detail: String) {
            self.name = name
            self.ok = ok
            self.detail = detail
        }
        /// `{"name","ok","detail"}`.
        public var json: JSONValue {
            .object([("name", .string(name)), ("ok", .bool(ok)), ("detail", .string(detail))])
        }
    }

    /// The checklist for a status document (`ospf-speaker status --json`).
    public static func evaluate(status: JSONValue) -> [Item] {
        var items: [Item] = []
        let interfaces = status["interfaces"]?.arrayValue ?? []

        // Interfaces up.
        let down = interfaces.filter { $0["state"]?.stringValue == "Down" }.compactMap { $0["name"]?.stringValue }
        items.append(
            Item(
                "interfaces", !interfaces.isEmpty && down.isEmpty,
                interfaces.isEmpty
                    ? "no OSPF interface"
                    : down.isEmpty ? "\(interfaces.count) up" : "down: \(down.joined(separator: ", "))"))

        // Every interface has an adjacency, every neighbour Full (2-Way is normal between DROthers).
        var problems: [String] = []
        var full = 0
        for i in interfaces {
            let name = i["name"]?.stringValue ?? "?"
            let neighbors = i["neighbors"]?.arrayValue ?? []
            let interfaceState = i["state"]?.stringValue ?? ""
            if neighbors.isEmpty {
                var why = "\(name): no neighbour seen"
                if let r = i["last_rejection"], !r.isNull {
                    why +=
                        " (last packet rejected: \(r["detail"]?.stringValue ?? "?") from \(r["source"]?.stringValue ?? "?"))"
                }
                problems.append(why)
            }
            for n in neighbors {
                let state = n["state"]?.stringValue ?? "?"
                let id = n["router_id"]?.stringValue ?? "?"
                if state == "Full" {
                    full += 1
                } else if state == "2-Way" && interfaceState == "DROther" {
                    continue
                } else {
                    var why = "\(name): neighbour \(id) is \(state)"
                    if state == "ExStart" || state == "Exchange" {
                        why += " (stuck here usually means an MTU mismatch)"
                    }
                    problems.append(why)
                }
            }
        }
        items.append(
            Item(
                "neighbors", problems.isEmpty && full > 0,
                problems.isEmpty ? "\(full) Full" : problems.joined(separator: "; ")))

        // Health.
        let health = status["health"]
        let failing = (health?["checks"]?.arrayValue ?? []).filter { $0["up"]?.boolValue != true }.map {
            "\($0["name"]?.stringValue ?? "?"): \($0["detail"]?.stringValue ?? "not run yet")"
        }
        let checks = health?["checks"]?.arrayValue?.count ?? 0
        items.append(
            Item(
                "health", health?["healthy"]?.boolValue == true,
                health?["healthy"]?.boolValue == true
                    ? (checks == 0 ? "no health checks configured (always healthy)" : "\(checks) check(s) up")
                    : "degraded: " + failing.joined(separator: "; ")))

        // Backups: degrading must move traffic.
        var backupProblems: [String] = []
        var backupNotes: [String] = []
        for a in status["advertisements"]?.arrayValue ?? [] {
            let prefix = a["prefix"]?.stringValue ?? "?"
            if a["type"]?.stringValue == "stub" {
                backupNotes.append("\(prefix): stub, not checked")
                continue
            }
            if let w = a["backup_warning"]?.stringValue {
                backupProblems.append(w)
            } else {
                let best = a["backups"]?.arrayValue?.first
                backupNotes.append(
                    "\(prefix): backup \(best?["router"]?.stringValue ?? "?") metric \(best?["metric"].map { $0.text } ?? "?")"
                )
            }
        }
        items.append(
            Item(
                "backups", backupProblems.isEmpty,
                backupProblems.isEmpty
                    ? (backupNotes.isEmpty ? "nothing advertised" : backupNotes.joined(separator: "; "))
                    : backupProblems.joined(separator: "; ")))

        // Timers and authentication agree with the neighbours: nothing rejected for them.
        let counters = status["counters"]
        var mismatches: [String] = []
        for (key, what) in [
            ("rejected_hello_interval_mismatch", "HelloInterval mismatch (RFC 2328 10.5)"),
            ("rejected_dead_interval_mismatch", "RouterDeadInterval mismatch (RFC 2328 10.5)"),
            ("rejected_authentication", "authentication failure (RFC 2328 D)"),
            ("rejected_network_mask_mismatch", "network mask mismatch (RFC 2328 10.5)"),
            ("rejected_area_mismatch", "area mismatch (RFC 2328 8.2)"),
            ("rejected_mtu_mismatch", "MTU mismatch (RFC 2328 10.6)"),
        ] {
            if let n = counters?[key]?.intValue, n > 0 { mismatches.append("\(n) packet(s) dropped for \(what)") }
        }
        items.append(
            Item(
                "timers-auth", mismatches.isEmpty,
                mismatches.isEmpty
                    ? "no packet rejected for timers, authentication, mask, area or MTU"
                    : mismatches.joined(separator: "; ") + " since start (see `status` for the last one)"))

        // Maintenance off, not shutting down.
        let m = status["maintenance"]
        let inMaintenance = m?["on"]?.boolValue == true
        items.append(
            Item(
                "maintenance", !inMaintenance,
                inMaintenance ? "on (\(m?["reason"]?.stringValue ?? "")): advertisements are degraded" : "off"))
        if status["shutting_down"]?.boolValue == true { items.append(Item("running", false, "shutting down")) }
        return items
    }
}
