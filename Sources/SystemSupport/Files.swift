#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

// Files, directories and standard error through the C library: the daemon links no Foundation
// (its libraries and their symbol tables were most of the idle footprint).

/// A file that could not be read or written, with the system's reason.
public struct FileError: Error, CustomStringConvertible, Equatable {
    /// The file.
    public var path: String
    /// Why, as the system says it (`No such file or directory`, `Permission denied`, ...).
    public var reason: String
    /// Creates an error.
    public init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }
    /// `PATH: reason`.
    public var description: String { "\(path): \(reason)" }
}

/// The text of `errno`.
public func systemError(_ code: Int32 = errno) -> String { String(cString: strerror(code)) }

/// Reads a whole file as bytes; the error says why it could not (a directory is an error).
public func readFileBytes(_ path: String) throws(FileError) -> [UInt8] {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { throw FileError(path: path, reason: systemError()) }
    defer { close(fd) }
    var info = stat()
    if fstat(fd, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR {
        throw FileError(path: path, reason: "is a directory, not a file")
    }
    var out: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 16384)
    while true {
        let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        if n < 0 {
            if errno == EINTR { continue }
            throw FileError(path: path, reason: systemError())
        }
        if n == 0 { break }
        out += buffer[0..<n]
    }
    return out
}

/// Reads a whole file as UTF-8 text (invalid sequences become U+FFFD).
public func readTextFile(_ path: String) throws(FileError) -> String {
    String(decoding: try readFileBytes(path), as: UTF8.self)
}

/// Whether something exists at `path`.
public func fileExists(_ path: String) -> Bool {
    var info = stat()
    return stat(path, &info) == 0
}

/// Whether `path` is a directory.
public func isDirectory(_ path: String) -> Bool {
    var info = stat()
    return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
}

/// The permission bits of a file, nil when it cannot be examined.
public func fileMode(_ path: String) -> mode_t? {
    var info = stat()
    return stat(path, &info) == 0 ? info.st_mode & 0o7777 : nil
}

/// The folder part of a path (`/a/b/c` -> `/a/b`, `c` -> `.`, `/c` -> `/`).
public func parentDirectory(_ path: String) -> String {
    var p = Substring(path)
    while p.count > 1 && p.hasSuffix("/") { p = p.dropLast() }
    guard let slash = p.lastIndex(of: "/") else { return "." }
    let parent = p[..<slash]
    return parent.isEmpty ? "/" : String(parent)
}

/// Creates a directory and any missing parents (as `mkdir -p`).
public func makeDirectories(_ path: String, mode: mode_t = 0o755) throws(FileError) {
    if path.isEmpty || isDirectory(path) { return }
    let parent = parentDirectory(path)
    if parent != path && parent != "." && parent != "/" { try makeDirectories(parent, mode: mode) }
    if mkdir(path, mode) != 0 && errno != EEXIST { throw FileError(path: path, reason: systemError()) }
}

/// Writes a file atomically: a temporary file beside it, with `mode`, flushed to disk and
/// renamed over the old one, so a crash leaves the old file or the new one, never half of one.
public func writeFileAtomically(_ path: String, _ bytes: [UInt8], mode: mode_t = 0o640) throws(FileError) {
    try makeDirectories(parentDirectory(path))
    let temporary = "\(path).tmp.\(getpid())"
    let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode)
    guard fd >= 0 else { throw FileError(path: temporary, reason: systemError()) }
    if let code = writeAll(fd, bytes) {
        close(fd)
        unlink(temporary)
        throw FileError(path: temporary, reason: systemError(code))
    }
    // The umask may have narrowed the mode; the file gets exactly `mode`.
    fchmod(fd, mode)
    let synced = fsync(fd) == 0
    let syncReason = systemError()
    close(fd)
    guard synced else {
        unlink(temporary)
        throw FileError(path: temporary, reason: syncReason)
    }
    guard rename(temporary, path) == 0 else {
        let reason = systemError()
        unlink(temporary)
        throw FileError(path: path, reason: reason)
    }
}

/// The names in a directory (without `.` and `..`), nil when it cannot be read.
public func directoryEntries(_ path: String) -> [String]? {
    guard let dir = opendir(path) else { return nil }
    defer { closedir(dir) }
    var names: [String] = []
    while let entry = readdir(dir) {
        let name = withUnsafePointer(to: entry.pointee.d_name) {
            $0.withMemoryRebound(to: CChar.self, capacity: MemoryLayout.size(ofValue: entry.pointee.d_name)) {
                String(cString: $0)
            }
        }
        if name != "." && name != ".." { names.append(name) }
    }
    return names.sorted()
}

/// Writes text to standard error, whole (no buffering, safe from any thread).
public func writeStandardError(_ text: String) {
    writeAll(2, Array(text.utf8))
}

/// Writes text to standard output, whole.
public func writeStandardOutput(_ text: String) {
    writeAll(1, Array(text.utf8))
}

/// Writes every byte (retrying short writes and EINTR); the errno that stopped it, or nil.
@discardableResult
private func writeAll(_ fd: Int32, _ bytes: [UInt8]) -> Int32? {
    var written = 0
    while written < bytes.count {
        let n = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + written, $0.count - written) }
        if n < 0 && errno == EINTR { continue }
        if n < 0 { return errno }
        if n == 0 { return EIO }
        written += n
    }
    return nil
}
