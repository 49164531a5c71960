/// A full LSA: header plus typed body (RFC 2328 A.4). Types the speaker does not
/// interpret (opaque 9-11, unknown) keep their body as raw bytes so they can be
/// flooded unchanged.
public struct LSA: Hashable, Sendable {
    /// The typed body.
    public enum Body: Hashable, Sendable {
        /// Type 1.
        case router(RouterLSA)
        /// Type 2.
        case network(NetworkLSA)
        /// Types 3 and 4.
        case summary(SummaryLSA)
        /// Types 5 and 7.
        case external(ASExternalLSA)
        /// Opaque and unknown types.
        case raw([UInt8])
    }

    /// The header; `length` is recomputed by ``encode(into:)`` and ``finalized()``.
    public var header: LSAHeader
    /// The body.
    public var body: Body
    /// Whether the Fletcher checksum verified when this LSA was decoded
    /// (RFC 2328 12.1.7); true for LSAs built by ``finalized()``.
    public var checksumValid: Bool

    /// Creates an LSA; call ``finalized()`` to fill in length and checksum.
    public init(header: LSAHeader, body: Body, checksumValid: Bool = false) {
        self.header = header
        self.body = body
        self.checksumValid = checksumValid
    }

    /// The MaxAge value (RFC 2328 B): 3600 s.
    public static let maxAge: UInt16 = 3600

    /// Decodes one LSA; the header's length bounds the body.
    public init(from reader: inout ByteReader) throws(WireError) {
        let start = reader.position
        header = try LSAHeader(from: &reader)
        let length = Int(header.length)
        guard length >= LSAHeader.size else {
            throw WireError(
                .badLength, field: "LSA header.length", offset: start + 18, rule: "RFC 2328 A.4.1",
                detail: "length \(length) is shorter than the 20-byte header")
        }
        guard length - LSAHeader.size <= reader.remaining else {
            throw WireError(
                .truncated, field: "LSA header.length", offset: start + 18, rule: "RFC 2328 A.4.1",
                detail: "length \(length) runs \(length - LSAHeader.size - reader.remaining) byte(s) past the packet")
        }
        checksumValid = Checksum.verifyLSA(reader.bytes, start: start, length: length)
        var bodyReader = ByteReader(reader.bytes, start: reader.position, end: start + length)
        switch header.type {
        case .router: body = .router(try RouterLSA(from: &bodyReader))
        case .network: body = .network(try NetworkLSA(from: &bodyReader))
        case .summaryNetwork, .summaryASBR: body = .summary(try SummaryLSA(from: &bodyReader))
        case .asExternal, .nssaExternal: body = .external(try ASExternalLSA(from: &bodyReader))
        default: body = .raw(try bodyReader.take(bodyReader.remaining, "LSA body"))
        }
        try reader.skip(length - LSAHeader.size, "LSA body")
    }

    /// Decodes one LSA occupying all of `bytes`.
    public init(decoding bytes: [UInt8]) throws(WireError) {
        var reader = ByteReader(bytes)
        self = try LSA(from: &reader)
        guard reader.isAtEnd else {
            throw WireError(
                .trailingBytes, field: "LSA", offset: reader.position, rule: "RFC 2328 A.4.1",
                detail: "\(reader.remaining) byte(s) after the LSA")
        }
    }

    /// Appends the encoded LSA: header (length recomputed, checksum as stored) then body.
    public func encode(into w: inout ByteWriter) {
        let start = w.count
        header.encode(into: &w)
        switch body {
        case .router(let r): r.encode(into: &w)
        case .network(let n): n.encode(into: &w)
        case .summary(let s): s.encode(into: &w)
        case .external(let e): e.encode(into: &w)
        case .raw(let bytes): w.append(bytes)
        }
        w.set16(UInt16(truncatingIfNeeded: w.count - start), at: start + 18)
    }

    /// The encoded LSA.
    public var encoded: [UInt8] {
        var w = ByteWriter(capacity: 64)
        encode(into: &w)
        return w.bytes
    }

    /// A copy with `length` and the Fletcher checksum computed (RFC 2328 12.1.7),
    /// ready to flood.
    public func finalized() -> LSA {
        var copy = self
        var bytes = encoded
        copy.header.length = UInt16(truncatingIfNeeded: bytes.count)
        bytes[16] = 0
        bytes[17] = 0
        copy.header.checksum = Checksum.fletcherLSA(bytes, length: bytes.count)
        copy.checksumValid = true
        return copy
    }
}
