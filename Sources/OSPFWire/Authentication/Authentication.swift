/// The 64-bit authentication field of the OSPF header (RFC 2328 D, RFC 5709).
public enum Authentication: Hashable, Sendable {
    /// AuType 0: the field's contents are not examined (D.4.1); kept for fidelity.
    case null(UInt64)
    /// AuType 1: an 8-byte clear-text password, zero padded (D.4.2).
    case simple([UInt8])
    /// AuType 2: a key ID, digest length and non-decreasing crypto sequence number (D.4.3, RFC 5709).
    case cryptographic(Cryptographic)
    /// Any other AuType; such packets are rejected by receivers.
    case other(type: UInt16, field: UInt64)

    /// The cryptographic authentication fields.
    public struct Cryptographic: Hashable, Sendable {
        /// Key ID identifying the shared secret.
        public var keyID: UInt8
        /// Length of the digest appended after the packet.
        public var dataLength: UInt8
        /// Cryptographic sequence number (strictly increasing per RFC 7474 receivers).
        public var sequence: UInt32
        /// Creates the fields.
        public init(keyID: UInt8, dataLength: UInt8, sequence: UInt32) {
            self.keyID = keyID
            self.dataLength = dataLength
            self.sequence = sequence
        }
    }

    /// The AuType value.
    public var type: UInt16 {
        switch self {
        case .null: 0
        case .simple: 1
        case .cryptographic: 2
        case .other(let t, _): t
        }
    }

    /// Decodes the AuType and the 8-byte field.
    init(type: UInt16, reader: inout ByteReader) throws(WireError) {
        switch type {
        case 0:
            self = .null(
                UInt64(try reader.u32("Header.authentication")) << 32 | UInt64(try reader.u32("Header.authentication")))
        case 1:
            self = .simple(try reader.take(8, "Header.authentication"))
        case 2:
            try reader.skip(2, "Header.authentication.reserved")
            let keyID = try reader.u8("Header.auth_key_id")
            let length = try reader.u8("Header.auth_data_length")
            let sequence = try reader.u32("Header.auth_seq")
            self = .cryptographic(Cryptographic(keyID: keyID, dataLength: length, sequence: sequence))
        default:
            self = .other(
                type: type,
                field: UInt64(try reader.u32("Header.authentication")) << 32
                    | UInt64(try reader.u32("Header.authentication")))
        }
    }

    /// Appends AuType and the 8-byte field.
    func encode(into w: inout ByteWriter) {
        w.u16(type)
        switch self {
        case .null(let v), .other(_, let v):
            w.u32(UInt32(v >> 32))
            w.u32(UInt32(v & 0xFFFF_FFFF))
        case .simple(let password):
            var field = Array(password.prefix(8))
            field += [UInt8](repeating: 0, count: 8 - field.count)
            w.append(field)
        case .cryptographic(let c):
            w.u16(0)
            w.u8(c.keyID)
            w.u8(c.dataLength)
            w.u32(c.sequence)
        }
    }
}
