/// The Link State Request packet body (RFC 2328 A.3.4): a list of LSAs wanted.
public struct LinkStateRequest: Hashable, Sendable {
    /// One requested LSA, identified by type, Link State ID and Advertising Router.
    public struct Entry: Hashable, Sendable {
        /// LS type (carried in a 32-bit field).
        public var lsType: UInt32
        /// Link State ID.
        public var linkStateID: IPv4Address
        /// Advertising Router.
        public var advertisingRouter: IPv4Address
        /// Creates an entry.
        public init(lsType: UInt32, linkStateID: IPv4Address, advertisingRouter: IPv4Address) {
            self.lsType = lsType
            self.linkStateID = linkStateID
            self.advertisingRouter = advertisingRouter
        }
    }

    /// The requested LSAs.
    public var entries: [Entry]

    /// Creates a request body.
    public init(entries: [Entry]) { self.entries = entries }

    /// Decodes the body from `reader` up to its end.
    public init(from reader: inout ByteReader) throws(WireError) {
        guard reader.remaining % 12 == 0 else {
            throw WireError(
                .badLength, field: "LSR.entries", offset: reader.position, rule: "RFC 2328 A.3.4",
                detail: "\(reader.remaining) byte(s) is not a whole number of 12-byte requests")
        }
        var list: [Entry] = []
        list.reserveCapacity(reader.remaining / 12)
        while !reader.isAtEnd {
            list.append(
                Entry(
                    lsType: try reader.u32("LSR.ls_type"),
                    linkStateID: try reader.address("LSR.ls_id"),
                    advertisingRouter: try reader.address("LSR.adv_router")))
        }
        entries = list
    }

    /// Appends the encoded body.
    public func encode(into w: inout ByteWriter) {
        for e in entries {
            w.u32(e.lsType)
            w.address(e.linkStateID)
            w.address(e.advertisingRouter)
        }
    }
}
