import OSPFWire

extension Engine {
    /// Receives a packet: the generic checks of RFC 2328 8.2 and D, then dispatch by type.
    mutating func receive(_ bytes: [UInt8], on name: String, from source: IPv4Address, to destination: IPv4Address) {
        // Single fields only: a held copy of the interface would copy its neighbours' lists on write.
        guard
            let (state, network, prefix, key) = readInterface(
                name, { ($0.state, $0.config.network, $0.config.prefix, $0.config.authentication) }),
            state != .down
        else { return }
        // While the database is in overflow every packet is ignored (counted), so no adjacency forms.
        if overflowUntil != nil {
            reject(name, source, .lsdbOverflow)
            return
        }
        let packet: Packet
        do { packet = try Packet(decoding: bytes) } catch {
            reject(name, source, .malformed(error))
            return
        }
        // 8.2: the checksum (unless cryptographic authentication replaces it, D.4.3).
        if Packet.verifyChecksum(bytes) == false {
            reject(name, source, .packetChecksum)
            return
        }
        // 8.2: the area must match the receiving interface's area.
        guard packet.areaID == config.areaID else {
            reject(name, source, .areaMismatch(received: packet.areaID, expected: config.areaID))
            return
        }
        // 8.2: packets to AllDRouters are accepted only by the DR and Backup.
        if destination == .allDRouters && !(state == .dr || state == .backup) {
            reject(name, source, .allDRoutersNotDR)
            return
        }
        // 8.2: on broadcast networks the source must be on the interface's network.
        if network == .broadcast && !prefix.contains(source) {
            reject(name, source, .sourceNotOnNetwork(prefix))
            return
        }
        // Our own packets (looped back, or a duplicate router ID) are dropped.
        guard packet.routerID != config.routerID else {
            reject(name, source, .ownRouterID(packet.routerID))
            return
        }
        // D: authentication per the interface's configuration.
        do {
            try Authenticator.verify(bytes, keys: key.map { [$0] } ?? [])
        } catch {
            reject(name, source, .authentication(error))
            return
        }
        // D.4.3: the cryptographic sequence number must not decrease.
        if case .cryptographic(let c) = packet.authentication,
            let last = readNeighbor(name, packet.routerID, { $0.lastCryptoSequence }) ?? nil, c.sequence < last
        {
            reject(name, source, .cryptoSequenceDecreased(received: c.sequence, last: last))
            return
        }
        if case .hello(let hello) = packet.body {
            receiveHello(hello, from: packet.routerID, source: source, on: name)
        } else {
            guard withNeighbor(name, packet.routerID, { $0.address = source }) != nil else {
                reject(name, source, .unknownNeighbor(packet.type, packet.routerID))
                return
            }
            switch packet.body {
            case .hello: break
            case .databaseDescription(let dd): receiveDatabaseDescription(dd, from: packet.routerID, on: name)
            case .linkStateRequest(let r): receiveLinkStateRequest(r, from: packet.routerID, on: name)
            case .linkStateUpdate(let u): receiveLinkStateUpdate(u, wire: bytes, from: packet.routerID, on: name)
            case .linkStateAcknowledgment(let a): receiveLinkStateAck(a, from: packet.routerID, on: name)
            }
        }
        if case .cryptographic(let c) = packet.authentication {
            withNeighbor(name, packet.routerID) { $0.lastCryptoSequence = c.sequence }
        }
    }

    // MARK: - Hello (RFC 2328 10.5)

    mutating func receiveHello(_ hello: Hello, from id: IPv4Address, source: IPv4Address, on name: String) {
        guard let i = interfaces[name] else { return }
        let c = i.config
        if c.network == .broadcast && hello.networkMask != Prefix(address: c.address, length: c.prefixLength).mask {
            reject(name, source, .networkMaskMismatch(hello.networkMask))
            return
        }
        if hello.helloInterval != c.helloInterval {
            reject(name, source, .helloIntervalMismatch(received: hello.helloInterval, configured: c.helloInterval))
            return
        }
        if hello.deadInterval != c.deadInterval {
            reject(name, source, .deadIntervalMismatch(received: hello.deadInterval, configured: c.deadInterval))
            return
        }
        if hello.options.contains(.e) != areaOptions.contains(.e) {
            reject(name, source, .externalRoutingMismatch)
            return
        }
        var n = i.neighbors[id] ?? Neighbor(routerID: id, address: source)
        let isNew = i.neighbors[id] == nil
        let oldPriority = n.priority
        let oldDR = n.designatedRouter
        let oldBDR = n.backupDesignatedRouter
        n.address = source
        n.priority = hello.priority
        n.helloOptions = hello.options
        if c.network == .broadcast {
            n.designatedRouter = hello.designatedRouter
            n.backupDesignatedRouter = hello.backupDesignatedRouter
        }
        interfaces.modify(name) { $0.neighbors.set(id, n) }
        // HelloReceived.
        neighborEvent(name, id, .helloReceived)
        arm(.inactivity(name, id), after: .seconds(Int64(c.deadInterval)))
        if i.goingDown { return }
        // 2-WayReceived or 1-WayReceived.
        if hello.neighbors.contains(routerID) {
            neighborEvent(name, id, .twoWayReceived)
        } else {
            neighborEvent(name, id, .oneWayReceived)
            return
        }
        guard c.network == .broadcast else { return }
        let declaresDR = hello.designatedRouter == source
        let declaresBDR = hello.backupDesignatedRouter == source
        let state = interfaces[name]?.state
        // BackupSeen (9.2): the neighbour declares itself BDR, or DR with no BDR, while we are Waiting.
        if state == .waiting && (declaresBDR || (declaresDR && hello.backupDesignatedRouter == .any)) {
            interfaceEvent(name, .backupSeen)
            return
        }
        var changed = isNew || oldPriority != hello.priority
        changed = changed || (declaresDR != (oldDR == source)) || (declaresBDR != (oldBDR == source))
        if changed && state != .waiting { neighborChange(name) }
    }
}
