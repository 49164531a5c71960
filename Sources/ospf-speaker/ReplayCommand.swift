import ArgumentParser
import OSPFWire
import SpeakerDaemon

/// `ospf-speaker replay DIR [--json]`
struct ReplayCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Replay a recorded scenario through the protocol engine and compare with the capture.",
        discussion: """
            DIR holds capture.pcap and scenario.toml. The other routers' packets are fed to the \
            engine at their capture timestamps on a virtual clock; every packet the speaker sent in \
            the capture must be matched by an identical engine packet (LS age, checksum, crypto \
            sequence and digest excepted). Exit status 0 when it matches, 1 otherwise.
            """
    )

    @Argument(help: "Scenario folders.")
    var directories: [String]

    @Flag(help: "One JSON object per scenario.")
    var json = false

    @Option(help: "Seconds an engine packet may be early or late.")
    var tolerance = 1.5

    @Flag(help: "Print every event the engine is fed, what it sends and what it notifies.")
    var trace = false

    func run() throws {
        var failed = 0
        for dir in directories {
            let result: Replay.Result
            do {
                var replay = Replay(tolerance: tolerance)
                if trace { replay.trace = { print("  \($0)") } }
                result = try replay.run(directory: dir)
            } catch {
                failed += 1
                if json {
                    print(JSONValue.object([("scenario", .string(dir)), ("error", .string("\(error)"))]).text)
                } else {
                    print("\(dir): error: \(error)")
                }
                continue
            }
            if !result.passed { failed += 1 }
            if json {
                print(
                    JSONValue.object([
                        ("scenario", .string(dir)), ("passed", .bool(result.passed)),
                        ("expected", .number(result.expected)), ("produced", .number(result.produced)),
                        ("matched", .number(result.matched)),
                        ("first_difference", result.firstDifference.map(JSONValue.string) ?? .null),
                    ]).text)
            } else {
                let verdict = result.passed ? "PASS" : "FAIL"
                print("\(dir): \(verdict): \(result.matched)/\(result.expected) speaker packets matched")
                if let d = result.firstDifference { print("  first difference: \(d)") }
            }
        }
        if !json { print("replay: \(directories.count - failed) passed, \(failed) failed") }
        if failed > 0 { throw ExitCode(1) }
    }
}

/// `ospf-speaker check-config FILE`
struct CheckConfigCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check-config",
        abstract: "Validate a configuration file; every problem is printed as FILE:LINE: KEY: message."
    )

    @Argument(help: "The configuration file.")
    var file: String?

    @Option(help: "The configuration file (the same as the argument, as the other subcommands take it).")
    var config: String?

    func validate() throws {
        guard (file == nil) != (config == nil) else {
            throw ValidationError("give the configuration file once: check-config FILE or check-config --config FILE")
        }
    }

    func run() throws {
        let file = self.file ?? config!
        do {
            let c = try SpeakerConfiguration.load(path: file)
            for w in c.warnings { print("warning: \(w.description)") }
            for w in c.interfaceWarnings() { print("warning: \(file): \(w)") }
            print(
                "\(file): OK: router \(c.routerID) area \(c.area), \(c.interfaces.count) interface(s), "
                    + "\(c.advertisements.count) advertisement(s), \(c.healthChecks.count) health check(s)")
        } catch {
            print(error.description)
            throw ExitCode(1)
        }
    }
}
