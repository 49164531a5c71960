import CPcap

/// One captured frame.
public struct CapturedFrame: Sendable {
    /// 1-based index of the frame in the file.
    public var index: Int
    /// Capture timestamp, seconds since the epoch.
    public var seconds: Int64
    /// Sub-second part in microseconds (nanoseconds files are reduced to microseconds).
    public var microseconds: Int32
    /// Link type of the file (a DLT_ value as libpcap reports it).
    public var linkType: Int32
    /// Captured bytes.
    public var data: [UInt8]
    /// Original length on the wire.
    public var originalLength: Int

    /// Timestamp as floating-point seconds.
    public var time: Double { Double(seconds) + Double(microseconds) / 1_000_000 }
}

/// Errors opening or reading a capture file.
public struct PcapError: Error, CustomStringConvertible, Sendable {
    /// What went wrong, with the file name.
    public var description: String
}

/// Reads a pcap or pcapng file through libpcap.
public final class PcapReader {
    private let handle: OpaquePointer
    /// The file's link type (DLT_ value).
    public let linkType: Int32
    private var nextIndex = 1

    /// Opens `path` for reading.
    public init(path: String) throws(PcapError) {
        var errbuf = [CChar](repeating: 0, count: Int(PCAP_ERRBUF_SIZE))
        guard let h = pcap_open_offline(path, &errbuf) else {
            throw PcapError(
                description:
                    "\(path): \(String(decoding: errbuf.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))"
            )
        }
        handle = h
        linkType = pcap_datalink(h)
    }

    deinit { pcap_close(handle) }

    /// The next frame, or nil at the end of the file.
    public func next() throws(PcapError) -> CapturedFrame? {
        var header: UnsafeMutablePointer<pcap_pkthdr>?
        var data: UnsafePointer<UInt8>?
        let rc = pcap_next_ex(handle, &header, &data)
        switch rc {
        case 1:
            guard let header, let data else { return nil }
            let h = header.pointee
            let bytes = Array(UnsafeBufferPointer(start: data, count: Int(h.caplen)))
            defer { nextIndex += 1 }
            return CapturedFrame(
                index: nextIndex, seconds: Int64(h.ts.tv_sec), microseconds: Int32(h.ts.tv_usec),
                linkType: linkType, data: bytes, originalLength: Int(h.len))
        case -2:
            return nil
        default:
            throw PcapError(description: "frame \(nextIndex): \(String(cString: pcap_geterr(handle)))")
        }
    }

    /// Reads every remaining frame.
    public func readAll() throws(PcapError) -> [CapturedFrame] {
        var frames: [CapturedFrame] = []
        while let f = try next() { frames.append(f) }
        return frames
    }
}

/// Writes a classic pcap file through libpcap (used by `run --record`).
public final class PcapWriter {
    private let dead: OpaquePointer
    private let dumper: OpaquePointer

    /// Creates (truncates) `path` with the given link type (default: raw IPv4, DLT_RAW).
    public init(path: String, linkType: Int32 = LinkLayer.dltRaw, snapLength: Int32 = 65535) throws(PcapError) {
        guard let d = pcap_open_dead(linkType, snapLength) else {
            throw PcapError(description: "\(path): pcap_open_dead failed")
        }
        guard let dump = pcap_dump_open(d, path) else {
            let message = String(cString: pcap_geterr(d))
            pcap_close(d)
            throw PcapError(description: "\(path): \(message)")
        }
        dead = d
        dumper = dump
    }

    /// Appends one frame.
    public func write(_ data: [UInt8], seconds: Int64, microseconds: Int32) {
        var header = pcap_pkthdr()
        header.ts.tv_sec = Int(seconds)
        header.ts.tv_usec = Int(microseconds)
        header.caplen = UInt32(data.count)
        header.len = UInt32(data.count)
        data.withUnsafeBufferPointer { buf in
            pcap_dump(UnsafeMutableRawPointer(dumper).assumingMemoryBound(to: UInt8.self), &header, buf.baseAddress)
        }
    }

    /// Flushes buffered frames to disk.
    public func flush() { pcap_dump_flush(dumper) }

    deinit {
        pcap_dump_close(dumper)
        pcap_close(dead)
    }
}
