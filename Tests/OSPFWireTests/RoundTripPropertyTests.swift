import PropertyBased
import Testing

@testable import OSPFWire

@Suite struct RoundTripPropertyTests {
    @Test func randomValidPacketsRoundTrip() async {
        await propertyCheck(count: 500, input: Gen<UInt64>.value()) { seed in
            let packet = RandomPackets.packet(seed: seed)
            let bytes = packet.encoded()
            #expect(Packet.verifyChecksum(bytes) == true)
            let decoded = try? Packet(decoding: bytes)
            var expected = packet
            expected.checksum = UInt16(bytes[12]) << 8 | UInt16(bytes[13])  // filled in by encoding
            #expect(decoded == expected)
            #expect(decoded?.encoded() == bytes)
            if case .linkStateUpdate(let u) = decoded?.body {
                #expect(u.lsas.allSatisfy { $0.checksumValid })
            }
        }
    }

    @Test func randomSignedPacketsVerify() async {
        let algorithms = Gen<Int>.value(in: 0...(AuthenticationKey.Algorithm.allCases.count - 1))
        await propertyCheck(count: 200, input: Gen<UInt64>.value(), algorithms) { seed, index in
            let algorithm = AuthenticationKey.Algorithm.allCases[index]
            let key = AuthenticationKey(
                id: UInt8(truncatingIfNeeded: seed), secret: Array("k\(seed)".utf8), algorithm: algorithm)
            let bytes = Authenticator.sign(
                RandomPackets.packet(seed: seed), with: key, sequence: UInt32(truncatingIfNeeded: seed >> 32))
            #expect((try? Authenticator.verify(bytes, keys: [key])) != nil)
            #expect((try? Packet(decoding: bytes))?.encoded() == bytes)
        }
    }

    @Test func randomLSAsRoundTrip() async {
        await propertyCheck(count: 500, input: Gen<UInt64>.value()) { seed in
            var g = SplitMix64(state: seed)
            let lsa = RandomPackets.lsa(&g)
            let back = try? LSA(decoding: lsa.encoded)
            #expect(back == lsa)
        }
    }
}
