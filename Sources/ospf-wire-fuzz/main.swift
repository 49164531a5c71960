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
    return 0
}
