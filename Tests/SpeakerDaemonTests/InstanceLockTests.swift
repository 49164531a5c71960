import Foundation
import Testing

@testable import SpeakerDaemon

/// One speaker per state file (the lock a second `run` stops at).
@Suite struct InstanceLockTests {
    static func scratch() -> String {
        let dir = NSTemporaryDirectory() + "ospf-speaker-lock-\(UUID().uuidString)"
        return dir + "/state.json"
    }

    @Test func secondInstanceIsRefusedNamingThePid() throws {
        let state = Self.scratch()
        let first = try InstanceLock(stateFile: state)
        defer { first.release() }
        #expect(throws: DaemonError.self) { _ = try InstanceLock(stateFile: state) }
        do {
            _ = try InstanceLock(stateFile: state)
        } catch let e as DaemonError {
            #expect(e.description.contains("pid \(getpid())"), "\(e)")
            #expect(e.description.contains(InstanceLock.path(forStateFile: state)))
        }
    }

    @Test func releasedOrStaleLockDoesNotBlock() throws {
        let state = Self.scratch()
        let first = try InstanceLock(stateFile: state)
        first.release()
        // A lock file left by a killed run (pid written, no lock held) is taken over.
        try "999999\n".write(toFile: InstanceLock.path(forStateFile: state), atomically: false, encoding: .utf8)
        let second = try InstanceLock(stateFile: state)
        second.release()
        let pid = try String(contentsOfFile: InstanceLock.path(forStateFile: state), encoding: .utf8)
        #expect(pid == "\(getpid())\n")
    }
}
