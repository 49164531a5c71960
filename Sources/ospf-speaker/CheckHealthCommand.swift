import ArgumentParser
import HealthChecks
import OSPFWire
import SpeakerDaemon

/// `ospf-speaker check-health --config FILE [--json]`
struct CheckHealthCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check-health",
        abstract: "Run every configured health check once and print what it found.",
        discussion: "Exit status 0 when every check passes, 1 otherwise. The daemon need not be running."
    )

    @Option(help: "The configuration file.") var config: String
    @Flag(help: "One JSON object per check.") var json = false

    func run() throws {
        let c: SpeakerConfiguration
        do { c = try SpeakerConfiguration.load(path: config) } catch {
            print(error.description)
            throw ExitCode(2)
        }
        guard !c.healthChecks.isEmpty else {
            print("\(config): no [[health.check]] configured")
            return
        }
        var failed = 0
        for spec in c.healthChecks {
            let r = CheckRunner.run(spec.kind, timeoutMs: spec.timeoutMs)
            if !r.passed { failed += 1 }
            if json {
                print(
                    JSONValue.object([
                        ("name", .string(spec.name)), ("type", .string(spec.kind.typeName)),
                        ("passed", .bool(r.passed)),
                        ("detail", .string(r.detail)),
                        (
                            "sub_checks",
                            .array(
                                r.parts.map {
                                    .object([
                                        ("name", .string($0.name)), ("passed", .bool($0.passed)),
                                        ("detail", .string($0.detail)),
                                    ])
                                })
                        ),
                    ]).text)
            } else {
                print("\(r.passed ? "PASS" : "FAIL") \(spec.name) (\(spec.kind.typeName)): \(r.detail)")
                for p in r.parts { print("  \(p.passed ? "pass" : "FAIL") \(p.name): \(p.detail)") }
            }
        }
        if !json { print("check-health: \(c.healthChecks.count - failed) passed, \(failed) failed") }
        if failed > 0 { throw ExitCode(1) }
    }
}
