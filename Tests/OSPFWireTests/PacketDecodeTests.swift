import Testing

@testable import OSPFWire

/// Each structural rule that makes the decoder reject a packet, by its stable code.
@Suite struct PacketDecodeRuleTests {
    static let ack = Packet(
        routerID: IPv4Address(1, 1, 1, 1), areaID: .any,
        body: .linkStateAcknowledgment(LinkStateAcknowledgment(lsaHeaders: []))
    ).encoded()

    func code(_ bytes: [UInt8]) -> WireError.Code? {
        do {
            _ = try Packet(decoding: bytes)
            return nil
        } catch { return error.code }
    }

    @Test func versionMustBe2() {
        var b = Self.ack
        b[0] = 3
        #expect(code(b) == .badVersion)
    }

    @Test func typeMustBeKnown() {
        var b = Self.ack
        b[1] = 6
        #expect(code(b) == .badPacketType)
        b[1] = 0
        #expect(code(b) == .badPacketType)
    }

    @Test func lengthBelowHeaderRejected() {
        var b = Self.ack
        b[3] = 23
        #expect(code(b) == .badLength)
    }

    @Test func lengthBeyondDataRejected() {
        var b = Self.ack
        b[3] = 60
        #expect(code(b) == .truncated)
    }

    @Test func helloNeighborListMustBeWholeRouterIDs() {
        let hello = Packet(
            routerID: IPv4Address(1, 1, 1, 1), areaID: .any,
            body: .hello(
                Hello(
                    networkMask: .any, helloInterval: 10, options: .e, priority: 1, deadInterval: 40,
                    designatedRouter: .any, backupDesignatedRouter: .any, neighbors: [])))
        var b = hello.encoded() + [1, 2]
        b[3] += 2
        #expect(code(b) == .badLength)
    }

    @Test func lsuCountCannotExceedData() {
        let lsu = Packet(
            routerID: IPv4Address(1, 1, 1, 1), areaID: .any, body: .linkStateUpdate(LinkStateUpdate(lsas: [])))
        var b = lsu.encoded()
        b[27] = 1  // claims one LSA with no bytes
        #expect(code(b) == .badLength)
        b[24] = 0xFF  // a huge count is refused before any allocation
        #expect(code(b) == .badLength)
    }

    @Test func lsaLengthShorterThanHeaderRejected() {
        let lsa = LSA(
            header: LSAHeader(
                age: 0, options: .e, type: .network, linkStateID: .any, advertisingRouter: .any, sequenceNumber: 1,
                checksum: 0, length: 0),
            body: .network(NetworkLSA(networkMask: IPv4Address(255, 255, 255, 0), attachedRouters: [])))
        var b = lsa.encoded
        b[19] = 4
        #expect(throws: WireError.self) { try LSA(decoding: b) }
    }

    @Test func routerLinkCountMustMatchBody() {
        let lsa = LSA(
            header: LSAHeader(
                age: 0, options: .e, type: .router, linkStateID: .any, advertisingRouter: .any, sequenceNumber: 1,
                checksum: 0, length: 0),
            body: .router(RouterLSA(flags: [], links: [RouterLSA.Link(id: .any, data: .any, type: .stub, metric: 1)])))
        var b = lsa.encoded
        b[23] = 2  // two links announced, one present
        #expect(throws: WireError.self) { try LSA(decoding: b) }
        b[23] = 0  // zero links announced, one present: trailing bytes
        do {
            _ = try LSA(decoding: b)
            Issue.record("accepted trailing link bytes")
        } catch { #expect(error.code == .trailingBytes) }
    }

    @Test func externalFirstEntryMustBeTOS0() {
        let lsa = LSA(
            header: LSAHeader(
                age: 0, options: .e, type: .asExternal, linkStateID: .any, advertisingRouter: .any,
                sequenceNumber: 1, checksum: 0, length: 0),
            body: .external(ASExternalLSA(networkMask: .any, metricType: 1, metric: 1, forwardingAddress: .any, tag: 0))
        )
        var b = lsa.encoded
        b[24] = 0x05
        do {
            _ = try LSA(decoding: b)
            Issue.record("accepted TOS 5 first")
        } catch { #expect(error.code == .badValue) }
    }

    @Test func errorsNameFieldAndOffset() {
        var b = Self.ack
        b[3] = 60
        do {
            _ = try Packet(decoding: b)
        } catch {
            #expect(error.field == "Header.length")
            #expect(error.offset == 2)
            #expect(error.description.contains("Header.length at offset 2"))
        }
    }

    @Test func unknownLSATypesAreKeptRaw() throws {
        let lsa = LSA(
            header: LSAHeader(
                age: 3, options: [.e, .o], type: .opaqueArea, linkStateID: IPv4Address(1, 0, 0, 1),
                advertisingRouter: IPv4Address(2, 2, 2, 2), sequenceNumber: 7, checksum: 0, length: 0),
            body: .raw([1, 2, 3, 4, 5, 6, 7, 8])
        ).finalized()
        let back = try LSA(decoding: lsa.encoded)
        #expect(back == lsa)
        #expect(back.checksumValid)
    }
}
