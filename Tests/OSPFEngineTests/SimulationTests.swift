import OSPFEngineTesting
import OSPFWire
import Testing

@testable import OSPFEngine

@Suite struct SimulationTests {
    static let external = Advertisement(
        prefix: Prefix("100.64.0.0/24")!, kind: .external(metricType: 2, forwardingAddress: Lab.address(2), tag: 7),
        cost: 1, degradedCost: 100)

    @Test func twoRoutersPointToPointReachFull() {
        var sim = SimulatedNetwork()
        sim.add("a", Lab.router(1, network: .pointToPoint, advertisements: [Self.external]), segments: ["p2p"])
        sim.add("b", Lab.router(2, network: .pointToPoint), segments: ["p2p"])
        sim.start()
        sim.run(for: 10)
        #expect(sim.state("a", "eth0", IPv4Address(192, 0, 2, 2)) == .full)
        #expect(sim.state("b", "eth0", IPv4Address(192, 0, 2, 1)) == .full)
        #expect(sim.databaseSummary("a") == sim.databaseSummary("b"))
        // Both Router-LSAs and the external are present.
        #expect(sim.engines["b"]!.database.count == 3)
        #expect(sim.rejections("a").isEmpty && sim.rejections("b").isEmpty)
    }

    @Test func threeRoutersOnALANElectDRAndBDR() {
        var sim = SimulatedNetwork()
        sim.add("r1", Lab.router(1, priority: 10), segments: ["lan"])
        sim.add("r2", Lab.router(2, priority: 5), segments: ["lan"])
        sim.add("speaker", Lab.router(3, priority: 0, advertisements: [Self.external]), segments: ["lan"])
        sim.start()
        sim.run(for: 15)
        for name in ["r1", "r2", "speaker"] {
            let i = sim.engines[name]!.interfaces["eth0"]!
            #expect(i.designatedRouter == Lab.address(1), "\(name) DR")
            #expect(i.backupDesignatedRouter == Lab.address(2), "\(name) BDR")
        }
        #expect(sim.engines["r1"]!.interfaces["eth0"]!.state == .dr)
        #expect(sim.engines["r2"]!.interfaces["eth0"]!.state == .backup)
        #expect(sim.engines["speaker"]!.interfaces["eth0"]!.state == .drOther)
        #expect(sim.state("speaker", "eth0", IPv4Address(192, 0, 2, 1)) == .full)
        #expect(sim.state("speaker", "eth0", IPv4Address(192, 0, 2, 2)) == .full)
        #expect(sim.state("r1", "eth0", IPv4Address(192, 0, 2, 2)) == .full)
        let summaries = ["r1", "r2", "speaker"].map(sim.databaseSummary)
        #expect(summaries[0] == summaries[1] && summaries[1] == summaries[2])
        // Three Router-LSAs, one Network-LSA from the DR, one external.
        #expect(summaries[0].count == 5)
        let network = LSAKey(type: .network, linkStateID: Lab.address(1), advertisingRouter: IPv4Address(192, 0, 2, 1))
        guard case .network(let n) = sim.engines["speaker"]!.database[network]?.lsa.body else {
            Issue.record("no Network-LSA from the DR")
            return
        }
        #expect(
            Set(n.attachedRouters) == [IPv4Address(192, 0, 2, 1), IPv4Address(192, 0, 2, 2), IPv4Address(192, 0, 2, 3)])
    }

    @Test func twoDROthersStayTwoWay() {
        var sim = SimulatedNetwork()
        sim.add("r1", Lab.router(1, priority: 10), segments: ["lan"])
        sim.add("r2", Lab.router(2, priority: 0), segments: ["lan"])
        sim.add("r3", Lab.router(3, priority: 0), segments: ["lan"])
        sim.start()
        sim.run(for: 15)
        #expect(sim.state("r2", "eth0", IPv4Address(192, 0, 2, 3)) == .twoWay)
        #expect(sim.state("r2", "eth0", IPv4Address(192, 0, 2, 1)) == .full)
    }

    @Test func costChangePropagatesAfterMinLSInterval() {
        var sim = SimulatedNetwork()
        sim.add("speaker", Lab.router(1, network: .pointToPoint, advertisements: [Self.external]), segments: ["p2p"])
        sim.add("peer", Lab.router(2, network: .pointToPoint), segments: ["p2p"])
        sim.start()
        sim.run(for: 10)
        let key = LSAKey(
            type: .asExternal, linkStateID: IPv4Address(100, 64, 0, 0), advertisingRouter: IPv4Address(192, 0, 2, 1))
        func metric() -> UInt32? {
            if case .external(let e) = sim.engines["peer"]!.database[key]?.lsa.body { return e.primary.metric }
            return nil
        }
        #expect(metric() == 1)
        sim.apply("speaker", .maintenance(true))
        sim.run(for: 1)
        #expect(metric() == 100)
        // A change back within MinLSInterval is deferred, never lost.
        sim.apply("speaker", .maintenance(false))
        sim.run(for: 1)
        #expect(metric() == 100)
        sim.run(for: 5)
        #expect(metric() == 1)
        // Health withdrawal of a cost (nil) flushes the LSA.
        sim.run(for: 6)
        sim.apply("speaker", .setAdvertisement(Self.external.prefix, cost: nil))
        sim.run(for: 2)
        #expect(sim.engines["peer"]!.database[key] == nil || sim.engines["peer"]!.database[key]!.isMaxAge)
    }

    @Test(arguments: Array(0..<20) as [UInt64])
    func convergesWithTwentyPercentLoss(seed: UInt64) {
        var sim = SimulatedNetwork()
        sim.lossRate = 0.2
        sim.rng = SeededGenerator(seed: seed)
        // Dead interval 8 s: eight Hellos in a row lost (p = 2.6e-6) would legitimately drop a neighbour.
        sim.add("r1", Lab.router(1, priority: 10, advertisements: [Self.external], dead: 8), segments: ["lan"])
        sim.add("r2", Lab.router(2, priority: 5, dead: 8), segments: ["lan"])
        sim.add("r3", Lab.router(3, priority: 0, dead: 8), segments: ["lan"])
        sim.start()
        sim.run(for: 60)
        #expect(sim.dropped > 0)
        #expect(sim.state("r3", "eth0", IPv4Address(192, 0, 2, 1)) == .full)
        #expect(sim.state("r3", "eth0", IPv4Address(192, 0, 2, 2)) == .full)
        let summaries = ["r1", "r2", "r3"].map(sim.databaseSummary)
        #expect(summaries[0] == summaries[1] && summaries[1] == summaries[2], "\(summaries)")
        #expect(summaries[0].count == 5)
    }

    @Test func shutdownFlushesAndPeersForget() {
        var sim = SimulatedNetwork()
        sim.add("speaker", Lab.router(1, network: .pointToPoint, advertisements: [Self.external]), segments: ["p2p"])
        sim.add("peer", Lab.router(2, network: .pointToPoint), segments: ["p2p"])
        sim.start()
        sim.run(for: 10)
        sim.apply("speaker", .shutdown)
        sim.run(for: 0.1)
        // The peer dropped the adjacency at once (Hello without us) and holds no live LSA of the speaker.
        #expect((sim.state("peer", "eth0", IPv4Address(192, 0, 2, 1)) ?? .down) < .twoWay)
        // Its delayed acknowledgement (1 s) completes the shutdown.
        sim.run(for: 1.5)
        #expect(sim.notifications.contains { $0.router == "speaker" && $0.2 == .shutdownComplete })
        let live = sim.engines["peer"]!.database.entries.values.filter {
            $0.lsa.header.advertisingRouter == IPv4Address(192, 0, 2, 1) && !$0.isMaxAge
        }
        #expect(live.isEmpty)
    }

    @Test func authenticatedAdjacencyAndWrongKey() {
        let key = AuthenticationKey(id: 5, secret: Array("k".utf8), algorithm: .md5)
        let wrong = AuthenticationKey(id: 5, secret: Array("x".utf8), algorithm: .md5)
        var sim = SimulatedNetwork()
        sim.add("a", Lab.router(1, network: .pointToPoint, auth: key), segments: ["p2p"])
        sim.add("b", Lab.router(2, network: .pointToPoint, auth: key), segments: ["p2p"])
        sim.start()
        sim.run(for: 10)
        #expect(sim.state("a", "eth0", IPv4Address(192, 0, 2, 2)) == .full)
        var bad = SimulatedNetwork()
        bad.add("a", Lab.router(1, network: .pointToPoint, auth: key), segments: ["p2p"])
        bad.add("b", Lab.router(2, network: .pointToPoint, auth: wrong), segments: ["p2p"])
        bad.start()
        bad.run(for: 10)
        #expect(bad.state("a", "eth0", IPv4Address(192, 0, 2, 2)) == nil)
        #expect(bad.rejections("a").contains { $0.contains("digest mismatch") })
    }

    @Test func sameInputsSameOutputs() {
        func run() -> [String] {
            var sim = SimulatedNetwork()
            sim.lossRate = 0.1
            sim.add("r1", Lab.router(1, priority: 10), segments: ["lan"])
            sim.add("r2", Lab.router(2, priority: 5, advertisements: [Self.external]), segments: ["lan"])
            sim.start()
            sim.run(for: 20)
            return sim.notifications.map { "\($0.router) \($0.at) \($0.2)" }
        }
        #expect(run() == run())
    }
}
