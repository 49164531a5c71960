import Testing

@testable import OSPFWire

/// Digest vectors computed independently (Python hashlib/hmac) over the bytes 0..47.
@Suite struct AuthenticationVectorTests {
    let message = (0..<48).map { UInt8($0) }

    static func hex(_ bytes: [UInt8]) -> String {
        bytes.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
    }

    @Test(arguments: [
        (AuthenticationKey.Algorithm.md5, "ospf-md5-key", "0b2663c6e6f120d473a7cf51d3ef4824"),
        (.hmacSHA1, "hmac-key", "a35a48b018ada6f858b31a54e7b87760f18004b6"),
        (.hmacSHA256, "hmac-key", "246aa0c6fa98abbd180202ee756f8ea66253f5a56bb359fa2b489c142f3eb3b6"),
        (
            .hmacSHA384, "hmac-key",
            "2a346e47db46d3f40c9354ed5679e8382d74336b0ffba531934c7ed56fc7c1ca1f97a343856ac4c902748d118525c892"
        ),
        (
            .hmacSHA512, "hmac-key",
            "c32e87d7e13f5daa8644555dc4ec7952af38d4c78c46efedcff3bf0aba5a15048bd7a280bfa2b5acc943e3eea5e0cf6015a2f5358af9f128071c9310b537539e"
        ),
        // RFC 5709 3.3: a key longer than L is hashed to L first.
        (
            .hmacSHA256, String(repeating: "k", count: 40),
            "366c2a6fbfbc665778199280ae6647e15b24dbe8f1a81aa1f1d3ecfffb4b3335"
        ),
    ])
    func digestMatchesIndependentVector(algorithm: AuthenticationKey.Algorithm, secret: String, expected: String) {
        let key = AuthenticationKey(id: 1, secret: Array(secret.utf8), algorithm: algorithm)
        let digest = key.digest(of: message[...])
        #expect(digest.count == algorithm.digestLength)
        #expect(Self.hex(digest) == expected)
    }

    @Test func apadPattern() {
        #expect(AuthenticationKey.apad(6) == [0x87, 0x8F, 0xE1, 0xF3, 0x87, 0x8F])
    }
}

@Suite struct SignAndVerifyTests {
    let hello = Packet(
        routerID: IPv4Address(10, 1, 0, 3), areaID: .any,
        body: .hello(
            Hello(
                networkMask: IPv4Address(255, 255, 255, 0), helloInterval: 10, options: .e, priority: 0,
                deadInterval: 40, designatedRouter: IPv4Address(10, 1, 0, 1),
                backupDesignatedRouter: IPv4Address(10, 1, 0, 2), neighbors: [IPv4Address(10, 1, 0, 1)])))

    @Test(arguments: AuthenticationKey.Algorithm.allCases)
    func signedPacketVerifiesAndDecodes(algorithm: AuthenticationKey.Algorithm) throws {
        let key = AuthenticationKey(id: 9, secret: Array("secret".utf8), algorithm: algorithm)
        let bytes = Authenticator.sign(hello, with: key, sequence: 1_700_000_000)
        try Authenticator.verify(bytes, keys: [key])
        let decoded = try Packet(decoding: bytes)
        #expect(decoded.type == .hello)
        #expect(decoded.trailer.count == algorithm.digestLength)
        if algorithm == .simple {
            #expect(Packet.verifyChecksum(bytes) == true)
        } else {
            #expect(Packet.verifyChecksum(bytes) == nil)
            guard case .cryptographic(let c) = decoded.authentication else {
                Issue.record("expected cryptographic authentication")
                return
            }
            #expect(c.keyID == 9)
            #expect(c.sequence == 1_700_000_000)
            #expect(Int(c.dataLength) == algorithm.digestLength)
        }
        // Re-encoding a received packet is byte-identical.
        #expect(decoded.encoded() == bytes)
    }

    @Test(arguments: AuthenticationKey.Algorithm.allCases)
    func wrongKeyFails(algorithm: AuthenticationKey.Algorithm) {
        let key = AuthenticationKey(id: 9, secret: Array("secret".utf8), algorithm: algorithm)
        let wrong = AuthenticationKey(id: 9, secret: Array("secreT".utf8), algorithm: algorithm)
        let bytes = Authenticator.sign(hello, with: key, sequence: 5)
        #expect(throws: WireError.self) { try Authenticator.verify(bytes, keys: [wrong]) }
    }

    @Test func wrongKeyIDFails() {
        let key = AuthenticationKey(id: 9, secret: Array("secret".utf8), algorithm: .md5)
        let other = AuthenticationKey(id: 8, secret: Array("secret".utf8), algorithm: .md5)
        let bytes = Authenticator.sign(hello, with: key, sequence: 5)
        do {
            try Authenticator.verify(bytes, keys: [other])
            Issue.record("verified with the wrong key ID")
        } catch {
            #expect(error.code == .authenticationFailed)
            #expect(error.field == "Header.auth_key_id")
        }
    }

    @Test func algorithmMustMatchDigestLength() {
        let md5 = AuthenticationKey(id: 1, secret: Array("k".utf8), algorithm: .md5)
        let sha = AuthenticationKey(id: 1, secret: Array("k".utf8), algorithm: .hmacSHA256)
        let bytes = Authenticator.sign(hello, with: md5, sequence: 5)
        #expect(throws: WireError.self) { try Authenticator.verify(bytes, keys: [sha]) }
    }

    @Test func tamperedPacketFails() {
        let key = AuthenticationKey(id: 1, secret: Array("k".utf8), algorithm: .hmacSHA256)
        var bytes = Authenticator.sign(hello, with: key, sequence: 5)
        bytes[30] ^= 1
        #expect(throws: WireError.self) { try Authenticator.verify(bytes, keys: [key]) }
    }

    @Test func truncatedDigestFails() {
        let key = AuthenticationKey(id: 1, secret: Array("k".utf8), algorithm: .md5)
        let bytes = Authenticator.sign(hello, with: key, sequence: 5)
        do {
            try Authenticator.verify(Array(bytes.dropLast(3)), keys: [key])
            Issue.record("verified a truncated digest")
        } catch {
            #expect(error.code == .truncated)
        }
    }

    @Test func nullAuthenticationRejectedWhenKeysConfigured() throws {
        let bytes = hello.encoded()
        try Authenticator.verify(bytes, keys: [])
        let key = AuthenticationKey(id: 1, secret: Array("k".utf8), algorithm: .md5)
        #expect(throws: WireError.self) { try Authenticator.verify(bytes, keys: [key]) }
    }

    @Test func unknownAuthTypeRejected() {
        var bytes = hello.encoded()
        bytes[15] = 7
        do {
            try Authenticator.verify(bytes, keys: [])
            Issue.record("accepted AuType 7")
        } catch {
            #expect(error.code == .badAuthType)
        }
    }
}
