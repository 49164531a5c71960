import OSPFWire
import Testing

@testable import OSPFEngine

/// RFC 2328 D.4.3: every packet sent with cryptographic authentication carries a sequence number
/// that never goes back, retransmissions included.
@Suite struct CryptoRetransmitTests {
    static func sequence(_ actions: [Action]) -> [UInt32] {
        actions.compactMap {
            guard case .send(_, _, let bytes) = $0, let p = try? Packet(decoding: bytes),
                case .cryptographic(let c) = p.authentication
            else { return nil }
            return c.sequence
        }
    }

    @Test(
        "a retransmitted DD is signed afresh: its sequence is above every earlier packet's (found in the hostile lab)")
    func retransmittedDDHasAFreshSequence() throws {
        let key = AuthenticationKey(id: 1, secret: Array("k".utf8), algorithm: .md5)
        var h = Harness(auth: key)
        let first = h.receive(.hello(h.hello(neighbors: [h.me])))
        let dd = try #require(
            Harness.sent(first).first {
                if case .databaseDescription = $0.1.body { true } else { false }
            })
        let before = Self.sequence(h.log).max()!
        // Hellos go out meanwhile; then the master's DD retransmission timer fires (10.8).
        h.advance(10)
        h.step(.timerFired(.hello("eth0")))
        h.advance(5)
        let again = h.step(.timerFired(.ddRetransmit("eth0", h.peer)))
        let resent = try #require(
            Harness.sent(again).first {
                if case .databaseDescription = $0.1.body { true } else { false }
            })
        #expect(resent.1.body == dd.1.body)  // the same DD
        let seqs = Self.sequence(h.log)
        #expect(Self.sequence(again).first! > before)
        #expect(seqs == seqs.sorted())  // never decreasing, across every packet sent
        // Its digest verifies.
        for case .send(_, _, let bytes) in again { try Authenticator.verify(bytes, keys: [key]) }
    }
}
