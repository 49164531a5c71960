import Testing

@testable import PcapFile

@Suite struct LinkLayerTests {
    let ospfHello: [UInt8] = [2, 1, 0, 44] + [UInt8](repeating: 0, count: 40)

    @Test func rawIPv4RoundTrip() throws {
        let datagram = LinkLayer.buildIPv4(source: 0x0A00_0001, destination: 0xE000_0005, payload: ospfHello)
        let parsed = try LinkLayer.ipv4(in: datagram, linkType: LinkLayer.dltRaw)
        #expect(parsed.source == 0x0A00_0001)
        #expect(parsed.destination == 0xE000_0005)
        #expect(parsed.protocolNumber == 89)
        #expect(parsed.ttl == 1)
        #expect(parsed.tos == 0xC0)
        #expect(parsed.payload == ospfHello)
    }

    @Test func ethernetWithVLANTags() throws {
        let ip = LinkLayer.buildIPv4(source: 1, destination: 2, payload: ospfHello)
        let mac = [UInt8](repeating: 0xAA, count: 12)
        let frame = mac + [0x88, 0xA8, 0x00, 0x0A] + [0x81, 0x00, 0x00, 0x14] + [0x08, 0x00] + ip
        let parsed = try LinkLayer.ipv4(in: frame, linkType: LinkLayer.dltEthernet)
        #expect(parsed.payload == ospfHello)
    }

    @Test func linuxCookedV1AndV2() throws {
        let ip = LinkLayer.buildIPv4(source: 1, destination: 2, payload: ospfHello)
        let v1 = [UInt8](repeating: 0, count: 14) + [0x08, 0x00] + ip
        #expect(try LinkLayer.ipv4(in: v1, linkType: LinkLayer.dltLinuxSLL).payload == ospfHello)
        let v2 = [0x08, 0x00] + [UInt8](repeating: 0, count: 18) + ip
        #expect(try LinkLayer.ipv4(in: v2, linkType: LinkLayer.dltLinuxSLL2).payload == ospfHello)
    }

    @Test func nonIPv4IsSkippedNotAnError() {
        let arp = [UInt8](repeating: 0, count: 12) + [0x08, 0x06] + [UInt8](repeating: 0, count: 28)
        #expect(throws: FrameError.notIPv4) { try LinkLayer.ipv4(in: arp, linkType: LinkLayer.dltEthernet) }
    }

    @Test func ipv4HeaderChecks() {
        var ip = LinkLayer.buildIPv4(source: 1, destination: 2, payload: ospfHello)
        // Total length beyond the captured bytes.
        var long = ip
        long[3] = 0xFF
        #expect(throws: FrameError.self) { try LinkLayer.ipv4(in: long, linkType: LinkLayer.dltRaw) }
        // IHL below 5.
        var shortIHL = ip
        shortIHL[0] = 0x44
        #expect(throws: FrameError.self) { try LinkLayer.ipv4(in: shortIHL, linkType: LinkLayer.dltRaw) }
        // Corrupted header checksum.
        ip[10] ^= 0xFF
        #expect(throws: FrameError.self) { try LinkLayer.ipv4(in: ip, linkType: LinkLayer.dltRaw) }
        // Every truncation fails cleanly.
        let good = LinkLayer.buildIPv4(source: 1, destination: 2, payload: ospfHello)
        for n in 0..<good.count {
            #expect(throws: FrameError.self) {
                try LinkLayer.ipv4(in: Array(good.prefix(n)), linkType: LinkLayer.dltRaw)
            }
        }
    }

    @Test func pcapWriteThenRead() throws {
        let path = "/tmp/ospf-speaker-pcap-test-\(getpid()).pcap"
        defer { unlink(path) }
        let frames = (0..<5).map { i in
            LinkLayer.buildIPv4(source: 0x0A00_0001, destination: 0xE000_0005, payload: ospfHello + [UInt8(i)])
        }
        do {
            let w = try PcapWriter(path: path)
            for (i, f) in frames.enumerated() { w.write(f, seconds: 1_700_000_000 + Int64(i), microseconds: 250) }
            w.flush()
        }
        let r = try PcapReader(path: path)
        let read = try r.readAll()
        #expect(read.count == 5)
        #expect(read.map(\.data) == frames)
        #expect(read.map(\.index) == [1, 2, 3, 4, 5])
        #expect(read[2].seconds == 1_700_000_002)
        #expect(read[2].microseconds == 250)
        #expect(try LinkLayer.ipv4(in: read[4].data, linkType: r.linkType).payload.last == 4)
    }

    @Test func missingFileNamesThePath() {
        do {
            _ = try PcapReader(path: "/nonexistent/x.pcap")
            Issue.record("expected an error")
        } catch {
            #expect(error.description.contains("/nonexistent/x.pcap"))
        }
    }
}

#if canImport(Glibc)
    import Glibc
#endif
