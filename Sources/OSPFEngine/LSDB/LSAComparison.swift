import OSPFWire

/// The result of comparing two instances of the same LSA (RFC 2328 13.1).
public enum Recency: Sendable, Equatable {
    /// The first instance is more recent.
    case newer
    /// The instances are considered the same.
    case same
    /// The first instance is less recent.
    case older
}

extension LSAHeader {
    /// RFC 2328 13.1: which of two instances is more recent, given their current ages.
    /// (1) the larger signed sequence number; (2) the larger checksum (unsigned);
    /// (3) an instance at MaxAge; (4) if ages differ by more than MaxAgeDiff, the younger.
    public func recency(comparedTo other: LSAHeader, age: UInt16, otherAge: UInt16) -> Recency {
        if sequenceNumber != other.sequenceNumber { return sequenceNumber > other.sequenceNumber ? .newer : .older }
        if checksum != other.checksum { return checksum > other.checksum ? .newer : .older }
        let maxAge = Architectural.maxAge
        if (age >= maxAge) != (otherAge >= maxAge) { return age >= maxAge ? .newer : .older }
        let diff = Int(age) - Int(otherAge)
        if abs(diff) > Int(Architectural.maxAgeDiff) { return diff < 0 ? .newer : .older }
        return .same
    }
}
