import OSPFWire

/// A request on the control socket, shared by the daemon and the CLI. On the wire: one line of
/// JSON, e.g. `{"command":"maintenance","on":true,"reason":"kernel upgrade","for_seconds":3600}`.
/// (A plain line such as `status` is still understood, for people typing into the socket.)
public enum ControlRequest: Equatable, Sendable {
    /// The status document.
    case status
    /// The link-state database.
    case database
    /// Maintenance on or off, with an optional reason, duration and whether to skip the backup warning.
    case maintenance(on: Bool, reason: String?, forSeconds: Int64?, force: Bool)

    /// The largest request line the daemon reads (bytes, newline included).
    public static let maxRequestBytes = 16 * 1024
    /// The longest maintenance reason (characters).
    public static let maxReasonLength = 1024
    /// The longest maintenance duration: 30 days.
    public static let maxMaintenanceSeconds: Int64 = 30 * 86400

    /// The request as one JSON line (no newline).
    public var line: String { json.text }

    /// The JSON form.
    public var json: JSONValue {
        switch self {
        case .status: return .object([("command", "status")])
        case .database: return .object([("command", "database")])
        case .maintenance(let on, let reason, let seconds, let force):
            var pairs: [(String, JSONValue)] = [("command", "maintenance"), ("on", .bool(on))]
            if let reason { pairs.append(("reason", .string(reason))) }
            if let seconds { pairs.append(("for_seconds", .int(seconds))) }
            if force { pairs.append(("force", true)) }
            return .object(pairs)
        }
    }

    /// Why a request was refused (sent back as `{"error": ...}`).
    public struct Invalid: Error, Equatable, CustomStringConvertible {
        /// The message.
        public var description: String
        init(_ d: String) { description = d }
    }

    /// Checks the limits (the CLI before sending, the daemon on receipt).
    public func validate() throws(Invalid) {
        guard case .maintenance(let on, let reason, let seconds, _) = self else { return }
        if let reason, reason.count > Self.maxReasonLength {
            throw Invalid("the reason is \(reason.count) characters; the limit is \(Self.maxReasonLength)")
        }
        if let reason, reason.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) {
            throw Invalid("the reason contains a control character (line breaks included)")
        }
        if let seconds {
            guard on else { throw Invalid("a duration applies to maintenance on only") }
            guard seconds > 0, seconds <= Self.maxMaintenanceSeconds else {
                throw Invalid("duration \(seconds) s is outside 1 s ... 30 days")
            }
        }
    }

    /// Reads a request line: JSON, or the plain words `status`, `database`,
    /// `maintenance on|off [--force] [--for SECONDS] [REASON...]`.
    public init(line: String) throws(Invalid) {
        let trimmed = line.drop { $0 == " " || $0 == "\t" }
        if trimmed.hasPrefix("{") {
            let value: JSONValue
            do { value = try JSONValue.parse(String(trimmed)) } catch { throw Invalid("request: \(error)") }
            try self.init(json: value)
        } else {
            try self.init(words: trimmed.split(separator: " ", omittingEmptySubsequences: true).map(String.init))
        }
        try validate()
    }

    /// The JSON form, every field checked.
    public init(json: JSONValue) throws(Invalid) {
        guard let pairs = json.objectValue else { throw Invalid("request: expected a JSON object") }
        let known: Set<String> = ["command", "on", "reason", "for_seconds", "force"]
        if let unknown = pairs.map(\.0).first(where: { !known.contains($0) }) {
            throw Invalid("request: unknown field \"\(unknown)\"")
        }
        switch json["command"]?.stringValue {
        case "status": self = .status
        case "database": self = .database
        case "maintenance":
            guard let on = json["on"]?.boolValue else { throw Invalid("maintenance: \"on\" must be true or false") }
            let reason = json["reason"]
            guard reason == nil || reason!.isNull || reason!.stringValue != nil else {
                throw Invalid("maintenance: \"reason\" must be a string")
            }
            let seconds = json["for_seconds"]
            guard seconds == nil || seconds!.isNull || seconds!.intValue != nil else {
                throw Invalid("maintenance: \"for_seconds\" must be an integer")
            }
            let force = json["force"]
            guard force == nil || force!.boolValue != nil else {
                throw Invalid("maintenance: \"force\" must be true or false")
            }
            self = .maintenance(
                on: on, reason: reason?.stringValue, forSeconds: seconds?.intValue, force: force?.boolValue ?? false)
        case let other:
            throw Invalid("unknown command \"\(other ?? "")\" (status, database, maintenance)")
        }
    }

    init(words: [String]) throws(Invalid) {
        switch words.first {
        case "status": self = .status
        case "database": self = .database
        case "maintenance":
            guard words.count >= 2, words[1] == "on" || words[1] == "off" else {
                throw Invalid("usage: maintenance on|off [--force] [--for SECONDS] [REASON]")
            }
            var rest = Array(words.dropFirst(2))
            var force = false
            var seconds: Int64?
            while let first = rest.first, first.hasPrefix("--") {
                if first == "--force" {
                    force = true
                    rest.removeFirst()
                } else if first == "--for", rest.count >= 2, let s = Int64(rest[1]) {
                    seconds = s
                    rest.removeFirst(2)
                } else {
                    break
                }
            }
            self = .maintenance(
                on: words[1] == "on", reason: rest.isEmpty ? nil : rest.joined(separator: " "), forSeconds: seconds,
                force: force)
        default:
            throw Invalid("unknown command \"\(words.first ?? "")\" (status, database, maintenance)")
        }
    }
}
