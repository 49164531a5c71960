import OSPFWire
import Testing

@testable import OSPFEngine

/// The structures that grow with the database do so without a pause: the index moves a bounded
/// number of entries per operation (counted, not timed), chunked arrays never copy what they
/// hold, and LS Requests are cut where their answer packs into full LS Updates.
@Suite struct GrowthTests {
    static func key(_ i: Int) -> LSAKey {
        LSAKey(
            type: i % 7 == 0 ? .router : .asExternal,
            linkStateID: IPv4Address(UInt32(truncatingIfNeeded: i &* 2_654_435_761)),
            advertisingRouter: IPv4Address(UInt32(i % 5)))
    }

    /// Inserts, lookups and removals, across several growths and during them, agree with a
    /// standard dictionary; no operation moves more than a few buckets' worth of entries.
    @Test func indexAgreesWithADictionaryAndGrowsInBoundedSteps() {
        var index = LSAIndex()
        var model: [LSAKey: Int32] = [:]
        var growthsSeen = 0
        var wasGrowing = false
        for i in 0..<60_000 {
            let k = Self.key(i)
            index.insert(k, Int32(i))
            model[k] = Int32(i)
            // Remove some keys, including ones still in the draining table.
            if i % 3 == 0 {
                let victim = Self.key(i / 2)
                #expect(index.removeValue(forKey: victim) == model.removeValue(forKey: victim))
            }
            if index.isGrowing && !wasGrowing { growthsSeen += 1 }
            wasGrowing = index.isGrowing
            if i % 997 == 0 {
                for j in stride(from: 0, through: i, by: 13) { #expect(index[Self.key(j)] == model[Self.key(j)]) }
            }
        }
        #expect(index.count == model.count)
        #expect(growthsSeen >= 10)
        #expect(index.maxMovedPerOperation <= 2 * LSAIndex.migrationStep)
        var seen: [LSAKey: Int32] = [:]
        index.forEachEntry { k, v in seen[k] = v }
        #expect(seen == model)
        // Keys that were never inserted are absent, also after everything is removed.
        #expect(index[LSAKey(type: .network, linkStateID: IPv4Address(1), advertisingRouter: IPv4Address(1))] == nil)
        for k in model.keys { index.removeValue(forKey: k) }
        #expect(index.count == 0 && index.keys.isEmpty)
    }

    /// The database's index and slots grow by chunks: a database of 50,000 LSAs never had an
    /// operation that moved more than a bounded number of index entries.
    @Test func databaseInstallsMoveBoundedWork() {
        var db = LinkStateDatabase()
        let now = Instant.seconds(10)
        for i in 0..<50_000 { db.install(LinkStateDatabaseTests.external(i, seq: 1), at: now) }
        #expect(db.count == 50_000)
        #expect(db.indexMaxMovedPerOperation <= 2 * LSAIndex.migrationStep)
        #expect(db[LSAKey(LinkStateDatabaseTests.external(49_999, seq: 1).header)] != nil)
    }

    /// The request list against a plain model (an ordered array of keys and headers): inserts
    /// (new and re-described keys), removals in and out of order (so holes and compactions
    /// happen), LS Requests taken and re-taken; order, headers, counts and the in-flight count
    /// agree after every step.
    @Test func requestListAgreesWithAnOrderedModel() {
        var list = RequestList()
        var model: [(key: LSAKey, header: LSAHeader)] = []
        var modelInFlight: Set<LSAKey> = []
        var rng = SystemRandomNumberGenerator()
        func header(_ i: Int, seq: Int32) -> LSAHeader {
            LSAHeader(
                age: 1, options: .e, type: Self.key(i).type, linkStateID: Self.key(i).linkStateID,
                advertisingRouter: Self.key(i).advertisingRouter, sequenceNumber: seq, checksum: 0, length: 36)
        }
        for step in 0..<20_000 {
            switch Int.random(in: 0..<10, using: &rng) {
            case 0..<5:
                let i = Int.random(in: 0..<3_000, using: &rng)
                let h = header(i, seq: Int32(step))
                list.insert(h)
                if let at = model.firstIndex(where: { $0.key == Self.key(i) }) {
                    model[at].header = h
                } else {
                    model.append((Self.key(i), h))
                }
            case 5..<8:
                // Mostly the oldest request (answers come in order), sometimes any.
                guard !model.isEmpty else { continue }
                let at = Bool.random(using: &rng) ? 0 : Int.random(in: 0..<model.count, using: &rng)
                let k = model.remove(at: at).key
                let removed = list.remove(k)
                #expect(removed)
                modelInFlight.remove(k)
            case 8:
                let k = Self.key(Int.random(in: 3_000..<4_000, using: &rng))
                let removed = list.remove(k)
                #expect(!removed)
            default:
                let limit = Int.random(in: 1..<130, using: &rng)
                let sent = list.sendNext(limit)
                #expect(sent == model.prefix(limit).map(\.key))
                modelInFlight = Set(sent)
            }
            #expect(list.count == model.count)
            #expect(list.inFlight == modelInFlight.count)
            if step % 97 == 0 {
                #expect(list.first(model.count) == model.map(\.key))
                #expect(model.allSatisfy { list[$0.key] == $0.header })
            }
        }
        var copy = list
        #expect(copy == list)
        if let k = model.first?.key {
            copy.remove(k)
            #expect(copy != list)
        }
    }

    /// Prefetching index entries changes nothing a lookup sees, also while the index grows.
    @Test func prefetchIsInvisible() {
        var db = LinkStateDatabase()
        let now = Instant.seconds(10)
        for i in 0..<5_000 {
            let lsa = LinkStateDatabaseTests.external(i, seq: 1)
            db.prefetch(count: 2) { $0 == 0 ? LSAKey(lsa.header) : Self.key(i) }
            db.install(lsa, at: now)
        }
        #expect(db.count == 5_000)
        for i in stride(from: 0, to: 5_000, by: 7) {
            #expect(db[LSAKey(LinkStateDatabaseTests.external(i, seq: 1).header)] != nil)
        }
    }

    @Test func chunkedArrayAppendsAndMutatesInPlace() {
        var a = ChunkedArray<Int>()
        for i in 0..<10_000 { a.append(i) }
        #expect(a.count == 10_000 && a[4095] == 4095 && a[4096] == 4096 && a.last == 9999)
        a[5000] = -1
        #expect(a[5000] == -1 && a.reduce(0, +) == (0..<10_000).reduce(0, +) - 5001)
        a.removeAll()
        #expect(a.isEmpty)
    }

    /// 121 requests of 36-byte externals would be answered as 40 + 40 + 40 + 1 at an MTU of 1500
    /// (1,452 bytes of LSAs per LS Update): the last one is left for the next LS Request.
    @Test func requestsEndWhereTheAnswerFillsItsLastUpdate() {
        let budget = 1500 - 20 - 24 - 4
        #expect(RequestList.answerPrefix(Array(repeating: 36, count: 121), budget: budget) == 120)
        #expect(RequestList.answerPrefix(Array(repeating: 36, count: 101), budget: budget) == 101)  // 40 + 40 + 21
        #expect(RequestList.answerPrefix(Array(repeating: 36, count: 100), budget: budget) == 80)  // 40 + 40 + 20
        #expect(RequestList.answerPrefix(Array(repeating: 36, count: 30), budget: budget) == 30)  // one LS Update
        #expect(RequestList.answerPrefix(Array(repeating: 36, count: 41), budget: budget) == 40)
        #expect(RequestList.answerPrefix([1000, 1000, 100], budget: budget) == 3)  // 1000 | 1000 + 100: over half
        #expect(RequestList.answerPrefix([1400, 60], budget: budget) == 1)
        #expect(RequestList.answerPrefix([], budget: budget) == 0)
    }

    /// A whole exchange with the cut in place still requests every LSA and reaches Full; the last
    /// batch, with nothing behind it, is not cut.
    @Test func exchangeWithCutRequestsReachesFull() {
        var h = Harness()
        let lsas = (0..<300).map { LinkStateDatabaseTests.external($0, seq: 1) }
        var out = h.exchange(headers: lsas.map(\.header))
        var requested: [Int] = []
        var answered = Set<LSAKey>()
        while let r = Harness.sent(out).lazy.compactMap({ p -> LinkStateRequest? in
            if case .linkStateRequest(let r) = p.1.body { return r } else { return nil }
        }).first {
            requested.append(r.entries.count)
            let wanted = Set(
                r.entries.map {
                    LSAKey(
                        type: LSType(code: UInt8($0.lsType)), linkStateID: $0.linkStateID,
                        advertisingRouter: $0.advertisingRouter)
                })
            let answer = lsas.filter { wanted.contains(LSAKey($0.header)) }
            answered.formUnion(answer.map { LSAKey($0.header) })
            out = h.receive(.linkStateUpdate(LinkStateUpdate(lsas: answer)))
        }
        #expect(answered.count == 300)
        #expect(requested == [120, 120, 60])
        #expect(h.neighbor?.state == .full)
    }
}
