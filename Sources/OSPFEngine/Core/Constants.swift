import OSPFWire

/// Architectural constants (RFC 2328 Appendix B).
public enum Architectural {
    /// LSRefreshTime: 30 minutes between refreshes of self-originated LSAs.
    public static let lsRefreshTime: Int64 = 1800
    /// MinLSInterval: at most one new instance of an LSA per 5 s.
    public static let minLSInterval: Int64 = 5
    /// MinLSArrival: a newer instance arriving within 1 s of the last is discarded.
    public static let minLSArrival: Int64 = 1
    /// MaxAge: 1 hour.
    public static let maxAge: UInt16 = 3600
    /// CheckAge: 5 minutes.
    public static let checkAge: UInt16 = 300
    /// MaxAgeDiff: 15 minutes.
    public static let maxAgeDiff: UInt16 = 900
    /// LSInfinity: unreachable metric in summary and external LSAs.
    public static let lsInfinity: UInt32 = 0xFF_FFFF
    /// InitialSequenceNumber (12.1.6).
    public static let initialSequenceNumber = Int32(bitPattern: 0x8000_0001)
    /// MaxSequenceNumber (12.1.6).
    public static let maxSequenceNumber: Int32 = 0x7FFF_FFFF
    /// The RFC 6987 maximum Router-LSA link metric.
    public static let maxLinkMetric: UInt16 = 0xFFFF
}

/// A deterministic pseudo-random generator (SplitMix64) seeded by the caller,
/// so the same inputs always give the same outputs.
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    private var state: UInt64
    /// Creates a generator from a seed.
    public init(seed: UInt64) { state = seed }
    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
