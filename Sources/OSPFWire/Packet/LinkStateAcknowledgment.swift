/// The Link State Acknowledgment packet body (RFC 2328 A.3.6): LSA headers acknowledged.
public struct LinkStateAcknowledgment: Hashable, Sendable {
    /// Headers of the LSAs acknowledged.
    public var lsaHeaders: [LSAHeader]

    /// Creates an acknowledgment body.
    public init(lsaHeaders: [LSAHeader]) { self.lsaHeaders = lsaHeaders }

    /// Decodes the body from `reader` up to its end.
    public init(from reader: inout ByteReader) throws(WireError) {
        lsaHeaders = try LSAHeader.decodeList(from: &reader, context: "LSAck", rule: "RFC 2328 A.3.6")
    }

    /// Appends the encoded body.
    public func encode(into w: inout ByteWriter) {
        for h in lsaHeaders { h.encode(into: &w) }
    }
}
