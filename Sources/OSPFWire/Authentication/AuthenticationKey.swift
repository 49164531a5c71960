import Crypto

/// A shared secret and the algorithm it is used with (RFC 2328 D, RFC 5709).
public struct AuthenticationKey: Hashable, Sendable {
    /// Authentication algorithms.
    public enum Algorithm: String, Hashable, Sendable, CaseIterable {
        /// Simple password (AuType 1).
        case simple
        /// Keyed MD5 (AuType 2, RFC 2328 D.4.3).
        case md5
        /// HMAC-SHA-1 (AuType 2, RFC 5709).
        case hmacSHA1 = "hmac-sha-1"
        /// HMAC-SHA-256 (RFC 5709).
        case hmacSHA256 = "hmac-sha-256"
        /// HMAC-SHA-384 (RFC 5709).
        case hmacSHA384 = "hmac-sha-384"
        /// HMAC-SHA-512 (RFC 5709).
        case hmacSHA512 = "hmac-sha-512"

        /// Length of the appended digest; 0 for simple passwords.
        public var digestLength: Int {
            switch self {
            case .simple: 0
            case .md5: 16
            case .hmacSHA1: 20
            case .hmacSHA256: 32
            case .hmacSHA384: 48
            case .hmacSHA512: 64
            }
        }

        /// The cryptographic algorithm whose digest has `length` bytes.
        public init?(digestLength length: Int) {
            guard let match = Self.allCases.first(where: { $0 != .simple && $0.digestLength == length }) else {
                return nil
            }
            self = match
        }
    }

    /// Key ID (ignored for simple passwords).
    public var id: UInt8
    /// The secret.
    public var secret: [UInt8]
    /// The algorithm.
    public var algorithm: Algorithm

    /// Creates a key.
    public init(id: UInt8, secret: [UInt8], algorithm: Algorithm) {
        self.id = id
        self.secret = secret
        self.algorithm = algorithm
    }

    /// Computes the digest of `message` (the packet through its OSPF length,
    /// with the authentication field already set).
    ///
    /// * Keyed MD5 (RFC 2328 D.4.3): MD5(packet || secret padded/truncated to 16 bytes).
    /// * HMAC-SHA (RFC 5709 3.3): the key is zero-padded to L bytes (hashed first when
    ///   longer than L), and the HMAC covers the packet followed by Apad, the
    ///   0x878FE1F3 pattern repeated to L bytes.
    public func digest(of message: ArraySlice<UInt8>) -> [UInt8] {
        switch algorithm {
        case .simple:
            return []
        case .md5:
            var key16 = Array(secret.prefix(16))
            key16 += [UInt8](repeating: 0, count: 16 - key16.count)
            var hasher = Insecure.MD5()
            hasher.update(data: message)
            hasher.update(data: key16)
            return Array(hasher.finalize())
        case .hmacSHA1: return Self.hmac(Insecure.SHA1.self, secret, message)
        case .hmacSHA256: return Self.hmac(SHA256.self, secret, message)
        case .hmacSHA384: return Self.hmac(SHA384.self, secret, message)
        case .hmacSHA512: return Self.hmac(SHA512.self, secret, message)
        }
    }

    /// Apad (RFC 5709 3.3): 0x878FE1F3 repeated to `length` bytes.
    public static func apad(_ length: Int) -> [UInt8] {
        let pattern: [UInt8] = [0x87, 0x8F, 0xE1, 0xF3]
        return (0..<length).map { pattern[$0 % 4] }
    }

    private static func hmac<H: HashFunction>(_: H.Type, _ secret: [UInt8], _ message: ArraySlice<UInt8>) -> [UInt8] {
        let length = H.Digest.byteCount
        // RFC 5709 3.3: Ks = K padded with zeros to L, or H(K) when K is longer than L.
        var ks = secret.count > length ? Array(H.hash(data: secret)) : secret
        ks += [UInt8](repeating: 0, count: length - ks.count)
        var mac = HMAC<H>(key: SymmetricKey(data: ks))
        mac.update(data: message)
        mac.update(data: apad(length))
        return Array(mac.finalize())
    }
}
