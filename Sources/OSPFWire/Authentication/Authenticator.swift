/// Signs and verifies OSPF packets (RFC 2328 D.4, RFC 5709).
public enum Authenticator {
    /// Whether two byte strings are equal, in time that depends only on their lengths: a forged
    /// digest or password learns nothing from how long the comparison took (no early exit).
    public static func constantTimeEqual(_ a: ArraySlice<UInt8>, _ b: ArraySlice<UInt8>) -> Bool {
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        var i = a.startIndex
        var j = b.startIndex
        while i < a.endIndex {
            difference |= a[i] ^ b[j]
            i += 1
            j += 1
        }
        return difference == 0
    }

    /// Encodes `packet` authenticated with `key`: simple password in the header
    /// (D.4.2), or the key ID, digest length and `sequence` in the header with the
    /// checksum left zero and the digest appended (D.4.3, RFC 5709).
    public static func sign(_ packet: Packet, with key: AuthenticationKey, sequence: UInt32) -> [UInt8] {
        var p = packet
        p.trailer = []
        switch key.algorithm {
        case .simple:
            p.authentication = .simple(key.secret)
            return p.encodedWithoutTrailer()
        default:
            let length = key.algorithm.digestLength
            p.checksum = 0
            p.authentication = .cryptographic(.init(keyID: key.id, dataLength: UInt8(length), sequence: sequence))
            let body = p.encodedWithoutTrailer()
            return body + key.digest(of: body[...])
        }
    }

    /// Keys to try on a packet when only (key ID, secret) pairs are known (`decode --key`):
    /// simple passwords for AuType 1, and for AuType 2 the algorithm implied by the
    /// authentication data length in the header (RFC 5709: 16 MD5, 20/32/48/64 HMAC-SHA).
    public static func candidateKeys(_ secrets: [(UInt8, [UInt8])], for bytes: [UInt8]) -> [AuthenticationKey] {
        guard bytes.count >= Packet.headerSize else { return [] }
        switch UInt16(bytes[14]) << 8 | UInt16(bytes[15]) {
        case 0: return []
        case 1: return secrets.map { AuthenticationKey(id: $0.0, secret: $0.1, algorithm: .simple) }
        default:
            let algorithm = AuthenticationKey.Algorithm(digestLength: Int(bytes[19])) ?? .md5
            return secrets.map { AuthenticationKey(id: $0.0, secret: $0.1, algorithm: algorithm) }
        }
    }

    /// Checks the authentication of a received packet (the bytes after the IPv4
    /// header) against `keys`, returning nothing on success and the rejecting
    /// rule otherwise. For AuType 2 the key is chosen by key ID and its algorithm
    /// must match the digest length; for AuType 1 any simple key may match.
    /// AuType 0 passes only when `keys` holds no key (the receiving interface
    /// expects null authentication).
    public static func verify(_ bytes: [UInt8], keys: [AuthenticationKey]) throws(WireError) {
        guard bytes.count >= Packet.headerSize else {
            throw WireError(.truncated, field: "Header", offset: 0, detail: "packet shorter than 24 bytes")
        }
        let authType = UInt16(bytes[14]) << 8 | UInt16(bytes[15])
        let length = Int(UInt16(bytes[2]) << 8 | UInt16(bytes[3]))
        guard length >= Packet.headerSize, length <= bytes.count else {
            throw WireError(.badLength, field: "Header.length", offset: 2, detail: "length \(length) out of range")
        }
        switch authType {
        case 0:
            guard keys.isEmpty else {
                throw WireError(
                    .authenticationFailed, field: "Header.auth_type", offset: 14, rule: "RFC 2328 D.2",
                    detail: "null authentication received where authentication is configured")
            }
        case 1:
            let field = Array(bytes[16..<24])
            let simple = keys.filter { $0.algorithm == .simple }
            guard !simple.isEmpty else {
                throw WireError(
                    .authenticationFailed, field: "Header.auth_type", offset: 14, rule: "RFC 2328 D.2",
                    detail: "simple password received, no simple password configured")
            }
            let matches = simple.contains { key in
                var padded = Array(key.secret.prefix(8))
                padded += [UInt8](repeating: 0, count: 8 - padded.count)
                return Authenticator.constantTimeEqual(padded[...], field[...])
            }
            guard matches else {
                throw WireError(
                    .authenticationFailed, field: "Header.authentication", offset: 16, rule: "RFC 2328 D.4.2",
                    detail: "simple password does not match")
            }
        case 2:
            let keyID = bytes[18]
            let dataLength = Int(bytes[19])
            guard let key = keys.first(where: { $0.id == keyID && $0.algorithm != .simple }) else {
                throw WireError(
                    .authenticationFailed, field: "Header.auth_key_id", offset: 18, rule: "RFC 2328 D.4.3",
                    detail: "no key with ID \(keyID)")
            }
            guard key.algorithm.digestLength == dataLength else {
                throw WireError(
                    .authenticationFailed, field: "Header.auth_data_length", offset: 19, rule: "RFC 5709 3.3",
                    detail: "digest length \(dataLength) does not match \(key.algorithm.rawValue)")
            }
            guard bytes.count - length >= dataLength else {
                throw WireError(
                    .truncated, field: "Authentication data", offset: length, rule: "RFC 2328 D.4.3",
                    detail: "digest of \(dataLength) byte(s) missing after the packet")
            }
            let expected = key.digest(of: bytes[0..<length])
            guard Authenticator.constantTimeEqual(expected[...], bytes[length..<length + dataLength]) else {
                throw WireError(
                    .authenticationFailed, field: "Authentication data", offset: length, rule: "RFC 2328 D.4.3",
                    detail: "\(key.algorithm.rawValue) digest mismatch for key ID \(keyID)")
            }
        default:
            throw WireError(
                .badAuthType, field: "Header.auth_type", offset: 14, rule: "RFC 2328 D.2",
                detail: "unknown authentication type \(authType)")
        }
    }
}
