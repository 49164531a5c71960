/// Why a packet or LSA could not be decoded or authenticated.
///
/// Errors carry a stable ``Code`` (tests compare codes, never messages), the
/// name of the field that was being read, and its byte offset from the start
/// of the buffer being decoded. The ``rule`` names the RFC rule that rejected
/// the input, so a dropped packet can be logged with its reason.
public struct WireError: Error, Hashable, Sendable, CustomStringConvertible {
    /// Stable error codes.
    public enum Code: String, Sendable, Hashable, CaseIterable {
        /// The buffer ends before the field does.
        case truncated
        /// OSPF version is not 2 (RFC 2328 A.3.1).
        case badVersion
        /// Unknown OSPF packet type (RFC 2328 A.3.1).
        case badPacketType
        /// A length field is inconsistent with the data (RFC 2328 A.3.1, A.4.1).
        case badLength
        /// Unknown authentication type (RFC 2328 D).
        case badAuthType
        /// A field holds a value the RFC does not allow.
        case badValue
        /// Bytes remain after a structure that must fill its container exactly.
        case trailingBytes
        /// Authentication failed (wrong key, bad digest, unknown key ID).
        case authenticationFailed
        /// A checksum does not verify.
        case badChecksum
    }

    /// The stable code.
    public var code: Code
    /// The field being read, e.g. `"LSA header.length"`.
    public var field: String
    /// Byte offset of the field from the start of the decoded buffer.
    public var offset: Int
    /// The RFC rule that rejected the input, e.g. `"RFC 2328 A.3.1"`.
    public var rule: String
    /// A human-readable detail.
    public var detail: String

    /// Creates an error.
    public init(_ code: Code, field: String, offset: Int, rule: String = "RFC 2328 A", detail: String) {
        self.code = code
        self.field = field
        self.offset = offset
        self.rule = rule
        self.detail = detail
    }

    /// `field at offset N: detail (rule)`.
    public var description: String {
        "\(field) at offset \(offset): \(detail) (\(rule))"
    }
}
