/// The AS-external-LSA body (RFC 2328 A.4.5); NSSA type-7 LSAs share the format (RFC 3101 2.2).
public struct ASExternalLSA: Hashable, Sendable {
    /// One (TOS, metric, forwarding address, tag) entry.
    public struct Route: Hashable, Sendable {
        /// E bit: true for a type-2 external metric, false for type 1.
        public var isType2: Bool
        /// TOS (7 bits); 0 for the first entry.
        public var tos: UInt8
        /// 24-bit metric; LSInfinity (0xFFFFFF) means unreachable.
        public var metric: UInt32
        /// Where traffic should be forwarded; 0.0.0.0 means the originating ASBR.
        public var forwardingAddress: IPv4Address
        /// External route tag (not used by OSPF itself).
        public var tag: UInt32
        /// Creates an entry.
        public init(isType2: Bool, tos: UInt8 = 0, metric: UInt32, forwardingAddress: IPv4Address, tag: UInt32) {
            self.isType2 = isType2
            self.tos = tos
            self.metric = metric
            self.forwardingAddress = forwardingAddress
            self.tag = tag
        }
    }

    /// The destination's network mask.
    public var networkMask: IPv4Address
    /// The TOS 0 entry, stored inline: a database of externals holds no heap block per LSA.
    public var primary: Route
    /// Entries for other TOS values (obsolete since RFC 2328, kept as received); usually empty.
    public var otherRoutes: [Route]

    /// The TOS 0 entry first, then any others.
    public var routes: [Route] { [primary] + otherRoutes }

    /// Creates a body with a single TOS 0 route.
    public init(networkMask: IPv4Address, metricType: Int, metric: UInt32, forwardingAddress: IPv4Address, tag: UInt32)
    {
        self.networkMask = networkMask
        primary = Route(isType2: metricType == 2, metric: metric, forwardingAddress: forwardingAddress, tag: tag)
        otherRoutes = []
    }

    /// Creates a body from a TOS 0 entry and any others.
    public init(networkMask: IPv4Address, primary: Route, otherRoutes: [Route] = []) {
        self.networkMask = networkMask
        self.primary = primary
        self.otherRoutes = otherRoutes
    }

    /// 1 or 2, from the E bit of the TOS 0 entry.
    public var metricType: Int { primary.isType2 ? 2 : 1 }

    /// Decodes the body up to the reader's end.
    public init(from reader: inout ByteReader) throws(WireError) {
        networkMask = try reader.address("ExternalLSA.mask")
        guard reader.remaining >= 12, reader.remaining % 12 == 0 else {
            throw WireError(
                .badLength, field: "ExternalLSA.routes", offset: reader.position, rule: "RFC 2328 A.4.5",
                detail: "\(reader.remaining) byte(s) is not a whole number (>= 1) of 12-byte entries")
        }
        var first: Route?
        var list: [Route] = []
        while !reader.isAtEnd {
            let bitsOffset = reader.position
            // Whole 12-byte entries only (checked above): each is read in one pass.
            let (bits, metric, fa, tag) = try reader.read(12, "ExternalLSA.routes") { b in
                func u32(_ i: Int) -> UInt32 {
                    UInt32(b[i]) << 24 | UInt32(b[i + 1]) << 16 | UInt32(b[i + 2]) << 8 | UInt32(b[i + 3])
                }
                return (b[0], u32(0) & 0xFF_FFFF, IPv4Address(u32(4)), u32(8))
            }
            if first == nil && bits & 0x7F != 0 {
                throw WireError(
                    .badValue, field: "ExternalLSA.tos", offset: bitsOffset, rule: "RFC 2328 A.4.5",
                    detail: "the first entry must be for TOS 0, found TOS \(bits & 0x7F)")
            }
            let route = Route(
                isType2: bits & 0x80 != 0, tos: bits & 0x7F, metric: metric, forwardingAddress: fa, tag: tag)
            if first == nil { first = route } else { list.append(route) }
        }
        guard let first else {
            throw WireError(
                .badLength, field: "ExternalLSA.routes", offset: reader.position, rule: "RFC 2328 A.4.5",
                detail: "no TOS 0 entry")
        }
        primary = first
        otherRoutes = list
    }

    /// Appends the encoded body.
    public func encode(into w: inout ByteWriter) {
        w.address(networkMask)
        func entry(_ r: Route) {
            w.u8((r.isType2 ? 0x80 : 0) | (r.tos & 0x7F))
            w.u24(r.metric)
            w.address(r.forwardingAddress)
            w.u32(r.tag)
        }
        entry(primary)
        for r in otherRoutes { entry(r) }
    }
}
