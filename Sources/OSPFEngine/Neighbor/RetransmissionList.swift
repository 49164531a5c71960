import OSPFWire

/// The Link state retransmission list of a neighbour (RFC 2328 10, 13.6): LSAs flooded to it and
/// not yet acknowledged, each with the instance sent and when it was last sent. O(1) add, remove
/// and lookup.
public struct RetransmissionList: Sendable, Equatable {
    /// One unacknowledged LSA.
    public struct Entry: Sendable, Equatable {
        /// The instance flooded.
        public var header: LSAHeader
        /// When it was last sent to the neighbour.
        public var sentAt: Instant
    }

    private var entries: [LSAKey: Entry] = [:]

    /// Creates an empty list.
    public init() {}

    /// The number of unacknowledged LSAs.
    public var count: Int { entries.count }

    /// Whether everything was acknowledged.
    public var isEmpty: Bool { entries.isEmpty }

    /// The instance awaiting acknowledgement for `key`.
    public subscript(key: LSAKey) -> LSAHeader? { entries[key]?.header }

    /// Lists an instance as sent at `now` (13.3 (5b)).
    mutating func insert(_ header: LSAHeader, sentAt now: Instant) {
        entries[LSAKey(header)] = Entry(header: header, sentAt: now)
    }

    /// Removes an LSA (acknowledged, 13.7, or superseded, 13 (5c)); returns whether it was listed.
    @discardableResult
    mutating func remove(_ key: LSAKey) -> Bool { entries.removeValue(forKey: key) != nil }

    /// The keys whose last transmission is at or before `cutoff`, in database order.
    func due(sentAtOrBefore cutoff: Instant) -> [LSAKey] {
        entries.compactMap { $0.value.sentAt <= cutoff ? $0.key : nil }.sorted()
    }

    /// The earliest last-transmission time, if any.
    var earliestSend: Instant? { entries.values.lazy.map(\.sentAt).min() }

    /// Marks keys as sent again at `now`.
    mutating func resent(_ keys: some Sequence<LSAKey>, at now: Instant) {
        // Read and replace: a dictionary's in-place accessor allocates on every call.
        for k in keys {
            if let e = entries[k] { entries.updateValue(Entry(header: e.header, sentAt: now), forKey: k) }
        }
    }

    /// Empties the list.
    mutating func removeAll() { entries = [:] }
}
