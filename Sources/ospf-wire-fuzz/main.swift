import BFD
import OSPFWire

/// libFuzzer entry point: decode arbitrary bytes as an OSPF packet, then
/// exercise every path a received packet takes (checksum, authentication,
/// re-encode, JSON). Any trap is a finding. Build: see docs/fuzzing.md.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    _ = Packet.verifyChecksum(bytes)
    let keys = [
        AuthenticationKey(id: 1, secret: Array("fuzz".utf8), algorithm: .md5),
        AuthenticationKey(id: 2, secret: Array("fuzz".utf8), algorithm: .hmacSHA256),
        AuthenticationKey(id: 0, secret: Array("fuzz".utf8), algorithm: .simple),
    ]
    _ = try? Authenticator.verify(bytes, keys: keys)
    if let packet = try? Packet(decoding: bytes) {
        let again = packet.encoded()
        // A decoded packet must decode again from its own encoding.
        guard (try? Packet(decoding: again)) != nil else { fatalError("re-encoded packet does not decode") }
        _ = packet.jsonFields(checksumOK: nil).count
        _ = packet.summary
    }
    _ = try? LSA(decoding: bytes)
    // The same bytes as a BFD Control packet: a decoded one must re-encode to a packet that
    // decodes equal, and feeding it to a session (then letting time pass) must not trap.
    if let bfd = try? BFDControlPacket(decoding: bytes) {
        guard let again = try? BFDControlPacket(decoding: bfd.encoded()), again.state == bfd.state,
            again.myDiscriminator == bfd.myDiscriminator, again.desiredMinTxInterval == bfd.desiredMinTxInterval
        else { fatalError("re-encoded BFD packet differs") }
        var session = BFDSession(
            localDiscriminator: 1, timers: .init(desiredMinTxUs: 50_000, requiredMinRxUs: 50_000, multiplier: 3),
            now: 0, seed: UInt64(size))
        _ = session.receive(bfd, now: 1_000)
        _ = session.advance(to: Int64(bfd.desiredMinTxInterval) * 1_000 + 1)
        _ = session.receive(bfd, now: Int64(bfd.requiredMinRxInterval) * 3_000 + 2)
        _ = session.adminDown(now: Int64.max / 2)
    }
    return 0
}
