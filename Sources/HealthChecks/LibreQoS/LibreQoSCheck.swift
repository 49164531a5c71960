import Glibc
import SystemSupport
import TOML

/// The LibreQoS built-in: what "shaping is working" means on a LibreQoS box.
///
/// From lqos.conf: `[bridge]` `to_internet`/`to_network` (or `[single_interface]`
/// `interface` when `enabled`), and `[queues]` `queue_mode` (`shape`/`observe`) or
/// the legacy `monitor_only`. Sub-checks, each reported on its own:
/// both shaping interfaces up; an XDP program on each; a BPF classifier on each
/// interface's egress hook; in shape mode a root `mq` with handle `7fff:` and an
/// `htb` under every TX queue; with `use_xdp_bridge = false` both interfaces ports of one
/// Linux bridge; `lqosd` active when systemd runs the machine.
public enum LibreQoSCheck {
    /// What lqos.conf says.
    public struct Setup: Sendable, Hashable {
        /// Shaping interfaces.
        public var interfaces: [String]
        /// Whether LibreQoS shapes (false: observe / monitor only).
        public var shaping: Bool
        /// `[bridge]` with `use_xdp_bridge = false` (LibreQoS's default and recommendation): the two
        /// interfaces are ports of one Linux bridge, which forwards even while lqosd is down. With
        /// `true` LibreQoS's XDP program bridges them (the `xdp` sub-check covers it).
        public var linuxBridge: Bool = false
    }

    /// Why lqos.conf could not be used.
    public struct ConfError: Error, CustomStringConvertible {
        /// File and reason.
        public var description: String
    }

    /// Reads lqos.conf.
    public static func setup(lqosConf path: String) throws(ConfError) -> Setup {
        let text: String
        do { text = try readTextFile(path) } catch { throw ConfError(description: "\(error)") }
        let root: TOMLTable
        do { root = try TOMLTable(string: text) } catch {
            throw ConfError(description: "\(path):\(error.line): column \(error.column): \(error.message)")
        }
        var interfaces: [String] = []
        // LibreQoS 1.5/2.x (lqos_config v15): the file holds either [bridge] or [single_interface]
        // (interface, internet_vlan, network_vlan), never both; the section's presence selects it.
        // An older file may keep a [single_interface] marked `enabled = false` beside [bridge]:
        // that one is ignored.
        var single = root["single_interface"]?.table
        if single?["enabled"]?.bool == false { single = nil }
        if single != nil && root["bridge"]?.table != nil {
            throw ConfError(
                description: "\(path): both [bridge] and [single_interface]; LibreQoS takes one or the other")
        }
        if let single {
            guard let i = single["interface"]?.string else {
                throw ConfError(description: "\(path): [single_interface] without interface")
            }
            interfaces = [i]
        } else if let bridge = root["bridge"]?.table {
            guard let a = bridge["to_internet"]?.string, let b = bridge["to_network"]?.string else {
                throw ConfError(description: "\(path): [bridge] needs to_internet and to_network")
            }
            interfaces = [a, b]
        } else {
            throw ConfError(description: "\(path): neither [bridge] nor [single_interface]")
        }
        var linuxBridge = false
        if single == nil, let bridge = root["bridge"]?.table {
            linuxBridge = bridge["use_xdp_bridge"]?.bool != true
        }
        var shaping = true
        if let queues = root["queues"]?.table {
            if let mode = queues["queue_mode"]?.string {
                shaping = mode.lowercased() == "shape"
            } else if let monitor = queues["monitor_only"]?.bool {
                shaping = !monitor
            }
        }
        return Setup(interfaces: interfaces, shaping: shaping, linuxBridge: linuxBridge)
    }

    /// The Linux bridge an interface is a port of (`/sys/class/net/NAME/master`), if any.
    public static func bridgeMaster(_ name: String, sysfs: String = "/sys/class/net") -> String? {
        var buffer = [CChar](repeating: 0, count: 4096)
        let n = readlink("\(sysfs)/\(name)/master", &buffer, buffer.count - 1)
        guard n > 0 else { return nil }
        let target = String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return target.split(separator: "/").last.map(String.init)
    }

    /// `linux-bridge(A,B)`: both shaping interfaces are ports of the same bridge, and it is up.
    public static func linuxBridgePart(_ interfaces: [String], sysfs: String = "/sys/class/net") -> CheckResult.Part {
        let name = "linux-bridge(\(interfaces.joined(separator: ",")))"
        let masters = interfaces.map { bridgeMaster($0, sysfs: sysfs) }
        for (i, m) in zip(interfaces, masters) where m == nil {
            return .init(
                name: name, passed: false, detail: "\(i) is not a port of a Linux bridge (use_xdp_bridge = false)")
        }
        let bridges = Set(masters.compactMap { $0 })
        guard bridges.count == 1, let bridge = bridges.first else {
            return .init(
                name: name, passed: false,
                detail:
                    "the shaping interfaces are ports of different bridges: \(masters.compactMap { $0 }.joined(separator: ", "))"
            )
        }
        let up = CheckRunner.interfaceUp(bridge)
        return .init(
            name: name, passed: up.passed,
            detail: up.passed ? "\(interfaces.joined(separator: " and ")) bridged by \(bridge)" : "bridge \(up.detail)")
    }

    /// Runs every sub-check.
    public static func run(lqosConf: String, timeoutMs: Int) -> CheckResult {
        let s: Setup
        do { s = try setup(lqosConf: lqosConf) } catch {
            return CheckResult(
                passed: false, detail: error.description,
                parts: [.init(name: "lqos.conf", passed: false, detail: error.description)])
        }
        var parts: [CheckResult.Part] = []
        for i in s.interfaces {
            let up = CheckRunner.interfaceUp(i)
            parts.append(.init(name: "interface(\(i))", passed: up.passed, detail: up.detail))
            let x = CheckRunner.run(.xdp(interface: i), timeoutMs: timeoutMs)
            parts.append(.init(name: "xdp(\(i))", passed: x.passed, detail: x.detail))
            let f = CheckRunner.run(.tcFilter(interface: i, direction: "egress", name: nil), timeoutMs: timeoutMs)
            parts.append(.init(name: "tc-egress-bpf(\(i))", passed: f.passed, detail: f.detail))
            if s.shaping {
                let q = CheckRunner.run(
                    .tcQdisc(interface: i, kind: "mq", handle: "7fff:", perTXQueue: "htb"), timeoutMs: timeoutMs)
                parts.append(.init(name: "mq-htb(\(i))", passed: q.passed, detail: q.detail))
            }
        }
        if s.linuxBridge { parts.append(linuxBridgePart(s.interfaces)) }
        if fileExists("/run/systemd/system") {
            let u = CheckRunner.run(.systemd(unit: "lqosd.service"), timeoutMs: timeoutMs)
            parts.append(.init(name: "lqosd", passed: u.passed, detail: u.detail))
        }
        return CheckResult.combined(parts)
    }
}
