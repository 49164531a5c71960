import OSPFWire
import SystemSupport

/// What survives a restart: maintenance (with reason and time) and the last
/// cryptographic sequence number used, so a restart never goes backwards.
public struct PersistentState: Sendable, Equatable {
    /// Maintenance mode.
    public var maintenance = false
    /// Why, as given by the operator.
    public var maintenanceReason: String?
    /// When maintenance was entered (Unix seconds).
    public var maintenanceSince: Int64?
    /// When maintenance ends by itself (Unix seconds), if set.
    public var maintenanceUntil: Int64?
    /// The highest cryptographic sequence number sent.
    public var cryptoSequence: UInt32?
    /// What turned maintenance on: `file` (the maintenance file), `operator` (CLI), `signal`.
    public var maintenanceSource: String?

    /// Empty state.
    public init() {}

    /// The file's JSON: keys sorted, absent values left out.
    public var json: JSONValue {
        var pairs: [(String, JSONValue)] = []
        if let cryptoSequence { pairs.append(("crypto_sequence", .number(cryptoSequence))) }
        pairs.append(("maintenance", .bool(maintenance)))
        if let maintenanceReason { pairs.append(("maintenance_reason", .string(maintenanceReason))) }
        if let maintenanceSource { pairs.append(("maintenance_source", .string(maintenanceSource))) }
        if let maintenanceSince { pairs.append(("maintenance_since", .int(maintenanceSince))) }
        if let maintenanceUntil { pairs.append(("maintenance_until", .int(maintenanceUntil))) }
        return .object(pairs)
    }

    /// Reads the state from the file's JSON; a wrong type for a known key is an error naming it.
    public init(json: JSONValue) throws(StateFileError.Reason) {
        guard let pairs = json.objectValue else { throw .init("the top level is not an object") }
        for (key, value) in pairs where !value.isNull {
            switch key {
            case "maintenance":
                guard let b = value.boolValue else { throw .init("maintenance: expected true or false") }
                maintenance = b
            case "maintenance_reason":
                guard let s = value.stringValue else { throw .init("maintenance_reason: expected a string") }
                maintenanceReason = s
            case "maintenance_source":
                guard let s = value.stringValue else { throw .init("maintenance_source: expected a string") }
                maintenanceSource = s
            case "maintenance_since":
                guard let i = value.intValue else { throw .init("maintenance_since: expected an integer") }
                maintenanceSince = i
            case "maintenance_until":
                guard let i = value.intValue else { throw .init("maintenance_until: expected an integer") }
                maintenanceUntil = i
            case "crypto_sequence":
                guard let i = value.intValue, let s = UInt32(exactly: i) else {
                    throw .init("crypto_sequence: expected an integer from 0 to 4294967295")
                }
                cryptoSequence = s
            default: continue  // written by a later version: kept out, not fatal
            }
        }
    }

    /// Loads the state file; a missing file is the empty state, a corrupt one an error naming it.
    public static func load(_ path: String) throws(StateFileError) -> PersistentState {
        guard fileExists(path) else { return PersistentState() }
        let text: String
        do { text = try readTextFile(path) } catch { throw StateFileError(path: path, reason: error.reason) }
        do {
            return try PersistentState(json: try JSONValue.parse(text))
        } catch let e as JSONParseError {
            throw StateFileError(path: path, reason: e.description)
        } catch let e as StateFileError.Reason {
            throw StateFileError(path: path, reason: e.text)
        } catch {
            throw StateFileError(path: path, reason: "\(error)")
        }
    }

    /// Writes atomically (temporary file, fsync, rename), creating the directory; readable by
    /// the owner and its group only.
    public func save(_ path: String) throws(FileError) {
        try writeFileAtomically(path, Array((json.pretty + "\n").utf8), mode: 0o640)
    }
}

/// A state file that exists but cannot be read.
public struct StateFileError: Error, CustomStringConvertible {
    /// What is wrong inside the file.
    public struct Reason: Error {
        /// The text.
        public var text: String
        init(_ text: String) { self.text = text }
    }
    /// The file.
    public var path: String
    /// Why.
    public var reason: String
    /// `PATH: reason`.
    public var description: String { "\(path): unreadable state file: \(reason)" }
}
