import CSpeakerShims
import Glibc
import SystemSupport

/// One speaker per configuration: an exclusive lock on `<state_file>.lock`, held for the life of
/// the process (the kernel drops it when the process ends, however it ends, so a SIGKILLed run
/// leaves no stale lock). A second `run` with the same state file stops before it opens a socket:
/// otherwise its Hellos would flap the first one's adjacencies, and on exit it would flush the
/// LSAs the first still advertises and remove its control socket.
struct InstanceLock {
    /// The lock file.
    let path: String
    private let fd: Int32

    /// The lock file for a state file.
    static func path(forStateFile stateFile: String) -> String { stateFile + ".lock" }

    /// Takes the lock, creating the folder if needed; throws naming the pid that holds it.
    init(stateFile: String) throws {
        path = Self.path(forStateFile: stateFile)
        try? makeDirectories(parentDirectory(path))
        var holder: Int32 = 0
        let rc = ospf_instance_lock(path, &holder)
        if rc == -EWOULDBLOCK {
            throw DaemonError(
                "another ospf-speaker\(holder > 0 ? " (pid \(holder))" : "") is running with state file \(stateFile) "
                    + "(lock \(path)); not starting a second one: it would disturb the first one's adjacencies, "
                    + "LSAs and control socket")
        }
        guard rc >= 0 else { throw DaemonError("lock \(path): \(String(cString: strerror(-rc)))") }
        fd = rc
    }

    /// Releases the lock (the process's exit does it too).
    func release() { close(fd) }
}
