/// The OSPF Options field (RFC 2328 A.2, RFC 3101 for N/P, RFC 5250 for O).
public struct Options: OptionSet, Hashable, Sendable {
    /// The raw byte; unknown bits are kept so they re-encode unchanged.
    public var rawValue: UInt8
    /// Creates options from the raw byte.
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    /// MT (formerly T): multi-topology / TOS routing capability (bit 0x01).
    public static let mt = Options(rawValue: 0x01)
    /// E: AS-external LSAs are flooded (the area is not a stub) (0x02).
    public static let e = Options(rawValue: 0x02)
    /// MC: multicast extensions (0x04).
    public static let mc = Options(rawValue: 0x04)
    /// N/P: NSSA support in Hellos, propagate in type-7 LSAs (RFC 3101) (0x08).
    public static let np = Options(rawValue: 0x08)
    /// L: link-local signalling data present (RFC 5613) (0x10; formerly EA).
    public static let l = Options(rawValue: 0x10)
    /// DC: demand circuits (RFC 1793) (0x20).
    public static let dc = Options(rawValue: 0x20)
    /// O: opaque LSA capable (RFC 5250) (0x40).
    public static let o = Options(rawValue: 0x40)
    /// DN: down bit, loop prevention for VPNs (RFC 4576) (0x80).
    public static let dn = Options(rawValue: 0x80)

    /// Names of the set bits, most significant first, e.g. `["O", "E"]`.
    public var names: [String] {
        let table: [(Options, String)] = [
            (.dn, "DN"), (.o, "O"), (.dc, "DC"), (.l, "L"), (.np, "N/P"), (.mc, "MC"), (.e, "E"), (.mt, "MT"),
        ]
        return table.filter { contains($0.0) }.map(\.1)
    }
}
