/// Checksums used by OSPFv2.
public enum Checksum {
    /// The 16-bit one's-complement Internet checksum (RFC 1071) of `bytes[range]`,
    /// as stored in an OSPF packet header (RFC 2328 A.3.1, D.4.1/D.4.2). The caller
    /// zeroes or excludes the checksum field and the authentication field.
    public static func internet(_ bytes: [UInt8], _ range: Range<Int>, initial: UInt32 = 0) -> UInt16 {
        var sum = initial
        var i = range.lowerBound
        let end = range.upperBound
        while i + 1 < end {
            sum &+= UInt32(bytes[i]) << 8 | UInt32(bytes[i + 1])
            i += 2
        }
        if i < end { sum &+= UInt32(bytes[i]) << 8 }
        while sum >> 16 != 0 { sum = (sum & 0xFFFF) &+ (sum >> 16) }
        return ~UInt16(sum)
    }

    /// The OSPF packet checksum (RFC 2328 D.4.1): the Internet checksum of the whole
    /// packet (`length` bytes) excluding the 64-bit authentication field (offsets 16..<24),
    /// computed with the checksum field (offsets 12..<14) taken as zero.
    public static func ospfPacket(_ packet: [UInt8], length: Int) -> UInt16 {
        let length = min(length, packet.count)
        return packet.withUnsafeBufferPointer { b -> UInt16 in
            var sum: UInt64 = 0
            // The header words 0..<12 and 14..<16; the checksum (12..<14) and the
            // authentication field (16..<24) are left out.
            var i = 0
            let headerEnd = min(length, 16)
            while i + 1 < headerEnd {
                if i != 12 { sum &+= UInt64(b[i]) << 8 | UInt64(b[i + 1]) }
                i += 2
            }
            if length > 24 {
                // The body (length <= count): eight bytes per step, then the last few.
                sum &+= wideSum(b, from: 24, to: length)
            } else if length < 16 && i < length {
                sum &+= UInt64(b[i]) << 8
            }
            while sum >> 16 != 0 { sum = (sum & 0xFFFF) &+ (sum >> 16) }
            return ~UInt16(truncatingIfNeeded: sum)
        }
    }

    /// The one's-complement sum, folded to 16 bits, of the big-endian 16-bit words of
    /// `b[from..<to]` (an odd last byte is the high half of a word); `from` is even relative to
    /// the start of what is summed. Eight bytes per step: one's-complement addition does not
    /// depend on byte order (RFC 1071 2(B)), so the words are added as the host loads them and
    /// the folded sum is turned to big-endian once; two 32-bit halves per step into 64 bits
    /// cannot overflow for any packet size.
    @inline(__always)
    static func wideSum(_ b: UnsafeBufferPointer<UInt8>, from: Int, to: Int) -> UInt64 {
        guard let base = b.baseAddress, from < to else { return 0 }
        let raw = UnsafeRawPointer(base)
        var wide: UInt64 = 0
        var i = from
        while i + 8 <= to {
            let x = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            wide &+= x & 0xFFFF_FFFF
            wide &+= x >> 32
            i += 8
        }
        while wide >> 16 != 0 { wide = (wide & 0xFFFF) &+ (wide >> 16) }
        var sum = UInt64(UInt16(bigEndian: UInt16(truncatingIfNeeded: wide)))
        while i + 1 < to {
            sum &+= UInt64(b[i]) << 8 | UInt64(b[i + 1])
            i += 2
        }
        if i < to { sum &+= UInt64(b[i]) << 8 }
        return sum
    }

    /// The ISO 8473 Fletcher checksum of an LSA (RFC 2328 12.1.7): computed over
    /// the whole LSA except LS age (`lsa[start+2 ..< start+length]`), placing the
    /// result in the checksum field at offset 16 so that the LSA verifies to zero.
    /// Returns the two checksum bytes as a big-endian value.
    public static func fletcherLSA(_ lsa: [UInt8], start: Int = 0, length: Int) -> UInt16 {
        let from = start + 2
        let to = start + length
        let checksumOffset = start + 16  // absolute position of the checksum's first byte
        var c0 = 0
        var c1 = 0
        var i = from
        while i < to {
            // Process in blocks small enough that Int cannot overflow, reducing mod 255.
            let blockEnd = min(to, i + 4096)
            while i < blockEnd {
                let byte = (i == checksumOffset || i == checksumOffset + 1) ? 0 : Int(lsa[i])
                c0 += byte
                c1 += c0
                i += 1
            }
            c0 %= 255
            c1 %= 255
        }
        // Position of the checksum field counted from 1 within the checksummed range.
        let position = checksumOffset - from + 1
        let n = to - from
        var x = ((n - position) * c0 - c1) % 255
        if x <= 0 { x += 255 }
        var y = 510 - c0 - x
        if y > 255 { y -= 255 }
        return UInt16(x) << 8 | UInt16(y & 0xFF)
    }

    /// Whether an LSA's Fletcher checksum verifies (RFC 2328 12.1.7). A stored
    /// checksum of zero never verifies.
    public static func verifyLSA(_ lsa: [UInt8], start: Int = 0, length: Int) -> Bool {
        guard length >= 20, start + length <= lsa.count else { return false }
        let stored = UInt16(lsa[start + 16]) << 8 | UInt16(lsa[start + 17])
        guard stored != 0 else { return false }
        return lsa.withUnsafeBufferPointer { b -> Bool in
            var c0 = 0
            var c1 = 0
            var i = start + 2
            let to = start + length  // <= count, checked above
            while i < to {
                let blockEnd = min(to, i + 4096)
                while i < blockEnd {
                    c0 &+= Int(b[i])
                    c1 &+= c0
                    i += 1
                }
                c0 %= 255
                c1 %= 255
            }
            return c0 == 0 && c1 == 0
        }
    }
}
