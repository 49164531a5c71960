import OSPFWire

/// The Link state request list of a neighbour (RFC 2328 10): the LSAs to request, in the order
/// they were found in Database Description packets. Adding, removing and looking up an LSA are
/// O(1); taking the next batch for an LS Request is O(batch) amortised.
public struct RequestList: Sendable, Equatable {
    /// One requested LSA: the header that caused the request and its slot in `order`.
    struct Slot: Sendable, Equatable {
        var header: LSAHeader
        var position: Int
        /// Named in the LS Request in flight.
        var inFlight = false
    }

    private var slots: [LSAKey: Slot] = [:]
    /// Keys in request order; a position whose `alive` flag is off is a hole.
    private var order: [LSAKey] = []
    private var alive: [Bool] = []
    /// Every position before `head` is a hole.
    private var head = 0

    /// Creates an empty list.
    public init() {}

    /// How many requests of the LS Request in flight are still unanswered (10.9).
    public private(set) var inFlight = 0

    /// The number of outstanding requests.
    public var count: Int { slots.count }

    /// Whether nothing is outstanding.
    public var isEmpty: Bool { slots.isEmpty }

    /// The header that caused the request for `key`, if it is on the list.
    public subscript(key: LSAKey) -> LSAHeader? { slots[key]?.header }

    /// Adds a request (10.6); a key already listed keeps its place and takes the newer header.
    mutating func insert(_ header: LSAHeader) {
        let key = LSAKey(header)
        if slots[key] != nil {
            slots[key]?.header = header
            return
        }
        slots[key] = Slot(header: header, position: order.count)
        order.append(key)
        alive.append(true)
    }

    /// Removes a request (10.9, 13 (5b)); returns whether it was listed.
    @discardableResult
    mutating func remove(_ key: LSAKey) -> Bool {
        guard let removed = slots.removeValue(forKey: key) else { return false }
        if removed.inFlight { inFlight -= 1 }
        if slots.isEmpty {
            order.removeAll(keepingCapacity: false)
            alive.removeAll(keepingCapacity: false)
            head = 0
            return true
        }
        alive[removed.position] = false
        while head < order.count, !isLive(head) { head += 1 }
        // Requests are mostly satisfied in order; compact when holes dominate.
        if order.count > 64 && order.count > 2 * slots.count { compact() }
        return true
    }

    /// Marks the first `limit` outstanding requests as the LS Request now in flight (an earlier
    /// one's unanswered entries are asked for again) and returns them. With `answerBudget` (the
    /// bytes of LSAs one LS Update carries) a batch that leaves requests behind ends where the
    /// answer's last LS Update would be less than half full: those requests go in the next LS
    /// Request, with the ones left behind (see ``answerPrefix``).
    mutating func sendNext(_ limit: Int, answerBudget: Int? = nil) -> [LSAKey] {
        if inFlight > 0 { for key in slots.keys { slots[key]?.inFlight = false } }
        var keys = first(limit)
        if let answerBudget, slots.count > keys.count {
            let keep = Self.answerPrefix(keys.map { Int(slots[$0]?.header.length ?? 0) }, budget: answerBudget)
            keys.removeLast(keys.count - keep)
        }
        for key in keys { slots[key]?.inFlight = true }
        inFlight = keys.count
        return keys
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
    public func first(_ limit: Int) -> [LSAKey] {
        var out: [LSAKey] = []
        out.reserveCapacity(min(limit, slots.count))
        var p = head
        while p < order.count && out.count < limit {
            if isLive(p) { out.append(order[p]) }
            p += 1
        }
        return out
    }

    /// Empties the list.
    mutating func removeAll() { self = RequestList() }

    private func isLive(_ position: Int) -> Bool { alive[position] }

    private mutating func compact() {
        var fresh: [LSAKey] = []
        fresh.reserveCapacity(slots.count)
        for p in head..<order.count where isLive(p) {
            slots[order[p]]?.position = fresh.count
            fresh.append(order[p])
        }
        order = fresh
        alive = Array(repeating: true, count: fresh.count)
        head = 0
    }

    /// Lists compare by their contents in order.
    public static func == (a: RequestList, b: RequestList) -> Bool {
        a.count == b.count && a.first(a.count) == b.first(b.count)
            && a.slots.allSatisfy { b.slots[$0.key]?.header == $0.value.header }
    }
}
