import Glibc
import OSPFEngine
import Testing

@testable import SpeakerDaemon

/// The notification protocol against a datagram socket standing in for systemd.
@Suite struct SystemdNotifierTests {
    /// A bound Unix datagram socket (file system path or abstract name) and its receive side.
    final class FakeSystemd {
        let fd: Int32
        let name: String
        init(abstract: Bool) {
            fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0)
            let tag = "ospf-speaker-notify-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
            name = abstract ? "@\(tag)" : "/tmp/\(tag).sock"
            var addr = sockaddr_un()
            addr.sun_family = sa_family_t(AF_UNIX)
            let bytes = Array(name.utf8)
            withUnsafeMutableBytes(of: &addr.sun_path) { p in
                for (i, b) in bytes.enumerated() { p[i] = b }
                if abstract { p[0] = 0 }
            }
            let len = socklen_t(MemoryLayout<sa_family_t>.size + bytes.count + (abstract ? 0 : 1))
            let rc = withUnsafePointer(to: &addr) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, len) }
            }
            precondition(rc == 0, "bind \(name): \(errno)")
        }
        deinit {
            close(fd)
            if !name.hasPrefix("@") { unlink(name) }
        }
        /// Every datagram waiting.
        func received() -> [String] {
            var out: [String] = []
            var buf = [UInt8](repeating: 0, count: 4096)
            while true {
                let n = recv(fd, &buf, buf.count, 0)
                if n <= 0 { return out }
                out.append(String(decoding: buf[0..<n], as: UTF8.self))
            }
        }
    }

    @Test(arguments: [false, true]) func messagesArriveAsSent(abstract: Bool) {
        let systemd = FakeSystemd(abstract: abstract)
        var n = SystemdNotifier(environment: ["NOTIFY_SOCKET": systemd.name])
        let sent = [n.send("READY=1\nSTATUS=running"), n.send("RELOADING=1\nMONOTONIC_USEC=5"), n.send("STOPPING=1")]
        #expect(sent == [true, true, true])
        #expect(systemd.received() == ["READY=1\nSTATUS=running", "RELOADING=1\nMONOTONIC_USEC=5", "STOPPING=1"])
        #expect(n.lastError == nil)
    }

    @Test func watchdogPingsAtHalfTheInterval() {
        let systemd = FakeSystemd(abstract: true)
        var n = SystemdNotifier(environment: ["NOTIFY_SOCKET": systemd.name, "WATCHDOG_USEC": "2000000"])
        #expect(n.watchdogInterval == .seconds(1))
        let first = n.watchdog(now: .seconds(10))
        let notDue = n.watchdog(now: Instant(nanoseconds: 10_500_000_000))  // no ping
        let second = n.watchdog(now: .seconds(11))
        #expect(first == .seconds(11) && notDue == .seconds(11) && second == .seconds(12))
        #expect(systemd.received() == ["WATCHDOG=1", "WATCHDOG=1"])
    }

    @Test func watchdogForAnotherPidIsIgnored() {
        let n = SystemdNotifier(
            environment: ["NOTIFY_SOCKET": "@x", "WATCHDOG_USEC": "2000000", "WATCHDOG_PID": "1"], pid: 42)
        #expect(n.watchdogInterval == nil)
    }

    @Test func withoutSystemdNothingIsSent() {
        var n = SystemdNotifier(environment: [:])
        let sent = n.send("READY=1")
        let next = n.watchdog(now: .seconds(1))
        #expect(n.socketPath == nil && sent && next == nil)
    }

    @Test func aMissingSocketIsReported() {
        var n = SystemdNotifier(environment: ["NOTIFY_SOCKET": "/nonexistent/notify.sock"])
        let sent = n.send("READY=1")
        #expect(!sent)
        #expect(n.lastError == "/nonexistent/notify.sock: No such file or directory")
    }
}
