/// An array stored in fixed-size chunks: appending never copies what is stored (a standard array
/// copies every element each time its capacity doubles, a pause proportional to its size in the
/// middle of a synchronisation). Indexing is a shift and a mask.
struct ChunkedArray<Element: Sendable>: Sendable, RandomAccessCollection, MutableCollection {
    /// Elements per chunk: 4,096.
    static var chunkShift: Int { 12 }
    static var chunkSize: Int { 1 << chunkShift }

    private var chunks: [[Element]] = []
    /// The number of elements.
    private(set) var count = 0

    /// An empty array.
    init() {}

    var startIndex: Int { 0 }
    var endIndex: Int { count }

    subscript(i: Int) -> Element {
        get {
            precondition(i >= 0 && i < count, "ChunkedArray: index out of range")
            return chunks[i >> Self.chunkShift][i & (Self.chunkSize - 1)]
        }
        set {
            precondition(i >= 0 && i < count, "ChunkedArray: index out of range")
            chunks[i >> Self.chunkShift][i & (Self.chunkSize - 1)] = newValue
        }
    }

    /// Adds an element at the end; O(1), and never moves the elements already stored.
    mutating func append(_ e: Element) {
        if count & (Self.chunkSize - 1) == 0 {
            var fresh: [Element] = []
            fresh.reserveCapacity(Self.chunkSize)
            chunks.append(fresh)
        }
        chunks[chunks.count - 1].append(e)
        count += 1
    }

    /// Removes every element (and frees the chunks).
    mutating func removeAll() {
        chunks = []
        count = 0
    }
}
