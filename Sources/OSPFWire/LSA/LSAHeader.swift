/// The 20-byte LSA header (RFC 2328 A.4.1).
public struct LSAHeader: Hashable, Sendable {
    /// LS age in seconds; MaxAge (3600) means flushed.
    public var age: UInt16
    /// Options of the originating router.
    public var options: Options
    /// LS type code.
    public var type: LSType
    /// Link State ID.
    public var linkStateID: IPv4Address
    /// Advertising Router (router ID of the originator).
    public var advertisingRouter: IPv4Address
    /// LS sequence number; signed (RFC 2328 12.1.6): InitialSequenceNumber is 0x80000001.
    public var sequenceNumber: Int32
    /// Fletcher checksum (RFC 2328 12.1.7).
    public var checksum: UInt16
    /// Length of the LSA including this header.
    public var length: UInt16

    /// Size of an encoded header.
    public static let size = 20

    /// Creates a header.
    public init(
        age: UInt16, options: Options, type: LSType, linkStateID: IPv4Address, advertisingRouter: IPv4Address,
        sequenceNumber: Int32, checksum: UInt16, length: UInt16
    ) {
        self.age = age
        self.options = options
        self.type = type
        self.linkStateID = linkStateID
        self.advertisingRouter = advertisingRouter
        self.sequenceNumber = sequenceNumber
        self.checksum = checksum
        self.length = length
    }

    /// Reads a header from 20 bytes at `o`, which the caller has bounds-checked.
    @inline(__always)
    public init(unchecked b: UnsafeBufferPointer<UInt8>, at o: Int) {
        func u16(_ i: Int) -> UInt16 { UInt16(b[o + i]) << 8 | UInt16(b[o + i + 1]) }
        func u32(_ i: Int) -> UInt32 {
            UInt32(b[o + i]) << 24 | UInt32(b[o + i + 1]) << 16 | UInt32(b[o + i + 2]) << 8 | UInt32(b[o + i + 3])
        }
        self.init(
            age: u16(0), options: Options(rawValue: b[o + 2]), type: LSType(code: b[o + 3]),
            linkStateID: IPv4Address(u32(4)), advertisingRouter: IPv4Address(u32(8)),
            sequenceNumber: Int32(bitPattern: u32(12)), checksum: u16(16), length: u16(18))
    }

    /// The sequence number as the unsigned 32-bit value on the wire.
    public var sequenceNumberBits: UInt32 { UInt32(bitPattern: sequenceNumber) }

    /// Decodes a header.
    public init(from reader: inout ByteReader) throws(WireError) {
        if reader.has(Self.size) {
            // The common case: the whole header is there, read in one pass.
            self = try reader.read(Self.size, "LSA header") { LSAHeader(unchecked: $0, at: 0) }
            return
        }
        // Short: field by field, so the error names the field that is cut.
        age = try reader.u16("LSA header.age")
        options = Options(rawValue: try reader.u8("LSA header.options"))
        type = LSType(code: try reader.u8("LSA header.ls_type"))
        linkStateID = try reader.address("LSA header.ls_id")
        advertisingRouter = try reader.address("LSA header.adv_router")
        sequenceNumber = Int32(bitPattern: try reader.u32("LSA header.seq"))
        checksum = try reader.u16("LSA header.checksum")
        length = try reader.u16("LSA header.length")
    }

    /// Decodes headers until the reader's end (DD and LSAck bodies).
    static func decodeList(from reader: inout ByteReader, context: String, rule: String) throws(WireError)
        -> [LSAHeader]
    {
        guard reader.remaining % size == 0 else {
            throw WireError(
                .badLength, field: "\(context).lsa_headers", offset: reader.position, rule: rule,
                detail: "\(reader.remaining) byte(s) is not a whole number of 20-byte LSA headers")
        }
        var list: [LSAHeader] = []
        list.reserveCapacity(reader.remaining / size)
        while !reader.isAtEnd { list.append(try LSAHeader(from: &reader)) }
        return list
    }

    /// Appends the encoded header.
    public func encode(into w: inout ByteWriter) {
        w.u16(age)
        w.u8(options.rawValue)
        w.u8(type.code)
        w.address(linkStateID)
        w.address(advertisingRouter)
        w.u32(sequenceNumberBits)
        w.u16(checksum)
        w.u16(length)
    }
}
