import OSPFWire
import Testing

@testable import OSPFEngine

/// A log line names the RFC rule once: the rejection's text carries the problem, `rule` the rule.
@Suite struct RejectionTextTests {
    static let key = LSAKey(
        type: .asExternal, linkStateID: IPv4Address("10.0.0.0")!, advertisingRouter: IPv4Address("1.1.1.1")!)
    static let wire = WireError(
        .authenticationFailed, field: "Header.auth_type", offset: 14, rule: "RFC 2328 D.2", detail: "type 2, expected 0"
    )

    static let all: [Rejection] = [
        .malformed(wire), .authentication(wire), .packetChecksum,
        .areaMismatch(received: IPv4Address("0.0.0.1")!, expected: IPv4Address("0.0.0.0")!), .allDRoutersNotDR,
        .sourceNotOnNetwork(Prefix(address: IPv4Address("10.0.0.0")!, length: 24)),
        .ownRouterID(IPv4Address("1.1.1.1")!),
        .cryptoSequenceDecreased(received: 1, last: 2), .unknownNeighbor(.linkStateUpdate, IPv4Address("2.2.2.2")!),
        .networkMaskMismatch(IPv4Address("255.255.0.0")!), .helloIntervalMismatch(received: 1, configured: 10),
        .deadIntervalMismatch(received: 4, configured: 40), .externalRoutingMismatch,
        .mtuMismatch(received: 9000, ours: 1500),
        .wrongState(.databaseDescription, .down), .lsaChecksum(key), .unsupportedLSType(key), .minLSArrival(key),
    ]

    @Test(arguments: all) func ruleAppearsOnceInTheLogLine(_ r: Rejection) {
        let line = "dropped packet from 10.0.0.2 on br0: \(r) (\(r.rule))"
        #expect(line.components(separatedBy: "RFC ").count == 2, "\(line)")
        #expect(!r.reason.isEmpty && !r.reason.contains(" "))
    }
}

extension String {
    fileprivate func components(separatedBy s: String) -> [Substring] {
        var parts: [Substring] = []
        var rest = self[...]
        while let r = rest.firstRange(of: s) {
            parts.append(rest[..<r.lowerBound])
            rest = rest[r.upperBound...]
        }
        parts.append(rest)
        return parts
    }
}
