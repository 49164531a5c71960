/// The Network-LSA body (RFC 2328 A.4.3), originated by a network's DR.
public struct NetworkLSA: Hashable, Sendable {
    /// The network's mask.
    public var networkMask: IPv4Address
    /// Router IDs of the routers fully adjacent to the DR, the DR included.
    public var attachedRouters: [IPv4Address]

    /// Creates a Network-LSA body.
    public init(networkMask: IPv4Address, attachedRouters: [IPv4Address]) {
        self.networkMask = networkMask
        self.attachedRouters = attachedRouters
    }

    /// Decodes the body up to the reader's end.
    public init(from reader: inout ByteReader) throws(WireError) {
        networkMask = try reader.address("NetworkLSA.mask")
        guard reader.remaining % 4 == 0 else {
            throw WireError(
                .badLength, field: "NetworkLSA.attached_routers", offset: reader.position,
                rule: "RFC 2328 A.4.3", detail: "\(reader.remaining) byte(s) is not a whole number of router IDs")
        }
        var list: [IPv4Address] = []
        while !reader.isAtEnd { list.append(try reader.address("NetworkLSA.attached_router")) }
        attachedRouters = list
    }

    /// Appends the encoded body.
    public func encode(into w: inout ByteWriter) {
        w.address(networkMask)
        for r in attachedRouters { w.address(r) }
    }
}
