@testable import OSPFWire

/// A small deterministic generator (SplitMix64) so a property-test seed maps to one packet.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Builds random but valid packets and LSAs.
enum RandomPackets {
    static func address(_ g: inout SplitMix64) -> IPv4Address {
        IPv4Address(UInt32.random(in: 0...UInt32.max, using: &g))
    }

    static func header(_ g: inout SplitMix64, type: LSType) -> LSAHeader {
        LSAHeader(
            age: UInt16.random(in: 0...3600, using: &g),
            options: Options(rawValue: UInt8.random(in: 0...255, using: &g)),
            type: type, linkStateID: address(&g), advertisingRouter: address(&g),
            sequenceNumber: Int32.random(in: Int32.min...Int32.max, using: &g), checksum: 0, length: 0)
    }

    static func lsa(_ g: inout SplitMix64) -> LSA {
        let kinds: [LSType] = [
            .router, .network, .summaryNetwork, .summaryASBR, .asExternal, .nssaExternal, .opaqueArea, .other(42),
        ]
        let type = kinds.randomElement(using: &g)!
        let body: LSA.Body
        switch type {
        case .router:
            let links = (0..<Int.random(in: 0...6, using: &g)).map { _ in
                RouterLSA.Link(
                    id: address(&g), data: address(&g),
                    type: RouterLSA.LinkType(code: UInt8.random(in: 1...4, using: &g)),
                    metric: UInt16.random(in: 0...0xFFFF, using: &g),
                    tosMetrics: (0..<Int.random(in: 0...2, using: &g)).map { _ in
                        RouterLSA.TOSMetric(
                            tos: UInt8.random(in: 1...30, using: &g), metric: UInt16.random(in: 0...0xFFFF, using: &g))
                    })
            }
            body = .router(
                RouterLSA(flags: RouterLSA.Flags(rawValue: UInt8.random(in: 0...0x1F, using: &g)), links: links))
        case .network:
            body = .network(
                NetworkLSA(
                    networkMask: address(&g),
                    attachedRouters: (0..<Int.random(in: 1...8, using: &g)).map { _ in address(&g) }))
        case .summaryNetwork, .summaryASBR:
            body = .summary(SummaryLSA(networkMask: address(&g), metric: UInt32.random(in: 0...0xFFFFFF, using: &g)))
        case .asExternal, .nssaExternal:
            body = .external(
                ASExternalLSA(
                    networkMask: address(&g), metricType: Bool.random(using: &g) ? 1 : 2,
                    metric: UInt32.random(in: 0...0xFFFFFF, using: &g), forwardingAddress: address(&g),
                    tag: UInt32.random(in: 0...UInt32.max, using: &g)))
        default:
            body = .raw((0..<(4 * Int.random(in: 0...8, using: &g))).map { _ in UInt8.random(in: 0...255, using: &g) })
        }
        return LSA(header: header(&g, type: type), body: body).finalized()
    }

    static func packet(seed: UInt64) -> Packet {
        var g = SplitMix64(state: seed)
        let body: Packet.Body
        switch Int.random(in: 1...5, using: &g) {
        case 1:
            body = .hello(
                Hello(
                    networkMask: address(&g), helloInterval: UInt16.random(in: 0...0xFFFF, using: &g),
                    options: Options(rawValue: UInt8.random(in: 0...255, using: &g)),
                    priority: UInt8.random(in: 0...255, using: &g),
                    deadInterval: UInt32.random(in: 0...UInt32.max, using: &g), designatedRouter: address(&g),
                    backupDesignatedRouter: address(&g),
                    neighbors: (0..<Int.random(in: 0...10, using: &g)).map { _ in address(&g) }))
        case 2:
            body = .databaseDescription(
                DatabaseDescription(
                    interfaceMTU: UInt16.random(in: 0...9000, using: &g),
                    options: Options(rawValue: UInt8.random(in: 0...255, using: &g)),
                    flags: DatabaseDescription.Flags(rawValue: UInt8.random(in: 0...7, using: &g)),
                    sequenceNumber: UInt32.random(in: 0...UInt32.max, using: &g),
                    lsaHeaders: (0..<Int.random(in: 0...10, using: &g)).map { _ in lsa(&g).header }))
        case 3:
            body = .linkStateRequest(
                LinkStateRequest(
                    entries: (0..<Int.random(in: 0...10, using: &g)).map { _ in
                        .init(
                            lsType: UInt32.random(in: 1...11, using: &g), linkStateID: address(&g),
                            advertisingRouter: address(&g))
                    }))
        case 4:
            body = .linkStateUpdate(LinkStateUpdate(lsas: (0..<Int.random(in: 0...8, using: &g)).map { _ in lsa(&g) }))
        default:
            body = .linkStateAcknowledgment(
                LinkStateAcknowledgment(lsaHeaders: (0..<Int.random(in: 0...10, using: &g)).map { _ in lsa(&g).header })
            )
        }
        return Packet(routerID: address(&g), areaID: address(&g), authentication: .null(0), body: body)
    }
}
