import Testing

@testable import OSPFWire

@Suite struct ChecksumTests {
    /// RFC 1071 worked example: 0001 f203 f4f5 f6f7 sums to ddf2, checksum 220d.
    @Test func internetChecksumRFC1071() {
        let bytes: [UInt8] = [0x00, 0x01, 0xF2, 0x03, 0xF4, 0xF5, 0xF6, 0xF7]
        #expect(Checksum.internet(bytes, 0..<8) == 0x220D)
    }

    /// The packet checksum sums eight bytes per step; it equals the word-by-word Internet
    /// checksum of the same fields (header without checksum and authentication, then the body)
    /// for every length from empty to beyond the MTU, odd ones included, and random contents
    /// (a length that ends inside the checksum field is not a packet: 12 and 13 are left out).
    @Test func packetChecksumEqualsTheWordByWordSum() {
        var rng = SystemRandomNumberGenerator()
        for length in Array(0..<12) + Array(14..<1600) {
            for fill in [UInt8(0), 0xFF, 0x80] + (0..<3).map { _ in UInt8.random(in: 0...255, using: &rng) } {
                var bytes = (0..<length).map { _ in fill == 0x80 ? UInt8.random(in: 0...255, using: &rng) : fill }
                if length > 0, fill == 0xFF { bytes[length - 1] = 0x01 }
                // Reference: 16-bit big-endian words of 0..<12, 14..<16 and 24..<length.
                var sum: UInt64 = 0
                func add(_ range: Range<Int>) {
                    var i = range.lowerBound
                    while i + 1 < range.upperBound {
                        sum += UInt64(bytes[i]) << 8 | UInt64(bytes[i + 1])
                        i += 2
                    }
                    if i < range.upperBound { sum += UInt64(bytes[i]) << 8 }
                }
                add(0..<min(length, 12))
                if length > 14 { add(14..<min(length, 16)) }
                if length > 24 { add(24..<length) }
                while sum >> 16 != 0 { sum = (sum & 0xFFFF) + (sum >> 16) }
                #expect(Checksum.ospfPacket(bytes, length: length) == ~UInt16(sum), "length \(length)")
            }
        }
    }

    @Test func packetChecksumExcludesAuthenticationField() {
        let p = Packet(
            routerID: IPv4Address(1, 1, 1, 1), areaID: .any, authentication: .null(0),
            body: .linkStateAcknowledgment(LinkStateAcknowledgment(lsaHeaders: [])))
        var bytes = p.encoded()
        #expect(Packet.verifyChecksum(bytes) == true)
        // Changing the (unexamined) authentication field does not affect the checksum (RFC 2328 D.4.1).
        bytes[20] = 0xAB
        #expect(Packet.verifyChecksum(bytes) == true)
        bytes[5] ^= 1
        #expect(Packet.verifyChecksum(bytes) == false)
    }

    @Test func fletcherOfFinalizedLSAVerifies() {
        let lsa = LSA(
            header: LSAHeader(
                age: 1, options: .e, type: .asExternal, linkStateID: IPv4Address(100, 64, 0, 0),
                advertisingRouter: IPv4Address(10, 1, 0, 3), sequenceNumber: Int32(bitPattern: 0x8000_0001),
                checksum: 0, length: 0),
            body: .external(
                ASExternalLSA(
                    networkMask: IPv4Address(255, 255, 255, 0), metricType: 2, metric: 1,
                    forwardingAddress: IPv4Address(10, 1, 0, 2), tag: 0))
        ).finalized()
        let bytes = lsa.encoded
        #expect(bytes.count == 36)
        #expect(lsa.header.length == 36)
        #expect(lsa.header.checksum != 0)
        #expect(Checksum.verifyLSA(bytes, length: bytes.count))
        // Age is outside the checksum (RFC 2328 12.1.7).
        var aged = bytes
        aged[0] = 0x0E
        aged[1] = 0x10
        #expect(Checksum.verifyLSA(aged, length: aged.count))
        var corrupted = bytes
        corrupted[30] ^= 0x01
        #expect(!Checksum.verifyLSA(corrupted, length: corrupted.count))
        // A stored checksum of zero never verifies.
        var zero = bytes
        zero[16] = 0
        zero[17] = 0
        #expect(!Checksum.verifyLSA(zero, length: zero.count))
        let decoded = try? LSA(decoding: bytes)
        #expect(decoded?.checksumValid == true)
        #expect(decoded == lsa)
    }
}
