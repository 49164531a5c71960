import OSPFWire

extension Engine {
    /// Receives a packet: the generic checks of RFC 2328 8.2 and D, then dispatch by type.
    mutating func receive(_ bytes: [UInt8], on name: String, from source: IPv4Address, to destination: IPv4Address) {
        guard let i = interfaces[name], i.state != .down else { return }
        let packet: Packet
        do { packet = try Packet(decoding: bytes) } catch {
            reject(name, source, error.description, error.rule)
            return
        }
        // 8.2: the checksum (unless cryptographic authentication replaces it, D.4.3).
        if Packet.verifyChecksum(bytes) == false {
            reject(name, source, "packet checksum mismatch", "RFC 2328 8.2")
            return
        }
        // 8.2: the area must match the receiving interface's area.
        guard packet.areaID == config.areaID else {
            reject(name, source, "area \(packet.areaID) does not match \(config.areaID)", "RFC 2328 8.2")
            return
        }
        // 8.2: packets to AllDRouters are accepted only by the DR and Backup.
        if destination == .allDRouters && !(i.state == .dr || i.state == .backup) {
            reject(name, source, "sent to AllDRouters and this router is not DR/Backup", "RFC 2328 8.2")
            return
        }
        // 8.2: on broadcast networks the source must be on the interface's network.
        if i.config.network == .broadcast && !i.config.prefix.contains(source) {
            reject(name, source, "source not on the interface network \(i.config.prefix)", "RFC 2328 8.2")
            return
        }
        // Our own packets (looped back, or a duplicate router ID) are dropped.
        guard packet.routerID != config.routerID else {
            reject(name, source, "packet carries our own router ID \(packet.routerID)", "RFC 2328 8.2")
            return
        }
        // D: authentication per the interface's configuration.
        do {
            try Authenticator.verify(bytes, keys: i.config.authentication.map { [$0] } ?? [])
        } catch {
            reject(name, source, error.description, error.rule)
            return
        }
        // D.4.3: the cryptographic sequence number must not decrease.
        if case .cryptographic(let c) = packet.authentication, let n = i.neighbors[packet.routerID] {
            if let last = n.lastCryptoSequence, c.sequence < last {
                reject(
                    name, source, "cryptographic sequence \(c.sequence) below last \(last)", "RFC 2328 D.4.3")
                return
            }
        }
        if case .hello(let hello) = packet.body {
            receiveHello(hello, from: packet.routerID, source: source, on: name)
        } else {
            guard var n = interfaces[name]?.neighbors[packet.routerID] else {
                reject(name, source, "\(packet.type.name) from unknown neighbour \(packet.routerID)", "RFC 2328 8.2")
                return
            }
            n.address = source
            interfaces[name]?.neighbors[packet.routerID] = n
            switch packet.body {
            case .hello: break
            case .databaseDescription(let dd): receiveDatabaseDescription(dd, from: packet.routerID, on: name)
            case .linkStateRequest(let r): receiveLinkStateRequest(r, from: packet.routerID, on: name)
            case .linkStateUpdate(let u): receiveLinkStateUpdate(u, from: packet.routerID, on: name)
            case .linkStateAcknowledgment(let a): receiveLinkStateAck(a, from: packet.routerID, on: name)
            }
        }
        if case .cryptographic(let c) = packet.authentication {
            interfaces[name]?.neighbors[packet.routerID]?.lastCryptoSequence = c.sequence
        }
    }

    // MARK: - Hello (RFC 2328 10.5)

    mutating func receiveHello(_ hello: Hello, from id: IPv4Address, source: IPv4Address, on name: String) {
        guard let i = interfaces[name] else { return }
        let c = i.config
        if c.network == .broadcast && hello.networkMask != Prefix(address: c.address, length: c.prefixLength).mask {
            reject(name, source, "network mask \(hello.networkMask) differs", "RFC 2328 10.5")
            return
        }
        if hello.helloInterval != c.helloInterval {
            reject(
                name, source, "HelloInterval \(hello.helloInterval) differs from \(c.helloInterval)", "RFC 2328 10.5")
            return
        }
        if hello.deadInterval != c.deadInterval {
            reject(
                name, source, "RouterDeadInterval \(hello.deadInterval) differs from \(c.deadInterval)", "RFC 2328 10.5"
            )
            return
        }
        if hello.options.contains(.e) != areaOptions.contains(.e) {
            reject(name, source, "E-bit does not match the area type", "RFC 2328 10.5")
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
        interfaces[name]?.neighbors[id] = n
        // HelloReceived.
        if n.state == .down { setNeighborState(name, id, .initializing, event: "HelloReceived") }
        arm(.inactivity(name, id), after: .seconds(Int64(c.deadInterval)))
        if i.goingDown { return }
        // 2-WayReceived or 1-WayReceived.
        if hello.neighbors.contains(routerID) {
            if interfaces[name]?.neighbors[id]?.state == .initializing { twoWayReceived(name, id) }
        } else {
            oneWayReceived(name, id)
            return
        }
        guard c.network == .broadcast else { return }
        let declaresDR = hello.designatedRouter == source
        let declaresBDR = hello.backupDesignatedRouter == source
        let state = interfaces[name]?.state
        // BackupSeen (9.2): the neighbour declares itself BDR, or DR with no BDR, while we are Waiting.
        if state == .waiting && (declaresBDR || (declaresDR && hello.backupDesignatedRouter == .any)) {
            cancel(.wait(name))
            electDesignatedRouter(name)
            return
        }
        var changed = isNew || oldPriority != hello.priority
        changed = changed || (declaresDR != (oldDR == source)) || (declaresBDR != (oldBDR == source))
        if changed && state != .waiting { neighborChange(name) }
    }
}
