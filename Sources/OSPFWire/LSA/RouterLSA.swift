/// The Router-LSA body (RFC 2328 A.4.2).
public struct RouterLSA: Hashable, Sendable {
    /// Router-LSA flags.
    public struct Flags: OptionSet, Hashable, Sendable {
        /// The raw byte.
        public var rawValue: UInt8
        /// Creates flags from the raw byte.
        public init(rawValue: UInt8) { self.rawValue = rawValue }
        /// B: area border router (0x01).
        public static let border = Flags(rawValue: 0x01)
        /// E: AS boundary router (0x02).
        public static let external = Flags(rawValue: 0x02)
        /// V: endpoint of a virtual link (0x04).
        public static let virtual = Flags(rawValue: 0x04)
        /// W: wildcard multicast receiver (RFC 1584) (0x08).
        public static let wildcard = Flags(rawValue: 0x08)
        /// Nt: NSSA translator (RFC 3101) (0x10).
        public static let nssaTranslator = Flags(rawValue: 0x10)
    }

    /// Router link types (A.4.2).
    public enum LinkType: Hashable, Sendable {
        /// 1: point-to-point connection to another router.
        case pointToPoint
        /// 2: connection to a transit network.
        case transit
        /// 3: connection to a stub network.
        case stub
        /// 4: virtual link.
        case virtual
        /// Any other value, kept as is.
        case other(UInt8)

        /// Creates the type from its code.
        public init(code: UInt8) {
            switch code {
            case 1: self = .pointToPoint
            case 2: self = .transit
            case 3: self = .stub
            case 4: self = .virtual
            default: self = .other(code)
            }
        }

        /// The numeric code.
        public var code: UInt8 {
            switch self {
            case .pointToPoint: 1
            case .transit: 2
            case .stub: 3
            case .virtual: 4
            case .other(let c): c
            }
        }
    }

    /// A per-TOS metric (obsolete TOS routing, kept for fidelity).
    public struct TOSMetric: Hashable, Sendable {
        /// TOS value.
        public var tos: UInt8
        /// Metric for that TOS.
        public var metric: UInt16
        /// Creates an entry.
        public init(tos: UInt8, metric: UInt16) {
            self.tos = tos
            self.metric = metric
        }
    }

    /// One router link.
    public struct Link: Hashable, Sendable {
        /// Link ID (meaning depends on the type).
        public var id: IPv4Address
        /// Link Data (meaning depends on the type).
        public var data: IPv4Address
        /// Link type.
        public var type: LinkType
        /// TOS 0 metric; 0xFFFF is the RFC 6987 max metric, still reachable.
        public var metric: UInt16
        /// Additional TOS metrics.
        public var tosMetrics: [TOSMetric]
        /// Creates a link.
        public init(id: IPv4Address, data: IPv4Address, type: LinkType, metric: UInt16, tosMetrics: [TOSMetric] = []) {
            self.id = id
            self.data = data
            self.type = type
            self.metric = metric
            self.tosMetrics = tosMetrics
        }
    }

    /// V/E/B (and other) flags.
    public var flags: Flags
    /// The router's links.
    public var links: [Link]

    /// Creates a Router-LSA body.
    public init(flags: Flags, links: [Link]) {
        self.flags = flags
        self.links = links
    }

    /// Decodes the body up to the reader's end (the LSA length).
    public init(from reader: inout ByteReader) throws(WireError) {
        flags = Flags(rawValue: try reader.u8("RouterLSA.flags"))
        try reader.skip(1, "RouterLSA.reserved")
        let countOffset = reader.position
        let count = try reader.u16("RouterLSA.link_count")
        guard Int(count) <= reader.remaining / 12 else {
            throw WireError(
                .badLength, field: "RouterLSA.link_count", offset: countOffset, rule: "RFC 2328 A.4.2",
                detail: "\(count) link(s) cannot fit in \(reader.remaining) byte(s)")
        }
        var list: [Link] = []
        list.reserveCapacity(Int(count))
        for _ in 0..<count {
            let id = try reader.address("RouterLSA.link.id")
            let data = try reader.address("RouterLSA.link.data")
            let type = LinkType(code: try reader.u8("RouterLSA.link.type"))
            let tosCount = try reader.u8("RouterLSA.link.tos_count")
            let metric = try reader.u16("RouterLSA.link.metric")
            var tos: [TOSMetric] = []
            for _ in 0..<tosCount {
                let t = try reader.u8("RouterLSA.link.tos")
                try reader.skip(1, "RouterLSA.link.tos_reserved")
                tos.append(TOSMetric(tos: t, metric: try reader.u16("RouterLSA.link.tos_metric")))
            }
            list.append(Link(id: id, data: data, type: type, metric: metric, tosMetrics: tos))
        }
        guard reader.isAtEnd else {
            throw WireError(
                .trailingBytes, field: "RouterLSA", offset: reader.position, rule: "RFC 2328 A.4.2",
                detail: "\(reader.remaining) byte(s) after \(count) link(s)")
        }
        links = list
    }

    /// Appends the encoded body.
    public func encode(into w: inout ByteWriter) {
        w.u8(flags.rawValue)
        w.u8(0)
        w.u16(UInt16(links.count))
        for l in links {
            w.address(l.id)
            w.address(l.data)
            w.u8(l.type.code)
            w.u8(UInt8(l.tosMetrics.count))
            w.u16(l.metric)
            for t in l.tosMetrics {
                w.u8(t.tos)
                w.u8(0)
                w.u16(t.metric)
            }
        }
    }
}
