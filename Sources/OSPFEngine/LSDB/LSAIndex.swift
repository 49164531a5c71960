import OSPFWire

/// A hash table from ``LSAKey`` to a slot number: the database's index, and the request lists'
/// positions. Open addressing with linear probing over 16-byte buckets (the key packed in 96
/// bits, the slot in 32).
///
/// At most half the buckets are used, so a lookup of a key that is not there (every new LSA of an
/// exchange) ends after a couple of probes.
///
/// It grows without a pause: when the table is half full a table twice the size takes over, and
/// the old one is drained into it a few buckets per insertion. A standard dictionary moves every
/// entry at once when it grows, which at 50,000 LSAs held up a synchronisation for 2 ms (an
/// RFC 2328 10 exchange is a ping-pong, so the peer waits as long). Here every operation moves at
/// most ``migrationStep`` entries; ``maxMovedPerOperation`` records the most moved, so a test can
/// count the work instead of timing it.
///
/// Keys come from the network; the hash mixes them with the process's hashing seed, so colliding
/// keys cannot be chosen in advance.
struct LSAIndex: Sendable {
    struct Bucket: Sendable {
        /// The LS type's code in the high 32 bits, the Link State ID in the low ones.
        var typeAndID: UInt64
        var advertisingRouter: UInt32
        /// The slot, or ``empty`` / ``drained``.
        var value: Int32
    }

    /// A bucket never used (ends a probe).
    static let empty: Int32 = -1
    /// A bucket of the draining table whose entry has moved on or was removed (a probe goes on).
    static let drained: Int32 = -2
    /// Buckets of the draining table moved per insertion.
    static let migrationStep = 8
    static let minimumCapacity = 16

    private var table: [Bucket]
    /// The previous table while it is being drained; empty otherwise.
    private var draining: [Bucket] = []
    /// The next bucket of `draining` to move.
    private var cursor = 0
    private let seed: UInt64
    /// The number of keys.
    private(set) var count = 0
    /// Keys held in `table` (the rest are in `draining`).
    private var tableCount = 0
    /// The most entries any one operation has moved between tables (for tests that count work).
    private(set) var maxMovedPerOperation = 0
    /// What ``prefetch(count:_:)`` read, kept so that its loads are not optimised away.
    private var prefetched: Int32 = 0

    init() {
        table = Array(
            repeating: Bucket(typeAndID: 0, advertisingRouter: 0, value: Self.empty), count: Self.minimumCapacity)
        var h = Hasher()
        h.combine(UInt8(0x5F))
        seed = UInt64(bitPattern: Int64(h.finalize()))
    }

    /// Whether a table is being drained (for tests).
    var isGrowing: Bool { !draining.isEmpty }

    @inline(__always)
    private static func pack(_ key: LSAKey) -> (UInt64, UInt32) { (key.typeAndID, key.advertisingRouter.value) }

    @inline(__always)
    private func hash(_ typeAndID: UInt64, _ adv: UInt32) -> Int { LSAKey.mix(typeAndID, adv, seed: seed) }

    /// The position of a key in `buckets`, nil when it is not there.
    @inline(__always)
    private func position(_ t: UInt64, _ a: UInt32, in buckets: [Bucket]) -> Int? {
        buckets.withUnsafeBufferPointer { b in
            let mask = b.count - 1
            var i = hash(t, a) & mask
            while true {
                let v = b[i].value
                if v == Self.empty { return nil }
                if b[i].typeAndID == t && b[i].advertisingRouter == a && v != Self.drained { return i }
                i = (i + 1) & mask
            }
        }
    }

    /// The slot of `key`, nil when it is not indexed.
    subscript(key: LSAKey) -> Int32? {
        let (t, a) = Self.pack(key)
        if let i = position(t, a, in: table) { return table[i].value }
        if !draining.isEmpty, let i = position(t, a, in: draining) { return draining[i].value }
        return nil
    }

    /// Reads the first bucket of each key's probe, in both tables while one drains, so that the
    /// lookups that follow find them in cache. The loads do not depend on one another, so the
    /// processor overlaps their cache misses; a lookup at a time waits for each in turn. A batch
    /// of keys (a DD's 72 headers, an LS Update's 40 LSAs) mostly misses the cache: the index is
    /// spread over megabytes, and the peer, the kernel and other processes share the caches.
    /// The keys are given by index (`key(0)` to `key(count - 1)`), so a caller reads them where
    /// they are, without copying the LSAs that hold them. Writes nothing but a scalar of its own:
    /// no copy-on-write of the tables.
    mutating func prefetch(count: Int, _ key: (Int) -> LSAKey) {
        var sum: Int32 = 0
        func touch(_ buckets: [Bucket]) {
            buckets.withUnsafeBufferPointer { b in
                let mask = b.count - 1
                for i in 0..<count {
                    let k = key(i)
                    sum &+= b[hash(k.typeAndID, k.advertisingRouter.value) & mask].value
                }
            }
        }
        touch(table)
        if !draining.isEmpty { touch(draining) }
        prefetched = sum
    }

    /// Indexes a key that is not indexed yet.
    mutating func insert(_ key: LSAKey, _ value: Int32) {
        precondition(value >= 0, "LSAIndex: slot numbers are not negative")
        var moved = 0
        if !draining.isEmpty { moved = migrate(Self.migrationStep) }
        if (tableCount + 1) * 2 > table.count {
            // A drain still under way is finished first (it cannot be with migrationStep >= 2:
            // the old table empties before the new one is three quarters of the way to growing).
            if !draining.isEmpty { moved += migrate(draining.count) }
            draining = table
            cursor = 0
            table = Array(
                repeating: Bucket(typeAndID: 0, advertisingRouter: 0, value: Self.empty), count: draining.count * 2)
            tableCount = 0
            moved += migrate(Self.migrationStep)
        }
        let (t, a) = Self.pack(key)
        place(Bucket(typeAndID: t, advertisingRouter: a, value: value))
        count += 1
        maxMovedPerOperation = max(maxMovedPerOperation, moved)
    }

    /// Puts a bucket into `table` (its key is not there).
    @inline(__always)
    private mutating func place(_ b: Bucket) {
        let mask = table.count - 1
        var i = hash(b.typeAndID, b.advertisingRouter) & mask
        while table[i].value >= 0 { i = (i + 1) & mask }
        table[i] = b
        tableCount += 1
    }

    /// Moves up to `limit` buckets of the draining table; returns how many entries moved.
    private mutating func migrate(_ limit: Int) -> Int {
        var moved = 0
        var seen = 0
        while seen < limit && cursor < draining.count {
            let b = draining[cursor]
            if b.value >= 0 {
                place(b)
                draining[cursor].value = Self.drained
                moved += 1
            }
            cursor += 1
            seen += 1
        }
        if cursor == draining.count {
            draining = []
            cursor = 0
        }
        return moved
    }

    /// Gives an indexed key a new value; false when the key is not indexed.
    @discardableResult
    mutating func update(_ key: LSAKey, _ value: Int32) -> Bool {
        precondition(value >= 0, "LSAIndex: slot numbers are not negative")
        let (t, a) = Self.pack(key)
        if let i = position(t, a, in: table) {
            table[i].value = value
            return true
        }
        if !draining.isEmpty, let i = position(t, a, in: draining) {
            draining[i].value = value
            return true
        }
        return false
    }

    /// Removes a key; returns its slot, nil when it was not indexed.
    @discardableResult
    mutating func removeValue(forKey key: LSAKey) -> Int32? {
        let (t, a) = Self.pack(key)
        if let i = position(t, a, in: table) {
            let value = table[i].value
            removeFromTable(at: i)
            count -= 1
            return value
        }
        if !draining.isEmpty, let i = position(t, a, in: draining) {
            let value = draining[i].value
            draining[i].value = Self.drained
            count -= 1
            return value
        }
        return nil
    }

    /// Deletes `table[i]` and shifts later entries of its probe run back, so no marker is left.
    private mutating func removeFromTable(at start: Int) {
        let mask = table.count - 1
        var hole = start
        var j = start
        while true {
            j = (j + 1) & mask
            let b = table[j]
            if b.value == Self.empty { break }
            let home = hash(b.typeAndID, b.advertisingRouter) & mask
            // The entry at j may fill the hole unless its home lies cyclically in (hole, j].
            let stays = hole <= j ? (hole < home && home <= j) : (hole < home || home <= j)
            if stays { continue }
            table[hole] = b
            hole = j
        }
        table[hole].value = Self.empty
        tableCount -= 1
    }

    /// Calls `body` with every key and its slot, in no particular order.
    func forEachEntry(_ body: (LSAKey, Int32) -> Void) {
        for buckets in [table, draining] {
            for b in buckets where b.value >= 0 {
                let key = LSAKey(
                    type: LSType(code: UInt8(truncatingIfNeeded: b.typeAndID >> 32)),
                    linkStateID: IPv4Address(UInt32(truncatingIfNeeded: b.typeAndID)),
                    advertisingRouter: IPv4Address(b.advertisingRouter))
                body(key, b.value)
            }
        }
    }

    /// Every key, in no particular order.
    var keys: [LSAKey] {
        var out: [LSAKey] = []
        out.reserveCapacity(count)
        forEachEntry { key, _ in out.append(key) }
        return out
    }

    /// Every slot, in no particular order.
    var values: [Int32] {
        var out: [Int32] = []
        out.reserveCapacity(count)
        forEachEntry { _, value in out.append(value) }
        return out
    }
}
