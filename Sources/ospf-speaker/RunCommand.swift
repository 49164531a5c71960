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

    func request(_ request: ControlRequest) throws -> String {
        do { try request.validate() } catch { throw ValidationError(error.description) }
        do { return try controlRequest(socket: try socketPath(), request.line) } catch let e as DaemonError {
            throw RuntimeFailure(e.description)
        }
    }
}

/// A read-only query of the running speaker: prints its JSON reply, or the text rendering.
protocol ControlQuery: ParsableCommand {
    var control: ControlOptions { get }
    var json: Bool { get }
    static var request: ControlRequest { get }
    static func render(_ reply: String) -> String
}

extension ControlQuery {
    func run() throws {
        let reply = try control.request(Self.request)
        print(json ? reply : Self.render(reply), terminator: "")
        if StatusText.isError(reply) { throw ExitCode(1) }
    }
}

/// `ospf-speaker status [--json]`
struct StatusCommand: ControlQuery {
    static let configuration = CommandConfiguration(
        commandName: "status", abstract: "Interfaces, neighbours, advertisements, health, LSDB summary, maintenance.")
    static let request = ControlRequest.status
    static func render(_ reply: String) -> String { StatusText.render(reply) }

    @OptionGroup var control: ControlOptions
    @Flag(help: "Print the JSON document.") var json = false
}

/// `ospf-speaker database [--json]`
struct DatabaseCommand: ControlQuery {
    static let configuration = CommandConfiguration(commandName: "database", abstract: "The link-state database.")
    static let request = ControlRequest.database
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
        var seconds: Int64?
        if let duration {
            guard mode == "on" else { throw ValidationError("--for applies to `maintenance on` only") }
            guard let s = Self.seconds(duration) else {
                throw ValidationError("--for \(duration): expected a duration like 90s, 30m, 2h or 1d")
            }
            guard Int64(s) <= ControlRequest.maxMaintenanceSeconds else {
                throw ValidationError("--for \(duration): at most 30 days")
            }
            seconds = Int64(s)
        }
        let request = ControlRequest.maintenance(
            on: mode == "on", reason: reason?.replacingCharacter("\n", with: " "), forSeconds: seconds, force: force)
        let reply = try control.request(request)
        print(StatusText.render(reply), terminator: "")
        if StatusText.isError(reply) { throw ExitCode(1) }
    }

    static func seconds(_ text: String) -> Int? {
        let units: [Character: Int] = ["s": 1, "m": 60, "h": 3600, "d": 86400]
        if let n = Int(text) { return n > 0 ? n : nil }
        guard let unit = text.last, let mult = units[unit], let n = Int(text.dropLast()), n > 0 else { return nil }
        return n * mult
    }
}

/// A failure at run time (no daemon, permission denied): exit status 1 and the message, without
/// the usage text that argument errors (exit 64) print.
struct RuntimeFailure: Error, CustomStringConvertible {
    var description: String
    init(_ d: String) { description = d }
}
