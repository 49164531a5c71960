import Foundation
import HealthChecks
import OSPFEngine
import OSPFWire
import Testing

@testable import SpeakerDaemon

@Suite struct ConfigurationTests {
    static let good = """
        router_id = "10.1.0.3"
        area = "0.0.0.0"

        [[interface]]
        name = "br0"
        network = "broadcast"
        cost = 10
        priority = 0
        hello_interval = 1
        dead_interval = 4
        auth = "md5"
        auth_key_id = 5
        auth_key = "k"

        [[advertise]]
        prefix = "100.64.0.0/24"
        type = "external"
        metric_type = 2
        forwarding_address = "10.1.0.2"
        cost = 1
        degraded_cost = 100

        [[advertise]]
        prefix = "192.0.2.1/32"
        type = "stub"
        cost = 5
        degraded_cost = 50
        on_failure = "withdraw"

        [control]
        socket = "/tmp/x.sock"
        state_file = "/tmp/x.json"

        [health]
        interval_ms = 200
        rise = 2
        fall = 3

        [[health.check]]
        name = "queues"
        type = "tc-qdisc"
        interface = "eth1"
        kind = "mq"
        handle = "7fff:"
        per_tx_queue = "htb"

        [[health.check]]
        name = "lqos"
        type = "libreqos"
        lqos_conf = "/etc/lqos.conf"
        fall = 1
        """

    @Test func parsesEveryKey() throws {
        let c = try SpeakerConfiguration.parse(Self.good, file: "speaker.toml")
        #expect(c.routerID == IPv4Address(10, 1, 0, 3))
        #expect(c.interfaces.count == 1)
        #expect(
            c.interfaces[0].engine.authentication == AuthenticationKey(id: 5, secret: Array("k".utf8), algorithm: .md5))
        #expect(c.interfaces[0].engine.helloInterval == 1)
        #expect(c.advertisements.count == 2)
        #expect(c.advertisements[1].onFailure == .withdraw)
        #expect(c.controlSocket == "/tmp/x.sock")
        #expect(c.healthChecks.count == 2)
        #expect(c.healthChecks[0].kind == .tcQdisc(interface: "eth1", kind: "mq", handle: "7fff:", perTXQueue: "htb"))
        #expect(c.healthChecks[0].intervalMs == 200)
        #expect(c.healthChecks[0].rise == 2 && c.healthChecks[0].fall == 3)
        #expect(c.healthChecks[1].fall == 1)
    }

    func errors(_ text: String) -> [ConfigError] {
        do {
            _ = try SpeakerConfiguration.parse(text, file: "speaker.toml")
            return []
        } catch { return error.errors }
    }

    @Test func everyErrorNamesFileLineAndKey() {
        let text = Self.good
            .replacingFirst("cost = 10", with: "cost = 0")
            .replacingFirst("prefix = \"100.64.0.0/24\"", with: "prefix = \"100.64.0.1/24\"")
            .replacingFirst("name = \"queues\"", with: "name = \"queues\"\ncolour = \"red\"")
        let e = errors(text)
        #expect(e.contains { $0.key == "interface[0].cost" && $0.line == 7 && $0.file == "speaker.toml" })
        #expect(e.contains { $0.key == "advertise[0].prefix" && $0.line == 16 && $0.message.contains("host bits") })
        #expect(e.contains { $0.key == "health.check[0].colour" && $0.message.contains("unknown key") })
        #expect(e.count == 3)
    }

    @Test func bfdKeys() throws {
        let on = try SpeakerConfiguration.parse(
            Self.good.replacingFirst("priority = 0", with: "priority = 0\nbfd = true\nbfd_interval_ms = 50"),
            file: "speaker.toml")
        #expect(on.interfaces[0].bfd == .init(intervalMs: 50, multiplier: 3))
        let defaults = try SpeakerConfiguration.parse(
            Self.good.replacingFirst("priority = 0", with: "priority = 0\nbfd = true"), file: "speaker.toml")
        #expect(defaults.interfaces[0].bfd == .init(intervalMs: 300, multiplier: 3))
        let off = try SpeakerConfiguration.parse(Self.good, file: "speaker.toml")
        #expect(off.interfaces[0].bfd == nil)
        // Timers without bfd = true are an error, not ignored; ranges are checked.
        let e = errors(Self.good.replacingFirst("priority = 0", with: "priority = 0\nbfd_multiplier = 5"))
        #expect(e.contains { $0.key == "interface[0].bfd_multiplier" && $0.message.contains("bfd is not true") })
        let r = errors(
            Self.good.replacingFirst(
                "priority = 0", with: "priority = 0\nbfd = true\nbfd_interval_ms = 5\nbfd_multiplier = 1"))
        #expect(r.contains { $0.key == "interface[0].bfd_interval_ms" && $0.message.contains("10...60000") })
        #expect(r.contains { $0.key == "interface[0].bfd_multiplier" && $0.message.contains("2...255") })
    }

    @Test func lsdbOverflowPolicy() throws {
        let d = try SpeakerConfiguration.parse(Self.good, file: "speaker.toml")
        #expect(d.lsdbOverflowPolicy == .refuse && d.lsdbLimit == 500_000)
        let top = "area = \"0.0.0.0\""
        let i = try SpeakerConfiguration.parse(
            Self.good.replacingFirst(top, with: top + "\nlsdb_overflow = \"isolate\"\nlsdb_limit = 2000"),
            file: "speaker.toml")
        #expect(i.lsdbOverflowPolicy == .isolate && i.lsdbLimit == 2000)
        #expect(i.engineConfiguration(seed: 1, cryptoSequenceStart: 1).lsdbOverflowPolicy == .isolate)
        let e = errors(Self.good.replacingFirst(top, with: top + "\nlsdb_overflow = \"drop\""))
        #expect(
            e.contains {
                $0.key == "lsdb_overflow" && $0.line == 3 && $0.message.contains("must be one of refuse, isolate")
            })
    }

    @Test func syntaxErrorNamesTheLine() {
        let e = errors("router_id = \"1.1.1.1\"\n[[interface]\nname = \"x\"\n")
        #expect(e.count == 1)
        #expect(e.first?.line == 2)
    }

    @Test func requiredKeysAndCrossChecks() {
        let e = errors(
            """
            [[interface]]
            name = "br0"
            hello_interval = 10
            dead_interval = 10
            auth = "md5"
            auth_key = "k"

            [[advertise]]
            prefix = "10.0.0.0/8"
            cost = 100
            degraded_cost = 50
            """)
        let keys = Set(e.map(\.key))
        #expect(keys.contains("router_id"))
        #expect(keys.contains("interface[0].dead_interval"))
        #expect(keys.contains("interface[0].auth_key_id"))
        #expect(keys.contains("advertise[0].degraded_cost"))
    }

    @Test func unknownCheckTypeAndMissingParameters() {
        let e = errors(
            """
            router_id = "1.1.1.1"
            [[interface]]
            name = "br0"
            [health]
            [[health.check]]
            name = "a"
            type = "ping"
            [[health.check]]
            name = "b"
            type = "xdp"
            """)
        #expect(e.contains { $0.key == "health.check[0].type" })
        #expect(e.contains { $0.key == "health.check[1].interface" && $0.message.contains("required") })
    }

    /// A byte the TOML parser would stop at is an error naming its line, never a silently
    /// shorter configuration (a NUL after line 6 used to pass as an empty file).
    @Test func nulByteIsAnErrorNamingTheLine() {
        let lines = Self.good.split(separator: "\n", omittingEmptySubsequences: false)
        let text = lines.prefix(6).joined(separator: "\n") + "\n\u{0}" + lines.dropFirst(6).joined(separator: "\n")
        let e = errors(text)
        #expect(e.count == 1)
        #expect(e.first?.line == 7 && e.first?.message.contains("NUL") == true, "\(e)")
        #expect(forbiddenControlByte(Self.good) == nil)
    }

    /// File errors say why: the system's reason, a directory, a missing key file (one error).
    @Test func fileErrorsSayWhy() throws {
        let dir = NSTemporaryDirectory() + "ospf-speaker-config-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        func loadErrors(_ path: String) -> [ConfigError] {
            do {
                _ = try SpeakerConfiguration.load(path: path)
                return []
            } catch { return error.errors }
        }
        #expect(loadErrors(dir + "/missing.toml").first?.message.contains("No such file or directory") == true)
        #expect(loadErrors(dir).first?.message.contains("is a directory") == true)
        let keyless = Self.good.replacingOccurrences(of: "auth_key = \"k\"", with: "auth_key_file = \"\(dir)/nokey\"")
        let e = errors(keyless)
        #expect(e.map(\.key) == ["interface[0].auth_key_file"], "\(e)")
        #expect(e.first?.message.contains("No such file or directory") == true)
    }
}
