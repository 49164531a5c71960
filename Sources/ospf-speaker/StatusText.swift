import Glibc
import OSPFWire
import SystemSupport

/// Human-readable rendering of the control socket's JSON replies.
enum StatusText {
    /// A value as text: strings bare, numbers and booleans as JSON writes them, nothing as "".
    static func s(_ v: JSONValue?) -> String {
        guard let v, !v.isNull else { return "" }
        return v.stringValue ?? v.text
    }

    /// Whether a reply is `{"error": ...}`.
    static func isError(_ reply: String) -> Bool { (try? JSONValue.parse(reply))?["error"] != nil }

    static func render(_ reply: String) -> String {
        guard let root = try? JSONValue.parse(reply), root.objectValue != nil else { return reply }
        if let error = root["error"]?.stringValue { return "error: \(error)\n" }
        var out = ""
        let m = root["maintenance"]
        out += "router \(s(root["router_id"])) area \(s(root["area"]))"
        if m?["on"]?.boolValue == true {
            out += "  MAINTENANCE (\(s(m?["reason"])))"
            if let until = m?["until"]?.intValue { out += " until \(localTime(until)) (\(remaining(until)))" }
            out += "\n"
        } else {
            out += "\n"
        }
        if let h = root["health"], let checks = h["checks"]?.arrayValue, !checks.isEmpty {
            out += "health \(h["healthy"]?.boolValue == true ? "healthy" : "DEGRADED")\n"
            for c in checks {
                out += "  check \(s(c["name"])) (\(s(c["type"]))) \(c["up"]?.boolValue == true ? "up" : "down")"
                out += ": \(c["detail"]?.stringValue ?? "not run yet")\n"
                if c["damping"]?["held"]?.boolValue == true {
                    out += "    damped: flapped; held down about \(s(c["damping"]?["reuse_in_seconds"])) s more"
                    out += " (penalty \(s(c["damping"]?["penalty"])))\n"
                }
            }
        }
        for i in root["interfaces"]?.arrayValue ?? [] {
            out += "interface \(s(i["name"])) \(s(i["address"])) \(s(i["network"])) \(s(i["state"]))"
            out += " cost \(s(i["cost"])) dr \(s(i["dr"])) bdr \(s(i["bdr"])) auth \(s(i["auth"]))"
            if let b = i["bfd"], !b.isNull { out += " bfd \(s(b["interval_ms"])) ms x \(s(b["multiplier"]))" }
            out += "\n"
            for n in i["neighbors"]?.arrayValue ?? [] {
                out += "  neighbor \(s(n["router_id"])) \(s(n["address"])) \(s(n["state"])) pri \(s(n["priority"]))"
                if let b = n["bfd"], !b.isNull {
                    out += " bfd \(s(b["state"]))"
                    if s(b["state"]) == "Up" {
                        out += " (tx \(s(b["transmit_interval_ms"])) ms, detect \(s(b["detection_time_ms"])) ms)"
                    }
                    if s(b["local_diagnostic"]) != "No Diagnostic" { out += " last diag: \(s(b["local_diagnostic"]))" }
                }
                out += "\n"
            }
            if let rejected = i["rejected"]?.intValue, rejected > 0 {
                out += "  rejected \(rejected) packet(s)"
                if let r = i["last_rejection"], !r.isNull {
                    out += "; last from \(s(r["source"])) at \(localTime(r["at"]?.intValue ?? 0)): \(s(r["detail"]))"
                }
                out += "\n"
            }
        }
        for a in root["advertisements"]?.arrayValue ?? [] {
            out += "advertise \(s(a["prefix"])) \(s(a["type"])) desired \(s(a["desired_cost"]))"
            out += " on the wire \(s(a["wire_cost"])) (cost \(s(a["cost"])), degraded \(s(a["degraded_cost"])))"
            if s(a["desired_cost"]) != s(a["wire_cost"]) {
                out += " - the new cost waits for MinLSInterval (at most 5 s after the previous change)"
            }
            out += "\n"
        }
        for w in root["warnings"]?.arrayValue ?? [] { out += "WARNING: \(s(w))\n" }
        if let l = root["lsdb"] {
            let types = (l["by_type"]?.objectValue ?? []).map { "\($0.0) \(s($0.1))" }.sorted()
            out += "lsdb \(l["count"].map(s) ?? "0") LSAs: \(types.joined(separator: ", "))"
            if let limit = l["limit"], !limit.isNull { out += " (limit \(s(limit)))" }
            out += "\n"
            if let left = l["overflow_seconds_left"], !left.isNull {
                out += "LSDB OVERFLOW: adjacencies down, packets ignored for \(s(left)) s more (lsdb_limit)\n"
            }
            if l["full"]?.boolValue == true {
                out += "LSDB FULL: new LSAs refused (acknowledged, not installed) until there is room (lsdb_limit)\n"
            }
        }
        return out
    }

    /// A Unix time as local `YYYY-MM-DD HH:MM:SS`.
    static func localTime(_ seconds: Int64) -> String {
        var t = time_t(seconds)
        var parts = tm()
        localtime_r(&t, &parts)
        func d(_ v: Int32, _ w: Int) -> String {
            let t = String(v)
            return String(repeating: "0", count: max(0, w - t.count)) + t
        }
        return "\(d(parts.tm_year + 1900, 4))-\(d(parts.tm_mon + 1, 2))-\(d(parts.tm_mday, 2)) "
            + "\(d(parts.tm_hour, 2)):\(d(parts.tm_min, 2)):\(d(parts.tm_sec, 2))"
    }

    /// Time left until a Unix time: `1h 59m left`, `45s left`, or `overdue`.
    static func remaining(_ until: Int64) -> String {
        let left = until - Int64(time(nil))
        if left <= 0 { return "ending now" }
        let h = left / 3600
        let m = (left % 3600) / 60
        return h > 0 ? "\(h)h \(m)m left" : m > 0 ? "\(m)m \(left % 60)s left" : "\(left)s left"
    }

    /// LS type names as routers print them.
    static func typeName(_ v: JSONValue?) -> String {
        switch v?.intValue {
        case 1: "router"
        case 2: "network"
        case 3: "summary"
        case 4: "asbr-summary"
        case 5: "external"
        case 7: "nssa"
        default: s(v)
        }
    }

    static func renderDatabase(_ reply: String) -> String {
        guard let root = try? JSONValue.parse(reply), root.objectValue != nil else { return reply }
        if let error = root["error"]?.stringValue { return "error: \(error)\n" }
        var out = "type          link-state-id    adv-router       age   seq         checksum  details\n"
        for l in root["lsas"]?.arrayValue ?? [] {
            let seq = UInt32(truncatingIfNeeded: l["seq"]?.intValue ?? 0)
            var details = ""
            if let metric = l["metric"] { details += "metric \(s(metric)) " }
            if let mt = l["metric_type"] { details += "E\(s(mt)) " }
            if let fa = l["forwarding_address"] { details += "fa \(s(fa)) " }
            if let links = l["links"]?.arrayValue { details += "\(links.count) links" }
            func pad(_ t: String, _ n: Int) -> String { t + String(repeating: " ", count: max(1, n - t.count)) }
            let checksum = l["checksum"]?.intValue.map { "0x" + hex($0, width: 4).lowercased() } ?? s(l["checksum"])
            out += pad(typeName(l["ls_type"]), 14) + pad(s(l["ls_id"]), 17) + pad(s(l["adv_router"]), 17)
            out += pad(s(l["age"]), 6) + pad("0x" + hex(seq, width: 8).lowercased(), 12) + pad(checksum, 10)
            out += details.trimmed + "\n"
        }
        return out
    }
}
