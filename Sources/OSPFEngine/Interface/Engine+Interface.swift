import OSPFWire

extension Engine {
    // MARK: - Interface state machine (RFC 2328 9.3)

    /// The interface state machine: one `(state, event)` switch in the order of the RFC 9.3
    /// table. A pair the table does not list leaves the state as it is.
    mutating func interfaceEvent(_ name: String, _ event: InterfaceEvent) {
        guard let state = readInterface(name, { $0.state }) else { return }
        switch (state, event) {
        case (.down, .interfaceUp):
            interfaceUp(name)
        case (.waiting, .backupSeen):
            cancel(.wait(name))
            electDesignatedRouter(name)
        case (.waiting, .waitTimer):
            electDesignatedRouter(name)
        case (.drOther, .neighborChange), (.backup, .neighborChange), (.dr, .neighborChange):
            electDesignatedRouter(name)
        case (let s, .interfaceDown) where s != .down:
            interfaceDown(name)
        default:
            break  // Not in the table: no action.
        }
    }

    mutating func setInterfaceState(_ name: String, _ new: InterfaceState) {
        guard let old = readInterface(name, { $0.state }), old != new else { return }
        interfaces.modify(name) { $0.state = new }
        let i = interfaces[name]!
        // Join AllDRouters only while DR or Backup (RFC 2328 9.3, architecture notes).
        let wasDR = old == .dr || old == .backup
        let isDR = new == .dr || new == .backup
        if isDR && !wasDR { emit(.joinGroup(interface: name, group: .allDRouters)) }
        if wasDR && !isDR { emit(.leaveGroup(interface: name, group: .allDRouters)) }
        notify(
            .interfaceState(
                interface: name, from: old, to: new, dr: i.designatedRouter, bdr: i.backupDesignatedRouter))
    }

    /// InterfaceUp: point-to-point networks go to Point-to-point; broadcast
    /// networks go to Waiting (or DROther with priority 0) (9.3).
    private mutating func interfaceUp(_ name: String) {
        guard let i = interfaces[name], i.state == .down, !shuttingDown else { return }
        switch i.config.network {
        case .pointToPoint:
            setInterfaceState(name, .pointToPoint)
        case .broadcast:
            if i.config.priority == 0 {
                setInterfaceState(name, .drOther)
            } else {
                setInterfaceState(name, .waiting)
                arm(.wait(name), after: .seconds(Int64(i.config.deadInterval)))
            }
        }
        sendHello(name)
        originateRouterLSA()
        originateAdvertisements()
        armAgeTick()
    }

    /// InterfaceDown: kill every neighbour, reset DR/BDR (9.3).
    private mutating func interfaceDown(_ name: String) {
        guard let i = interfaces[name], i.state != .down else { return }
        for id in i.sortedNeighborIDs { neighborEvent(name, id, .killNbr) }
        interfaces.modify(name) {
            $0.neighbors = SmallTable()
            $0.designatedRouter = .any
            $0.backupDesignatedRouter = .any
            $0.delayedAcks = []
            $0.delayedAckArmed = false
        }
        setInterfaceState(name, .down)
        for t in [TimerID.hello(name), .wait(name), .delayedAck(name)] { cancel(t) }
        originateRouterLSA()
        originateNetworkLSA(name)
    }

    /// Sends a Hello (9.5) and re-arms the Hello timer.
    mutating func sendHello(_ name: String) {
        guard let i = interfaces[name], i.state != .down else { return }
        let c = i.config
        let listed = i.goingDown ? [] : i.sortedNeighborIDs.filter { i.neighbors[$0]!.state >= .initializing }
        let hello = Hello(
            networkMask: c.network == .pointToPoint ? .any : Prefix(address: c.address, length: c.prefixLength).mask,
            helloInterval: c.helloInterval, options: areaOptions, priority: c.priority,
            deadInterval: c.deadInterval,
            designatedRouter: c.network == .broadcast ? i.designatedRouter : .any,
            backupDesignatedRouter: c.network == .broadcast ? i.backupDesignatedRouter : .any, neighbors: listed)
        send(.hello(hello), on: name, to: .allSPFRouters)
        if !i.goingDown { arm(.hello(name), after: .seconds(Int64(c.helloInterval))) }
    }

    // MARK: - DR election (RFC 2328 9.4)

    private struct Candidate {
        var routerID: IPv4Address
        var address: IPv4Address
        var priority: UInt8
        var dr: IPv4Address
        var bdr: IPv4Address
    }

    /// Runs the election and applies its outcome; called on WaitTimer, BackupSeen and NeighborChange.
    mutating func electDesignatedRouter(_ name: String) {
        guard var i = interfaces[name], i.config.network == .broadcast,
            [.waiting, .drOther, .backup, .dr].contains(i.state)
        else { return }
        let me = i.config
        func candidates(myDR: IPv4Address, myBDR: IPv4Address) -> [Candidate] {
            var list = i.neighbors.values.filter { $0.state >= .twoWay && $0.priority > 0 }.map {
                Candidate(
                    routerID: $0.routerID, address: $0.address, priority: $0.priority, dr: $0.designatedRouter,
                    bdr: $0.backupDesignatedRouter)
            }
            if me.priority > 0 {
                list.append(
                    Candidate(routerID: routerID, address: me.address, priority: me.priority, dr: myDR, bdr: myBDR))
            }
            return list
        }
        func best(_ list: [Candidate]) -> Candidate? {
            list.max { ($0.priority, $0.routerID) < ($1.priority, $1.routerID) }
        }
        func elect(myDR: IPv4Address, myBDR: IPv4Address) -> (dr: IPv4Address, bdr: IPv4Address) {
            let list = candidates(myDR: myDR, myBDR: myBDR)
            // Step 2: BDR among routers not declaring themselves DR.
            let notDR = list.filter { $0.dr != $0.address }
            let declaredBDR = notDR.filter { $0.bdr == $0.address }
            let bdr = best(declaredBDR.isEmpty ? notDR : declaredBDR)?.address ?? .any
            // Step 3: DR among routers declaring themselves DR; else the new BDR.
            let declaredDR = list.filter { $0.dr == $0.address }
            let dr = best(declaredDR)?.address ?? bdr
            return (dr, bdr)
        }
        let oldDR = i.designatedRouter
        let oldBDR = i.backupDesignatedRouter
        var (dr, bdr) = elect(myDR: oldDR, myBDR: oldBDR)
        // Step 4: if this router's role changed, run steps 2-3 again with the new declarations.
        if (dr == me.address) != (oldDR == me.address) || (bdr == me.address) != (oldBDR == me.address) {
            let again = elect(myDR: dr, myBDR: bdr)
            dr = again.dr
            bdr = again.bdr
        }
        i.designatedRouter = dr
        i.backupDesignatedRouter = bdr
        interfaces.set(name, i)
        let state: InterfaceState = dr == me.address ? .dr : (bdr == me.address ? .backup : .drOther)
        setInterfaceState(name, state)
        if dr != oldDR || bdr != oldBDR {
            // Step 5/7: AdjOK? for every neighbour in 2-Way or above.
            for id in i.sortedNeighborIDs { neighborEvent(name, id, .adjOK) }
            queue(.originateOwnLSAs)
            queue(.originateNetworkLSA(name))
            sendHello(name)
        }
    }

    /// NeighborChange (9.2): re-elect when the interface takes part in elections.
    mutating func neighborChange(_ name: String) { interfaceEvent(name, .neighborChange) }
}
