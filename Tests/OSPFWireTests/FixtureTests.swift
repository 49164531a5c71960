import Testing

@testable import OSPFWire

/// Every packet of every real FRR/BIRD capture: decodes, verifies, re-encodes byte for byte.
@Suite struct FixtureTests {
    @Test func fixturesArePresent() {
        #expect(Fixtures.all.count >= 8, "expected the recorded scenarios under \(Fixtures.root)")
        for scenario in Fixtures.all {
            #expect(!scenario.packets.isEmpty, "\(scenario.name) holds no OSPF packet")
        }
    }

    @Test(arguments: Fixtures.all)
    func everyPacketDecodesVerifiesAndReencodes(scenario: Fixtures.Scenario) throws {
        for captured in scenario.packets {
            let packet: Packet
            do { packet = try Packet(decoding: captured.bytes) } catch {
                Issue.record("\(captured): \(error)")
                continue
            }
            #expect(packet.encoded() == captured.bytes, "\(captured) does not re-encode byte for byte")
            if case .cryptographic = packet.authentication {
                #expect(Packet.verifyChecksum(captured.bytes) == nil)
            } else {
                #expect(Packet.verifyChecksum(captured.bytes) == true, "\(captured): packet checksum")
            }
            switch packet.body {
            case .linkStateUpdate(let u):
                for lsa in u.lsas {
                    #expect(lsa.checksumValid, "\(captured): LSA \(lsa.header.type) \(lsa.header.linkStateID)")
                    #expect(Checksum.fletcherLSA(lsa.encoded, length: lsa.encoded.count) == lsa.header.checksum)
                }
            default: break
            }
            let keys = scenario.authenticationKeys(for: captured.bytes)
            do { try Authenticator.verify(captured.bytes, keys: keys) } catch {
                Issue.record("\(captured): authentication: \(error)")
            }
        }
    }

    /// A wrong secret fails on every authenticated packet.
    @Test(arguments: Fixtures.all.filter { !$0.keys.isEmpty })
    func wrongKeyFails(scenario: Fixtures.Scenario) {
        for captured in scenario.packets {
            let wrong = scenario.authenticationKeys(for: captured.bytes).map {
                AuthenticationKey(id: $0.id, secret: $0.secret + [0x21], algorithm: $0.algorithm)
            }
            guard !wrong.isEmpty else { continue }
            #expect(throws: WireError.self, "\(captured)") { try Authenticator.verify(captured.bytes, keys: wrong) }
        }
    }

    /// Re-signing with the fixture key reproduces the router's digest exactly.
    @Test(arguments: Fixtures.all.filter { !$0.keys.isEmpty })
    func resigningReproducesDigest(scenario: Fixtures.Scenario) throws {
        for captured in scenario.packets {
            let packet = try Packet(decoding: captured.bytes)
            guard case .cryptographic(let c) = packet.authentication,
                let key = scenario.authenticationKeys(for: captured.bytes).first(where: { $0.id == c.keyID })
            else { continue }
            let signed = Authenticator.sign(packet, with: key, sequence: c.sequence)
            #expect(Array(signed) == Array(captured.bytes.prefix(signed.count)), "\(captured)")
        }
    }

    /// Every truncation of every fixture packet either decodes or throws; none traps.
    @Test func everyTruncationDecodesOrThrows() {
        var threw = 0
        for captured in Fixtures.allPackets {
            for n in 0..<captured.bytes.count {
                let cut = Array(captured.bytes.prefix(n))
                if (try? Packet(decoding: cut)) == nil { threw += 1 }
                _ = Packet.verifyChecksum(cut)
                _ = try? Authenticator.verify(cut, keys: [])
            }
        }
        // A prefix shorter than the OSPF length can never decode.
        #expect(threw > 0)
    }

    /// Every single-byte change (each position, several values) decodes or throws; none traps.
    @Test func everySingleByteMutationDecodesOrThrows() {
        var decoded = 0
        var rejected = 0
        for captured in Fixtures.allPackets {
            for i in 0..<captured.bytes.count {
                for value: UInt8 in [0x00, 0xFF, captured.bytes[i] ^ 0x01, captured.bytes[i] ^ 0x80] {
                    var m = captured.bytes
                    m[i] = value
                    if let p = try? Packet(decoding: m) {
                        decoded += 1
                        _ = p.encoded()
                    } else {
                        rejected += 1
                    }
                    _ = Packet.verifyChecksum(m)
                }
            }
        }
        #expect(decoded > 0 && rejected > 0)
    }

    /// 10,000 random multi-byte mutations (byte flips, insertions, deletions, length-field edits).
    @Test func randomMutationsNeverTrap() {
        let packets = Fixtures.allPackets
        guard !packets.isEmpty else {
            Issue.record("no fixture packets")
            return
        }
        var g = SplitMix64(state: 0x05F5_2328)
        var outcomes = [0, 0]
        for _ in 0..<10_000 {
            var m = packets.randomElement(using: &g)!.bytes
            for _ in 0..<Int.random(in: 1...4, using: &g) {
                switch Int.random(in: 0...3, using: &g) {
                case 0 where !m.isEmpty:
                    m[Int.random(in: 0..<m.count, using: &g)] = UInt8.random(in: 0...255, using: &g)
                case 1: m.insert(UInt8.random(in: 0...255, using: &g), at: Int.random(in: 0...m.count, using: &g))
                case 2 where !m.isEmpty: m.remove(at: Int.random(in: 0..<m.count, using: &g))
                default:
                    // Rewrite a 16-bit length-like field somewhere.
                    if m.count >= 2 {
                        let at = Int.random(in: 0..<(m.count - 1), using: &g)
                        let v = UInt16.random(in: 0...UInt16.max, using: &g)
                        m[at] = UInt8(v >> 8)
                        m[at + 1] = UInt8(v & 0xFF)
                    }
                }
            }
            let keys = [AuthenticationKey(id: m.count > 18 ? m[18] : 0, secret: [1], algorithm: .md5)]
            _ = try? Authenticator.verify(m, keys: keys)
            outcomes[(try? Packet(decoding: m)) == nil ? 1 : 0] += 1
        }
        #expect(outcomes[0] + outcomes[1] == 10_000)
        #expect(outcomes[1] > 0)
    }
}
