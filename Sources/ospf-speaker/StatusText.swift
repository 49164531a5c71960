import Foundation

/// Human-readable rendering of the control socket's JSON replies.
enum StatusText {
    static func render(_ reply: String) -> String {
        guard let data = reply.data(using: .utf8),
            let root = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
        else { return reply }
        if let error = root["error"] as? String { return "error: \(error)\n" }
        var out = ""
        let m = root["maintenance"] as? [String: Any] ?? [:]
        out += "router \(root["router_id"] ?? "?") area \(root["area"] ?? "?")"
        out += (m["on"] as? Bool == true) ? "  MAINTENANCE (\(m["reason"] as? String ?? ""))\n" : "\n"
        if let h = root["health"] as? [String: Any], let checks = h["checks"] as? [[String: Any]], !checks.isEmpty {
            out += "health \((h["healthy"] as? Bool ?? false) ? "healthy" : "DEGRADED")\n"
            for c in checks {
                out += "  check \(c["name"] ?? "") (\(c["type"] ?? "")) \((c["up"] as? Bool ?? false) ? "up" : "down")"
                out += ": \(c["detail"] as? String ?? "not run yet")\n"
            }
        }
        for i in root["interfaces"] as? [[String: Any]] ?? [] {
            out += "interface \(i["name"] ?? "") \(i["address"] ?? "") \(i["network"] ?? "") \(i["state"] ?? "")"
            out += " cost \(i["cost"] ?? "") dr \(i["dr"] ?? "") bdr \(i["bdr"] ?? "") auth \(i["auth"] ?? "")\n"
            for n in i["neighbors"] as? [[String: Any]] ?? [] {
                out +=
                    "  neighbor \(n["router_id"] ?? "") \(n["address"] ?? "") \(n["state"] ?? "") pri \(n["priority"] ?? "")\n"
            }
        }
        for a in root["advertisements"] as? [[String: Any]] ?? [] {
            out += "advertise \(a["prefix"] ?? "") \(a["type"] ?? "") desired \(a["desired_cost"] ?? "")"
            out +=
                " on the wire \(a["wire_cost"] ?? "") (cost \(a["cost"] ?? ""), degraded \(a["degraded_cost"] ?? ""))\n"
        }
        for w in root["warnings"] as? [String] ?? [] { out += "WARNING: \(w)\n" }
        if let l = root["lsdb"] as? [String: Any] {
            let types = (l["by_type"] as? [String: Any] ?? [:]).map { "\($0.key) \($0.value)" }.sorted()
            out += "lsdb \(l["count"] ?? 0) LSAs: \(types.joined(separator: ", "))\n"
        }
        return out
    }

    static func renderDatabase(_ reply: String) -> String {
        guard let data = reply.data(using: .utf8),
            let root = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
        else { return reply }
        var out = "type  link-state-id    adv-router       age  seq         checksum  details\n"
        for l in root["lsas"] as? [[String: Any]] ?? [] {
            let seq = String((l["seq"] as? Int) ?? 0, radix: 16)
            var details = ""
            if let metric = l["metric"] { details += "metric \(metric) " }
            if let mt = l["metric_type"] { details += "E\(mt) " }
            if let fa = l["forwarding_address"] { details += "fa \(fa) " }
            if let links = l["links"] as? [Any] { details += "\(links.count) links" }
            func pad(_ s: Any?, _ n: Int) -> String {
                let t = "\(s ?? "")"
                return t + String(repeating: " ", count: max(1, n - t.count))
            }
            out += pad(l["ls_type"], 6) + pad(l["ls_id"], 17) + pad(l["adv_router"], 17) + pad(l["age"], 5)
            out += pad("0x" + seq, 12) + pad(l["checksum"], 10) + details + "\n"
        }
        return out
    }
}
