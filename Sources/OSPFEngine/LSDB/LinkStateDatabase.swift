import OSPFWire

/// The link-state database of the speaker's area plus AS-external LSAs (RFC 2328 12.2).
/// Ages are kept implicitly: an entry stores the age it had when installed and the
/// instant of installation, so the current age is computed from `now` (RFC 2328 14).
public struct LinkStateDatabase: Sendable {
    /// One installed LSA.
    public struct Entry: Sendable, Equatable {
        /// The LSA as installed.
        public var lsa: LSA
        /// When it was installed (the age reference and, for received LSAs, the arrival time for MinLSArrival).
        public var installedAt: Instant
        /// Whether the age was frozen at MaxAge when installed (premature aging).
        public var isMaxAge: Bool { lsa.header.age >= Architectural.maxAge }

        /// The current age at `now`, capped at MaxAge (RFC 2328 14).
        public func age(at now: Instant) -> UInt16 {
            if isMaxAge { return Architectural.maxAge }
            let elapsed = max(0, now.since(installedAt).wholeSeconds)
            return UInt16(min(Int64(Architectural.maxAge), Int64(lsa.header.age) + elapsed))
        }

        /// The header with the current age filled in.
        public func header(at now: Instant) -> LSAHeader {
            var h = lsa.header
            h.age = age(at: now)
            return h
        }

        /// When the entry reaches MaxAge by aging.
        var expiresAt: Instant {
            installedAt.adding(.seconds(Int64(Architectural.maxAge) - Int64(min(lsa.header.age, Architectural.maxAge))))
        }

        /// The LSA with the current age filled in (for flooding and LS Updates; the
        /// transmitting router adds InfTransDelay itself, RFC 2328 13.3).
        public func lsa(at now: Instant) -> LSA {
            var l = lsa
            l.header.age = age(at: now)
            return l
        }
    }

    /// Entries by key.
    public private(set) var entries: [LSAKey: Entry] = [:]
    /// LSAs at MaxAge, waiting to be acknowledged everywhere and removed (14).
    public private(set) var maxAgeKeys: Set<LSAKey> = []
    /// When each LSA reaches MaxAge by aging.
    private var expiry = ExpiryQueue()

    /// Creates an empty database.
    public init() {}

    /// The number of LSAs.
    public var count: Int { entries.count }

    /// The entry for `key`.
    public subscript(key: LSAKey) -> Entry? { entries[key] }

    /// Installs (or replaces) an LSA (RFC 2328 13.2). Returns true when the
    /// contents changed in a way that would require routing recalculation.
    @discardableResult
    public mutating func install(_ lsa: LSA, at now: Instant) -> Bool {
        let key = LSAKey(lsa.header)
        let entry = Entry(lsa: lsa, installedAt: now)
        let old = entries.updateValue(entry, forKey: key)
        if entry.isMaxAge {
            maxAgeKeys.insert(key)
        } else {
            maxAgeKeys.remove(key)
            expiry.push(key, at: entry.expiresAt)
        }
        guard let old else { return true }
        return old.lsa.body != lsa.body || old.lsa.header.options != lsa.header.options
            || old.isMaxAge != (lsa.header.age >= Architectural.maxAge)
    }

    /// Removes an LSA (MaxAge LSAs once acknowledged everywhere, RFC 2328 14).
    public mutating func remove(_ key: LSAKey) {
        entries[key] = nil
        maxAgeKeys.remove(key)
    }

    /// The LSAs that reached MaxAge by aging at or before `now` and are not yet marked MaxAge (14).
    /// Each installation is looked at once: O(log n) per LSA.
    mutating func takeAged(at now: Instant) -> [LSAKey] {
        var out: [LSAKey] = []
        while let item = expiry.popDue(now) {
            guard let e = entries[item.key], !e.isMaxAge, e.expiresAt == item.at else { continue }
            out.append(item.key)
        }
        return out.sorted()
    }

    /// When the next LSA reaches MaxAge by aging (possibly a stale instant, which is harmless).
    var nextExpiry: Instant? { expiry.earliest }

    /// Keys in database order.
    public var sortedKeys: [LSAKey] { entries.keys.sorted() }

    /// Compares a received header with the database copy (RFC 2328 13.1);
    /// `.newer` when there is no database copy.
    public func recency(of header: LSAHeader, at now: Instant) -> Recency {
        guard let entry = entries[LSAKey(header)] else { return .newer }
        return header.recency(comparedTo: entry.lsa.header, age: header.age, otherAge: entry.age(at: now))
    }
}
