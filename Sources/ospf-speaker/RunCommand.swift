import ArgumentParser
import Glibc
import Logging
import SpeakerDaemon
import SystemSupport

/// `ospf-speaker run --config FILE [--record DIR]`
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run the speaker in the foreground (logs to stderr).",
        discussion: """
            Signals: SIGUSR1 maintenance on, SIGUSR2 maintenance off, SIGHUP reload the configuration \
            (an invalid file keeps the running one), SIGTERM/SIGINT withdraw gracefully and exit. \
            Needs CAP_NET_RAW.
            """
    )

    @Option(help: "The configuration file.")
    var config: String

    @Option(help: "Record the session as a replay scenario (capture.pcap + scenario.toml) in DIR.")
    var record: String?

    @Option(help: "Log level: trace, debug, info, notice, warning, error.")
    var logLevel: String = "info"

    func run() throws {
        guard let level = Logger.Level(rawValue: logLevel) else {
            throw ValidationError("--log-level \(logLevel): expected trace, debug, info, notice, warning or error")
        }
        LoggingSystem.bootstrap { _ in
            var h = LineLogHandler()
            h.logLevel = level
            return h
        }
        let logger = Logger(label: "ospf-speaker")
        let speaker: Speaker
        do {
            speaker = try Speaker(configPath: config, recordDirectory: record, logger: logger)
        } catch let e as ConfigErrors {
            writeStandardError(e.description + "\n")
            throw ExitCode(2)
        } catch {
            writeStandardError("ospf-speaker: \(error)\n")
            throw ExitCode(1)
        }
        do {
            throw ExitCode(try speaker.run())
        } catch let e as ExitCode {
            throw e
        } catch {
            writeStandardError("ospf-speaker: \(error)\n")
            throw ExitCode(1)
        }
    }
}

/// Finds the control socket from --socket or the configuration.
struct ControlOptions: ParsableArguments {
    @Option(help: "The configuration file (its [control] socket is used).")
    var config: String?

    @Option(help: "The control socket path.")
    var socket: String?

    func socketPath() throws -> String {
        if let socket { return socket }
        if let config {
            do { return try SpeakerConfiguration.load(path: config).controlSocket } catch {
                throw ValidationError("\(error)")
            }
        }
        return SpeakerConfiguration.defaultSocket
    }

    func request(_ command: String) throws -> String {
        do { return try controlRequest(socket: try socketPath(), command) } catch let e as DaemonError {
            throw ValidationError(e.description)
        }
    }
}

/// A read-only query of the running speaker: prints its JSON reply, or the text rendering.
protocol ControlQuery: ParsableCommand {
    var control: ControlOptions { get }
    var json: Bool { get }
    static var request: String { get }
    static func render(_ reply: String) -> String
}

extension ControlQuery {
    func run() throws {
        let reply = try control.request(Self.request)
        print(json ? reply : Self.render(reply), terminator: "")
    }
}

/// `ospf-speaker status [--json]`
struct StatusCommand: ControlQuery {
    static let configuration = CommandConfiguration(
        commandName: "status", abstract: "Interfaces, neighbours, advertisements, health, LSDB summary, maintenance.")
    static let request = "status"
    static func render(_ reply: String) -> String { StatusText.render(reply) }

    @OptionGroup var control: ControlOptions
    @Flag(help: "Print the JSON document.") var json = false
}

/// `ospf-speaker database [--json]`
struct DatabaseCommand: ControlQuery {
    static let configuration = CommandConfiguration(commandName: "database", abstract: "The link-state database.")
    static let request = "database"
    static func render(_ reply: String) -> String { StatusText.renderDatabase(reply) }

    @OptionGroup var control: ControlOptions
    @Flag(help: "Print the JSON document.") var json = false
}

/// `ospf-speaker maintenance on|off [--reason TEXT] [--for DURATION]`
struct MaintenanceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "maintenance",
        abstract: "Enter or leave maintenance (every advertisement at its degraded cost, or withdrawn).")

    @Argument(help: "on or off") var mode: String
    @Option(help: "Why (kept in the state file and shown by status).") var reason: String?
    @Option(name: .customLong("for"), help: "Leave maintenance by itself after this long (e.g. 30m, 2h, 90s).")
    var duration: String?
    @Flag(help: "Do not warn when no backup path is visible.") var force = false
    @OptionGroup var control: ControlOptions

    func run() throws {
        guard mode == "on" || mode == "off" else { throw ValidationError("expected on or off, got \(mode)") }
        var command = "maintenance \(mode)"
        if force { command += " --force" }
        if let duration {
            guard mode == "on", let seconds = Self.seconds(duration) else {
                throw ValidationError("--for \(duration): expected a duration like 90s, 30m or 2h, with `on`")
            }
            command += " --for \(seconds)"
        }
        if let reason { command += " " + reason.replacingCharacter("\n", with: " ") }
        let reply = try control.request(command)
        print(StatusText.render(reply), terminator: "")
    }

    static func seconds(_ text: String) -> Int? {
        let units: [Character: Int] = ["s": 1, "m": 60, "h": 3600, "d": 86400]
        if let n = Int(text) { return n > 0 ? n : nil }
        guard let unit = text.last, let mult = units[unit], let n = Int(text.dropLast()), n > 0 else { return nil }
        return n * mult
    }
}
