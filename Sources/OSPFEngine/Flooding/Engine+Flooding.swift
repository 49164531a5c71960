import OSPFWire

extension Engine {
    // MARK: - Receiving LS Updates (RFC 2328 13)

    /// `wire` is the packet the update was decoded from: each LSA is installed from its own bytes
    /// there (A.3.5: the LSAs follow the 24-byte header and the 4-byte count, back to back).
    mutating func receiveLinkStateUpdate(
        _ update: LinkStateUpdate, wire: [UInt8]? = nil, from id: IPv4Address, on name: String
    ) {
        // Single fields only: a held copy of the neighbour would copy its lists on every write.
        guard let (state, address) = readNeighbor(name, id, { ($0.state, $0.address) }) else { return }
        guard state >= .exchange else {
            reject(name, address, .wrongState(.linkStateUpdate, state))
            return
        }
        database.prefetch(count: update.lsas.count) { LSAKey(update.lsas[$0].header) }
        var directAcks: [LSAHeader] = []
        var offset = Packet.headerSize + 4
        for lsa in update.lsas {
            let h = lsa.header
            let key = LSAKey(h)
            let end = offset + Int(h.length)
            let bytes = wire.flatMap { end <= $0.count ? $0[offset..<end] : nil }
            offset = end
            // (1) The LSA checksum.
            guard lsa.checksumValid else {
                reject(name, address, .lsaChecksum(key))
                continue
            }
            // LS age never exceeds MaxAge (12.1.1): such an LSA would be installed older than any
            // aging could make it. Found by the engine fuzzer.
            guard h.age <= Architectural.maxAge else {
                reject(name, address, .lsaAgeAboveMaxAge(key, age: h.age))
                continue
            }
            // (2) LS types this router understands in a normal area (no O-bit, no NSSA).
            switch h.type {
            case .router, .network, .summaryNetwork, .summaryASBR, .asExternal: break
            default:
                reject(name, address, .unsupportedLSType(key))
                continue
            }
            // The database copy's header and arrival, without decoding its body.
            let dbEntry = database.installed(key)
            // (4) A MaxAge LSA we do not hold, with no neighbour in Exchange/Loading: ack and discard.
            if h.age >= Architectural.maxAge && dbEntry == nil && !anyNeighborExchanging() {
                directAcks.append(h)
                continue
            }
            let recency =
                dbEntry.map {
                    h.recency(
                        comparedTo: $0.header, age: h.age,
                        otherAge: LinkStateDatabase.age($0.header.age, $0.installedAt, now))
                } ?? .newer
            if recency == .newer {
                // The database limit: a new LSA that would exceed it is refused or isolates the speaker.
                if dbEntry == nil, let limit = config.lsdbLimit, database.count >= limit, !isSelfOriginated(h) {
                    if config.lsdbOverflowPolicy == .isolate {
                        enterOverflow(on: name, from: address, limit: limit)
                        return
                    }
                    refuseBeyondLimit(key, on: name, from: address, limit: limit)
                    // Refused, it still answers our request (10.9: the exchange completes without
                    // it); otherwise it is acknowledged, so the neighbour stops retransmitting it.
                    if readNeighbor(name, id, { $0.requestList[key] != nil }) == true {
                        satisfyRequest(name, id, key)
                    } else {
                        directAcks.append(h)
                    }
                    continue
                }
                // (5a) MinLSArrival: too soon after the previous instance: discard, no ack.
                if let dbEntry, now.since(dbEntry.installedAt) < .seconds(Architectural.minLSArrival),
                    dbEntry.header.advertisingRouter != routerID
                {
                    reject(name, address, .minLSArrival(key))
                    continue
                }
                // An answer to our LS Request: the request is the reliability (10.9, retransmitted
                // until answered) and the answer sits on no retransmission list (10.7), so it is
                // not acknowledged (BIRD does the same; a peer that retransmits gets a direct ack).
                let senderRequest = readNeighbor(name, id, { $0.requestList[key] }) ?? nil
                let requested = senderRequest != nil
                // (5c) before (5b): the old instance leaves every retransmission list first, or the
                // removal would also take the entries that flooding the new one just added.
                removeFromRetransmissionLists(key)
                // (5b) Flood out the other interfaces and neighbours, (5d) install.
                let floodedBack = flood(lsa, receivedOn: name, from: id, senderRequest: .some(senderRequest))
                database.install(lsa, wire: bytes, at: now)
                armAgeTick()
                // (5e) Acknowledge (13.5).
                if !floodedBack && !requested {
                    let fromDR = address == readInterface(name, { $0.designatedRouter })
                    if readInterface(name, { $0.state }) != .backup || fromDR {
                        interfaces.modify(name) { $0.delayedAcks.append(h) }
                    }
                    armDelayedAck(name)
                }
                // (5f) Self-originated: 13.4.
                if isSelfOriginated(h) { receivedSelfOriginated(lsa) }
                continue
            }
            // (6) On the neighbour's request list: BadLSReq.
            if readNeighbor(name, id, { $0.requestList[key] != nil }) == true {
                neighborEvent(name, id, .badLSReq(.receivedWhileRequested(key)))
                return
            }
            if recency == .same {
                // (7) Implied acknowledgement when on the retransmission list, else a direct ack.
                if withNeighbor(name, id, { $0.retransmissionList.remove(key) }) == true {
                    if readInterface(name, { $0.state }) == .backup
                        && address == readInterface(name, { $0.designatedRouter })
                    {
                        interfaces.modify(name) { $0.delayedAcks.append(h) }
                        armDelayedAck(name)
                    }
                    if let dbEntry, dbEntry.header.age >= Architectural.maxAge { removeAcknowledgedMaxAge([key]) }
                    checkShutdownComplete()
                } else {
                    directAcks.append(h)
                }
                continue
            }
            // (8) The database copy is newer.
            guard let dbEntry, let copy = database[key] else { continue }
            if dbEntry.header.age >= Architectural.maxAge
                && dbEntry.header.sequenceNumber == Architectural.maxSequenceNumber
            {
                continue
            }
            let last = readNeighbor(name, id, { $0.lastDirectSend[key] }) ?? nil
            if last == nil || now.since(last!) >= .seconds(Architectural.minLSArrival) {
                let now = self.now
                withNeighbor(name, id) { $0.lastDirectSend[key] = now }
                sendUpdate([copy.lsa(at: now)], on: name, to: destination(of: address, on: name))
            }
        }
        runDeferred()
        if !directAcks.isEmpty {
            send(
                .linkStateAcknowledgment(LinkStateAcknowledgment(lsaHeaders: directAcks)), on: name,
                to: destination(of: address, on: name))
        }
        // The last request was answered and more remain: ask for the next batch (10.9); during
        // Exchange once a whole packet of them is listed.
        let listed = readNeighbor(name, id, { $0.requestList.count }) ?? 0
        if let s = neighborState(name, id), !requestOutstanding(name, id), listed > 0,
            s == .loading || (s == .exchange && listed >= requestsPerPacket(name))
        {
            sendLinkStateRequest(name, id)
        }
    }

    /// Removes a satisfied request; an emptied list in Loading is LoadingDone (10.3, 10.9).
    mutating func satisfyRequest(_ name: String, _ id: IPv4Address, _ key: LSAKey) {
        guard
            let (empty, state) = withNeighbor(
                name, id,
                { n -> (Bool, NeighborState) in
                    n.requestList.remove(key)
                    return (n.requestList.isEmpty, n.state)
                }), empty
        else { return }
        cancel(.requestRetransmit(name, id))
        // LoadingDone runs once the LSA that satisfied the request is installed, not from inside
        // flooding (its Full transition originates LSAs that must see the installed copy).
        if state == .loading { queue(.loadingDone(name, id)) }
    }

    /// Queues a side effect for the end of the step (once: a second request is the same work).
    mutating func queue(_ effect: DeferredEffect) {
        if !deferred.contains(effect) { deferred.append(effect) }
    }

    /// Runs the side effects queued during a step, after the work that queued them: state
    /// machines finish their transitions before LSAs are originated from the new state.
    mutating func runDeferred() {
        while !deferred.isEmpty {
            let effect = deferred.removeFirst()
            switch effect {
            case .originateOwnLSAs:
                originateAdvertisements()
                originateRouterLSA()
            case .originateNetworkLSA(let name): originateNetworkLSA(name)
            case .loadingDone(let name, let id):
                guard readNeighbor(name, id, { $0.requestList.isEmpty }) == true else { continue }
                neighborEvent(name, id, .loadingDone)
            }
        }
    }

    func anyNeighborExchanging() -> Bool {
        interfaces.contains { i in i.neighbors.contains { $0.state == .exchange || $0.state == .loading } }
    }

    /// Whether an LSA is self-originated (13.4): our router ID, or a Network-LSA for one of our addresses.
    func isSelfOriginated(_ h: LSAHeader) -> Bool { isSelfOriginated(LSAKey(h)) }

    /// Whether the LSA with this key is self-originated (13.4).
    func isSelfOriginated(_ key: LSAKey) -> Bool {
        key.advertisingRouter == routerID
            || (key.type == .network
                && interfaceNames.contains { readInterface($0, { $0.config.address }) == key.linkStateID })
    }

    // MARK: - Flooding (RFC 2328 13.3)

    /// Floods an LSA out every eligible interface; returns whether it went back out the receiving
    /// interface. The LSA is queued and sent packed with the other LSAs flooded in the same step.
    @discardableResult
    /// `senderRequest`, when given, is the sender's request-list entry for the LSA, already looked up.
    mutating func flood(
        _ lsa: LSA, receivedOn source: String?, from sender: IPv4Address?, senderRequest: LSAHeader?? = nil
    ) -> Bool {
        let key = LSAKey(lsa.header)
        var floodedBack = false
        for name in interfaceNames {
            guard
                let (istate, network, dr, bdr) = readInterface(
                    name, { ($0.state, $0.config.network, $0.designatedRouter, $0.backupDesignatedRouter) }),
                istate != .down
            else { continue }
            var added = false
            for id in neighborIDs(name) {
                guard let state = neighborState(name, id), state >= .exchange else { continue }
                // (1b/c) An LSA the neighbour is still sending us satisfies (or outdates) our request.
                let isSender = name == source && id == sender
                if state == .exchange || state == .loading,
                    let want: LSAHeader =
                        if isSender, let known = senderRequest { known } else {
                            readNeighbor(name, id, { $0.requestList[key] }) ?? nil
                        }
                {
                    switch lsa.header.recency(comparedTo: want, age: lsa.header.age, otherAge: want.age) {
                    case .older: continue
                    case .same:
                        satisfyRequest(name, id, key)
                        continue
                    case .newer:
                        satisfyRequest(name, id, key)
                    }
                }
                if isSender { continue }
                addToRetransmissionList(name, id, lsa.header)
                added = true
            }
            guard added else { continue }
            if name == source, let sender, let address = readNeighbor(name, sender, { $0.address }) {
                // 13.3 (3)/(4): the DR/BDR flood on their own; a Backup waits.
                if address == dr || address == bdr { continue }
                if istate == .backup { continue }
                floodedBack = true
            }
            let destination: IPv4Address =
                (network == .pointToPoint || istate == .dr || istate == .backup) ? .allSPFRouters : .allDRouters
            floodQueue.append(FloodItem(interface: name, destination: destination, lsa: lsa))
        }
        return floodedBack
    }

    /// Puts an LSA on a neighbour's retransmission list (13.3 (1d)) and starts its retransmission
    /// timer when it is not running; a running timer is not pushed back (13.6).
    mutating func addToRetransmissionList(_ name: String, _ id: IPv4Address, _ header: LSAHeader) {
        let now = self.now
        guard
            let arm = withNeighbor(
                name, id,
                { n -> Bool in
                    n.retransmissionList.insert(header, sentAt: now)
                    defer { n.retransmitArmed = true }
                    return !n.retransmitArmed
                }), arm, let c = readInterface(name, { $0.config })
        else { return }
        self.arm(.updateRetransmit(name, id), after: .seconds(Int64(c.retransmitInterval)))
    }

    /// Sends the queued floods, LSAs for the same interface and destination packed together.
    /// Runs before any other packet is encoded (so packets leave in order and cryptographic
    /// sequence numbers increase on the wire) and at the end of every step.
    mutating func flushFloods() {
        guard !floodQueue.isEmpty, !flushingFloods else { return }
        flushingFloods = true
        defer { flushingFloods = false }
        let queue = floodQueue
        floodQueue = []
        var start = 0
        while start < queue.count {
            var end = start + 1
            while end < queue.count && queue[end].interface == queue[start].interface
                && queue[end].destination == queue[start].destination
            {
                end += 1
            }
            sendUpdate(queue[start..<end].map(\.lsa), on: queue[start].interface, to: queue[start].destination)
            start = end
        }
    }

    /// Sends LSAs in as few LS Update packets as fit, ages incremented by InfTransDelay (13.3).
    mutating func sendUpdate(_ lsas: [LSA], on name: String, to destination: IPv4Address) {
        guard let delay = readInterface(name, { $0.config.transmitDelay }), !lsas.isEmpty else { return }
        let budget = payloadBudget(name) - 4
        var batch: [LSA] = []
        var size = 0
        for var lsa in lsas {
            if lsa.header.age < Architectural.maxAge {
                lsa.header.age = min(Architectural.maxAge, lsa.header.age + delay)
            }
            let length = Int(lsa.header.length)
            if size + length > budget && !batch.isEmpty {
                send(.linkStateUpdate(LinkStateUpdate(lsas: batch)), on: name, to: destination)
                batch = []
                size = 0
            }
            batch.append(lsa)
            size += length
        }
        if !batch.isEmpty { send(.linkStateUpdate(LinkStateUpdate(lsas: batch)), on: name, to: destination) }
    }

    /// 13 (5c), 14.1: an LSA leaves every neighbour's retransmission list (an empty list is not
    /// searched).
    mutating func removeFromRetransmissionLists(_ key: LSAKey) {
        guard interfaces.contains(where: { $0.neighbors.contains(where: { !$0.retransmissionList.isEmpty }) }) else {
            return
        }
        for name in interfaceNames {
            for id in neighborIDs(name) {
                withNeighbor(name, id) { if !$0.retransmissionList.isEmpty { $0.retransmissionList.remove(key) } }
            }
        }
    }

    /// The neighbour IDs of an interface, sorted (a plain array: no reference to the neighbours).
    func neighborIDs(_ name: String) -> [IPv4Address] { readInterface(name, { $0.sortedNeighborIDs }) ?? [] }

    // MARK: - Acknowledgements (RFC 2328 13.5, 13.7)

    /// Arms the delayed-ack timer when the first acknowledgement is queued; later ones
    /// ride along, so a stream of updates cannot postpone acknowledgement (13.5).
    mutating func armDelayedAck(_ name: String) {
        guard readInterface(name, { $0.delayedAckArmed }) == false else { return }
        interfaces.modify(name) { $0.delayedAckArmed = true }
        arm(.delayedAck(name), after: .seconds(1))
    }

    /// Sends the delayed acknowledgements of an interface (13.5), packed to the MTU.
    mutating func sendDelayedAcks(_ name: String) {
        interfaces.modify(name) { $0.delayedAckArmed = false }
        guard let i = interfaces[name], !i.delayedAcks.isEmpty else { return }
        let room = max(1, payloadBudget(name) / LSAHeader.size)
        let destination: IPv4Address =
            (i.config.network == .pointToPoint || i.state == .dr || i.state == .backup) ? .allSPFRouters : .allDRouters
        let pending = i.delayedAcks
        interfaces.modify(name) { $0.delayedAcks = [] }
        var start = 0
        while start < pending.count {
            let end = min(pending.count, start + room)
            send(
                .linkStateAcknowledgment(LinkStateAcknowledgment(lsaHeaders: Array(pending[start..<end]))), on: name,
                to: destination)
            start = end
        }
    }

    /// Removes acknowledged instances from the neighbour's retransmission list (13.7).
    mutating func receiveLinkStateAck(_ ack: LinkStateAcknowledgment, from id: IPv4Address, on name: String) {
        guard let state = neighborState(name, id), state >= .exchange else { return }
        let acked =
            withNeighbor(name, id) { n -> [LSAKey] in
                var acked: [LSAKey] = []
                for h in ack.lsaHeaders {
                    let key = LSAKey(h)
                    guard let sent = n.retransmissionList[key],
                        h.recency(comparedTo: sent, age: h.age, otherAge: sent.age) == .same
                    else { continue }
                    n.retransmissionList.remove(key)
                    acked.append(key)
                }
                return acked
            } ?? []
        if readNeighbor(name, id, { $0.retransmissionList.isEmpty }) == true {
            withNeighbor(name, id) { $0.retransmitArmed = false }
            cancel(.updateRetransmit(name, id))
        }
        removeAcknowledgedMaxAge(acked)
        checkShutdownComplete()
    }

    /// Retransmits the LSAs unacknowledged for RxmtInterval directly to the neighbour (13.6), and
    /// re-arms the timer for the next one due.
    mutating func retransmitUpdates(_ name: String, _ id: IPv4Address) {
        guard let c = readInterface(name, { $0.config }),
            let (state, address) = withNeighbor(
                name, id,
                { n -> (NeighborState, IPv4Address) in
                    n.retransmitArmed = false
                    return (n.state, n.address)
                }), state >= .exchange
        else { return }
        let interval = Span.seconds(Int64(c.retransmitInterval))
        let cutoff = Instant(nanoseconds: now.nanoseconds - interval.nanoseconds)
        let now = self.now
        let due =
            withNeighbor(name, id) { n -> [LSAKey] in
                let due = n.retransmissionList.due(sentAtOrBefore: cutoff)
                n.retransmissionList.resent(due, at: now)
                return due
            } ?? []
        sendUpdate(due.compactMap { database[$0]?.lsa(at: now) }, on: name, to: destination(of: address, on: name))
        if let earliest = readNeighbor(name, id, { $0.retransmissionList.earliestSend }) ?? nil {
            withNeighbor(name, id) { $0.retransmitArmed = true }
            emit(
                .armTimer(
                    .updateRetransmit(name, id), at: Swift.max(earliest.adding(interval), now.adding(.seconds(1)))))
        }
    }
}
