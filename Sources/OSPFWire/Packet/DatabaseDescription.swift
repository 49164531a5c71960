/// The Database Description packet body (RFC 2328 A.3.3).
public struct DatabaseDescription: Hashable, Sendable {
    /// DD flags: I (init), M (more), MS (master).
    public struct Flags: OptionSet, Hashable, Sendable {
        /// The raw byte.
        public var rawValue: UInt8
        /// Creates flags from the raw byte.
        public init(rawValue: UInt8) { self.rawValue = rawValue }
        /// MS: the sender is master (0x01).
        public static let master = Flags(rawValue: 0x01)
        /// M: more DD packets follow (0x02).
        public static let more = Flags(rawValue: 0x02)
        /// I: first packet of the sequence (0x04).
        public static let initial = Flags(rawValue: 0x04)
        /// OOB resync (RFC 4811) (0x08).
        public static let oobResync = Flags(rawValue: 0x08)
    }

    /// Interface MTU of the sender (0 on virtual links).
    public var interfaceMTU: UInt16
    /// Options the router supports.
    public var options: Options
    /// I/M/MS flags.
    public var flags: Flags
    /// DD sequence number.
    public var sequenceNumber: UInt32
    /// LSA headers describing the sender's database.
    public var lsaHeaders: [LSAHeader]

    /// Creates a DD body.
    public init(interfaceMTU: UInt16, options: Options, flags: Flags, sequenceNumber: UInt32, lsaHeaders: [LSAHeader]) {
        self.interfaceMTU = interfaceMTU
        self.options = options
        self.flags = flags
        self.sequenceNumber = sequenceNumber
        self.lsaHeaders = lsaHeaders
    }

    /// Decodes the body from `reader` up to its end.
    public init(from reader: inout ByteReader) throws(WireError) {
        interfaceMTU = try reader.u16("DD.interface_mtu")
        options = Options(rawValue: try reader.u8("DD.options"))
        flags = Flags(rawValue: try reader.u8("DD.flags"))
        sequenceNumber = try reader.u32("DD.sequence_number")
        lsaHeaders = try LSAHeader.decodeList(from: &reader, context: "DD", rule: "RFC 2328 A.3.3")
    }

    /// Appends the encoded body.
    public func encode(into w: inout ByteWriter) {
        w.u16(interfaceMTU)
        w.u8(options.rawValue)
        w.u8(flags.rawValue)
        w.u32(sequenceNumber)
        for h in lsaHeaders { h.encode(into: &w) }
    }
}
