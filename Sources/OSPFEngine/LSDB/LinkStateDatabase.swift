import OSPFWire

/// The link-state database of the speaker's area plus AS-external LSAs (RFC 2328 12.2).
/// Ages are kept implicitly: an entry stores the age it had when installed and the
/// instant of installation, so the current age is computed from `now` (RFC 2328 14).
///
/// LSAs are stored compactly, in their wire form in an ``LSAStore``: per LSA a 16-byte index
/// entry, a 24-byte slot and the LSA's own bytes (36 for an external). Headers are read from the
/// bytes; ``subscript(_:)`` decodes a whole ``Entry`` for callers that need the body.
public struct LinkStateDatabase: Sendable {
    /// One installed LSA, decoded.
    public struct Entry: Sendable, Equatable {
        /// The LSA as installed.
        public var lsa: LSA
        /// When it was installed (the age reference and, for received LSAs, the arrival time for MinLSArrival).
        public var installedAt: Instant
        /// Whether the age was frozen at MaxAge when installed (premature aging).
        public var isMaxAge: Bool { lsa.header.age >= Architectural.maxAge }

        /// The current age at `now`, capped at MaxAge (RFC 2328 14).
        public func age(at now: Instant) -> UInt16 { LinkStateDatabase.age(lsa.header.age, installedAt, now) }

        /// The header with the current age filled in.
        public func header(at now: Instant) -> LSAHeader {
            var h = lsa.header
            h.age = age(at: now)
            return h
        }

        /// The LSA with the current age filled in (for flooding and LS Updates; the
        /// transmitting router adds InfTransDelay itself, RFC 2328 13.3).
        public func lsa(at now: Instant) -> LSA {
            var l = lsa
            l.header.age = age(at: now)
            return l
        }
    }

    /// Where one LSA is and when it was installed.
    struct Slot: Sendable {
        var location: LSAStore.Location
        var installedAt: Instant
    }

    private var index = LSAIndex()
    private var slots = ChunkedArray<Slot>()
    private var freeSlots: [Int32] = []
    private var store = LSAStore()
    /// LSAs at MaxAge, waiting to be acknowledged everywhere and removed (14).
    public private(set) var maxAgeKeys: Set<LSAKey> = []
    /// When each LSA reaches MaxAge by aging.
    private var expiry = ExpiryQueue()

    /// Creates an empty database.
    public init() {}

    /// The number of LSAs.
    public var count: Int { index.count }

    /// The most index entries one operation has moved while the index grew (for tests).
    var indexMaxMovedPerOperation: Int { index.maxMovedPerOperation }

    /// Bytes held in storage, live and not yet reclaimed.
    var storedBytes: Int { store.used }

    /// The keys, in no particular order.
    public var keys: [LSAKey] { index.keys }

    /// Keys in database order.
    public var sortedKeys: [LSAKey] { index.keys.sorted() }

    /// The decoded entry for `key`.
    public subscript(key: LSAKey) -> Entry? {
        guard let s = index[key].map({ slots[Int($0)] }),
            let lsa = try? LSA(decoding: Array(store.bytes(s.location)))
        else { return nil }
        return Entry(lsa: lsa, installedAt: s.installedAt)
    }

    /// Every entry, decoded (for status and tests; O(n)).
    public var entries: [LSAKey: Entry] {
        var out: [LSAKey: Entry] = [:]
        out.reserveCapacity(index.count)
        index.forEachEntry { key, _ in out[key] = self[key] }
        return out
    }

    /// The header of an installed LSA (age as installed) and when it was installed, without
    /// decoding its body.
    public func installed(_ key: LSAKey) -> (header: LSAHeader, installedAt: Instant)? {
        guard let i = index[key] else { return nil }
        let s = slots[Int(i)]
        return (header(s.location), s.installedAt)
    }

    /// Brings the index entries of a batch of keys into cache before they are looked up one by
    /// one (see ``LSAIndex/prefetch(count:_:)``). Changes nothing a caller can observe.
    public mutating func prefetch(count: Int, _ key: (Int) -> LSAKey) { index.prefetch(count: count, key) }

    /// The header of an installed LSA with its current age.
    public func header(_ key: LSAKey, at now: Instant) -> LSAHeader? {
        guard let (h, installedAt) = installed(key) else { return nil }
        var out = h
        out.age = Self.age(h.age, installedAt, now)
        return out
    }

    private func header(_ l: LSAStore.Location) -> LSAHeader { store.header(l) }

    static func age(_ installedAge: UInt16, _ installedAt: Instant, _ now: Instant) -> UInt16 {
        if installedAge >= Architectural.maxAge { return Architectural.maxAge }
        let elapsed = max(0, now.since(installedAt).wholeSeconds)
        return UInt16(min(Int64(Architectural.maxAge), Int64(installedAge) + elapsed))
    }

    static func expiry(_ installedAge: UInt16, _ installedAt: Instant) -> Instant {
        installedAt.adding(.seconds(Int64(Architectural.maxAge) - Int64(min(installedAge, Architectural.maxAge))))
    }

    /// Installs (or replaces) an LSA (RFC 2328 13.2). Returns true when the
    /// contents changed in a way that would require routing recalculation.
    /// `wire`, when given, is the LSA exactly as received (stored as is, not re-encoded).
    @discardableResult
    public mutating func install(_ lsa: LSA, wire: ArraySlice<UInt8>? = nil, at now: Instant) -> Bool {
        let key = LSAKey(lsa.header)
        // The received bytes are used only when they are this LSA (length, sequence, checksum).
        let bytes: ArraySlice<UInt8> =
            if let wire, wire.count == Int(lsa.header.length), Self.matches(wire, lsa.header) { wire } else {
                lsa.encoded[...]
            }
        var changed = true
        let slot = Slot(location: store.append(bytes), installedAt: now)
        if let i = index[key] {
            let old = slots[Int(i)].location
            let oldHeader = store.header(old)
            // Options, body, or MaxAge status differ (13.2): compare the bytes after the header
            // and the fields that matter.
            changed =
                oldHeader.options != lsa.header.options
                || (oldHeader.age >= Architectural.maxAge) != (lsa.header.age >= Architectural.maxAge)
                || !store.bytes(old).dropFirst(LSAHeader.size).elementsEqual(bytes.dropFirst(LSAHeader.size))
            store.release(old)
            slots[Int(i)] = slot
        } else if let free = freeSlots.popLast() {
            slots[Int(free)] = slot
            index.insert(key, free)
        } else {
            index.insert(key, Int32(slots.count))
            slots.append(slot)
        }
        if lsa.header.age >= Architectural.maxAge {
            maxAgeKeys.insert(key)
        } else {
            if !maxAgeKeys.isEmpty { maxAgeKeys.remove(key) }
            expiry.push(key, at: Self.expiry(lsa.header.age, now))
        }
        if store.wantsCompaction { compact() }
        return changed
    }

    private static func matches(_ wire: ArraySlice<UInt8>, _ h: LSAHeader) -> Bool {
        let b = wire.startIndex
        let seq = h.sequenceNumberBits
        return wire[b + 16] == UInt8(h.checksum >> 8) && wire[b + 17] == UInt8(h.checksum & 0xFF)
            && wire[b + 12] == UInt8(seq >> 24) && wire[b + 15] == UInt8(seq & 0xFF) && wire[b] == UInt8(h.age >> 8)
            && wire[b + 1] == UInt8(h.age & 0xFF)
    }

    /// Removes an LSA (MaxAge LSAs once acknowledged everywhere, RFC 2328 14).
    public mutating func remove(_ key: LSAKey) {
        guard let i = index.removeValue(forKey: key) else { return }
        store.release(slots[Int(i)].location)
        freeSlots.append(i)
        maxAgeKeys.remove(key)
        if store.wantsCompaction { compact() }
    }

    /// Copies the live LSAs into a fresh store, dropping the space of replaced ones.
    private mutating func compact() {
        let live = index.values.map { Int($0) }
        let (fresh, moved) = store.compacted(keeping: live.map { slots[$0].location })
        for (n, i) in live.enumerated() { slots[i].location = moved[n] }
        store = fresh
    }

    /// The LSAs that reached MaxAge by aging at or before `now` and are not yet marked MaxAge (14).
    /// Each installation is looked at once: O(log n) per LSA.
    mutating func takeAged(at now: Instant) -> [LSAKey] {
        var out: [LSAKey] = []
        for key in expiry.takeDue(now) {
            // Skip keys whose installation changed since they were scheduled (stale entries).
            guard let (h, installedAt) = installed(key), h.age < Architectural.maxAge,
                Self.expiry(h.age, installedAt) <= now
            else { continue }
            out.append(key)
        }
        return Array(Set(out)).sorted()
    }

    /// Compares a received header with the database copy (RFC 2328 13.1);
    /// `.newer` when there is no database copy.
    public func recency(of header: LSAHeader, at now: Instant) -> Recency {
        guard let (h, installedAt) = installed(LSAKey(header)) else { return .newer }
        return header.recency(comparedTo: h, age: header.age, otherAge: Self.age(h.age, installedAt, now))
    }
}
