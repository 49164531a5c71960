/// A map for the few interfaces of the speaker and the few neighbours of an interface: keys are
/// found by a linear scan (no hashing, which costs more than a scan of a handful of keys), values
/// are mutated in place through the subscript, and iteration follows insertion order. Removed
/// slots are reused.
public struct SmallTable<Key: Comparable & Sendable, Value: Sendable>: Sendable {
    // Dense, in insertion order; a removal closes the gap. Values are not optional, so reading
    // one borrows it in place (unwrapping an optional element would copy the whole value, and
    // with it retain every list it holds, on every per-LSA read).
    private var keyList: [Key] = []
    private var valueList: [Value] = []
    /// The keys in ascending order, kept on insertion and removal (read per LSA, so never sorted then).
    public private(set) var sortedKeys: [Key] = []

    /// An empty table.
    public init() {}

    /// The number of entries.
    public var count: Int { keyList.count }

    @inline(__always)
    private func slot(_ key: Key) -> Int? {
        var i = 0
        while i < keyList.count {
            if keyList[i] == key { return i }
            i += 1
        }
        return nil
    }

    /// The value for `key` (a copy: read fields with ``read(_:_:)``, mutate with ``modify(_:_:)``,
    /// which work in place).
    public subscript(key: Key) -> Value? {
        guard let i = slot(key) else { return nil }
        return valueList[i]
    }

    /// Sets the value for `key`, adding the key when it is new.
    public mutating func set(_ key: Key, _ value: Value) {
        if let i = slot(key) { valueList[i] = value } else { insert(key, value) }
    }

    /// Removes the value for `key`; returns it, nil when there was none.
    @discardableResult
    public mutating func removeValue(forKey key: Key) -> Value? {
        guard let i = slot(key) else { return nil }
        let value = valueList[i]
        remove(at: i)
        return value
    }

    /// Removes the entry at `i`.
    private mutating func remove(at i: Int) {
        let key = keyList.remove(at: i)
        valueList.remove(at: i)
        sortedKeys.removeAll { $0 == key }
    }

    private mutating func insert(_ key: Key, _ value: Value) {
        sortedKeys.insert(key, at: sortedKeys.firstIndex { key < $0 } ?? sortedKeys.count)
        keyList.append(key)
        valueList.append(value)
    }

    /// Mutates the value for `key` in place; nil when there is none.
    @inline(__always)
    public mutating func modify<R>(_ key: Key, _ body: (inout Value) -> R) -> R? {
        guard let i = slot(key) else { return nil }
        return body(&valueList[i])
    }

    /// Reads the value for `key` without copying it; nil when there is none.
    @inline(__always)
    public func read<R>(_ key: Key, _ body: (borrowing Value) -> R) -> R? {
        guard let i = slot(key) else { return nil }
        return body(valueList[i])
    }

    /// Whether any value satisfies `predicate` (values are read in place, not copied).
    public func contains(where predicate: (borrowing Value) -> Bool) -> Bool {
        var i = 0
        while i < valueList.count {
            if predicate(valueList[i]) { return true }
            i += 1
        }
        return false
    }

    /// Calls `body` with each value in insertion order, read in place.
    public func forEachValue(_ body: (borrowing Value) -> Void) {
        var i = 0
        while i < valueList.count {
            body(valueList[i])
            i += 1
        }
    }

    /// Whether the table is empty.
    public var isEmpty: Bool { keyList.isEmpty }

    /// The keys, in insertion order.
    public var keys: [Key] { keyList }

    /// The values, in insertion order.
    public var values: [Value] { valueList }
}

extension SmallTable: Equatable where Value: Equatable {
    /// Tables are equal when they map the same keys to equal values.
    public static func == (a: SmallTable, b: SmallTable) -> Bool {
        a.count == b.count && a.keys.allSatisfy { a[$0] == b[$0] }
    }
}
