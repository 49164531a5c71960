import OSPFWire
import Testing

@testable import OSPFEngine

/// The cost policy and the backup analysis: pure, so tested with plain values.
@Suite struct PolicyTests {
    static let prefix = Prefix("100.64.0.0/24")!
    static func ad(
        metricType: Int = 2, cost: UInt32 = 1, degraded: UInt32 = 100, onFailure: Advertisement.OnFailure = .raise
    )
        -> Advertisement
    {
        Advertisement(
            prefix: prefix,
            kind: .external(metricType: metricType, forwardingAddress: IPv4Address(10, 1, 0, 2), tag: 0),
            cost: cost, degradedCost: degraded, onFailure: onFailure)
    }

    @Test(arguments: [
        (true, false, Advertisement.OnFailure.raise, UInt32?(1)),
        (false, false, .raise, 100),
        (true, true, .raise, 100),
        (false, true, .raise, 100),
        (true, false, .withdraw, 1),
        (false, false, .withdraw, nil),
        (true, true, .withdraw, nil),
    ])
    func costPolicyDegradesOnFailingHealthOrMaintenance(
        healthy: Bool, maintenance: Bool, onFailure: Advertisement.OnFailure, expected: UInt32?
    ) {
        #expect(CostPolicy.cost(Self.ad(onFailure: onFailure), healthy: healthy, maintenance: maintenance) == expected)
    }

    /// A database holding other routers' externals for the prefix (and one elsewhere).
    static func database(_ externals: [(router: UInt8, type: Int, metric: UInt32)]) -> LinkStateDatabase {
        var db = LinkStateDatabase()
        for e in externals {
            let lsa = LSA(
                header: LSAHeader(
                    age: 1, options: .e, type: .asExternal, linkStateID: prefix.address,
                    advertisingRouter: IPv4Address(10, 0, 0, e.router), sequenceNumber: Int32(bitPattern: 0x8000_0001),
                    checksum: 0, length: 0),
                body: .external(
                    ASExternalLSA(
                        networkMask: prefix.mask, metricType: e.type, metric: e.metric, forwardingAddress: .any, tag: 0)
                )
            ).finalized()
            db.install(lsa, at: .zero)
        }
        return db
    }

    @Test func backupsAreOtherRoutersExternalsBestFirst() {
        let db = Self.database([(9, 2, 50), (8, 2, 20), (7, 1, 500), (1, 2, 1)])
        let list = BackupAnalysis.backups(for: Self.ad(), in: db, excluding: IPv4Address(10, 0, 0, 1))
        #expect(list.map(\.router) == [IPv4Address(10, 0, 0, 7), IPv4Address(10, 0, 0, 8), IPv4Address(10, 0, 0, 9)])
    }

    @Test func warningsNameWhyTrafficWouldNotMove() {
        let me = IPv4Address(10, 0, 0, 1)
        func warning(_ a: Advertisement, _ db: LinkStateDatabase) -> BackupAnalysis.Warning? {
            BackupAnalysis.warning(for: a, backups: BackupAnalysis.backups(for: a, in: db, excluding: me))
        }
        let bypass = Self.database([(9, 2, 50)])
        #expect(warning(Self.ad(degraded: 100), bypass) == nil)  // the reference lab: E2 100 over E2 50
        guard case .tie = warning(Self.ad(degraded: 50), bypass) else {
            Issue.record("a tie is not reported")
            return
        }
        guard case .undercut = warning(Self.ad(degraded: 20), bypass) else {
            Issue.record("an undercut is not reported")
            return
        }
        guard case .typeOneOverTypeTwo = warning(Self.ad(metricType: 1), bypass) else {
            Issue.record("E1 over E2 is not reported")
            return
        }
        #expect(warning(Self.ad(onFailure: .withdraw), LinkStateDatabase()) == .noBackup(Self.prefix, withdraws: true))
    }
}
