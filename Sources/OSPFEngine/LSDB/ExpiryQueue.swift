/// A min-heap of (instant, LSA key): when each installed LSA reaches MaxAge by aging
/// (RFC 2328 14). Push and pop are O(log n); entries made stale by a newer installation are
/// left in place and skipped when popped.
struct ExpiryQueue: Sendable {
    struct Item: Sendable {
        var at: Instant
        var key: LSAKey
    }

    private var heap: [Item] = []

    var count: Int { heap.count }

    /// The earliest instant in the queue.
    var earliest: Instant? { heap.first?.at }

    mutating func push(_ key: LSAKey, at: Instant) {
        heap.append(Item(at: at, key: key))
        var child = heap.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard heap[child].at < heap[parent].at else { break }
            heap.swapAt(child, parent)
            child = parent
        }
    }

    /// Removes and returns the earliest item if it is due at `now`.
    mutating func popDue(_ now: Instant) -> Item? {
        guard let top = heap.first, top.at <= now else { return nil }
        let last = heap.removeLast()
        if heap.isEmpty { return top }
        heap[0] = last
        var parent = 0
        while true {
            let l = 2 * parent + 1
            let r = l + 1
            var smallest = parent
            if l < heap.count && heap[l].at < heap[smallest].at { smallest = l }
            if r < heap.count && heap[r].at < heap[smallest].at { smallest = r }
            if smallest == parent { break }
            heap.swapAt(parent, smallest)
            parent = smallest
        }
        return top
    }

    mutating func removeAll() { heap = [] }
}
