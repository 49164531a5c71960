/// The Hello packet body (RFC 2328 A.3.2).
public struct Hello: Hashable, Sendable {
    /// Network mask of the sending interface.
    public var networkMask: IPv4Address
    /// HelloInterval in seconds.
    public var helloInterval: UInt16
    /// Options the router supports.
    public var options: Options
    /// Router priority for DR election; 0 means never DR.
    public var priority: UInt8
    /// RouterDeadInterval in seconds.
    public var deadInterval: UInt32
    /// The sender's idea of the Designated Router (interface address), 0.0.0.0 if none.
    public var designatedRouter: IPv4Address
    /// The sender's idea of the Backup Designated Router, 0.0.0.0 if none.
    public var backupDesignatedRouter: IPv4Address
    /// Router IDs of every router heard from recently on the network.
    public var neighbors: [IPv4Address]

    /// Creates a Hello body.
    public init(
        networkMask: IPv4Address, helloInterval: UInt16, options: Options, priority: UInt8,
        deadInterval: UInt32, designatedRouter: IPv4Address, backupDesignatedRouter: IPv4Address,
        neighbors: [IPv4Address]
    ) {
        self.networkMask = networkMask
        self.helloInterval = helloInterval
        self.options = options
        self.priority = priority
        self.deadInterval = deadInterval
        self.designatedRouter = designatedRouter
        self.backupDesignatedRouter = backupDesignatedRouter
        self.neighbors = neighbors
    }

    /// Decodes the body from `reader` up to its end (the packet length).
    public init(from reader: inout ByteReader) throws(WireError) {
        networkMask = try reader.address("Hello.network_mask")
        helloInterval = try reader.u16("Hello.hello_interval")
        options = Options(rawValue: try reader.u8("Hello.options"))
        priority = try reader.u8("Hello.priority")
        deadInterval = try reader.u32("Hello.dead_interval")
        designatedRouter = try reader.address("Hello.dr")
        backupDesignatedRouter = try reader.address("Hello.bdr")
        guard reader.remaining % 4 == 0 else {
            throw WireError(
                .badLength, field: "Hello.neighbors", offset: reader.position, rule: "RFC 2328 A.3.2",
                detail: "\(reader.remaining) byte(s) is not a whole number of router IDs")
        }
        var list: [IPv4Address] = []
        list.reserveCapacity(reader.remaining / 4)
        while !reader.isAtEnd { list.append(try reader.address("Hello.neighbor")) }
        neighbors = list
    }

    /// Appends the encoded body.
    public func encode(into w: inout ByteWriter) {
        w.address(networkMask)
        w.u16(helloInterval)
        w.u8(options.rawValue)
        w.u8(priority)
        w.u32(deadInterval)
        w.address(designatedRouter)
        w.address(backupDesignatedRouter)
        for n in neighbors { w.address(n) }
    }
}
