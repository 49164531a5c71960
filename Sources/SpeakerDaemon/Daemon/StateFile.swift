import Foundation

/// What survives a restart: maintenance (with reason and time) and the last
/// cryptographic sequence number used, so a restart never goes backwards.
public struct PersistentState: Codable, Sendable, Equatable {
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

    /// Empty state.
    public init() {}

    enum CodingKeys: String, CodingKey {
        case maintenance
        case maintenanceReason = "maintenance_reason"
        case maintenanceSince = "maintenance_since"
        case maintenanceUntil = "maintenance_until"
        case cryptoSequence = "crypto_sequence"
    }

    /// Loads the state file; a missing file is the empty state, a corrupt one an error naming it.
    public static func load(_ path: String) throws -> PersistentState {
        guard FileManager.default.fileExists(atPath: path) else { return PersistentState() }
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        do {
            return try JSONDecoder().decode(PersistentState.self, from: data)
        } catch {
            throw StateFileError(path: path, reason: "\(error)")
        }
    }

    /// Writes atomically (temporary file + rename), creating the directory.
    public func save(_ path: String) throws {
        let url = URL(fileURLWithPath: path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        try encoder.encode(self).write(to: url, options: .atomic)
    }
}

/// A state file that exists but cannot be read.
public struct StateFileError: Error, CustomStringConvertible {
    /// The file.
    public var path: String
    /// Why.
    public var reason: String
    /// `PATH: reason`.
    public var description: String { "\(path): unreadable state file: \(reason)" }
}
