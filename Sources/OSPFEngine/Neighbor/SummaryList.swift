import OSPFWire

/// The Database summary list of a neighbour (RFC 2328 10): the LSAs of the database when the
/// exchange began, described in order. Only keys are kept; each header is read from the database
/// when it is described, so the current instance (and age) goes out. Taking the next batch is
/// O(batch).
public struct SummaryList: Sendable, Equatable {
    private var keys: [LSAKey] = []
    private var cursor = 0

    /// Creates a list of keys in description order.
    public init(_ keys: [LSAKey] = []) { self.keys = keys }

    /// How many LSAs remain to be described.
    public var count: Int { keys.count - cursor }

    /// Whether every LSA has been described.
    public var isEmpty: Bool { cursor >= keys.count }

    /// Takes the next `limit` keys.
    mutating func next(_ limit: Int) -> ArraySlice<LSAKey> {
        let end = min(keys.count, cursor + limit)
        defer {
            cursor = end
            if cursor == keys.count {
                keys = []
                cursor = 0
            }
        }
        return keys[cursor..<end]
    }
}
