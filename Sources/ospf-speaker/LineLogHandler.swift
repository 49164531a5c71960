import Glibc
import Logging
import SystemSupport

/// One line per event on stderr: `2026-11-27T07:58:08.123Z notice message key=value ...`
/// (UTC, millisecond timestamps, so log lines can be lined up with routing changes).
struct LineLogHandler: LogHandler {
    var logLevel: Logger.Level = .info
    var metadata: Logger.Metadata = [:]

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        var t = time_t(ts.tv_sec)
        var parts = tm()
        gmtime_r(&t, &parts)
        func d(_ v: some BinaryInteger, _ width: Int) -> String {
            let t = String(v)
            return String(repeating: "0", count: max(0, width - t.count)) + t
        }
        let stamp =
            "\(d(parts.tm_year + 1900, 4))-\(d(parts.tm_mon + 1, 2))-\(d(parts.tm_mday, 2))T"
            + "\(d(parts.tm_hour, 2)):\(d(parts.tm_min, 2)):\(d(parts.tm_sec, 2)).\(d(ts.tv_nsec / 1_000_000, 3))Z"
        var line = "\(stamp) \(event.level) \(event.message)"
        let merged = metadata.merging(event.metadata ?? [:]) { $1 }
        for key in merged.keys.sorted() { line += " \(key)=\(logfmtValue("\(merged[key]!)"))" }
        writeStandardError(line + "\n")
    }
}
