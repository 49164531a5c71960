import PropertyBased
import Testing

@testable import BFD

@Suite("BFD Control packet codec (RFC 5880 4.1, 6.8.6)")
struct BFDPacketTests {
    /// A packet FRR's bfdd sent (captured in the lab): Up, mult 3, 300 ms both ways.
    static let frrUp: [UInt8] = [
        0x20, 0xC0, 0x03, 0x18, 0x6B, 0x1F, 0x3E, 0x71, 0x00, 0x00, 0x11, 0x11,
        0x00, 0x04, 0x93, 0xE0, 0x00, 0x04, 0x93, 0xE0, 0x00, 0x00, 0xC3, 0x50,
    ]

    @Test("decodes every field")
    func decodes() throws {
        let p = try BFDControlPacket(decoding: Self.frrUp)
        #expect(p.version == 1 && p.state == .up && p.diagnostic == .none)
        #expect(p.detectMultiplier == 3 && p.length == 24)
        #expect(p.myDiscriminator == 0x6B1F_3E71 && p.yourDiscriminator == 0x1111)
        #expect(p.desiredMinTxInterval == 300_000 && p.requiredMinRxInterval == 300_000)
        #expect(p.requiredMinEchoRxInterval == 50_000)
        #expect(p.encoded() == Self.frrUp)
    }

    func rejection(_ bytes: [UInt8]) -> BFDRejection? {
        do {
            _ = try BFDControlPacket(decoding: bytes)
            return nil
        } catch { return error }
    }

    @Test("each 6.8.6 rule rejects its packet, with the rule named")
    func rejects() {
        var b = Self.frrUp
        #expect(rejection(Array(b[0..<23])) == .truncated(length: 23, need: 24))
        b[0] = 0x40  // version 2
        #expect(rejection(b) == .badVersion(2))
        b = Self.frrUp
        b[3] = 23
        #expect(rejection(b) == .badLength(field: 23, received: 24))
        b[3] = 40
        #expect(rejection(b) == .badLength(field: 40, received: 24))
        b = Self.frrUp
        b[2] = 0
        #expect(rejection(b) == .zeroDetectMultiplier)
        b = Self.frrUp
        b[1] |= 0x01
        #expect(rejection(b) == .multipoint)
        b = Self.frrUp
        b[4...7] = [0, 0, 0, 0]
        #expect(rejection(b) == .zeroMyDiscriminator)
        b = Self.frrUp
        b[8...11] = [0, 0, 0, 0]
        #expect(rejection(b) == .zeroYourDiscriminator(state: .up))
        b[1] = 0x40  // Down with Your Discriminator zero is fine
        #expect(rejection(b) == nil)
        b = Self.frrUp
        b[1] |= 0x04
        #expect(rejection(b) == .badLength(field: 24, received: 24))  // A bit: 26 bytes at least
        b[3] = 26
        b += [1, 2]
        #expect(rejection(b) == .authenticationNotConfigured)
        #expect(BFDRejection.authenticationNotConfigured.rule == "RFC 5880 6.8.6")
        #expect(BFDRejection.ttlNot255(64).rule == "RFC 5881 5")
    }

    @Test("random bytes never trap, and whatever decodes re-encodes to the same 24 bytes")
    func neverTraps() async {
        await propertyCheck(count: 2000, input: Gen<UInt64>.value()) { seed in
            var rng = seed | 1
            func next() -> UInt64 {
                rng ^= rng << 13
                rng ^= rng >> 7
                rng ^= rng << 17
                return rng
            }
            let count = Int(next() % 40)
            var bytes = (0..<count).map { _ in UInt8(truncatingIfNeeded: next()) }
            if count >= 24 && next() % 2 == 0 {
                // Bias towards packets that get past the first checks.
                bytes[0] = 0x20 | (bytes[0] & 0x1F)
                bytes[1] &= 0xFA
                bytes[2] |= 1
                bytes[3] = 24
                bytes[4] |= 1
                bytes[8] |= 1
            }
            if let p = try? BFDControlPacket(decoding: bytes) {
                if bytes[3] == 24 { #expect(p.encoded() == Array(bytes[0..<24])) }
                var s = BFDSession(
                    localDiscriminator: 1,
                    timers: .init(desiredMinTxUs: 50_000, requiredMinRxUs: 50_000, multiplier: 3),
                    now: 0, seed: seed)
                _ = s.receive(p, now: 1)
                _ = s.advance(to: Int64(next() % 10_000_000_000))
            }
        }
    }
}
