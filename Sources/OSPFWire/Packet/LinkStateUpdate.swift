/// The Link State Update packet body (RFC 2328 A.3.5): a count followed by full LSAs.
public struct LinkStateUpdate: Hashable, Sendable {
    /// The LSAs carried.
    public var lsas: [LSA]

    /// Creates an update body.
    public init(lsas: [LSA]) { self.lsas = lsas }

    /// Decodes the body from `reader` up to its end. The LSA count must match the
    /// LSAs present exactly; each LSA's own length bounds its body.
    public init(from reader: inout ByteReader) throws(WireError) {
        let countOffset = reader.position
        let count = try reader.u32("LSU.lsa_count")
        // Each LSA is at least 20 bytes: a count larger than that is a lie, not an allocation size.
        guard Int(count) <= reader.remaining / 20 else {
            throw WireError(
                .badLength, field: "LSU.lsa_count", offset: countOffset, rule: "RFC 2328 A.3.5",
                detail: "\(count) LSA(s) cannot fit in \(reader.remaining) byte(s)")
        }
        var list: [LSA] = []
        list.reserveCapacity(Int(count))
        for _ in 0..<count { list.append(try LSA(from: &reader)) }
        guard reader.isAtEnd else {
            throw WireError(
                .trailingBytes, field: "LSU", offset: reader.position, rule: "RFC 2328 A.3.5",
                detail: "\(reader.remaining) byte(s) after \(count) LSA(s)")
        }
        lsas = list
    }

    /// Appends the encoded body.
    public func encode(into w: inout ByteWriter) {
        w.u32(UInt32(lsas.count))
        for lsa in lsas { lsa.encode(into: &w) }
    }
}
