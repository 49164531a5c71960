import OSPFWire

/// Identifies an LSA instance-independently: LS type, Link State ID, Advertising Router (RFC 2328 12.1).
public struct LSAKey: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// LS type.
    public var type: LSType
    /// Link State ID.
    public var linkStateID: IPv4Address
    /// Advertising Router.
    public var advertisingRouter: IPv4Address

    /// Creates a key.
    public init(type: LSType, linkStateID: IPv4Address, advertisingRouter: IPv4Address) {
        self.type = type
        self.linkStateID = linkStateID
        self.advertisingRouter = advertisingRouter
    }

    /// The key of an LSA header.
    public init(_ header: LSAHeader) {
        self.init(type: header.type, linkStateID: header.linkStateID, advertisingRouter: header.advertisingRouter)
    }

    /// Orders by type, then ID, then advertising router (database listing order).
    public static func < (a: LSAKey, b: LSAKey) -> Bool {
        (a.type.code, a.linkStateID.value, a.advertisingRouter.value) < (
            b.type.code, b.linkStateID.value, b.advertisingRouter.value
        )
    }

    /// Keys are equal when type code, Link State ID and Advertising Router are.
    public static func == (a: LSAKey, b: LSAKey) -> Bool {
        a.linkStateID.value == b.linkStateID.value && a.advertisingRouter.value == b.advertisingRouter.value
            && a.type.code == b.type.code
    }

    /// Feeds the key to a hasher as two words (cheaper than three fields).
    public func hash(into hasher: inout Hasher) {
        hasher.combine(UInt64(type.code) << 32 | UInt64(linkStateID.value))
        hasher.combine(advertisingRouter.value)
    }

    /// The hash the standard dictionaries and sets use: a multiply-xorshift mix of the 72 key
    /// bits with the table's per-process random seed. Every per-LSA step looks keys up several
    /// times; SipHash was the largest single cost of a synchronisation. Keys come from the
    /// network, so the mix depends on the seed: colliding keys cannot be chosen in advance.
    public func _rawHashValue(seed: Int) -> Int {
        Self.mix(typeAndID, advertisingRouter.value, seed: UInt64(bitPattern: Int64(seed)))
    }

    /// The LS type's code in the high 32 bits, the Link State ID in the low ones.
    var typeAndID: UInt64 { UInt64(type.code) << 32 | UInt64(linkStateID.value) }

    /// The seeded multiply-xorshift mix of a key's 72 bits (also ``LSAIndex``'s hash).
    @inline(__always)
    static func mix(_ typeAndID: UInt64, _ advertisingRouter: UInt32, seed: UInt64) -> Int {
        var x = typeAndID
        x ^= UInt64(advertisingRouter) &* 0x9E37_79B9_7F4A_7C15
        x ^= seed &* 0xBF58_476D_1CE4_E5B9
        x = (x ^ (x >> 30)) &* 0xBF58_476D_1CE4_E5B9
        x = (x ^ (x >> 27)) &* 0x94D0_49BB_1331_11EB
        return Int(truncatingIfNeeded: x ^ (x >> 31))
    }

    /// `type/id/adv`.
    public var description: String { "\(type)/\(linkStateID)/\(advertisingRouter)" }
}
