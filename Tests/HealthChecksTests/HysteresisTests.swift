import Foundation
import Testing

@testable import HealthChecks

@Suite struct HysteresisTests {
    /// (rise, fall, results, expected up after each result)
    @Test(arguments: [
        (3, 2, "PPP", "--U"),  // startup hold-down: up only after rise passes
        (3, 2, "PPPFPFF", "--UUUUD"),  // one failure is forgiven; fall consecutive failures degrade
        (3, 2, "PPPFFPPFPPP", "--UUDDDDDDU"),  // a failure resets the rise streak
        (1, 1, "PFPF", "UDUD"),
        (2, 3, "PPFFPFFF", "-UUUUUUD"),
    ])
    func table(rise: Int, fall: Int, results: String, expected: String) {
        var h = Hysteresis(rise: rise, fall: fall)
        var seen = ""
        for r in results {
            _ = h.record(r == "P")
            seen += h.up ? "U" : (seen.contains("U") ? "D" : "-")
        }
        #expect(seen == expected)
    }

    @Test func overallHealthNeedsEveryCheck() {
        var s = HealthState(specs: [
            CheckSpec(name: "a", kind: .file(path: "/", mustExist: true), rise: 1, fall: 1),
            CheckSpec(name: "b", kind: .file(path: "/", mustExist: true), rise: 1, fall: 1),
        ])
        #expect(!s.healthy)
        #expect(s.record("a", CheckResult(passed: true, detail: "")) == (true, false))
        #expect(s.record("b", CheckResult(passed: true, detail: "")) == (true, true))
        #expect(s.healthy)
        #expect(s.record("a", CheckResult(passed: false, detail: "")) == (true, true))
        #expect(!s.healthy)
    }

    @Test func reloadKeepsStateOfUnchangedChecks() {
        let a = CheckSpec(name: "a", kind: .file(path: "/", mustExist: true), rise: 1, fall: 1)
        var s = HealthState(specs: [a])
        _ = s.record("a", CheckResult(passed: true, detail: ""))
        let b = CheckSpec(name: "b", kind: .file(path: "/", mustExist: true), rise: 1, fall: 1)
        let t = HealthState(specs: [a, b], previous: s)
        #expect(t.checks["a"]?.up == true)
        #expect(t.checks["b"]?.up == false)
    }
}

@Suite struct CheckRunnerTests {
    @Test func commandExitStatus() {
        #expect(CheckRunner.run(.command(["true"]), timeoutMs: 2000).passed)
        let r = CheckRunner.run(.command(["sh", "-c", "echo broken >&2; exit 3"]), timeoutMs: 2000)
        #expect(!r.passed)
        #expect(r.detail.contains("exit 3") && r.detail.contains("broken"))
        #expect(!CheckRunner.run(.command(["/nonexistent/binary"]), timeoutMs: 2000).passed)
    }

    @Test func commandTimeoutKillsTheProcessGroup() {
        let marker = "/tmp/ospf-speaker-grandchild-\(getpid())"
        let r = CheckRunner.run(.command(["sh", "-c", "(sleep 1; touch \(marker)) & sleep 5"]), timeoutMs: 200)
        #expect(!r.passed)
        #expect(r.detail.contains("timed out"))
        usleep(1_300_000)
        // The grandchild was in the killed process group, so it never created the file.
        #expect(access(marker, F_OK) != 0)
        unlink(marker)
    }

    @Test func fileExistsAndAbsent() {
        #expect(CheckRunner.run(.file(path: "/", mustExist: true), timeoutMs: 100).passed)
        #expect(!CheckRunner.run(.file(path: "/nonexistent", mustExist: true), timeoutMs: 100).passed)
        #expect(CheckRunner.run(.file(path: "/nonexistent", mustExist: false), timeoutMs: 100).passed)
    }

    @Test func interfaceState() {
        #expect(CheckRunner.run(.interface("lo"), timeoutMs: 100).passed)
        let missing = CheckRunner.run(.interface("nonexistent0"), timeoutMs: 100)
        #expect(!missing.passed && missing.detail.contains("no such interface"))
    }

    @Test func httpRefusedAndBadURL() {
        // Port 9 on loopback: nothing listens (connection refused).
        #expect(!CheckRunner.run(.http(url: "http://127.0.0.1:9/"), timeoutMs: 300).passed)
        #expect(!CheckRunner.run(.http(url: "https://127.0.0.1/"), timeoutMs: 300).passed)
    }

    @Test func linuxBridgeSubCheckReadsTheMasterLinks() throws {
        let root = "/tmp/ospf-speaker-sysfs-\(getpid())"
        defer { _ = try? FileManager.default.removeItem(atPath: root) }
        for i in ["eth0", "eth1", "eth2"] {
            try FileManager.default.createDirectory(atPath: "\(root)/\(i)", withIntermediateDirectories: true)
        }
        try FileManager.default.createSymbolicLink(atPath: "\(root)/eth0/master", withDestinationPath: "../br0")
        try FileManager.default.createSymbolicLink(atPath: "\(root)/eth1/master", withDestinationPath: "../br0")
        try FileManager.default.createSymbolicLink(atPath: "\(root)/eth2/master", withDestinationPath: "../br9")
        #expect(LibreQoSCheck.bridgeMaster("eth0", sysfs: root) == "br0")
        #expect(LibreQoSCheck.bridgeMaster("eth3", sysfs: root) == nil)
        let apart = LibreQoSCheck.linuxBridgePart(["eth0", "eth2"], sysfs: root)
        #expect(!apart.passed && apart.detail.contains("different bridges"))
        let missing = LibreQoSCheck.linuxBridgePart(["eth0", "eth3"], sysfs: root)
        #expect(!missing.passed && missing.detail.contains("eth3 is not a port of a Linux bridge"))
    }

    @Test func libreqosConfParsing() throws {
        let path = "/tmp/ospf-speaker-lqos-\(getpid()).conf"
        defer { unlink(path) }
        try "[bridge]\nto_internet = \"eth0\"\nto_network = \"eth1\"\n[queues]\nmonitor_only = true\n"
            .write(toFile: path, atomically: true, encoding: .utf8)
        let s = try LibreQoSCheck.setup(lqosConf: path)
        #expect(s.interfaces == ["eth0", "eth1"])
        #expect(!s.shaping)
        #expect(s.linuxBridge)  // use_xdp_bridge absent: LibreQoS's default Linux bridge
        // lqos.conf as LibreQoS 1.5/2.x writes it: [single_interface] selected by its presence (no `enabled`).
        try """
        version = "1.5"
        lqos_directory = "/opt/libreqos/src"
        [single_interface]
        interface = "eth3"
        internet_vlan = 2
        network_vlan = 3
        [queues]
        queue_mode = "shape"
        """.write(toFile: path, atomically: true, encoding: .utf8)
        let t = try LibreQoSCheck.setup(lqosConf: path)
        #expect(t.interfaces == ["eth3"] && t.shaping && !t.linuxBridge)
        try """
        version = "1.5"
        [bridge]
        use_xdp_bridge = true
        to_internet = "eth0"
        to_network = "eth1"
        [single_interface]
        interface = "eth3"
        internet_vlan = 2
        network_vlan = 3
        """.write(toFile: path, atomically: true, encoding: .utf8)
        #expect(throws: LibreQoSCheck.ConfError.self) { try LibreQoSCheck.setup(lqosConf: path) }
        // An older file: a disabled [single_interface] kept beside [bridge] is ignored.
        try
            "[bridge]\nto_internet = \"eth0\"\nto_network = \"eth1\"\n[single_interface]\nenabled = false\ninterface = \"eth3\"\n"
            .write(toFile: path, atomically: true, encoding: .utf8)
        #expect(try LibreQoSCheck.setup(lqosConf: path).interfaces == ["eth0", "eth1"])
        try "[queues]\n".write(toFile: path, atomically: true, encoding: .utf8)
        #expect(throws: LibreQoSCheck.ConfError.self) { try LibreQoSCheck.setup(lqosConf: path) }
    }
}

#if canImport(Glibc)
    import Glibc
#endif
