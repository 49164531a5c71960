/// An IPv4 datagram found in a captured frame.
public struct IPv4Datagram: Sendable, Hashable {
    /// Source address (host-order integer).
    public var source: UInt32
    /// Destination address (host-order integer).
    public var destination: UInt32
    /// IP protocol number (89 for OSPF).
    public var protocolNumber: UInt8
    /// Time to live.
    public var ttl: UInt8
    /// Type of service byte.
    public var tos: UInt8
    /// Header length in bytes (IHL × 4).
    public var headerLength: Int
    /// Payload: the bytes after the IP header, up to the total length.
    public var payload: [UInt8]
}

/// Why a frame does not hold a usable IPv4 datagram.
public enum FrameError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Not IPv4 (ARP, IPv6...): not an error for a decoder, just skipped.
    case notIPv4
    /// Unsupported link type.
    case unsupportedLinkType(Int32)
    /// The frame or IP header is malformed; the text names the field.
    case malformed(String)

    /// Human-readable text.
    public var description: String {
        switch self {
        case .notIPv4: "not an IPv4 frame"
        case .unsupportedLinkType(let t): "unsupported link type \(t)"
        case .malformed(let m): m
        }
    }
}

/// Link-layer framing: finds the IPv4 datagram inside a captured frame.
public enum LinkLayer {
    /// DLT_EN10MB: Ethernet.
    public static let dltEthernet: Int32 = 1
    /// DLT_RAW as libpcap reports it on Linux (raw IP).
    public static let dltRaw: Int32 = 12
    /// DLT_RAW on some BSDs.
    public static let dltRawBSD: Int32 = 14
    /// LINKTYPE_RAW as stored in files.
    public static let linktypeRaw: Int32 = 101
    /// LINKTYPE_IPV4.
    public static let linktypeIPv4: Int32 = 228
    /// DLT_LINUX_SLL: Linux cooked capture v1.
    public static let dltLinuxSLL: Int32 = 113
    /// DLT_LINUX_SLL2: Linux cooked capture v2.
    public static let dltLinuxSLL2: Int32 = 276

    /// Extracts the IPv4 datagram from a frame of the given link type. 802.1Q and
    /// 802.1ad tags are skipped. The IPv4 header is checked: version 4, IHL ≥ 5,
    /// header checksum, total length within the captured bytes. Fragments are refused.
    public static func ipv4(in frame: [UInt8], linkType: Int32) throws(FrameError) -> IPv4Datagram {
        var offset: Int
        var etherType: UInt16
        func u16(_ at: Int) -> UInt16 { UInt16(frame[at]) << 8 | UInt16(frame[at + 1]) }
        switch linkType {
        case dltEthernet:
            guard frame.count >= 14 else { throw .malformed("Ethernet header truncated (\(frame.count) bytes)") }
            etherType = u16(12)
            offset = 14
            while etherType == 0x8100 || etherType == 0x88A8 {
                guard frame.count >= offset + 4 else { throw .malformed("802.1Q tag truncated at offset \(offset)") }
                etherType = u16(offset + 2)
                offset += 4
            }
        case dltLinuxSLL:
            guard frame.count >= 16 else { throw .malformed("Linux cooked header truncated (\(frame.count) bytes)") }
            etherType = u16(14)
            offset = 16
        case dltLinuxSLL2:
            guard frame.count >= 20 else { throw .malformed("Linux cooked v2 header truncated (\(frame.count) bytes)") }
            etherType = u16(0)
            offset = 20
        case dltRaw, dltRawBSD, linktypeRaw, linktypeIPv4:
            guard let first = frame.first else { throw .malformed("empty frame") }
            guard first >> 4 == 4 else { throw .notIPv4 }
            etherType = 0x0800
            offset = 0
        default:
            throw .unsupportedLinkType(linkType)
        }
        guard etherType == 0x0800 else { throw .notIPv4 }
        return try parseIPv4(frame, at: offset)
    }

    /// Parses and checks an IPv4 header at `offset`.
    public static func parseIPv4(_ frame: [UInt8], at offset: Int) throws(FrameError) -> IPv4Datagram {
        guard frame.count >= offset + 20 else {
            throw .malformed("IPv4 header truncated: \(frame.count - offset) byte(s) at offset \(offset)")
        }
        let versionIHL = frame[offset]
        guard versionIHL >> 4 == 4 else { throw .malformed("IPv4 version is \(versionIHL >> 4)") }
        let ihl = Int(versionIHL & 0x0F) * 4
        guard ihl >= 20 else { throw .malformed("IPv4 IHL \(ihl / 4) is below 5") }
        guard frame.count >= offset + ihl else { throw .malformed("IPv4 options truncated (IHL \(ihl / 4))") }
        let totalLength = Int(UInt16(frame[offset + 2]) << 8 | UInt16(frame[offset + 3]))
        guard totalLength >= ihl else {
            throw .malformed("IPv4 total length \(totalLength) below header length \(ihl)")
        }
        guard frame.count >= offset + totalLength else {
            throw .malformed("IPv4 total length \(totalLength) exceeds the \(frame.count - offset) captured byte(s)")
        }
        let flagsFragment = UInt16(frame[offset + 6]) << 8 | UInt16(frame[offset + 7])
        guard flagsFragment & 0x3FFF == 0 else {
            throw .malformed("IPv4 fragment (flags/offset 0x\(String(flagsFragment, radix: 16)))")
        }
        var sum: UInt32 = 0
        var i = offset
        while i < offset + ihl {
            sum &+= UInt32(frame[i]) << 8 | UInt32(frame[i + 1])
            i += 2
        }
        while sum >> 16 != 0 { sum = (sum & 0xFFFF) + (sum >> 16) }
        // A header checksum of 0 is what checksum offload leaves in locally sent frames.
        let stored = UInt16(frame[offset + 10]) << 8 | UInt16(frame[offset + 11])
        guard sum == 0xFFFF || stored == 0 else { throw .malformed("IPv4 header checksum mismatch") }
        func u32(_ at: Int) -> UInt32 {
            UInt32(frame[at]) << 24 | UInt32(frame[at + 1]) << 16 | UInt32(frame[at + 2]) << 8 | UInt32(frame[at + 3])
        }
        return IPv4Datagram(
            source: u32(offset + 12), destination: u32(offset + 16), protocolNumber: frame[offset + 9],
            ttl: frame[offset + 8], tos: frame[offset + 1], headerLength: ihl,
            payload: Array(frame[(offset + ihl)..<(offset + totalLength)]))
    }

    /// Builds a raw IPv4 datagram (for `--record` captures of what the speaker
    /// sends, where the kernel adds the header).
    public static func buildIPv4(
        source: UInt32, destination: UInt32, protocolNumber: UInt8 = 89, ttl: UInt8 = 1, tos: UInt8 = 0xC0,
        payload: [UInt8]
    ) -> [UInt8] {
        let total = 20 + payload.count
        var h: [UInt8] = [
            0x45, tos, UInt8(total >> 8 & 0xFF), UInt8(total & 0xFF), 0, 0, 0, 0, ttl, protocolNumber, 0, 0,
        ]
        for v in [source, destination] {
            h += [UInt8(v >> 24), UInt8(v >> 16 & 0xFF), UInt8(v >> 8 & 0xFF), UInt8(v & 0xFF)]
        }
        var sum: UInt32 = 0
        for i in stride(from: 0, to: 20, by: 2) { sum += UInt32(h[i]) << 8 | UInt32(h[i + 1]) }
        while sum >> 16 != 0 { sum = (sum & 0xFFFF) + (sum >> 16) }
        let c = ~UInt16(sum)
        h[10] = UInt8(c >> 8)
        h[11] = UInt8(c & 0xFF)
        return h + payload
    }
}
