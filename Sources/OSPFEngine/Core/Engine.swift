import OSPFWire

/// One LSA queued for flooding out an interface (RFC 2328 13.3 (5)).
struct FloodItem: Sendable {
    var interface: String
    var destination: IPv4Address
    var lsa: LSA
}

/// A DD whose answer is out and whose headers are still to be examined (10.6).
struct PendingExamination: Sendable {
    var dd: DatabaseDescription
    var neighbor: IPv4Address
    var interface: String
    var exchangeDone: Bool
}

/// A side effect queued until the work of the current step is done.
enum DeferredEffect: Sendable, Equatable {
    /// LoadingDone (10.3) for a neighbour whose last request was satisfied.
    case loadingDone(String, IPv4Address)
    /// Re-originate the Router-LSA and the AS-external LSAs (12.4 (1)-(5)): an interface or
    /// adjacency changed (and with the first Full adjacency, origination starts).
    case originateOwnLSAs
    /// Re-originate (or flush) the Network-LSA of an interface (12.4.2).
    case originateNetworkLSA(String)
}

/// The OSPFv2 protocol engine (RFC 2328), sans-IO: fed ``Event``s with the
/// current instant, it returns ``Action``s. It owns no socket and reads no
/// clock; the same inputs always give the same outputs.
public struct Engine: Sendable {
    /// The configuration.
    public private(set) var config: EngineConfiguration
    /// Interfaces by name.
    public internal(set) var interfaces = SmallTable<String, Interface>()
    /// The link-state database.
    public internal(set) var database = LinkStateDatabase()
    /// Current desired cost per advertisement (nil: withdrawn by health).
    public internal(set) var desiredCost: [Prefix: UInt32?] = [:]
    /// Maintenance mode: every advertisement degraded.
    public internal(set) var maintenance = false
    /// Whether shutdown has begun.
    public internal(set) var shuttingDown = false
    /// While the database is in overflow (``EngineConfiguration/lsdbLimit``): when it ends.
    public internal(set) var overflowUntil: Instant?
    /// The database reached ``EngineConfiguration/lsdbLimit`` and new LSAs are refused
    /// (``LSDBOverflowPolicy/refuse``); false again once MaxAge removals made room.
    public internal(set) var lsdbFull = false

    var rng: SeededGenerator
    var cryptoSequence: UInt32
    /// When each self-originated LSA was last originated (MinLSInterval, 12.4).
    var lastOrigination: [LSAKey: Instant] = [:]
    /// The last sequence number used for each self-originated LSA (survives its removal).
    var lastSequence: [LSAKey: Int32] = [:]
    /// Self-originated keys whose database copy was received (13.4) and must be superseded by
    /// the next origination even when its contents are what we want.
    var supersede: Set<LSAKey> = []
    /// Self-originated LSAs waiting for MinLSInterval to expire.
    var pendingOrigination: Set<LSAKey> = []
    /// Interface names in sorted order (deterministic iteration without sorting per LSA).
    let interfaceNames: [String]
    /// LSAs flooded during the current step, sent packed by ``flushFloods()``.
    var floodQueue: [FloodItem] = []
    var flushingFloods = false
    /// Side effects queued during a step (``runDeferred()``).
    var deferred: [DeferredEffect] = []
    /// A DD answered but whose headers are not yet examined (``resume(now:)``).
    var pendingExamination: PendingExamination?
    var ageTickArmed = false
    var shutdownReported = false
    var actions: [Action] = []
    var now = Instant.zero

    /// Creates an engine; interfaces start Down (send ``Event/interfaceUp(_:)``).
    public init(config: EngineConfiguration) {
        self.config = config
        rng = SeededGenerator(seed: config.seed)
        cryptoSequence = config.cryptoSequenceStart
        for i in config.interfaces { interfaces.set(i.name, Interface(config: i)) }
        interfaceNames = config.interfaces.map(\.name).sorted()
        for a in config.advertisements { desiredCost[a.prefix] = a.cost }
    }

    /// The router ID.
    public var routerID: IPv4Address { config.routerID }

    /// The last cryptographic sequence number used (to persist across restarts).
    public var lastCryptoSequence: UInt32 { cryptoSequence }

    /// Handles one event at `now` and returns what to do: the whole step, as ``step(_:now:)``
    /// followed by ``resume(now:)`` until no work is pending.
    public mutating func handle(_ event: Event, now: Instant) -> [Action] {
        var out = step(event, now: now)
        while hasPendingWork { out += resume(now: now) }
        return out
    }

    /// Whether the last ``step(_:now:)`` or ``resume(now:)`` left work to ``resume(now:)``.
    public var hasPendingWork: Bool { pendingExamination != nil }

    /// Handles one event at `now` up to the point where its urgent packets are out, and returns
    /// them with what else is to be done so far. A DD answer is such a point: the exchange is a
    /// ping-pong, so the host sends it before the engine examines the DD's headers (see
    /// ``hasPendingWork`` and ``resume(now:)``; the actions, and their order, are those of
    /// ``handle(_:now:)``). Work still pending from an earlier step is finished first.
    public mutating func step(_ event: Event, now: Instant) -> [Action] {
        var out: [Action] = []
        while hasPendingWork { out += resume(now: self.now) }
        self.now = now
        actions = []
        switch event {
        case .interfaceUp(let name): interfaceEvent(name, .interfaceUp)
        case .interfaceDown(let name): interfaceEvent(name, .interfaceDown)
        case .killNeighbor(let name, let id): neighborEvent(name, id, .killNbr)
        case .packetReceived(let name, let source, let destination, let bytes):
            receive(bytes, on: name, from: source, to: destination)
        case .timerFired(let timer): timerFired(timer)
        case .setAdvertisement(let prefix, let cost):
            if desiredCost[prefix] != nil {
                desiredCost[prefix] = .some(cost)
                originateAdvertisements()
            }
        case .maintenance(let on):
            maintenance = on
            originateAdvertisements()
        case .shutdown: shutdown()
        case .reconfigure(let advertisements, let maxMetric): reconfigure(advertisements, maxMetric: maxMetric)
        case .setDatabaseLimit(let limit, let policy, let hold):
            config.lsdbLimit = limit
            config.lsdbOverflowPolicy = policy
            config.lsdbOverflowHoldSeconds = hold
            endRefusalIfRoom()
        }
        return out + finishStep()
    }

    /// Finishes the work a step left pending (the headers of a DD already answered), then what
    /// the step would have done after it.
    public mutating func resume(now: Instant) -> [Action] {
        self.now = now
        actions = []
        if let p = pendingExamination {
            pendingExamination = nil
            examineDescribedHeaders(p.dd, from: p.neighbor, on: p.interface, exchangeDone: p.exchangeDone)
        }
        return finishStep()
    }

    /// Ends a step or a resumption: unless work is left pending, the deferred effects and the
    /// queued floods run; the actions collected so far are handed over.
    private mutating func finishStep() -> [Action] {
        if !hasPendingWork {
            runDeferred()
            flushFloods()
        }
        let out = actions
        actions = []
        return out
    }

    /// Applies new advertisements: removed externals are flushed, changed ones re-originated
    /// (subject to MinLSInterval), the Router-LSA follows stub and E-bit changes.
    mutating func reconfigure(_ advertisements: [Advertisement], maxMetric: Bool) {
        let removed = config.advertisements.filter { old in !advertisements.contains { $0.prefix == old.prefix } }
        config.advertisements = advertisements
        config.maxMetric = maxMetric
        for a in removed {
            desiredCost[a.prefix] = nil
            let key = LSAKey(type: .asExternal, linkStateID: a.prefix.address, advertisingRouter: routerID)
            if case .external = a.kind, database[key] != nil { flush(key) }
        }
        for a in advertisements where desiredCost[a.prefix] == nil { desiredCost[a.prefix] = a.cost }
        originateAdvertisements()
    }

    // MARK: - Neighbour access without copies

    /// Mutates a neighbour in place. Holding a copy of a neighbour (or its interface) while
    /// mutating it through `interfaces` would copy its lists on write: every per-LSA path goes
    /// through here or reads single fields.
    @discardableResult
    mutating func withNeighbor<R>(_ name: String, _ id: IPv4Address, _ body: (inout Neighbor) -> R) -> R? {
        interfaces.modify(name) { $0.neighbors.modify(id, body) } ?? nil
    }

    /// Reads a neighbour without copying it.
    func readNeighbor<R>(_ name: String, _ id: IPv4Address, _ body: (borrowing Neighbor) -> R) -> R? {
        interfaces.read(name) { $0.neighbors.read(id, body) } ?? nil
    }

    /// Reads an interface without copying it.
    func readInterface<R>(_ name: String, _ body: (borrowing Interface) -> R) -> R? { interfaces.read(name, body) }

    /// A neighbour's state, nil when unknown.
    func neighborState(_ name: String, _ id: IPv4Address) -> NeighborState? { readNeighbor(name, id) { $0.state } }

    // MARK: - Output helpers

    mutating func emit(_ a: Action) {
        if case .send = a { flushFloods() }
        actions.append(a)
    }

    mutating func notify(_ n: Notification) { actions.append(.notify(n)) }

    mutating func arm(_ timer: TimerID, after span: Span) { emit(.armTimer(timer, at: now.adding(span))) }

    mutating func cancel(_ timer: TimerID) { emit(.cancelTimer(timer)) }

    mutating func reject(_ interface: String, _ source: IPv4Address, _ rejection: Rejection) {
        notify(.rejected(interface: interface, source: source, rejection))
    }

    /// Encodes and authenticates a packet for an interface.
    mutating func encode(_ body: Packet.Body, on name: String) -> [UInt8] {
        flushFloods()  // queued floods leave first: packets in order, crypto sequence increasing
        let packet = Packet(routerID: config.routerID, areaID: config.areaID, body: body)
        guard let key = readInterface(name, { $0.config.authentication }) ?? nil else { return packet.encoded() }
        if key.algorithm != .simple { cryptoSequence &+= 1 }
        return Authenticator.sign(packet, with: key, sequence: cryptoSequence)
    }

    mutating func send(_ body: Packet.Body, on name: String, to destination: IPv4Address) {
        emit(.send(interface: name, destination: destination, bytes: encode(body, on: name)))
    }

    /// Where a packet meant for one neighbour goes (RFC 2328 8.1): on a point-to-point network
    /// always AllSPFRouters (no ARP, and it works on unnumbered links), elsewhere the neighbour's
    /// address.
    func destination(of neighborAddress: IPv4Address, on name: String) -> IPv4Address {
        readInterface(name, { $0.config.network }) == .pointToPoint ? .allSPFRouters : neighborAddress
    }

    /// Bytes available for packet contents after IP and OSPF headers and any digest.
    func payloadBudget(_ name: String) -> Int {
        readInterface(name) { i in
            Int(i.config.mtu) - 20 - Packet.headerSize - (i.config.authentication?.algorithm.digestLength ?? 0)
        } ?? 0
    }

    /// The E-bit: the area is a normal (non-stub) area, so externals are flooded.
    var areaOptions: Options { [.e] }
}
