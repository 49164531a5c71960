import OSPFWire

extension Engine {
    // MARK: - Sending DD packets (RFC 2328 10.8)

    mutating func sendDatabaseDescription(
        _ name: String, _ id: IPv4Address, flags: DatabaseDescription.Flags, headers: [LSAHeader]
    ) {
        guard let c = readInterface(name, { $0.config }),
            let (sequence, address, master) = readNeighbor(name, id, { ($0.ddSequence, $0.address, $0.weAreMaster) })
        else { return }
        let dd = DatabaseDescription(
            interfaceMTU: c.mtu, options: areaOptions, flags: flags, sequenceNumber: sequence, lsaHeaders: headers)
        let bytes = encode(.databaseDescription(dd), on: name)
        withNeighbor(name, id) {
            $0.lastSentDD = bytes
            $0.lastSentMore = flags.contains(.more)
        }
        emit(.send(interface: name, destination: destination(of: address, on: name), bytes: bytes))
        // Only the master retransmits (10.8); it also retransmits its initial empty packet.
        if master { arm(.ddRetransmit(name, id), after: .seconds(Int64(c.retransmitInterval))) }
    }

    /// Sends the next DD packet of the exchange with as many summary headers as fit.
    mutating func sendNextDatabaseDescription(_ name: String, _ id: IPv4Address) {
        let room = max(1, (payloadBudget(name) - 8) / LSAHeader.size)
        var headers: [LSAHeader] = []
        headers.reserveCapacity(room)
        let database = self.database
        let now = self.now
        guard
            let (more, master) = withNeighbor(
                name, id,
                { n -> (Bool, Bool) in
                    // Describe the current instance (ages move on); an LSA removed since the exchange
                    // began is no longer described.
                    while headers.count < room && !n.summaryList.isEmpty {
                        for key in n.summaryList.next(room - headers.count) {
                            if let h = database.header(key, at: now) { headers.append(h) }
                        }
                    }
                    return (!n.summaryList.isEmpty, n.weAreMaster)
                })
        else { return }
        var flags: DatabaseDescription.Flags = more ? [.more] : []
        if master { flags.insert(.master) }
        sendDatabaseDescription(name, id, flags: flags, headers: headers)
    }

    /// The database summary list for a new exchange (10.3 NegotiationDone): every LSA in the
    /// database, in database order, as keys (each header is read when described); MaxAge LSAs go
    /// on the retransmission list instead. O(n log n) once per exchange.
    mutating func buildSummaryList(_ name: String, _ id: IPv4Address) {
        let maxAge = database.maxAgeKeys
        let keys = database.sortedKeys.filter { !maxAge.contains($0) }
        withNeighbor(name, id) { $0.summaryList = SummaryList(keys) }
        for key in maxAge.sorted() {
            if let h = database.header(key, at: now) { addToRetransmissionList(name, id, h) }
        }
    }

    // MARK: - Receiving DD packets (RFC 2328 10.6)

    mutating func receiveDatabaseDescription(_ dd: DatabaseDescription, from id: IPv4Address, on name: String) {
        // Single fields only: a held copy of the neighbour would copy its lists on every write.
        guard let c = readInterface(name, { $0.config }),
            let (state, address, weAreMaster, ddSequence, lastDD) = readNeighbor(
                name, id, { ($0.state, $0.address, $0.weAreMaster, $0.ddSequence, $0.lastReceivedDD) })
        else { return }
        if dd.interfaceMTU > c.mtu && !c.mtuIgnore {
            reject(name, address, .mtuMismatch(received: dd.interfaceMTU, ours: c.mtu))
            return
        }
        let isDuplicate =
            lastDD.map {
                $0.flags == dd.flags.rawValue && $0.options == dd.options.rawValue && $0.sequence == dd.sequenceNumber
            } ?? false
        switch state {
        case .down:
            reject(name, address, .wrongState(.databaseDescription, .down))
            return
        case .initializing:
            neighborEvent(name, id, .twoWayReceived)
            guard neighborState(name, id) == .exStart else { return }
            receiveDatabaseDescription(dd, from: id, on: name)
            return
        case .twoWay:
            return  // 10.6: ignored in 2-Way.
        case .exStart:
            let initAll: DatabaseDescription.Flags = [.initial, .more, .master]
            if dd.flags.isSuperset(of: initAll) && dd.lsaHeaders.isEmpty && id > routerID {
                // The neighbour is master: adopt its sequence number.
                withNeighbor(name, id) {
                    $0.weAreMaster = false
                    $0.ddSequence = dd.sequenceNumber
                }
                cancel(.ddRetransmit(name, id))
            } else if !dd.flags.contains(.initial) && !dd.flags.contains(.master) && dd.sequenceNumber == ddSequence
                && id < routerID
            {
                withNeighbor(name, id) { $0.weAreMaster = true }
            } else {
                return  // 10.6: otherwise ignored.
            }
            // The DD's options are recorded with the packet (lastReceivedDD) in acceptDatabaseDescription.
            neighborEvent(name, id, .negotiationDone)
            acceptDatabaseDescription(dd, from: id, on: name)
        case .exchange:
            if isDuplicate {
                // 10.6: the master discards duplicates; the slave resends its last packet.
                if !weAreMaster, let last = readNeighbor(name, id, { $0.lastSentDD }) ?? nil {
                    resendDatabaseDescription(last, name, id, to: address)
                }
                return
            }
            if dd.flags.contains(.master) == weAreMaster {
                neighborEvent(name, id, .seqNumberMismatch(.masterSlaveBit))
                return
            }
            if dd.flags.contains(.initial) {
                neighborEvent(name, id, .seqNumberMismatch(.initBit))
                return
            }
            // 10.6: compared with the options of the last DD received, not of the last Hello.
            if let lastDD, dd.options.rawValue != lastDD.options {
                neighborEvent(
                    name, id, .seqNumberMismatch(.optionsChanged(from: lastDD.options, to: dd.options.rawValue)))
                return
            }
            let expected = weAreMaster ? ddSequence : ddSequence &+ 1
            guard dd.sequenceNumber == expected else {
                neighborEvent(name, id, .seqNumberMismatch(.sequence(received: dd.sequenceNumber, expected: expected)))
                return
            }
            acceptDatabaseDescription(dd, from: id, on: name)
        case .loading, .full:
            if isDuplicate && weAreMaster { return }
            if isDuplicate, let last = readNeighbor(name, id, { $0.lastSentDD }) ?? nil {
                resendDatabaseDescription(last, name, id, to: address)
                return
            }
            neighborEvent(name, id, .seqNumberMismatch(.ddInState(state)))
        }
    }

    /// Processes an accepted DD packet's headers and moves the exchange on (10.6, 10.8).
    mutating func acceptDatabaseDescription(_ dd: DatabaseDescription, from id: IPv4Address, on name: String) {
        for header in dd.lsaHeaders {
            switch header.type {
            case .router, .network, .summaryNetwork, .summaryASBR, .asExternal: continue
            default:
                // We do not set the O-bit nor support NSSA: such headers are a mismatch (10.6).
                neighborEvent(name, id, .seqNumberMismatch(.unsupportedLSType(header.type.code)))
                return
            }
        }
        guard
            let (master, lastSentMore) = withNeighbor(
                name, id,
                { n -> (Bool, Bool) in
                    n.lastReceivedDD = (dd.flags.rawValue, dd.options.rawValue, dd.sequenceNumber)
                    if n.weAreMaster { n.ddSequence &+= 1 } else { n.ddSequence = dd.sequenceNumber }
                    return (n.weAreMaster, n.lastSentMore)
                })
        else { return }
        // The exchange is the critical path: our next DD does not depend on the headers just
        // received, so it goes out before they are examined (the host sends it before
        // resuming), and any LS Request after that.
        let exchangeDone: Bool
        if master {
            cancel(.ddRetransmit(name, id))
            exchangeDone = !lastSentMore && !dd.flags.contains(.more)
            if !exchangeDone { sendNextDatabaseDescription(name, id) }
        } else {
            sendNextDatabaseDescription(name, id)
            // The slave keeps its last packet (at least a dead interval, 10.8; here until the
            // next exchange) to answer the master's retransmissions.
            exchangeDone = !dd.flags.contains(.more) && readNeighbor(name, id, { $0.lastSentMore }) == false
        }
        // The host sends the answer before the headers are examined (Engine.step).
        pendingExamination = PendingExamination(dd: dd, neighbor: id, interface: name, exchangeDone: exchangeDone)
    }

    /// Examines an accepted DD's headers, once its answer is out, and moves the exchange on.
    mutating func examineDescribedHeaders(
        _ dd: DatabaseDescription, from id: IPv4Address, on name: String, exchangeDone: Bool
    ) {
        // The neighbour may have gone (an event between the answer and now cannot intervene:
        // Engine.step finishes pending work first; this is a guard, not a path).
        guard readNeighbor(name, id, { $0.state }) != nil else { return }
        database.prefetch(count: dd.lsaHeaders.count) { LSAKey(dd.lsaHeaders[$0]) }
        // 10.6: every header describing an LSA newer than ours goes on the request list; this is
        // complete before ExchangeDone decides between Loading and Full.
        // At lsdb_limit (policy refuse) an LSA the database does not hold is not requested: the
        // list, and what it would bring, stay within the limit.
        let database = self.database
        let now = self.now
        let room = config.lsdbOverflowPolicy == .refuse ? config.lsdbLimit.map { $0 - database.count } : nil
        var refused: [LSAKey] = []
        withNeighbor(name, id) { n in
            for header in dd.lsaHeaders where database.recency(of: header, at: now) == .newer {
                if let room, n.requestList.count >= room, database.installed(LSAKey(header)) == nil,
                    n.requestList[LSAKey(header)] == nil
                {
                    refused.append(LSAKey(header))
                    continue
                }
                n.requestList.insert(header)
            }
        }
        if let first = refused.first, let limit = config.lsdbLimit, let address = readNeighbor(name, id, { $0.address })
        {
            refuseBeyondLimit(first, on: name, from: address, limit: limit, count: refused.count)
        }
        if exchangeDone {
            neighborEvent(name, id, .exchangeDone)
        } else if neighborState(name, id) == .exchange, !requestOutstanding(name, id),
            (readNeighbor(name, id, { $0.requestList.count }) ?? 0) >= requestsPerPacket(name)
        {
            // 10.9: requests may go out while the exchange continues, so Loading overlaps
            // Exchange; during Exchange only once a whole packet of them is listed.
            sendLinkStateRequest(name, id)
        }
    }

    /// The master's DD retransmission timer (10.8).
    mutating func retransmitDatabaseDescription(_ name: String, _ id: IPv4Address) {
        guard let c = readInterface(name, { $0.config }),
            let (state, address, master, last) = readNeighbor(
                name, id, { ($0.state, $0.address, $0.weAreMaster, $0.lastSentDD) }),
            master, state == .exStart || state == .exchange, let last
        else { return }
        resendDatabaseDescription(last, name, id, to: address)
        arm(.ddRetransmit(name, id), after: .seconds(Int64(c.retransmitInterval)))
    }

    /// Sends the last DD packet again. With cryptographic authentication it is signed afresh: the
    /// stored bytes carry an old sequence number, and a router that has since received our newer
    /// Hellos rejects them (RFC 2328 D.4.3; FRR logs "bad sequence"), so an exchange whose first
    /// packet was missed would never start. The DD itself is unchanged.
    mutating func resendDatabaseDescription(_ last: [UInt8], _ name: String, _ id: IPv4Address, to address: IPv4Address)
    {
        guard let key = readInterface(name, { $0.config.authentication }) ?? nil, key.algorithm != .simple,
            let packet = try? Packet(decoding: last)
        else {
            emit(.send(interface: name, destination: destination(of: address, on: name), bytes: last))
            return
        }
        let fresh = encode(packet.body, on: name)
        withNeighbor(name, id) { $0.lastSentDD = fresh }
        emit(.send(interface: name, destination: destination(of: address, on: name), bytes: fresh))
    }

    // MARK: - LS Requests (RFC 2328 10.7, 10.9)

    /// How many requests fit in one LS Request packet (12 bytes each).
    func requestsPerPacket(_ name: String) -> Int { max(1, payloadBudget(name) / 12) }

    /// Whether an LS Request sent to the neighbour still has unanswered entries.
    func requestOutstanding(_ name: String, _ id: IPv4Address) -> Bool {
        readNeighbor(name, id, { $0.requestList.inFlight > 0 }) == true
    }

    /// Sends the first requests that fit in one packet and arms the retransmission timer (10.9).
    /// One request is in flight at a time; the next goes out when it has been answered.
    mutating func sendLinkStateRequest(_ name: String, _ id: IPv4Address) {
        guard let c = readInterface(name, { $0.config }) else { return }
        let room = requestsPerPacket(name)
        let answerBudget = payloadBudget(name) - 4
        guard
            let (keys, address) = withNeighbor(
                name, id,
                { n -> ([LSAKey], IPv4Address) in
                    let keys = n.requestList.sendNext(room, answerBudget: answerBudget)
                    return (keys, n.address)
                }), !keys.isEmpty
        else { return }
        let entries = keys.map {
            LinkStateRequest.Entry(
                lsType: UInt32($0.type.code), linkStateID: $0.linkStateID, advertisingRouter: $0.advertisingRouter)
        }
        send(.linkStateRequest(LinkStateRequest(entries: entries)), on: name, to: destination(of: address, on: name))
        arm(.requestRetransmit(name, id), after: .seconds(Int64(c.retransmitInterval)))
    }

    /// Answers an LS Request with the database copies; an LSA we lack is BadLSReq (10.7).
    mutating func receiveLinkStateRequest(_ request: LinkStateRequest, from id: IPv4Address, on name: String) {
        guard let (state, address) = readNeighbor(name, id, { ($0.state, $0.address) }) else { return }
        guard state >= .exchange else {
            reject(name, address, .wrongState(.linkStateRequest, state))
            return
        }
        var lsas: [LSA] = []
        lsas.reserveCapacity(request.entries.count)
        for e in request.entries {
            let key = LSAKey(
                type: LSType(code: UInt8(truncatingIfNeeded: e.lsType)), linkStateID: e.linkStateID,
                advertisingRouter: e.advertisingRouter)
            guard e.lsType <= 255, let entry = database[key] else {
                neighborEvent(name, id, .badLSReq(.notInDatabase(key)))
                return
            }
            lsas.append(entry.lsa(at: now))
        }
        sendUpdate(lsas, on: name, to: destination(of: address, on: name))
    }
}
