/// A map for the few interfaces of the speaker and the few neighbours of an interface: keys are
/// found by a linear scan (no hashing, which costs more than a scan of a handful of keys), values
/// are mutated in place through the subscript, and iteration follows insertion order. Removed
/// slots are reused.
public struct SmallTable<Key: Comparable & Sendable, Value: Sendable>: Sendable {
    private var keyList: [Key?] = []
    private var valueList: [Value?] = []
    /// The keys in ascending order, kept on insertion and removal (read per LSA, so never sorted then).
    public private(set) var sortedKeys: [Key] = []
    /// The number of entries.
    public private(set) var count = 0

    /// An empty table.
    public init() {}

    @inline(__always)
    private func slot(_ key: Key) -> Int? {
        var i = 0
        while i < keyList.count {
            if keyList[i] == key { return i }
            i += 1
        }
        return nil
    }

    /// The value for `key`; setting nil removes it. Mutation through it is in place.
    public subscript(key: Key) -> Value? {
        _read {
            // Borrowed, not copied: reading one field of a value does not copy the value.
            if let i = slot(key) { yield valueList[i] } else { yield nil }
        }
        _modify {
            if let i = slot(key) {
                yield &valueList[i]
                if valueList[i] == nil { clear(i, key) }
            } else {
                var fresh: Value? = nil
                yield &fresh
                if let fresh { insert(key, fresh) }
            }
        }
        set {
            if let i = slot(key) {
                valueList[i] = newValue
                if newValue == nil { clear(i, key) }
            } else if let newValue {
                insert(key, newValue)
            }
        }
    }

    /// Frees slot `i`, whose value was just set to nil.
    private mutating func clear(_ i: Int, _ key: Key) {
        keyList[i] = nil
        count -= 1
        sortedKeys.removeAll { $0 == key }
    }

    private mutating func insert(_ key: Key, _ value: Value) {
        count += 1
        sortedKeys.insert(key, at: sortedKeys.firstIndex { key < $0 } ?? sortedKeys.count)
        if let hole = keyList.firstIndex(where: { $0 == nil }) {
            keyList[hole] = key
            valueList[hole] = value
        } else {
            keyList.append(key)
            valueList.append(value)
        }
    }

    /// Mutates the value for `key` in place; nil when there is none.
    @inline(__always)
    public mutating func modify<R>(_ key: Key, _ body: (inout Value) -> R) -> R? {
        guard let i = slot(key), valueList[i] != nil else { return nil }
        return body(&valueList[i]!)
    }

    /// Reads the value for `key` without copying it; nil when there is none.
    @inline(__always)
    public func read<R>(_ key: Key, _ body: (borrowing Value) -> R) -> R? {
        guard let i = slot(key), valueList[i] != nil else { return nil }
        return body(valueList[i]!)
    }

    /// Whether any value satisfies `predicate` (values are read in place, not copied).
    public func contains(where predicate: (borrowing Value) -> Bool) -> Bool {
        for i in valueList.indices where valueList[i] != nil {
            if predicate(valueList[i]!) { return true }
        }
        return false
    }

    /// Whether the table is empty.
    public var isEmpty: Bool { count == 0 }

    /// The keys, in slot order.
    public var keys: [Key] { keyList.compactMap { $0 } }

    /// The values, in slot order.
    public var values: [Value] { valueList.compactMap { $0 } }
}

extension SmallTable: Equatable where Value: Equatable {
    /// Tables are equal when they map the same keys to equal values.
    public static func == (a: SmallTable, b: SmallTable) -> Bool {
        a.count == b.count && a.keys.allSatisfy { a[$0] == b[$0] }
    }
}
