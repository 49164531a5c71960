import OSPFWire

extension Engine {
    // MARK: - Neighbour state machine (RFC 2328 10.3)

    mutating func setNeighborState(_ name: String, _ id: IPv4Address, _ new: NeighborState, event: String) {
        guard let old = interfaces[name]?.neighbors[id]?.state, old != new else { return }
        interfaces[name]?.neighbors[id]?.state = new
        notify(.neighborState(interface: name, neighbor: id, from: old, to: new, event: event))
        // Timers first: the NeighborChange below may start a new exchange that arms them again.
        if new < .exStart {
            for t in [TimerID.ddRetransmit(name, id), .requestRetransmit(name, id), .updateRetransmit(name, id)] {
                cancel(t)
            }
        }
        if (old == .full) != (new == .full) {
            originateRouterLSA()
            originateNetworkLSA(name)
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

    /// 2-WayReceived in Init: ExStart when an adjacency is wanted, else 2-Way.
    mutating func twoWayReceived(_ name: String, _ id: IPv4Address) {
        setNeighborState(name, id, .twoWay, event: "2-WayReceived")
        // The NeighborChange above may already have started the adjacency (AdjOK?).
        guard interfaces[name]?.neighbors[id]?.state == .twoWay else { return }
        if shouldBeAdjacent(name, id) { startExStart(name, id, event: "2-WayReceived") }
    }

    /// 1-WayReceived: back to Init, lists cleared.
    mutating func oneWayReceived(_ name: String, _ id: IPv4Address) {
        guard let n = interfaces[name]?.neighbors[id], n.state >= .twoWay else { return }
        interfaces[name]?.neighbors[id]?.clearLists()
        setNeighborState(name, id, .initializing, event: "1-WayReceived")
    }

    /// AdjOK?: form or tear down adjacencies after a DR/BDR change.
    mutating func adjacencyCheck(_ name: String, _ id: IPv4Address) {
        guard let n = interfaces[name]?.neighbors[id] else { return }
        let wanted = shouldBeAdjacent(name, id)
        if n.state == .twoWay && wanted {
            startExStart(name, id, event: "AdjOK?")
        } else if n.state >= .exStart && !wanted {
            interfaces[name]?.neighbors[id]?.clearLists()
            setNeighborState(name, id, .twoWay, event: "AdjOK?")
        }
    }

    /// Enters ExStart: increment the DD sequence (random at first), claim master,
    /// and send an empty DD with I, M and MS set (10.3, 10.8).
    mutating func startExStart(_ name: String, _ id: IPv4Address, event: String) {
        guard var n = interfaces[name]?.neighbors[id] else { return }
        n.clearLists()
        n.ddSequence = n.ddSequence == 0 ? UInt32.random(in: 1...0x7FFF_FFFF, using: &rng) : n.ddSequence &+ 1
        n.weAreMaster = true
        n.lastSentMore = true
        interfaces[name]?.neighbors[id] = n
        setNeighborState(name, id, .exStart, event: event)
        sendDatabaseDescription(name, id, flags: [.initial, .more, .master], headers: [])
    }

    /// SeqNumberMismatch and BadLSReq: restart the exchange (10.3).
    mutating func restartExchange(_ name: String, _ id: IPv4Address, event: String) {
        guard let n = interfaces[name]?.neighbors[id], n.state >= .exchange else { return }
        startExStart(name, id, event: event)
    }

    /// KillNbr, LLDown, InactivityTimer: the neighbour goes Down and is forgotten.
    mutating func killNeighbor(_ name: String, _ id: IPv4Address, event: String) {
        guard interfaces[name]?.neighbors[id] != nil else { return }
        interfaces[name]?.neighbors[id]?.clearLists()
        setNeighborState(name, id, .down, event: event)
        cancel(.inactivity(name, id))
        interfaces[name]?.neighbors[id] = nil
        neighborChange(name)
        checkShutdownComplete()
    }
}
