import Glibc
import OSPFEngine
import OSPFWire
import Testing

@testable import SpeakerDaemon

/// The messages a new operator meets: configuration warnings and reloads that need a restart.
@Suite struct OperatorMessagesTests {
    static let base = """
        router_id = "10.0.0.1"
        [[interface]]
        name = "eth0"
        address = "10.0.0.1/30"
        network = "point-to-point"

        """

    @Test func aKeyFileEveryoneCanReadIsAWarningNamingItsLine() throws {
        let key = "/tmp/ospf-speaker-key-\(getpid())"
        defer { unlink(key) }
        let f = fopen(key, "w")
        fputs("secret\n", f)
        fclose(f)
        chmod(key, 0o644)
        let text = Self.base + "auth = \"md5\"\nauth_key_id = 1\nauth_key_file = \"\(key)\"\n"
        let c = try SpeakerConfiguration.parse(text, file: "s.toml")
        #expect(
            c.warnings.map(\.description) == [
                "s.toml:8: interface[0].auth_key_file: \(key) is readable by every user (mode 0644); chmod 0640 or 0600"
            ])
        chmod(key, 0o640)
        #expect(try SpeakerConfiguration.parse(text, file: "s.toml").warnings.isEmpty)
    }

    @Test func missingAndDownInterfacesAreNamed() throws {
        let sysfs = "/tmp/ospf-speaker-sysfs-\(getpid())"
        defer { _ = system("rm -rf \(sysfs)") }
        mkdir(sysfs, 0o755)
        let c = try SpeakerConfiguration.parse(Self.base, file: "s.toml")
        #expect(
            c.interfaceWarnings(sysfs: sysfs) == [
                "interface eth0 does not exist on this machine (fine if this file is for another box)"
            ])
        mkdir("\(sysfs)/eth0", 0o755)
        let f = fopen("\(sysfs)/eth0/operstate", "w")
        fputs("down\n", f)
        fclose(f)
        #expect(
            c.interfaceWarnings(sysfs: sysfs) == [
                "interface eth0 is down (operstate down); OSPF starts on it when it comes up"
            ])
    }

    @Test func aReloadNamesEverySettingThatNeedsARestart() throws {
        let old = try SpeakerConfiguration.parse(Self.base, file: "s.toml")
        let text =
            Self.base.replacingFirst("10.0.0.1\"\n[[", "10.0.0.9\"\n[[") + "hello_interval = 2\ndead_interval = 8\n"
            + "[[interface]]\nname = \"eth1\"\naddress = \"10.0.1.1/30\"\n"
        let new = try SpeakerConfiguration.parse(text, file: "s.toml")
        #expect(
            Speaker.restartOnlyChanges(from: old, to: new) == [
                "router_id 10.0.0.1 -> 10.0.0.9", "interface eth1 added",
                "interface eth0: hello_interval 10 -> 2, dead_interval 40 -> 8",
            ])
    }
}

extension String {
    fileprivate func replacingFirst(_ a: String, _ b: String) -> String {
        guard let r = firstRange(of: a) else { return self }
        return self[..<r.lowerBound] + b + self[r.upperBound...]
    }
}
