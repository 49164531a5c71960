import OSPFWire

extension Engine {
    mutating func timerFired(_ timer: TimerID) {
        switch timer {
        case .hello(let name): sendHello(name)
        case .wait(let name):
            interfaceEvent(name, .waitTimer)
        case .inactivity(let name, let id): neighborEvent(name, id, .inactivityTimer)
        case .ddRetransmit(let name, let id): retransmitDatabaseDescription(name, id)
        case .requestRetransmit(let name, let id):
            if let s = neighborState(name, id), s == .exchange || s == .loading {
                sendLinkStateRequest(name, id)
            }
        case .updateRetransmit(let name, let id): retransmitUpdates(name, id)
        case .delayedAck(let name): sendDelayedAcks(name)
        case .refresh(let key):
            // 12.4: refresh after LSRefreshTime even when nothing changed.
            if let body = desiredBody(key), !shuttingDown {
                lastOrigination[key] = nil
                originate(key, body: body, force: true)
            }
        case .minLSInterval(let key):
            guard pendingOrigination.contains(key), !shuttingDown else { return }
            pendingOrigination.remove(key)
            if let body = desiredBody(key) {
                originate(key, body: body)
            } else if let e = database[key], !e.isMaxAge {
                flush(key)
            }
        case .ageTick: ageTick()
        case .overflowEnd:
            overflowUntil = nil
            notify(.lsdbOverflowEnded)
        }
    }

    // MARK: - Aging (RFC 2328 14)

    mutating func armAgeTick() {
        guard !ageTickArmed, database.count > 0 else { return }
        ageTickArmed = true
        arm(.ageTick, after: .seconds(1))
    }

    /// Once a second: LSAs that reached MaxAge by aging are reflooded (14), and
    /// MaxAge LSAs no longer on any retransmission list, with no neighbour in
    /// Exchange or Loading, are removed (14). Pending originations blocked by a
    /// MaxSequenceNumber flush go out once the old instance is gone (12.1.6).
    mutating func ageTick() {
        ageTickArmed = false
        for key in database.takeAged(at: now) {
            guard let e = database[key] else { continue }
            if e.lsa.header.advertisingRouter == routerID, desiredBody(key) != nil { continue }  // refreshed instead
            var aged = e.lsa
            aged.header.age = Architectural.maxAge
            database.install(aged, at: now)
            flood(aged, receivedOn: nil, from: nil)
        }
        removeAcknowledgedMaxAge(database.maxAgeKeys.sorted())
        armAgeTick()
    }

    /// Removes those of `candidates` that are MaxAge LSAs no longer on any retransmission list,
    /// while no neighbour is in Exchange or Loading (14). An acknowledgement passes the keys it
    /// acknowledged; the age tick passes every MaxAge key. O(neighbours) per key.
    mutating func removeAcknowledgedMaxAge(_ candidates: [LSAKey]) {
        guard !candidates.isEmpty, !anyNeighborExchanging() else { return }
        for key in candidates {
            guard database.maxAgeKeys.contains(key) else { continue }
            let listed = interfaces.contains { $0.neighbors.contains { $0.retransmissionList[key] != nil } }
            if listed { continue }
            database.remove(key)
            endRefusalIfRoom()
            if pendingOrigination.contains(key), let body = desiredBody(key), !shuttingDown {
                pendingOrigination.remove(key)
                lastOrigination[key] = nil
                originate(key, body: body)
            }
        }
    }

    // MARK: - Graceful shutdown

    /// A new LSA (or `count` DD headers, the first `key`) would take the database past the limit
    /// (``LSDBOverflowPolicy/refuse``): each is counted as a rejection; the first since the
    /// database last had room is announced.
    mutating func refuseBeyondLimit(
        _ key: LSAKey, on name: String, from source: IPv4Address, limit: Int, count: Int = 1
    ) {
        if !lsdbFull {
            lsdbFull = true
            notify(.lsdbFull(interface: name, source: source, limit: limit))
        }
        for _ in 0..<count { reject(name, source, .lsdbFull(key)) }
    }

    /// A refusal (``lsdbFull``) ends once the database is below the limit (or there is none):
    /// new LSAs are accepted again, and that is announced.
    mutating func endRefusalIfRoom() {
        guard lsdbFull, config.lsdbLimit.map({ database.count < $0 }) ?? true else { return }
        lsdbFull = false
        notify(.lsdbFullEnded(count: database.count))
    }

    /// The database would exceed ``EngineConfiguration/lsdbLimit``: fail safe. Every adjacency is
    /// killed (the routers stop using our LSAs, as when the box is dead), other routers' LSAs are
    /// dropped (memory stays bounded) and received packets are ignored until the hold ends.
    mutating func enterOverflow(on name: String, from source: IPv4Address, limit: Int) {
        let hold = max(1, config.lsdbOverflowHoldSeconds)
        overflowUntil = now.adding(.seconds(Int64(hold)))
        notify(.lsdbOverflow(interface: name, source: source, limit: limit, holdSeconds: hold))
        for i in interfaces.keys.sorted() {
            for id in readInterface(i, { $0.sortedNeighborIDs }) ?? [] { neighborEvent(i, id, .killNbr) }
        }
        let foreign = database.keys.filter { !isSelfOriginated($0) }
        for key in foreign { database.remove(key) }
        arm(.overflowEnd, after: .seconds(Int64(hold)))
    }

    /// Flushes every self-originated LSA (premature aging, 14.1), then sends
    /// Hellos listing no neighbours so peers drop the adjacency at once. The
    /// caller waits (bounded) for ``Notification/shutdownComplete``.
    mutating func shutdown() {
        guard !shuttingDown else { return }
        shuttingDown = true
        // Self-originated LSAs are known by their keys (13.4): no header is read, and only the
        // few found are sorted (a large database does not delay the goodbye).
        let ours = database.keys.filter { isSelfOriginated($0) }.sorted()
        for key in ours { flush(key) }
        for name in interfaces.keys.sorted() {
            guard readInterface(name, { $0.state }) != .down else { continue }
            interfaces.modify(name) { $0.goingDown = true }
            cancel(.hello(name))
            sendHello(name)
        }
        checkShutdownComplete()
    }

    /// Reports shutdown completion once no flushed LSA awaits acknowledgement.
    mutating func checkShutdownComplete() {
        guard shuttingDown, !shutdownReported else { return }
        let waiting = interfaces.values.contains { i in
            i.neighbors.values.contains { $0.state >= .exchange && !$0.retransmissionList.isEmpty }
        }
        if !waiting {
            shutdownReported = true
            notify(.shutdownComplete)
        }
    }
}
