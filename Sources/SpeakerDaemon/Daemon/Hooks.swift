import Dispatch
import Glibc
import HealthChecks
import Logging
import SystemSupport

/// A state-change hook (`[[hook]]`): a command run when health, maintenance, an advertisement's
/// cost on the wire or an adjacency changes.
public struct HookSpec: Sendable, Equatable {
    /// What a hook can be told about.
    public enum Event: String, Sendable, CaseIterable {
        /// healthy <-> degraded.
        case health
        /// maintenance on <-> off.
        case maintenance
        /// an adjacency reached or left Full.
        case neighbor
    }
    /// argv (no shell).
    public var command: [String]
    /// Which events run it (all when the key is absent).
    public var events: Set<Event>
    /// How long it may run before its process group is killed.
    public var timeoutMs: Int
}

/// Runs hooks one at a time, in order, off the event loop; never blocks the loop. A hook that
/// outlives its timeout is killed; a backlog beyond 32 runs is dropped with a warning.
final class HookRunner: @unchecked Sendable {
    let specs: [HookSpec]
    private let queue = DispatchQueue(label: "ospf-speaker.hooks")
    private let lock = Lock()
    private var pending = 0
    private let logger: Logger

    init(specs: [HookSpec], logger: Logger) {
        self.specs = specs
        self.logger = logger
    }

    /// Runs every hook subscribed to `event`, with `variables` (`OSPF_SPEAKER_*`) in the environment.
    func fire(_ event: HookSpec.Event, _ variables: [(String, String)]) {
        let matching = specs.filter { $0.events.contains(event) }
        guard !matching.isEmpty else { return }
        var environment = ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"]
        environment.append("OSPF_SPEAKER_EVENT=\(event.rawValue)")
        for (k, v) in variables { environment.append("OSPF_SPEAKER_\(k)=\(v)") }
        let env = environment
        for spec in matching {
            let accepted = lock.withLock {
                guard pending < 32 else { return false }
                pending += 1
                return true
            }
            guard accepted else {
                logger.warning(
                    "hook \(spec.command.joined(separator: " ")): 32 runs already waiting; this \(event.rawValue) event is not passed on"
                )
                continue
            }
            let logger = self.logger
            queue.async { [self] in
                let start = DispatchTime.now().uptimeNanoseconds
                let r = CheckRunner.command(spec.command, environment: env, timeoutMs: spec.timeoutMs)
                let ms = (DispatchTime.now().uptimeNanoseconds - start) / 1_000_000
                lock.withLock { pending -= 1 }
                let meta: Logger.Metadata = [
                    "event": "\(event.rawValue)", "exit": "\(r.exitCode)", "took_ms": "\(ms)", "output": "\(r.output)",
                ]
                if r.timedOut {
                    logger.warning("hook \(spec.command[0]) killed after \(spec.timeoutMs) ms", metadata: meta)
                } else if r.exitCode != 0 {
                    logger.warning("hook \(spec.command[0]) failed", metadata: meta)
                } else {
                    logger.info("hook \(spec.command[0]) ran", metadata: meta)
                }
            }
        }
    }
}
