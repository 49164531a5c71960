import OSPFWire

extension Engine {
    // MARK: - What this router wants in the database (RFC 2328 12.4)

    /// The effective cost of an advertisement now; nil when it is withdrawn.
    /// Maintenance wins: the degraded cost, or withdrawal with `on_failure = "withdraw"`.
    /// Otherwise the cost last set by ``Event/setAdvertisement(_:cost:)`` (initially the configured cost).
    public func effectiveCost(_ a: Advertisement) -> UInt32? {
        if maintenance { return CostPolicy.cost(a, degraded: true) }
        guard let desired = desiredCost[a.prefix] else { return a.cost }
        return desired
    }

    /// The Router-LSA body (12.4.1).
    func routerLSABody() -> RouterLSA {
        var links: [RouterLSA.Link] = []
        var flags: RouterLSA.Flags = []
        let transitMetric = { (cost: UInt16) in self.config.maxMetric ? Architectural.maxLinkMetric : cost }
        for name in interfaces.keys.sorted() {
            let i = interfaces[name]!
            let c = i.config
            switch i.state {
            case .down:
                continue
            case .pointToPoint:
                // 12.4.1.1: a point-to-point link per Full neighbour, plus the subnet as a stub.
                for id in i.sortedNeighborIDs where i.neighbors[id]!.state == .full {
                    links.append(.init(id: id, data: c.address, type: .pointToPoint, metric: transitMetric(c.cost)))
                }
                links.append(.init(id: c.prefix.address, data: c.prefix.mask, type: .stub, metric: c.cost))
            case .waiting:
                links.append(.init(id: c.prefix.address, data: c.prefix.mask, type: .stub, metric: c.cost))
            case .drOther, .backup, .dr:
                // 12.4.1.2: transit when fully adjacent to the DR (or DR with a Full neighbour), else stub.
                let drID = i.neighborID(address: i.designatedRouter)
                let adjacentToDR = drID.map { i.neighbors[$0]?.state == .full } ?? false
                let drWithFull = i.state == .dr && i.neighbors.values.contains { $0.state == .full }
                if adjacentToDR || drWithFull {
                    links.append(
                        .init(id: i.designatedRouter, data: c.address, type: .transit, metric: transitMetric(c.cost)))
                } else {
                    links.append(.init(id: c.prefix.address, data: c.prefix.mask, type: .stub, metric: c.cost))
                }
            }
        }
        for a in config.advertisements {
            switch a.kind {
            case .stub:
                if let cost = effectiveCost(a) {
                    links.append(
                        .init(id: a.prefix.address, data: a.prefix.mask, type: .stub, metric: UInt16(min(cost, 0xFFFF)))
                    )
                }
            case .external:
                if effectiveCost(a) != nil { flags.insert(.external) }
            }
        }
        return RouterLSA(flags: flags, links: links)
    }

    /// The key of this router's Router-LSA.
    var routerLSAKey: LSAKey { LSAKey(type: .router, linkStateID: routerID, advertisingRouter: routerID) }

    /// Whether no adjacency is Full. Origination of the Router-LSA and the externals is then held:
    /// no router can receive a new instance, and one originated now (a Router-LSA with stub links
    /// only, or a fresh external) would reach the next neighbour during its database exchange and
    /// either hold back the instance with the link (our MinLSInterval, its MinLSArrival) or lose to
    /// the neighbour's copy from before a restart (see ``originateAdvertisements()``). The first
    /// instances therefore go out when the first adjacency is Full; while none is, the last ones
    /// stay as they are (12.4 lists the events; their timing is the implementation's).
    var originationHeld: Bool { !interfaces.contains { $0.neighbors.contains { $0.state == .full } } }

    /// Originates the Router-LSA when its contents changed (12.4 (1)-(5)), unless held.
    mutating func originateRouterLSA() {
        if shuttingDown || originationHeld { return }
        originate(routerLSAKey, body: .router(routerLSABody()))
    }

    /// The Network-LSA while DR with at least one Full neighbour (12.4.2); flushed otherwise.
    mutating func originateNetworkLSA(_ name: String) {
        guard let i = interfaces[name], i.config.network == .broadcast else { return }
        let key = LSAKey(type: .network, linkStateID: i.config.address, advertisingRouter: routerID)
        if let body = networkLSABody(i), !shuttingDown {
            originate(key, body: .network(body))
        } else if database[key] != nil {
            flush(key)
        }
    }

    /// The Network-LSA body of an interface: while DR of a broadcast network with at least one
    /// Full neighbour, this router and those neighbours (12.4.2); nil otherwise.
    func networkLSABody(_ i: Interface) -> NetworkLSA? {
        guard i.config.network == .broadcast, i.state == .dr else { return nil }
        let full = i.sortedNeighborIDs.filter { i.neighbors[$0]!.state == .full }
        guard !full.isEmpty else { return nil }
        return NetworkLSA(networkMask: i.config.prefix.mask, attachedRouters: [routerID] + full)
    }

    /// The AS-external-LSA body of an external advertisement at its effective cost; nil when
    /// withdrawn (or not an external).
    func externalLSABody(_ a: Advertisement) -> ASExternalLSA? {
        guard case .external(let metricType, let fa, let tag) = a.kind, let cost = effectiveCost(a) else { return nil }
        return ASExternalLSA(
            networkMask: a.prefix.mask, metricType: metricType, metric: min(cost, Architectural.lsInfinity),
            forwardingAddress: fa, tag: tag)
    }

    /// Originates or flushes the AS-external LSAs and refreshes the Router-LSA for stub advertisements.
    /// Like the Router-LSA, the externals wait for the first Full adjacency: a neighbour may still
    /// hold our previous instances (a restart), even flushed ones at MaxAge with the same sequence
    /// number, which a fresh instance described in the exchange would not supersede (13.1: MaxAge
    /// wins) until the neighbour retransmitted them to us. Flooded at Full, a stale copy comes back
    /// at once (13 (8)) and is superseded (13.4).
    mutating func originateAdvertisements() {
        guard interfaces.values.contains(where: { $0.state != .down }), !shuttingDown, !originationHeld else { return }
        for a in config.advertisements {
            guard case .external = a.kind else { continue }
            let key = LSAKey(type: .asExternal, linkStateID: a.prefix.address, advertisingRouter: routerID)
            if let body = externalLSABody(a) {
                originate(key, body: .external(body))
            } else if let e = database[key], !e.isMaxAge {
                flush(key)
            }
        }
        originateRouterLSA()
    }

    /// The body this router wants for a self-originated key now, nil if none.
    func desiredBody(_ key: LSAKey) -> LSA.Body? {
        switch key.type {
        case .router:
            guard key.linkStateID == routerID, !originationHeld else { return nil }
            return .router(routerLSABody())
        case .network:
            return interfaces.values.first { $0.config.address == key.linkStateID }
                .flatMap(networkLSABody).map(LSA.Body.network)
        case .asExternal:
            for a in config.advertisements where a.prefix.address == key.linkStateID {
                if let body = externalLSABody(a) { return .external(body) }
            }
            return nil
        default:
            return nil
        }
    }

    // MARK: - Origination mechanics (12.4, 12.1.6)

    /// Originates a new instance of a self-originated LSA when its contents
    /// change, respecting MinLSInterval: a change inside the interval is
    /// deferred, and the latest desired contents go out when it expires.
    mutating func originate(_ key: LSAKey, body: LSA.Body, force: Bool = false) {
        let existing = database[key]
        // An instance taken over from before a restart (13.4) is superseded even when equal.
        let force = force || supersede.contains(key)
        if !force, let existing, !existing.isMaxAge, existing.lsa.body == body,
            existing.lsa.header.options == areaOptions
        {
            pendingOrigination.remove(key)
            return
        }
        if let last = lastOrigination[key], now.since(last) < .seconds(Architectural.minLSInterval) {
            if pendingOrigination.insert(key).inserted {
                emit(.armTimer(.minLSInterval(key), at: last.adding(.seconds(Architectural.minLSInterval))))
            }
            return
        }
        pendingOrigination.remove(key)
        // After a flushed instance left the database, neighbours may still hold it at MaxAge:
        // continue from the last sequence number used rather than starting again (12.1.6, 14.1).
        var sequence = lastSequence[key].map { $0 &+ 1 } ?? Architectural.initialSequenceNumber
        if sequence == Architectural.maxSequenceNumber &+ 1 { sequence = Architectural.initialSequenceNumber }
        if let existing {
            if existing.lsa.header.sequenceNumber == Architectural.maxSequenceNumber {
                // 12.1.6: flush the MaxSequenceNumber instance; originate afresh once it is gone.
                if !existing.isMaxAge { flush(key) }
                pendingOrigination.insert(key)
                return
            }
            sequence = existing.lsa.header.sequenceNumber &+ 1
        }
        install(key, body: body, sequence: sequence)
    }

    private mutating func install(_ key: LSAKey, body: LSA.Body, sequence: Int32) {
        let header = LSAHeader(
            age: 0, options: areaOptions, type: key.type, linkStateID: key.linkStateID,
            advertisingRouter: key.advertisingRouter, sequenceNumber: sequence, checksum: 0, length: 0)
        let lsa = LSA(header: header, body: body).finalized()
        supersede.remove(key)
        removeFromRetransmissionLists(key)
        database.install(lsa, at: now)
        lastOrigination[key] = now
        lastSequence[key] = sequence
        notify(.lsaOriginated(lsa.header))
        flood(lsa, receivedOn: nil, from: nil)
        arm(.refresh(key), after: .seconds(Architectural.lsRefreshTime))
        armAgeTick()
    }

    /// Premature aging (14.1): the same instance at MaxAge, flooded; removed once acknowledged.
    mutating func flush(_ key: LSAKey) {
        guard var entry = database[key] else { return }
        guard !entry.isMaxAge else { return }
        entry.lsa.header.age = Architectural.maxAge
        removeFromRetransmissionLists(key)
        database.install(entry.lsa, at: now)
        pendingOrigination.remove(key)
        cancel(.refresh(key))
        notify(.lsaFlushed(entry.lsa.header))
        flood(entry.lsa, receivedOn: nil, from: nil)
        armAgeTick()
    }

    /// 13.4: a newer instance of one of our LSAs arrived (e.g. from before a restart).
    /// Re-originate past its sequence number if we still want it, else flush it. One that arrives
    /// while origination is held (no adjacency Full yet: a restart's first exchange) stays in the
    /// database as received and is superseded by the first instance originated at Full; flushing
    /// it would withdraw the route, or make this router unreachable, in the meantime.
    mutating func receivedSelfOriginated(_ lsa: LSA) {
        let key = LSAKey(lsa.header)
        lastSequence[key] = max(lastSequence[key] ?? lsa.header.sequenceNumber, lsa.header.sequenceNumber)
        if originationHeld && !shuttingDown && lsa.header.age < Architectural.maxAge {
            supersede.insert(key)
            lastOrigination[key] = nil  // The received instance is not ours: MinLSInterval does not apply.
            return
        }
        if let body = desiredBody(key), !shuttingDown {
            if lsa.header.sequenceNumber == Architectural.maxSequenceNumber {
                flush(key)
                pendingOrigination.insert(key)
                return
            }
            lastOrigination[key] = nil  // The received instance is not ours: MinLSInterval does not apply.
            install(key, body: body, sequence: lsa.header.sequenceNumber &+ 1)
        } else if lsa.header.age < Architectural.maxAge {
            flush(key)
        }
    }
}
