/// An IPv4 address, router ID or area ID: 32 bits in network order, printed as a dotted quad.
public struct IPv4Address: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The address as a host-order integer (`10.0.0.1` is `0x0A00_0001`).
    public var value: UInt32

    /// Creates an address from a host-order integer.
    public init(_ value: UInt32) { self.value = value }

    /// Creates an address from four octets.
    public init(_ a: UInt8, _ b: UInt8, _ c: UInt8, _ d: UInt8) {
        value = UInt32(a) << 24 | UInt32(b) << 16 | UInt32(c) << 8 | UInt32(d)
    }

    /// Parses a dotted quad such as `"10.1.0.3"`; returns nil on anything else.
    public init?(_ text: some StringProtocol) {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var result: UInt32 = 0
        for part in parts {
            guard !part.isEmpty, part.count <= 3, part.allSatisfy({ $0.isASCII && $0.isNumber }),
                let octet = UInt8(part)
            else { return nil }
            result = result << 8 | UInt32(octet)
        }
        value = result
    }

    /// 0.0.0.0
    public static let any = IPv4Address(0)
    /// AllSPFRouters, 224.0.0.5 (RFC 2328 A.1).
    public static let allSPFRouters = IPv4Address(224, 0, 0, 5)
    /// AllDRouters, 224.0.0.6 (RFC 2328 A.1).
    public static let allDRouters = IPv4Address(224, 0, 0, 6)

    /// The four octets in network order.
    public var octets: [UInt8] {
        [UInt8(value >> 24), UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF)]
    }

    /// Dotted-quad text.
    public var description: String {
        "\(value >> 24).\(value >> 16 & 0xFF).\(value >> 8 & 0xFF).\(value & 0xFF)"
    }

    /// Orders addresses numerically (RFC 2328 uses this for router-ID comparisons).
    public static func < (lhs: IPv4Address, rhs: IPv4Address) -> Bool { lhs.value < rhs.value }
}
