import OSPFWire

/// The Link state request list of a neighbour (RFC 2328 10): the LSAs to request, in the order
/// they were found in Database Description packets. Adding, removing and looking up an LSA are
/// O(1); taking the next batch for an LS Request is O(batch) amortised.
public struct RequestList: Sendable, Equatable {
    /// One requested LSA, in request order.
    struct Entry: Sendable, Equatable {
        var key: LSAKey
        /// The header that caused the request.
        var header: LSAHeader
        /// Still requested (a removed request leaves a hole until the next compaction).
        var alive = true
        /// Named in the LS Request in flight.
        var inFlight = false
    }

    /// Each listed key's position: its index in `entries` plus `base`. An ``LSAIndex``, not a
    /// dictionary: a standard dictionary's in-place accessor allocates (a coroutine frame) on
    /// every call, and its lookups and deletions cost several hundred instructions per LSA of a
    /// synchronisation.
    private var positions = LSAIndex()
    private var entries: [Entry] = []
    /// The position of `entries[0]`: requests answered in order are dropped from the front
    /// without renumbering the others.
    private var base = 0
    /// Every entry before `head` is a hole.
    private var head = 0
    /// The keys of the LS Request in flight.
    private var inFlightKeys: [LSAKey] = []

    /// Creates an empty list.
    public init() {}

    /// How many requests of the LS Request in flight are still unanswered (10.9).
    public private(set) var inFlight = 0

    /// The number of outstanding requests.
    public var count: Int { positions.count }

    /// Whether nothing is outstanding.
    public var isEmpty: Bool { positions.count == 0 }

    /// The header that caused the request for `key`, if it is on the list.
    public subscript(key: LSAKey) -> LSAHeader? { positions[key].map { entries[Int($0) - base].header } }

    /// Adds a request (10.6); a key already listed keeps its place and takes the newer header.
    mutating func insert(_ header: LSAHeader) {
        let key = LSAKey(header)
        if let p = positions[key] {
            entries[Int(p) - base].header = header
            return
        }
        if base + entries.count >= Int(Int32.max) { compact() }
        positions.insert(key, Int32(base + entries.count))
        entries.append(Entry(key: key, header: header))
    }

    /// Removes a request (10.9, 13 (5b)); returns whether it was listed.
    @discardableResult
    mutating func remove(_ key: LSAKey) -> Bool {
        guard let p = positions.removeValue(forKey: key).map({ Int($0) - base }) else { return false }
        if entries[p].inFlight { inFlight -= 1 }
        if positions.count == 0 {
            self = RequestList()
            return true
        }
        entries[p].alive = false
        entries[p].inFlight = false
        while head < entries.count, !entries[head].alive { head += 1 }
        // Requests are mostly answered in order: the answered front goes, nothing is renumbered.
        if head >= 32 && 2 * head >= entries.count {
            entries.removeFirst(head)
            base += head
            head = 0
        }
        // Holes elsewhere (requests answered out of order) are compacted when they dominate.
        if entries.count > 64 && entries.count > 2 * positions.count { compact() }
        return true
    }

    /// Marks the first `limit` outstanding requests as the LS Request now in flight (an earlier
    /// one's unanswered entries are asked for again) and returns them. With `answerBudget` (the
    /// bytes of LSAs one LS Update carries) a batch that leaves requests behind ends where the
    /// answer's last LS Update would be less than half full: those requests go in the next LS
    /// Request, with the ones left behind (see ``answerPrefix``).
    mutating func sendNext(_ limit: Int, answerBudget: Int? = nil) -> [LSAKey] {
        if inFlight > 0 {
            for key in inFlightKeys { if let p = positions[key] { entries[Int(p) - base].inFlight = false } }
        }
        var picked = firstPositions(limit)
        if let answerBudget, positions.count > picked.count {
            let keep = Self.answerPrefix(picked.map { Int(entries[$0].header.length) }, budget: answerBudget)
            picked.removeLast(picked.count - keep)
        }
        for p in picked { entries[p].inFlight = true }
        inFlight = picked.count
        inFlightKeys = picked.map { entries[$0].key }
        return inFlightKeys
    }

    /// How many of the LSAs (by length, in order) to request so that the LS Updates answering
    /// them, packed greedily to `budget` bytes as routers do, end with one at least half full: a
    /// request list cut at the packet size alone often costs an extra LS Update carrying one LSA
    /// (121 requests of 36-byte externals are answered as 40 + 40 + 40 + 1 at an MTU of 1500).
    /// Never fewer than the LSAs of the first LS Update.
    static func answerPrefix(_ lengths: [Int], budget: Int) -> Int {
        var used = 0
        var lastStart = 0
        for (i, length) in lengths.enumerated() {
            if used > 0 && used + length > budget {
                lastStart = i
                used = 0
            }
            used += length
        }
        return lastStart > 0 && used * 2 < budget ? lastStart : lengths.count
    }

    /// The first `limit` outstanding requests in order.
    public func first(_ limit: Int) -> [LSAKey] { firstPositions(limit).map { entries[$0].key } }

    /// The indices in `entries` of the first `limit` outstanding requests.
    private func firstPositions(_ limit: Int) -> [Int] {
        var out: [Int] = []
        out.reserveCapacity(min(limit, positions.count))
        var p = head
        while p < entries.count && out.count < limit {
            if entries[p].alive { out.append(p) }
            p += 1
        }
        return out
    }

    /// Empties the list.
    mutating func removeAll() { self = RequestList() }

    /// Drops every hole and renumbers from zero.
    private mutating func compact() {
        var fresh: [Entry] = []
        fresh.reserveCapacity(positions.count)
        for p in head..<entries.count where entries[p].alive {
            positions.update(entries[p].key, Int32(fresh.count))
            fresh.append(entries[p])
        }
        entries = fresh
        base = 0
        head = 0
    }

    /// Lists compare by their contents in order.
    public static func == (a: RequestList, b: RequestList) -> Bool {
        guard a.count == b.count else { return false }
        let x = a.firstPositions(a.count)
        let y = b.firstPositions(b.count)
        return zip(x, y).allSatisfy {
            a.entries[$0].key == b.entries[$1].key && a.entries[$0].header == b.entries[$1].header
        }
    }
}
