import OSPFWire

extension Engine {
    // MARK: - Sending DD packets (RFC 2328 10.8)

    mutating func sendDatabaseDescription(
        _ name: String, _ id: IPv4Address, flags: DatabaseDescription.Flags, headers: [LSAHeader]
    ) {
        guard let i = interfaces[name], let n = i.neighbors[id] else { return }
        let dd = DatabaseDescription(
            interfaceMTU: i.config.mtu, options: areaOptions, flags: flags, sequenceNumber: n.ddSequence,
            lsaHeaders: headers)
        let bytes = encode(.databaseDescription(dd), on: name)
        interfaces[name]?.neighbors[id]?.lastSentDD = bytes
        interfaces[name]?.neighbors[id]?.lastSentMore = flags.contains(.more)
        emit(.send(interface: name, destination: n.address, bytes: bytes))
        // Only the master retransmits (10.8); it also retransmits its initial empty packet.
        if n.weAreMaster { arm(.ddRetransmit(name, id), after: .seconds(Int64(i.config.retransmitInterval))) }
    }

    /// Sends the next DD packet of the exchange with as many summary headers as fit.
    mutating func sendNextDatabaseDescription(_ name: String, _ id: IPv4Address) {
        guard let n = interfaces[name]?.neighbors[id] else { return }
        let room = max(1, (payloadBudget(name) - 8) / LSAHeader.size)
        let take = Array(n.summaryList.prefix(room)).map { header -> LSAHeader in
            // Describe the current instance (ages move on).
            database[LSAKey(header)]?.header(at: now) ?? header
        }
        interfaces[name]?.neighbors[id]?.summaryList.removeFirst(take.count)
        let more = !(interfaces[name]?.neighbors[id]?.summaryList.isEmpty ?? true)
        var flags: DatabaseDescription.Flags = more ? [.more] : []
        if n.weAreMaster { flags.insert(.master) }
        sendDatabaseDescription(name, id, flags: flags, headers: take)
    }

    /// The database summary list for a new exchange (10.3 NegotiationDone): every
    /// LSA in the database; MaxAge LSAs go on the retransmission list instead.
    mutating func buildSummaryList(_ name: String, _ id: IPv4Address) {
        var list: [LSAHeader] = []
        for key in database.sortedKeys {
            guard let e = database[key] else { continue }
            if e.isMaxAge || e.age(at: now) >= Architectural.maxAge {
                interfaces[name]?.neighbors[id]?.retransmissionList[key] = e.header(at: now)
            } else {
                list.append(e.header(at: now))
            }
        }
        interfaces[name]?.neighbors[id]?.summaryList = list
    }

    // MARK: - Receiving DD packets (RFC 2328 10.6)

    mutating func receiveDatabaseDescription(_ dd: DatabaseDescription, from id: IPv4Address, on name: String) {
        guard let i = interfaces[name], var n = i.neighbors[id] else { return }
        if dd.interfaceMTU > i.config.mtu && !i.config.mtuIgnore {
            reject(
                name, n.address, "DD interface MTU \(dd.interfaceMTU) exceeds ours (\(i.config.mtu))", "RFC 2328 10.6")
            return
        }
        let isDuplicate =
            n.lastReceivedDD.map {
                $0.flags == dd.flags.rawValue && $0.options == dd.options.rawValue && $0.sequence == dd.sequenceNumber
            } ?? false
        switch n.state {
        case .down:
            reject(name, n.address, "DD from a neighbour in state Down", "RFC 2328 10.6")
            return
        case .initializing:
            twoWayReceived(name, id)
            guard interfaces[name]?.neighbors[id]?.state == .exStart else { return }
            receiveDatabaseDescription(dd, from: id, on: name)
            return
        case .twoWay:
            return  // 10.6: ignored in 2-Way.
        case .exStart:
            let initAll: DatabaseDescription.Flags = [.initial, .more, .master]
            if dd.flags.isSuperset(of: initAll) && dd.lsaHeaders.isEmpty && id > routerID {
                // The neighbour is master: adopt its sequence number.
                n.weAreMaster = false
                n.ddSequence = dd.sequenceNumber
                cancel(.ddRetransmit(name, id))
            } else if !dd.flags.contains(.initial) && !dd.flags.contains(.master) && dd.sequenceNumber == n.ddSequence
                && id < routerID
            {
                n.weAreMaster = true
            } else {
                return  // 10.6: otherwise ignored.
            }
            n.options = dd.options
            interfaces[name]?.neighbors[id] = n
            negotiationDone(name, id)
            acceptDatabaseDescription(dd, from: id, on: name)
        case .exchange:
            if isDuplicate {
                // 10.6: the master discards duplicates; the slave resends its last packet.
                if !n.weAreMaster, let last = n.lastSentDD {
                    emit(.send(interface: name, destination: n.address, bytes: last))
                }
                return
            }
            if dd.flags.contains(.master) == n.weAreMaster {
                restartExchange(name, id, event: "SeqNumberMismatch (MS bit)")
                return
            }
            if dd.flags.contains(.initial) {
                restartExchange(name, id, event: "SeqNumberMismatch (I bit)")
                return
            }
            if dd.options != n.options {
                restartExchange(name, id, event: "SeqNumberMismatch (options changed)")
                return
            }
            let expected = n.weAreMaster ? n.ddSequence : n.ddSequence &+ 1
            guard dd.sequenceNumber == expected else {
                restartExchange(
                    name, id, event: "SeqNumberMismatch (sequence \(dd.sequenceNumber), expected \(expected))")
                return
            }
            acceptDatabaseDescription(dd, from: id, on: name)
        case .loading, .full:
            if isDuplicate && n.weAreMaster { return }
            if isDuplicate, let last = n.lastSentDD {
                emit(.send(interface: name, destination: n.address, bytes: last))
                return
            }
            restartExchange(name, id, event: "SeqNumberMismatch (DD in \(n.state.rawValue))")
        }
    }

    /// NegotiationDone: Exchange begins with the summary list built (10.3).
    mutating func negotiationDone(_ name: String, _ id: IPv4Address) {
        buildSummaryList(name, id)
        setNeighborState(name, id, .exchange, event: "NegotiationDone")
    }

    /// Processes an accepted DD packet's headers and moves the exchange on (10.6, 10.8).
    mutating func acceptDatabaseDescription(_ dd: DatabaseDescription, from id: IPv4Address, on name: String) {
        interfaces[name]?.neighbors[id]?.lastReceivedDD = (dd.flags.rawValue, dd.options.rawValue, dd.sequenceNumber)
        for header in dd.lsaHeaders {
            switch header.type {
            case .router, .network, .summaryNetwork, .summaryASBR, .asExternal: break
            default:
                // We do not set the O-bit nor support NSSA: such headers are a mismatch (10.6).
                restartExchange(name, id, event: "SeqNumberMismatch (LS type \(header.type.code))")
                return
            }
            if database.recency(of: header, at: now) == .newer {
                interfaces[name]?.neighbors[id]?.request(header)
            }
        }
        guard let n = interfaces[name]?.neighbors[id] else { return }
        if n.weAreMaster {
            interfaces[name]?.neighbors[id]?.ddSequence &+= 1
            cancel(.ddRetransmit(name, id))
            if !n.lastSentMore && !dd.flags.contains(.more) {
                exchangeDone(name, id)
            } else {
                sendNextDatabaseDescription(name, id)
            }
        } else {
            interfaces[name]?.neighbors[id]?.ddSequence = dd.sequenceNumber
            sendNextDatabaseDescription(name, id)
            if !dd.flags.contains(.more) && !(interfaces[name]?.neighbors[id]?.lastSentMore ?? true) {
                // The slave keeps its last packet (at least a dead interval, 10.8; here until the
                // next exchange) to answer the master's retransmissions.
                exchangeDone(name, id)
            }
        }
    }

    /// ExchangeDone: Loading when requests are outstanding, else Full (10.3).
    mutating func exchangeDone(_ name: String, _ id: IPv4Address) {
        cancel(.ddRetransmit(name, id))
        guard let n = interfaces[name]?.neighbors[id] else { return }
        if n.requestOrder.isEmpty {
            setNeighborState(name, id, .full, event: "ExchangeDone")
        } else {
            setNeighborState(name, id, .loading, event: "ExchangeDone")
            sendLinkStateRequest(name, id)
        }
    }

    /// The master's DD retransmission timer (10.8).
    mutating func retransmitDatabaseDescription(_ name: String, _ id: IPv4Address) {
        guard let i = interfaces[name], let n = i.neighbors[id], n.weAreMaster,
            n.state == .exStart || n.state == .exchange, let last = n.lastSentDD
        else { return }
        emit(.send(interface: name, destination: n.address, bytes: last))
        arm(.ddRetransmit(name, id), after: .seconds(Int64(i.config.retransmitInterval)))
    }

    // MARK: - LS Requests (RFC 2328 10.7, 10.9)

    /// Sends the first requests that fit in one packet and arms the retransmission timer.
    mutating func sendLinkStateRequest(_ name: String, _ id: IPv4Address) {
        guard let i = interfaces[name], let n = i.neighbors[id], !n.requestOrder.isEmpty else { return }
        let room = max(1, payloadBudget(name) / 12)
        let entries = n.requestOrder.prefix(room).map {
            LinkStateRequest.Entry(
                lsType: UInt32($0.type), linkStateID: $0.linkStateID, advertisingRouter: $0.advertisingRouter)
        }
        send(.linkStateRequest(LinkStateRequest(entries: Array(entries))), on: name, to: n.address)
        arm(.requestRetransmit(name, id), after: .seconds(Int64(i.config.retransmitInterval)))
    }

    /// Answers an LS Request with the database copies; an LSA we lack is BadLSReq (10.7).
    mutating func receiveLinkStateRequest(_ request: LinkStateRequest, from id: IPv4Address, on name: String) {
        guard let n = interfaces[name]?.neighbors[id] else { return }
        guard n.state >= .exchange else {
            reject(name, n.address, "LS Request in state \(n.state.rawValue)", "RFC 2328 10.7")
            return
        }
        var lsas: [LSA] = []
        for e in request.entries {
            let key = LSAKey(
                type: UInt8(truncatingIfNeeded: e.lsType), linkStateID: e.linkStateID,
                advertisingRouter: e.advertisingRouter)
            guard e.lsType <= 255, let entry = database[key] else {
                restartExchange(name, id, event: "BadLSReq (\(key))")
                return
            }
            lsas.append(entry.lsa(at: now))
        }
        sendUpdate(lsas, on: name, to: n.address)
    }
}
