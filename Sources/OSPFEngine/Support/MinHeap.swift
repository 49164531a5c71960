/// A binary min-heap: push and pop O(log n), peek O(1). Used for the engine driver's timers.
struct MinHeap<Element: Comparable & Sendable>: Sendable {
    private(set) var elements: [Element] = []

    var count: Int { elements.count }
    /// The smallest element.
    var first: Element? { elements.first }

    mutating func push(_ e: Element) {
        elements.append(e)
        var child = elements.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard elements[child] < elements[parent] else { break }
            elements.swapAt(child, parent)
            child = parent
        }
    }

    /// Removes and returns the smallest element.
    @discardableResult
    mutating func pop() -> Element? {
        guard let top = elements.first else { return nil }
        let last = elements.removeLast()
        guard !elements.isEmpty else { return top }
        elements[0] = last
        var parent = 0
        while true {
            let l = 2 * parent + 1
            let r = l + 1
            var smallest = parent
            if l < elements.count && elements[l] < elements[smallest] { smallest = l }
            if r < elements.count && elements[r] < elements[smallest] { smallest = r }
            if smallest == parent { return top }
            elements.swapAt(parent, smallest)
            parent = smallest
        }
    }

    mutating func removeAll() { elements = [] }
}
