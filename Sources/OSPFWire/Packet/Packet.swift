/// An OSPFv2 packet: the 24-byte header (RFC 2328 A.3.1), a typed body, and any
/// bytes after the OSPF length (the cryptographic digest, RFC 2328 D.4.3).
public struct Packet: Hashable, Sendable {
    /// The typed body.
    public enum Body: Hashable, Sendable {
        /// Type 1.
        case hello(Hello)
        /// Type 2.
        case databaseDescription(DatabaseDescription)
        /// Type 3.
        case linkStateRequest(LinkStateRequest)
        /// Type 4.
        case linkStateUpdate(LinkStateUpdate)
        /// Type 5.
        case linkStateAcknowledgment(LinkStateAcknowledgment)

        /// The packet type of this body.
        public var type: PacketType {
            switch self {
            case .hello: .hello
            case .databaseDescription: .databaseDescription
            case .linkStateRequest: .linkStateRequest
            case .linkStateUpdate: .linkStateUpdate
            case .linkStateAcknowledgment: .linkStateAcknowledgment
            }
        }
    }

    /// Size of the OSPF header.
    public static let headerSize = 24

    /// Router ID of the sender.
    public var routerID: IPv4Address
    /// Area the packet belongs to.
    public var areaID: IPv4Address
    /// The checksum field as received (0 with cryptographic authentication).
    public var checksum: UInt16
    /// AuType and the authentication field.
    public var authentication: Authentication
    /// The body.
    public var body: Body
    /// Bytes after the OSPF packet length: the digest with cryptographic authentication.
    public var trailer: [UInt8]

    /// The packet type.
    public var type: PacketType { body.type }

    /// Creates a packet; ``encoded()`` or ``signed(with:sequence:)`` compute length, checksum and digest.
    public init(
        routerID: IPv4Address, areaID: IPv4Address, authentication: Authentication = .null(0), body: Body,
        checksum: UInt16 = 0, trailer: [UInt8] = []
    ) {
        self.routerID = routerID
        self.areaID = areaID
        self.checksum = checksum
        self.authentication = authentication
        self.body = body
        self.trailer = trailer
    }

    /// Decodes a packet from the bytes that follow the IPv4 header. Structure is
    /// checked (version, type, length, every body field); checksums and
    /// authentication are not: see ``verifyChecksum(_:)`` and ``Authenticator``.
    public init(decoding bytes: [UInt8]) throws(WireError) {
        var reader = ByteReader(bytes)
        let version = try reader.u8("Header.version")
        guard version == 2 else {
            throw WireError(
                .badVersion, field: "Header.version", offset: 0, rule: "RFC 2328 8.2",
                detail: "version \(version), expected 2")
        }
        let typeCode = try reader.u8("Header.type")
        guard let type = PacketType(rawValue: typeCode) else {
            throw WireError(
                .badPacketType, field: "Header.type", offset: 1, rule: "RFC 2328 A.3.1",
                detail: "unknown packet type \(typeCode)")
        }
        let length = Int(try reader.u16("Header.length"))
        guard length >= Self.headerSize else {
            throw WireError(
                .badLength, field: "Header.length", offset: 2, rule: "RFC 2328 A.3.1",
                detail: "length \(length) is shorter than the 24-byte header")
        }
        guard length <= bytes.count else {
            throw WireError(
                .truncated, field: "Header.length", offset: 2, rule: "RFC 2328 8.2",
                detail: "length \(length) exceeds the \(bytes.count) byte(s) received")
        }
        routerID = try reader.address("Header.router_id")
        areaID = try reader.address("Header.area_id")
        checksum = try reader.u16("Header.checksum")
        let authType = try reader.u16("Header.auth_type")
        authentication = try Authentication(type: authType, reader: &reader)
        var bodyReader = ByteReader(bytes, start: Self.headerSize, end: length)
        switch type {
        case .hello: body = .hello(try Hello(from: &bodyReader))
        case .databaseDescription: body = .databaseDescription(try DatabaseDescription(from: &bodyReader))
        case .linkStateRequest: body = .linkStateRequest(try LinkStateRequest(from: &bodyReader))
        case .linkStateUpdate: body = .linkStateUpdate(try LinkStateUpdate(from: &bodyReader))
        case .linkStateAcknowledgment: body = .linkStateAcknowledgment(try LinkStateAcknowledgment(from: &bodyReader))
        }
        trailer = Array(bytes[length...])
    }

    /// Whether the packet checksum in `bytes` verifies (RFC 2328 D.4.1): nil with
    /// cryptographic authentication, where the checksum is not computed (D.4.3).
    public static func verifyChecksum(_ bytes: [UInt8]) -> Bool? {
        guard bytes.count >= headerSize else { return false }
        let authType = UInt16(bytes[14]) << 8 | UInt16(bytes[15])
        if authType == 2 { return nil }
        let length = min(Int(UInt16(bytes[2]) << 8 | UInt16(bytes[3])), bytes.count)
        let stored = UInt16(bytes[12]) << 8 | UInt16(bytes[13])
        return Checksum.ospfPacket(bytes, length: length) == stored
    }

    /// The packet without its trailer: header (length recomputed; checksum
    /// computed unless cryptographic authentication is in use, where the stored
    /// value is kept) and body.
    public func encodedWithoutTrailer() -> [UInt8] {
        var w = ByteWriter(capacity: 128)
        w.u8(2)
        w.u8(type.rawValue)
        w.u16(0)  // length, set below
        w.address(routerID)
        w.address(areaID)
        w.u16(0)  // checksum, set below
        authentication.encode(into: &w)
        switch body {
        case .hello(let b): b.encode(into: &w)
        case .databaseDescription(let b): b.encode(into: &w)
        case .linkStateRequest(let b): b.encode(into: &w)
        case .linkStateUpdate(let b): b.encode(into: &w)
        case .linkStateAcknowledgment(let b): b.encode(into: &w)
        }
        let length = w.count
        w.set16(UInt16(truncatingIfNeeded: length), at: 2)
        var bytes = w.bytes
        let sum: UInt16
        if case .cryptographic = authentication {
            sum = checksum
        } else {
            sum = Checksum.ospfPacket(bytes, length: length)
        }
        bytes[12] = UInt8(sum >> 8)
        bytes[13] = UInt8(sum & 0xFF)
        return bytes
    }

    /// The encoded packet with its stored trailer (a received packet re-encodes byte for byte).
    public func encoded() -> [UInt8] {
        encodedWithoutTrailer() + trailer
    }
}
