import OSPFWire
import Testing

@testable import OSPFEngine

/// The compact database: LSAs stay readable and exact across replacement, removal and the
/// compaction that reclaims replaced instances' space.
@Suite struct LinkStateDatabaseTests {
    static func external(_ i: Int, seq: Int32) -> LSA {
        LSA(
            header: LSAHeader(
                age: 1, options: .e, type: .asExternal, linkStateID: IPv4Address(UInt32(0x0A00_0000) | UInt32(i) << 8),
                advertisingRouter: IPv4Address(192, 0, 2, 7), sequenceNumber: seq, checksum: 0, length: 0),
            body: .external(
                ASExternalLSA(
                    networkMask: IPv4Address(255, 255, 255, 0), metricType: 2, metric: UInt32(seq & 0xFFFF),
                    forwardingAddress: .any, tag: UInt32(i)))
        ).finalized()
    }

    @Test func replacedInstancesAreCompactedAwayAndEveryLSAStaysExact() {
        var db = LinkStateDatabase()
        let base = Int32(bitPattern: 0x8000_0001)
        // 1,000 LSAs replaced 40 times each: about 1.4 MB of replaced instances, enough to compact.
        for round in 0..<40 {
            for i in 0..<1000 { db.install(Self.external(i, seq: base &+ Int32(round)), at: .seconds(Double(round))) }
        }
        // Compaction ran: far less is stored than the 40,000 instances written (1.44 MB).
        #expect(db.storedBytes < 40_000 * 36 / 2, "\(db.storedBytes) bytes stored")
        db.remove(LSAKey(Self.external(7, seq: base).header))
        #expect(db.count == 999)
        for i in 0..<1000 where i != 7 {
            let want = Self.external(i, seq: base &+ 39)
            #expect(db[LSAKey(want.header)]?.lsa == want)
            #expect(db.installed(LSAKey(want.header))?.installedAt == .seconds(39))
        }
        #expect(db[LSAKey(Self.external(7, seq: base).header)] == nil)
    }
}
