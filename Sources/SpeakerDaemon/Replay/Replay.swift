import OSPFEngine
import OSPFWire
import PcapFile

/// Replays a scenario folder (`capture.pcap` + `scenario.toml`): the other
/// routers' packets are fed to a fresh engine at their capture timestamps on a
/// virtual clock, and what the engine sends is compared with what the speaker
/// sent in the capture, field by field. LS age, the packet checksum, the
/// cryptographic sequence number and digest are time-dependent and ignored.
public struct Replay {
    /// A packet on the wire, normalised for comparison.
    public struct WirePacket: Sendable, CustomStringConvertible {
        /// Seconds since the capture's first frame.
        public var time: Double
        /// Interface name.
        public var interface: String
        /// IPv4 source.
        public var source: IPv4Address
        /// IPv4 destination.
        public var destination: IPv4Address
        /// The OSPF bytes.
        public var bytes: [UInt8]
        /// The decoded packet with what legitimately depends on time normalised (LS ages except
        /// MaxAge, the checksum, the cryptographic sequence and digest); nil when undecodable.
        public var packet: Packet?
        /// Why the bytes did not decode, when they did not.
        public var decodeError: String?

        /// Whether two packets are the same once normalised: decoded values compared as values
        /// (undecodable ones by their bytes).
        public func matches(_ other: WirePacket) -> Bool {
            guard let packet, let theirs = other.packet else {
                return packet == nil && other.packet == nil && bytes == other.bytes
            }
            return packet == theirs
        }

        /// Flattened normalised fields (`path=value`), to explain a difference.
        public var fields: [String] {
            guard let packet else { return ["error=\(decodeError ?? "undecodable")"] }
            var out: [String] = []
            Replay.flatten(.object(packet.jsonFields(checksumOK: nil)), "", into: &out)
            return out
        }

        /// Packet type and destination, for messages.
        public var description: String {
            let type = (try? Packet(decoding: bytes))?.type.name ?? "undecodable"
            return "\(type) to \(destination) at \(formatSeconds(time))"
        }
    }

    /// The verdict.
    public struct Result: Sendable {
        /// The scenario folder.
        public var scenario: String
        /// Speaker packets in the capture.
        public var expected: Int
        /// Packets the engine sent.
        public var produced: Int
        /// Expected packets matched by an identical engine packet.
        public var matched: Int
        /// The first difference, in time order; nil when the replay passes.
        public var firstDifference: String?
        /// Whether the engine reproduced the capture.
        public var passed: Bool { firstDifference == nil }
    }

    /// How far apart in time an expected and a produced packet may be and still match.
    public var tolerance: Double = 1.5
    /// When set, receives one line per engine event, notification and packet sent (`replay --trace`).
    public var trace: (@Sendable (String) -> Void)?

    /// Creates a replayer.
    public init(tolerance: Double = 1.5) { self.tolerance = tolerance }

    /// Replays the scenario in `directory`.
    public func run(directory: String) throws -> Result {
        let config = try SpeakerConfiguration.load(path: "\(directory)/scenario.toml", allowReplay: true)
        for (i, entry) in config.interfaces.enumerated() where !entry.addressGiven {
            throw ConfigErrors(errors: [
                ConfigError(
                    file: "\(directory)/scenario.toml", line: 0, key: "interface[\(i)].address",
                    message: "a replay scenario must give each interface's address")
            ])
        }
        let settings = config.replay ?? ReplaySettings()
        let engineConfig = config.engineConfiguration(
            seed: settings.seed, cryptoSequenceStart: settings.cryptoSequenceStart)
        let reader = try PcapReader(path: "\(directory)/capture.pcap")
        var inputs: [WirePacket] = []
        var expected: [WirePacket] = []
        var t0: Double?
        while let frame = try reader.next() {
            guard let d = try? LinkLayer.ipv4(in: frame.data, linkType: frame.linkType), d.protocolNumber == 89 else {
                continue
            }
            if t0 == nil { t0 = settings.startUs.map { Double($0) / 1e6 } ?? frame.time }
            let time = frame.time - t0!
            let source = IPv4Address(d.source)
            let destination = IPv4Address(d.destination)
            if let own = engineConfig.interfaces.first(where: { $0.address == source }) {
                expected.append(Self.wire(time, own.name, source, destination, d.payload))
            } else {
                let on =
                    engineConfig.interfaces.first { $0.prefix.contains(source) } ?? engineConfig.interfaces.first!
                inputs.append(Self.wire(time, on.name, source, destination, d.payload))
            }
        }
        // A live recording also lists the timers that fired (timers.txt): replay fires those, in
        // that order, instead of the engine's own schedule, so millisecond races between a
        // timer and a packet resolve as they did live.
        let recordedTimers = readFile("\(directory)/timers.txt").map(Self.parseTimers)
        var problems: [String] = []
        let produced = simulate(
            engineConfig, inputs: inputs, events: settings.events, recordedTimers: recordedTimers,
            until: (expected.last?.time ?? 0) + 0.5, problems: &problems)
        var result = compare(directory, expected: expected, produced: produced)
        if let p = problems.first, result.firstDifference == nil { result.firstDifference = p }
        return result
    }

    /// Runs the engine over the inputs and returns what it sent.
    static func parseTimers(_ text: String) -> [(Double, String)] {
        text.split(separator: "\n").compactMap { line in
            guard !line.hasPrefix("#"), let space = line.firstIndex(of: " "), let t = Double(line[..<space]) else {
                return nil
            }
            return (t, String(line[line.index(after: space)...]))
        }
    }

    func simulate(
        _ config: EngineConfiguration, inputs: [WirePacket], events: [ReplaySettings.Event],
        recordedTimers: [(Double, String)]? = nil, until end: Double, problems: inout [String]
    ) -> [WirePacket] {
        var nextRecorded = 0
        var driver = EngineDriver(Engine(config: config))
        let addresses = Dictionary(config.interfaces.map { ($0.name, $0.address) }, uniquingKeysWith: { a, _ in a })
        var produced: [WirePacket] = []
        var now = Instant.zero
        func applyEvent(_ e: ReplaySettings.Event) {
            switch e.kind {
            case .maintenanceOn: apply(.maintenance(true))
            case .maintenanceOff: apply(.maintenance(false))
            case .shutdown: apply(.shutdown)
            case .setCost: if let prefix = e.prefix { apply(.setAdvertisement(prefix, cost: e.cost)) }
            case .interfaceDown: if let i = e.interface { apply(.interfaceDown(i)) }
            case .interfaceUp: if let i = e.interface { apply(.interfaceUp(i)) }
            case .killNeighbor:
                if let i = e.interface, let n = e.neighbor { apply(.killNeighbor(interface: i, routerID: n)) }
            }
        }
        func apply(_ event: Event) {
            if let trace {
                switch event {
                case .timerFired(let t): trace("\(formatSeconds(Double(now.nanoseconds) / 1e9)) timer \(t)")
                case .packetReceived(_, let src, _, let bytes):
                    let summary = (try? Packet(decoding: bytes))?.summary ?? "undecodable"
                    trace("\(formatSeconds(Double(now.nanoseconds) / 1e9)) received from \(src): \(summary)")
                default: trace("\(formatSeconds(Double(now.nanoseconds) / 1e9)) event \(event)")
                }
            }
            for action in driver.handle(event, now: now) {
                switch action {
                case .armTimer(let t, let at):
                    if case .minLSInterval = t {
                        trace?("\(formatSeconds(Double(now.nanoseconds) / 1e9)) armed \(t) for \(at)")
                    }
                case .cancelTimer: break
                case .send(let i, let destination, let bytes):
                    if let trace {
                        let summary = (try? Packet(decoding: bytes))?.summary ?? "undecodable"
                        trace("\(formatSeconds(Double(now.nanoseconds) / 1e9)) sent to \(destination): \(summary)")
                    }
                    produced.append(
                        Self.wire(
                            Double(now.nanoseconds) / 1e9, i, addresses[i] ?? .any, destination, bytes))
                case .notify(let n): trace?("\(formatSeconds(Double(now.nanoseconds) / 1e9)) \(n)")
                case .joinGroup, .leaveGroup: break
                }
            }
        }
        var nextInput = 0
        var nextEvent = 0
        let sortedEvents = events.sorted { $0.at < $1.at }
        // Events at time 0 (maintenance restored from the state file) precede the interfaces coming up.
        while nextEvent < sortedEvents.count, sortedEvents[nextEvent].at <= 0 {
            applyEvent(sortedEvents[nextEvent])
            nextEvent += 1
        }
        // Interfaces come up at the start unless the scenario says when (recordings do).
        let scripted = Set(events.filter { $0.kind == .interfaceUp }.compactMap(\.interface))
        for i in config.interfaces where !scripted.contains(i.name) { apply(.interfaceUp(i.name)) }
        let deadline = Instant.seconds(end)
        while true {
            let inputAt = nextInput < inputs.count ? Instant.seconds(inputs[nextInput].time) : nil
            let eventAt = nextEvent < sortedEvents.count ? Instant.seconds(sortedEvents[nextEvent].at) : nil
            var timer = driver.nextTimer
            var recordedAt: Instant?
            if let recordedTimers {
                // Fire exactly what the live speaker fired, when it fired it.
                timer = nil
                if nextRecorded < recordedTimers.count { recordedAt = Instant.seconds(recordedTimers[nextRecorded].0) }
            }
            let candidates = [inputAt, eventAt, timer?.at, recordedAt].compactMap { $0 }
            guard let soonest = candidates.min(), soonest <= deadline else { break }
            now = max(now, soonest)
            // At equal instants: packets, then timers, then scenario events (as the recorder sees them).
            if let inputAt, inputAt == soonest {
                let p = inputs[nextInput]
                nextInput += 1
                apply(
                    .packetReceived(
                        interface: p.interface, source: p.source, destination: p.destination, bytes: p.bytes))
            } else if let recordedAt, recordedAt == soonest, let recordedTimers {
                let name = recordedTimers[nextRecorded].1
                nextRecorded += 1
                guard let armed = driver.armedTimer(named: name) else {
                    if problems.isEmpty {
                        problems.append(
                            "the speaker's timer \(name) fired at \(now) but the engine had not armed it")
                    }
                    continue
                }
                _ = driver.disarm(armed)
                apply(.timerFired(armed))
            } else if let timer, timer.at == soonest {
                _ = driver.disarm(timer.timer)
                apply(.timerFired(timer.timer))
            } else if eventAt != nil {
                applyEvent(sortedEvents[nextEvent])
                nextEvent += 1
            }
        }
        return produced
    }

    /// Matches each expected packet with the earliest unmatched identical produced
    /// packet within the tolerance; reports the first unmatched packet on either side.
    func compare(_ scenario: String, expected: [WirePacket], produced: [WirePacket]) -> Result {
        var used = [Bool](repeating: false, count: produced.count)
        var matched = 0
        var differences: [(Double, Int, String)] = []
        for e in expected {
            if let j = produced.indices.first(where: {
                !used[$0] && abs(produced[$0].time - e.time) <= tolerance && produced[$0].interface == e.interface
                    && produced[$0].destination == e.destination && produced[$0].matches(e)
            }) {
                used[j] = true
                matched += 1
                continue
            }
            // Explain against the nearest unmatched engine packet of the same type.
            let sameType = produced.indices.filter { !used[$0] && Self.type(produced[$0]) == Self.type(e) }
            let nearest = sameType.min { abs(produced[$0].time - e.time) < abs(produced[$1].time - e.time) }
            var text = "the speaker sent \(e) and the engine sent no identical packet within \(tolerance)s"
            if let nearest {
                let p = produced[nearest]
                text += "; nearest engine \(p): " + Self.fieldDiff(e, p)
            }
            differences.append((e.time, 0, text))
        }
        for (j, p) in produced.enumerated() where !used[j] && p.time <= (expected.last?.time ?? 0) - tolerance {
            differences.append((p.time, 1, "the engine sent \(p), which is not in the capture"))
        }
        // Earliest first; at the same instant the capture's side, which carries the field difference.
        let first = differences.min { (Int($0.0 * 1000), $0.1) < (Int($1.0 * 1000), $1.1) }?.2
        return Result(
            scenario: scenario, expected: expected.count, produced: produced.count, matched: matched,
            firstDifference: first)
    }

    static func type(_ p: WirePacket) -> String { p.packet?.type.name ?? "" }

    static func fieldDiff(_ a: WirePacket, _ b: WirePacket) -> String {
        var parts: [String] = []
        if a.destination != b.destination { parts.append("destination \(a.destination) vs \(b.destination)") }
        let setB = Set(b.fields)
        let setA = Set(a.fields)
        let onlyA = a.fields.filter { !setB.contains($0) }
        let onlyB = b.fields.filter { !setA.contains($0) }
        if let x = onlyA.first { parts.append("capture has \(x)") }
        if let y = onlyB.first { parts.append("engine has \(y)") }
        return parts.isEmpty ? "identical fields, outside the time tolerance" : parts.joined(separator: ", ")
    }

    /// Decodes and normalises a packet: what legitimately depends on time is zeroed.
    static func wire(
        _ time: Double, _ interface: String, _ source: IPv4Address, _ destination: IPv4Address, _ bytes: [UInt8]
    ) -> WirePacket {
        var normalized: Packet?
        var failure: String?
        do {
            var packet = try Packet(decoding: bytes)
            // Time-dependent fields: crypto sequence (and with it the digest), the checksum, LS ages.
            if case .cryptographic(var c) = packet.authentication {
                c.sequence = 0
                packet.authentication = .cryptographic(c)
            }
            packet.checksum = 0
            packet.trailer = []
            func normalise(_ age: UInt16) -> UInt16 { age >= 3600 ? 3600 : 0 }
            switch packet.body {
            case .linkStateUpdate(var u):
                for i in u.lsas.indices { u.lsas[i].header.age = normalise(u.lsas[i].header.age) }
                packet.body = .linkStateUpdate(u)
            case .databaseDescription(var d):
                for i in d.lsaHeaders.indices { d.lsaHeaders[i].age = normalise(d.lsaHeaders[i].age) }
                packet.body = .databaseDescription(d)
            case .linkStateAcknowledgment(var a):
                for i in a.lsaHeaders.indices { a.lsaHeaders[i].age = normalise(a.lsaHeaders[i].age) }
                packet.body = .linkStateAcknowledgment(a)
            default: break
            }
            normalized = packet
        } catch {
            failure = "\(error)"
        }
        return WirePacket(
            time: time, interface: interface, source: source, destination: destination, bytes: bytes,
            packet: normalized, decodeError: failure)
    }

    static func flatten(_ v: JSONValue, _ path: String, into out: inout [String]) {
        switch v {
        case .object(let pairs):
            for (k, x) in pairs { flatten(x, path.isEmpty ? k : "\(path).\(k)", into: &out) }
        case .array(let items):
            for (i, x) in items.enumerated() { flatten(x, "\(path)[\(i)]", into: &out) }
            if items.isEmpty { out.append("\(path)=[]") }
        default:
            out.append("\(path)=\(v.text)")
        }
    }
}

func formatSeconds(_ t: Double) -> String {
    let ms = Int((t * 1000).rounded())
    let frac = String(ms % 1000)
    return "\(ms / 1000).\(String(repeating: "0", count: 3 - frac.count))\(frac)s"
}
