/// A point on the engine's clock, in nanoseconds since an arbitrary origin.
/// The engine never reads a clock: the caller passes `now` with every event
/// (the daemon's monotonic clock live, a virtual clock in replay and simulation).
public struct Instant: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// Nanoseconds since the origin.
    public var nanoseconds: Int64

    /// Creates an instant.
    public init(nanoseconds: Int64) { self.nanoseconds = nanoseconds }

    /// The origin.
    public static let zero = Instant(nanoseconds: 0)

    /// An instant `seconds` after the origin.
    public static func seconds(_ seconds: Double) -> Instant { Instant(nanoseconds: Int64(seconds * 1e9)) }

    /// An instant `ms` milliseconds after the origin.
    public static func milliseconds(_ ms: Int64) -> Instant { Instant(nanoseconds: ms * 1_000_000) }

    /// This instant plus a duration.
    public func adding(_ d: Span) -> Instant { Instant(nanoseconds: nanoseconds + d.nanoseconds) }

    /// The span from `earlier` to this instant.
    public func since(_ earlier: Instant) -> Span { Span(nanoseconds: nanoseconds - earlier.nanoseconds) }

    /// Orders instants.
    public static func < (lhs: Instant, rhs: Instant) -> Bool { lhs.nanoseconds < rhs.nanoseconds }

    /// Seconds with millisecond precision.
    public var description: String {
        let ms = nanoseconds / 1_000_000
        let frac = String(abs(ms % 1000))
        return "\(ms / 1000).\(String(repeating: "0", count: 3 - frac.count))\(frac)s"
    }
}

/// A duration on the engine's clock.
public struct Span: Hashable, Comparable, Sendable {
    /// Nanoseconds.
    public var nanoseconds: Int64
    /// Creates a span.
    public init(nanoseconds: Int64) { self.nanoseconds = nanoseconds }
    /// `s` seconds.
    public static func seconds(_ s: Int64) -> Span { Span(nanoseconds: s * 1_000_000_000) }
    /// `ms` milliseconds.
    public static func milliseconds(_ ms: Int64) -> Span { Span(nanoseconds: ms * 1_000_000) }
    /// Whole seconds, rounded down.
    public var wholeSeconds: Int64 { nanoseconds / 1_000_000_000 }
    /// Orders spans.
    public static func < (lhs: Span, rhs: Span) -> Bool { lhs.nanoseconds < rhs.nanoseconds }
}
