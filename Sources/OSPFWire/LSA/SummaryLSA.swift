/// The Summary-LSA body for types 3 and 4 (RFC 2328 A.4.4).
public struct SummaryLSA: Hashable, Sendable {
    /// For type 3, the destination network's mask; for type 4, unused (0.0.0.0).
    public var networkMask: IPv4Address
    /// TOS 0 metric (24 bits); LSInfinity (0xFFFFFF) means unreachable.
    public var metric: UInt32
    /// Additional TOS metrics as (TOS, metric).
    public var tosMetrics: [RouterLSA.TOSMetric24]

    /// Creates a Summary-LSA body.
    public init(networkMask: IPv4Address, metric: UInt32, tosMetrics: [RouterLSA.TOSMetric24] = []) {
        self.networkMask = networkMask
        self.metric = metric
        self.tosMetrics = tosMetrics
    }

    /// Decodes the body up to the reader's end.
    public init(from reader: inout ByteReader) throws(WireError) {
        networkMask = try reader.address("SummaryLSA.mask")
        guard reader.remaining >= 4, reader.remaining % 4 == 0 else {
            throw WireError(
                .badLength, field: "SummaryLSA.metric", offset: reader.position, rule: "RFC 2328 A.4.4",
                detail: "\(reader.remaining) byte(s) is not a whole number (>= 1) of TOS/metric words")
        }
        let tosOffset = reader.position
        let firstTOS = try reader.u8("SummaryLSA.tos")
        guard firstTOS == 0 else {
            throw WireError(
                .badValue, field: "SummaryLSA.tos", offset: tosOffset, rule: "RFC 2328 A.4.4",
                detail: "the first metric must be for TOS 0, found TOS \(firstTOS)")
        }
        metric = try reader.u24("SummaryLSA.metric")
        var tos: [RouterLSA.TOSMetric24] = []
        while !reader.isAtEnd {
            let t = try reader.u8("SummaryLSA.tos")
            tos.append(RouterLSA.TOSMetric24(tos: t, metric: try reader.u24("SummaryLSA.tos_metric")))
        }
        tosMetrics = tos
    }

    /// Appends the encoded body.
    public func encode(into w: inout ByteWriter) {
        w.address(networkMask)
        w.u8(0)
        w.u24(metric)
        for t in tosMetrics {
            w.u8(t.tos)
            w.u24(t.metric)
        }
    }
}

extension RouterLSA {
    /// A per-TOS 24-bit metric, as used in Summary-LSAs.
    public struct TOSMetric24: Hashable, Sendable {
        /// TOS value.
        public var tos: UInt8
        /// 24-bit metric.
        public var metric: UInt32
        /// Creates an entry.
        public init(tos: UInt8, metric: UInt32) {
            self.tos = tos
            self.metric = metric
        }
    }
}
