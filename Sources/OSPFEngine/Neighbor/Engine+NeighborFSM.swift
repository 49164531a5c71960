import OSPFWire

extension Engine {
    // MARK: - Neighbour state machine (RFC 2328 10.3)

    /// The neighbour state machine: one `(state, event)` switch in the order of the RFC 10.3
    /// table. A pair the table does not list leaves the state as it is.
    mutating func neighborEvent(_ name: String, _ id: IPv4Address, _ event: NeighborEvent) {
        guard let state = neighborState(name, id) else { return }
        switch (state, event) {
        case (.down, .helloReceived):
            setNeighborState(name, id, .initializing, event: event)
        case (_, .helloReceived):
            break  // The caller restarts the inactivity timer in every state.
        case (.initializing, .twoWayReceived):
            setNeighborState(name, id, .twoWay, event: event)
            // The NeighborChange of the transition may already have started the adjacency (AdjOK?).
            if neighborState(name, id) == .twoWay && shouldBeAdjacent(name, id) { startExStart(name, id, event) }
        case (_, .twoWayReceived):
            break  // Already 2-Way or above.
        case (.exStart, .negotiationDone):
            buildSummaryList(name, id)
            setNeighborState(name, id, .exchange, event: event)
        case (.exchange, .exchangeDone):
            cancel(.ddRetransmit(name, id))
            if readNeighbor(name, id, { $0.requestList.isEmpty }) == true {
                setNeighborState(name, id, .full, event: event)
            } else {
                setNeighborState(name, id, .loading, event: event)
                if !requestOutstanding(name, id) { sendLinkStateRequest(name, id) }
            }
        case (.loading, .loadingDone):
            setNeighborState(name, id, .full, event: event)
        case (.twoWay, .adjOK):
            if shouldBeAdjacent(name, id) { startExStart(name, id, event) }
        case (let s, .adjOK) where s >= .exStart:
            if !shouldBeAdjacent(name, id) {
                withNeighbor(name, id) { $0.clearLists() }
                setNeighborState(name, id, .twoWay, event: event)
            }
        case (let s, .seqNumberMismatch) where s >= .exchange, (let s, .badLSReq) where s >= .exchange:
            startExStart(name, id, event)
        case (_, .killNbr), (_, .llDown), (_, .inactivityTimer):
            withNeighbor(name, id) { $0.clearLists() }
            setNeighborState(name, id, .down, event: event)
            cancel(.inactivity(name, id))
            interfaces.modify(name) { _ = $0.neighbors.removeValue(forKey: id) }
            neighborChange(name)
            checkShutdownComplete()
        case (let s, .oneWayReceived) where s >= .twoWay:
            withNeighbor(name, id) { $0.clearLists() }
            setNeighborState(name, id, .initializing, event: event)
        default:
            break  // Not in the table: no action (e.g. 1-WayReceived in Init).
        }
    }

    /// Applies a new neighbour state: timers, origination and NeighborChange follow the change.
    mutating func setNeighborState(_ name: String, _ id: IPv4Address, _ new: NeighborState, event: NeighborEvent) {
        guard let old = neighborState(name, id), old != new else { return }
        withNeighbor(name, id) { $0.state = new }
        notify(.neighborState(interface: name, neighbor: id, from: old, to: new, event: event))
        // Timers first: the NeighborChange below may start a new exchange that arms them again.
        if new < .exStart {
            for t in [TimerID.ddRetransmit(name, id), .requestRetransmit(name, id), .updateRetransmit(name, id)] {
                cancel(t)
            }
        }
        if (old == .full) != (new == .full) {
            // 12.4 (5): after the transition, not in the middle of it.
            queue(.originateOwnLSAs)
            queue(.originateNetworkLSA(name))
        }
        if (old >= .twoWay) != (new >= .twoWay) { neighborChange(name) }
        checkShutdownComplete()
    }

    /// Whether an adjacency should be formed with a neighbour (10.4).
    func shouldBeAdjacent(_ name: String, _ id: IPv4Address) -> Bool {
        guard let i = interfaces[name], let n = i.neighbors[id] else { return false }
        switch i.config.network {
        case .pointToPoint: return true
        case .broadcast:
            return i.state == .dr || i.state == .backup || n.address == i.designatedRouter
                || n.address == i.backupDesignatedRouter
        }
    }

    /// Enters ExStart: increment the DD sequence (random at first), claim master,
    /// and send an empty DD with I, M and MS set (10.3, 10.8).
    mutating func startExStart(_ name: String, _ id: IPv4Address, _ event: NeighborEvent) {
        guard let current = readNeighbor(name, id, { $0.ddSequence }) else { return }
        // The first exchange starts at a random sequence number (drawn only then: replays stay exact).
        let first = current == 0 ? UInt32.random(in: 1...0x7FFF_FFFF, using: &rng) : 0
        withNeighbor(name, id) { (n: inout Neighbor) -> Void in
            n.clearLists()
            n.ddSequence = n.ddSequence == 0 ? first : n.ddSequence &+ 1
            n.weAreMaster = true
            n.lastSentMore = true
        }
        setNeighborState(name, id, .exStart, event: event)
        sendDatabaseDescription(name, id, flags: [.initial, .more, .master], headers: [])
    }
}
