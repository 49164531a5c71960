import OSPFWire

extension Engine {
    // MARK: - Receiving LS Updates (RFC 2328 13)

    mutating func receiveLinkStateUpdate(_ update: LinkStateUpdate, from id: IPv4Address, on name: String) {
        guard let n = interfaces[name]?.neighbors[id] else { return }
        guard n.state >= .exchange else {
            reject(name, n.address, "LS Update in state \(n.state.rawValue)", "RFC 2328 13")
            return
        }
        var directAcks: [LSAHeader] = []
        let requestsBefore = n.requestOrder.count
        for lsa in update.lsas {
            let h = lsa.header
            let key = LSAKey(h)
            // (1) The LSA checksum.
            guard lsa.checksumValid else {
                reject(name, n.address, "LSA \(key) checksum mismatch", "RFC 2328 13 (1)")
                continue
            }
            // (2) LS types this router understands in a normal area (no O-bit, no NSSA).
            switch h.type {
            case .router, .network, .summaryNetwork, .summaryASBR, .asExternal: break
            default:
                reject(name, n.address, "LSA \(key) has an unsupported LS type", "RFC 2328 13 (2)")
                continue
            }
            let dbEntry = database[key]
            // (4) A MaxAge LSA we do not hold, with no neighbour in Exchange/Loading: ack and discard.
            if h.age >= Architectural.maxAge && dbEntry == nil && !anyNeighborExchanging() {
                directAcks.append(h)
                continue
            }
            let recency = database.recency(of: h, at: now)
            if recency == .newer {
                // (5a) MinLSArrival: too soon after the previous instance: discard, no ack.
                if let dbEntry, now.since(dbEntry.installedAt) < .seconds(Architectural.minLSArrival),
                    dbEntry.lsa.header.advertisingRouter != routerID
                {
                    reject(name, n.address, "LSA \(key) arrived within MinLSArrival", "RFC 2328 13 (5a)")
                    continue
                }
                // (5b) Flood, (5c) remove old copies from retransmission lists, (5d) install.
                let floodedBack = flood(lsa, receivedOn: name, from: id)
                removeFromRetransmissionLists(key)
                database.install(lsa, at: now)
                armAgeTick()
                // (5e) Acknowledge (13.5).
                if !floodedBack {
                    let state = interfaces[name]?.state
                    let fromDR = n.address == interfaces[name]?.designatedRouter
                    if state != .backup || fromDR { interfaces[name]?.delayedAcks.append(h) }
                    armDelayedAck(name)
                }
                // (5f) Self-originated: 13.4.
                if isSelfOriginated(h) { receivedSelfOriginated(lsa) }
                continue
            }
            // (6) On the neighbour's request list: BadLSReq.
            if interfaces[name]?.neighbors[id]?.requestList[key] != nil {
                restartExchange(name, id, event: "BadLSReq (\(key) received while requested)")
                return
            }
            if recency == .same {
                // (7) Implied acknowledgement when on the retransmission list, else a direct ack.
                if interfaces[name]?.neighbors[id]?.retransmissionList[key] != nil {
                    interfaces[name]?.neighbors[id]?.retransmissionList[key] = nil
                    if interfaces[name]?.state == .backup && n.address == interfaces[name]?.designatedRouter {
                        interfaces[name]?.delayedAcks.append(h)
                        armDelayedAck(name)
                    }
                    checkShutdownComplete()
                } else {
                    directAcks.append(h)
                }
                continue
            }
            // (8) The database copy is newer.
            guard let dbEntry else { continue }
            if dbEntry.isMaxAge && dbEntry.lsa.header.sequenceNumber == Architectural.maxSequenceNumber { continue }
            let last = interfaces[name]?.neighbors[id]?.lastDirectSend[key]
            if last == nil || now.since(last!) >= .seconds(Architectural.minLSArrival) {
                interfaces[name]?.neighbors[id]?.lastDirectSend[key] = now
                sendUpdate([dbEntry.lsa(at: now)], on: name, to: n.address)
            }
        }
        if !directAcks.isEmpty {
            send(.linkStateAcknowledgment(LinkStateAcknowledgment(lsaHeaders: directAcks)), on: name, to: n.address)
        }
        // Some requests were satisfied (13.3 (1b/c)) and more remain: ask for the next batch (10.9).
        if let after = interfaces[name]?.neighbors[id], after.state == .loading || after.state == .exchange,
            after.requestOrder.count < requestsBefore, !after.requestOrder.isEmpty
        {
            sendLinkStateRequest(name, id)
        }
    }

    /// Removes a satisfied request; an emptied list in Loading is LoadingDone (10.3, 10.9).
    mutating func satisfyRequest(_ name: String, _ id: IPv4Address, _ key: LSAKey) {
        interfaces[name]?.neighbors[id]?.unrequest(key)
        guard let n = interfaces[name]?.neighbors[id], n.requestOrder.isEmpty else { return }
        cancel(.requestRetransmit(name, id))
        if n.state == .loading { setNeighborState(name, id, .full, event: "LoadingDone") }
    }

    func anyNeighborExchanging() -> Bool {
        interfaces.values.contains { i in i.neighbors.values.contains { $0.state == .exchange || $0.state == .loading }
        }
    }

    /// Whether an LSA is self-originated (13.4): our router ID, or a Network-LSA for one of our addresses.
    func isSelfOriginated(_ h: LSAHeader) -> Bool {
        h.advertisingRouter == routerID
            || (h.type == .network && interfaces.values.contains { $0.config.address == h.linkStateID })
    }

    // MARK: - Flooding (RFC 2328 13.3)

    /// Floods an LSA out every eligible interface; returns whether it went back out the receiving interface.
    @discardableResult
    mutating func flood(_ lsa: LSA, receivedOn source: String?, from sender: IPv4Address?) -> Bool {
        let key = LSAKey(lsa.header)
        var floodedBack = false
        for name in interfaces.keys.sorted() {
            guard let i = interfaces[name], i.state != .down else { continue }
            var added = false
            for id in i.sortedNeighborIDs {
                guard let n = interfaces[name]?.neighbors[id], n.state >= .exchange else { continue }
                if n.state == .exchange || n.state == .loading, let want = n.requestList[key] {
                    switch lsa.header.recency(comparedTo: want, age: lsa.header.age, otherAge: want.age) {
                    case .older: continue
                    case .same:
                        satisfyRequest(name, id, key)
                        continue
                    case .newer:
                        satisfyRequest(name, id, key)
                    }
                }
                if name == source && id == sender { continue }
                interfaces[name]?.neighbors[id]?.retransmissionList[key] = lsa.header
                arm(.updateRetransmit(name, id), after: .seconds(Int64(i.config.retransmitInterval)))
                added = true
            }
            guard added else { continue }
            if name == source, let sender, let n = i.neighbors[sender] {
                // 13.3 (3)/(4): the DR/BDR flood on their own; a Backup waits.
                if n.address == i.designatedRouter || n.address == i.backupDesignatedRouter { continue }
                if i.state == .backup { continue }
                floodedBack = true
            }
            let destination: IPv4Address =
                (i.config.network == .pointToPoint || i.state == .dr || i.state == .backup)
                ? .allSPFRouters : .allDRouters
            sendUpdate([lsa], on: name, to: destination)
        }
        return floodedBack
    }

    /// Sends LSAs in as few LS Update packets as fit, ages incremented by InfTransDelay (13.3).
    mutating func sendUpdate(_ lsas: [LSA], on name: String, to destination: IPv4Address) {
        guard let i = interfaces[name], !lsas.isEmpty else { return }
        let budget = payloadBudget(name) - 4
        var batch: [LSA] = []
        var size = 0
        func flush(_ engine: inout Engine) {
            guard !batch.isEmpty else { return }
            engine.send(.linkStateUpdate(LinkStateUpdate(lsas: batch)), on: name, to: destination)
            batch = []
            size = 0
        }
        for var lsa in lsas {
            if lsa.header.age < Architectural.maxAge {
                lsa.header.age = min(Architectural.maxAge, lsa.header.age + i.config.transmitDelay)
            }
            let length = Int(lsa.header.length)
            if size + length > budget { flush(&self) }
            batch.append(lsa)
            size += length
        }
        flush(&self)
    }

    mutating func removeFromRetransmissionLists(_ key: LSAKey) {
        for name in interfaces.keys {
            for id in interfaces[name]!.neighbors.keys {
                interfaces[name]?.neighbors[id]?.retransmissionList[key] = nil
            }
        }
    }

    // MARK: - Acknowledgements (RFC 2328 13.5, 13.7)

    /// Arms the delayed-ack timer when the first acknowledgement is queued; later ones
    /// ride along, so a stream of updates cannot postpone acknowledgement (13.5).
    mutating func armDelayedAck(_ name: String) {
        guard interfaces[name]?.delayedAckArmed == false else { return }
        interfaces[name]?.delayedAckArmed = true
        arm(.delayedAck(name), after: .seconds(1))
    }

    /// Sends the delayed acknowledgements of an interface (13.5).
    mutating func sendDelayedAcks(_ name: String) {
        interfaces[name]?.delayedAckArmed = false
        guard let i = interfaces[name], !i.delayedAcks.isEmpty else { return }
        let room = max(1, payloadBudget(name) / LSAHeader.size)
        let destination: IPv4Address =
            (i.config.network == .pointToPoint || i.state == .dr || i.state == .backup) ? .allSPFRouters : .allDRouters
        var pending = i.delayedAcks
        interfaces[name]?.delayedAcks = []
        while !pending.isEmpty {
            let chunk = Array(pending.prefix(room))
            pending.removeFirst(chunk.count)
            send(.linkStateAcknowledgment(LinkStateAcknowledgment(lsaHeaders: chunk)), on: name, to: destination)
        }
    }

    /// Removes acknowledged instances from the neighbour's retransmission list (13.7).
    mutating func receiveLinkStateAck(_ ack: LinkStateAcknowledgment, from id: IPv4Address, on name: String) {
        guard let n = interfaces[name]?.neighbors[id], n.state >= .exchange else { return }
        for h in ack.lsaHeaders {
            let key = LSAKey(h)
            guard let sent = n.retransmissionList[key] else { continue }
            if h.recency(comparedTo: sent, age: h.age, otherAge: sent.age) == .same {
                interfaces[name]?.neighbors[id]?.retransmissionList[key] = nil
            }
        }
        if interfaces[name]?.neighbors[id]?.retransmissionList.isEmpty == true {
            cancel(.updateRetransmit(name, id))
        }
        removeAcknowledgedMaxAge()
        checkShutdownComplete()
    }

    /// Retransmits unacknowledged LSAs directly to the neighbour (13.6).
    mutating func retransmitUpdates(_ name: String, _ id: IPv4Address) {
        guard let i = interfaces[name], let n = i.neighbors[id], n.state >= .exchange, !n.retransmissionList.isEmpty
        else { return }
        let lsas = n.retransmissionList.keys.sorted().compactMap { database[$0]?.lsa(at: now) }
        sendUpdate(lsas, on: name, to: n.address)
        arm(.updateRetransmit(name, id), after: .seconds(Int64(i.config.retransmitInterval)))
    }
}
