/// When each installed LSA reaches MaxAge by aging (RFC 2328 14): a time wheel of one bucket per
/// second over MaxAge. Scheduling is an append, O(1), to chunked storage (a bucket that grows to
/// every LSA of a synchronisation never copies itself); the age tick drains the seconds that have
/// passed. Entries made stale by a newer installation are left in place and skipped by the caller.
struct ExpiryQueue: Sendable {
    /// Seconds the wheel spans: an LSA installed with age 0 expires MaxAge seconds later.
    private static let span = Int64(Architectural.maxAge) + 2
    private var buckets = Array(repeating: ChunkedArray<LSAKey>(), count: Int(ExpiryQueue.span))
    /// The earliest second that may hold keys not yet drained.
    private var nextSecond: Int64?
    private(set) var count = 0

    /// Schedules `key` for the whole second at or after `at`.
    mutating func push(_ key: LSAKey, at: Instant) {
        let second = (at.nanoseconds + 999_999_999) / 1_000_000_000
        buckets[Self.slot(second)].append(key)
        count += 1
        if nextSecond.map({ second < $0 }) ?? true { nextSecond = second }
    }

    /// Removes and returns every key scheduled for a second at or before `now`.
    mutating func takeDue(_ now: Instant) -> [LSAKey] {
        guard let start = nextSecond else { return [] }
        let last = now.nanoseconds / 1_000_000_000
        guard start <= last else { return [] }
        var out: [LSAKey] = []
        // After a gap longer than the wheel every bucket is due.
        let end = min(last, start + Self.span - 1)
        for second in start...end {
            let i = Self.slot(second)
            out.append(contentsOf: buckets[i])
            buckets[i].removeAll()
        }
        count -= out.count
        nextSecond = count == 0 ? nil : last + 1
        return out
    }

    private static func slot(_ second: Int64) -> Int { Int(((second % span) + span) % span) }
}
