import CSpeakerShims
import Glibc
import OSPFEngine

/// The systemd notification protocol (sd_notify(3)) without libsystemd: datagrams to the socket
/// named by NOTIFY_SOCKET. `Type=notify` units learn READY=1 once the sockets are open and the
/// configuration is applied, RELOADING=1 / READY=1 around SIGHUP, STOPPING=1 on shutdown, and
/// WATCHDOG=1 from the protocol loop when `WatchdogSec=` is set. Without NOTIFY_SOCKET (not run
/// by systemd) every call does nothing.
struct SystemdNotifier {
    /// Where to send, nil when not run by systemd.
    let socketPath: String?
    /// How often to ping the watchdog (half of WATCHDOG_USEC), nil when there is none.
    let watchdogInterval: Span?
    /// When the next watchdog ping is due.
    private(set) var nextWatchdog: Instant = .zero
    /// The last error, logged once by the caller.
    private(set) var lastError: String?

    /// Reads NOTIFY_SOCKET, WATCHDOG_USEC and WATCHDOG_PID from an environment.
    init(environment: [String: String], pid: Int32 = getpid()) {
        socketPath = environment["NOTIFY_SOCKET"].flatMap { $0.isEmpty ? nil : $0 }
        if let usec = environment["WATCHDOG_USEC"].flatMap({ Int64($0) }), usec > 0,
            environment["WATCHDOG_PID"].flatMap({ Int32($0) }).map({ $0 == pid }) ?? true
        {
            watchdogInterval = Span(nanoseconds: usec * 1000 / 2)
        } else {
            watchdogInterval = nil
        }
    }

    /// The process environment.
    static var processEnvironment: [String: String] {
        var out: [String: String] = [:]
        for key in ["NOTIFY_SOCKET", "WATCHDOG_USEC", "WATCHDOG_PID"] {
            if let v = getenv(key) { out[key] = String(cString: v) }
        }
        return out
    }

    /// Sends `KEY=VALUE` lines; false (with ``lastError``) when the socket refused them.
    @discardableResult
    mutating func send(_ lines: String...) -> Bool {
        guard let socketPath else { return true }
        let message = lines.joined(separator: "\n")
        let rc = message.withCString { ospf_unix_datagram_send(socketPath, $0, Int(strlen($0))) }
        if rc < 0 {
            lastError = "\(socketPath): \(String(cString: strerror(-rc)))"
            return false
        }
        return true
    }

    /// Pings the watchdog when due; returns the next time it is due (nil without a watchdog).
    mutating func watchdog(now: Instant) -> Instant? {
        guard let watchdogInterval else { return nil }
        if now >= nextWatchdog {
            send("WATCHDOG=1")
            nextWatchdog = now.adding(watchdogInterval)
        }
        return nextWatchdog
    }
}
