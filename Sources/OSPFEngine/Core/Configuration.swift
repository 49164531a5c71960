import OSPFWire

/// An IPv4 prefix.
public struct Prefix: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The network address (host bits cleared).
    public var address: IPv4Address
    /// Prefix length 0-32.
    public var length: Int

    /// Creates a prefix; host bits are cleared.
    public init(address: IPv4Address, length: Int) {
        self.length = max(0, min(32, length))
        self.address = IPv4Address(address.value & Prefix.maskValue(self.length))
    }

    /// Parses `a.b.c.d/len`.
    public init?(_ text: some StringProtocol) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let a = IPv4Address(parts[0]), let l = Int(parts[1]), (0...32).contains(l) else {
            return nil
        }
        self.init(address: a, length: l)
    }

    static func maskValue(_ length: Int) -> UInt32 { length == 0 ? 0 : UInt32.max << (32 - UInt32(length)) }

    /// The netmask.
    public var mask: IPv4Address { IPv4Address(Prefix.maskValue(length)) }

    /// Whether `a` lies inside the prefix.
    public func contains(_ a: IPv4Address) -> Bool { a.value & Prefix.maskValue(length) == address.value }

    /// `a.b.c.d/len`.
    public var description: String { "\(address)/\(length)" }

    /// Orders by address, then length.
    public static func < (a: Prefix, b: Prefix) -> Bool { (a.address, a.length) < (b.address, b.length) }
}

/// OSPF network types the speaker supports (RFC 2328 1.2).
public enum NetworkType: String, Sendable, Hashable {
    /// A broadcast network with DR/BDR election.
    case broadcast
    /// A point-to-point network.
    case pointToPoint = "point-to-point"
}

/// One OSPF interface of the speaker.
public struct InterfaceConfiguration: Sendable, Hashable {
    /// Interface name (e.g. `br0`).
    public var name: String
    /// The interface's IPv4 address.
    public var address: IPv4Address
    /// The interface's prefix length.
    public var prefixLength: Int
    /// Network type.
    public var network: NetworkType
    /// Interface output cost (advertised in the Router-LSA).
    public var cost: UInt16
    /// Router priority (0: never DR/BDR).
    public var priority: UInt8
    /// HelloInterval, seconds.
    public var helloInterval: UInt16
    /// RouterDeadInterval, seconds.
    public var deadInterval: UInt32
    /// RxmtInterval, seconds.
    public var retransmitInterval: UInt16
    /// InfTransDelay, seconds (added to LS age when flooding).
    public var transmitDelay: UInt16
    /// The interface MTU (advertised in DD packets).
    public var mtu: UInt16
    /// Accept DD packets whose MTU exceeds ours (RFC 2328 10.6 check disabled).
    public var mtuIgnore: Bool
    /// Authentication key; nil for null authentication.
    public var authentication: AuthenticationKey?

    /// Creates an interface configuration with RFC 2328 defaults.
    public init(
        name: String, address: IPv4Address, prefixLength: Int, network: NetworkType = .broadcast, cost: UInt16 = 10,
        priority: UInt8 = 0, helloInterval: UInt16 = 10, deadInterval: UInt32 = 40, retransmitInterval: UInt16 = 5,
        transmitDelay: UInt16 = 1, mtu: UInt16 = 1500, mtuIgnore: Bool = false, authentication: AuthenticationKey? = nil
    ) {
        self.name = name
        self.address = address
        self.prefixLength = prefixLength
        self.network = network
        self.cost = cost
        self.priority = priority
        self.helloInterval = helloInterval
        self.deadInterval = deadInterval
        self.retransmitInterval = retransmitInterval
        self.transmitDelay = transmitDelay
        self.mtu = mtu
        self.mtuIgnore = mtuIgnore
        self.authentication = authentication
    }

    /// The attached network.
    public var prefix: Prefix { Prefix(address: address, length: prefixLength) }
}

/// Something the speaker advertises: an AS-external route or a stub link.
public struct Advertisement: Sendable, Hashable {
    /// How it is advertised.
    public enum Kind: Sendable, Hashable {
        /// An AS-external-LSA (type 5) with metric type 1 or 2, forwarding address and tag.
        case external(metricType: Int, forwardingAddress: IPv4Address, tag: UInt32)
        /// A stub link in the speaker's Router-LSA.
        case stub
    }

    /// What to do while degraded (health failing or maintenance).
    public enum OnFailure: String, Sendable, Hashable {
        /// Re-advertise with the degraded cost.
        case raise
        /// Withdraw (flush the LSA, or drop the stub link).
        case withdraw
    }

    /// The advertised prefix.
    public var prefix: Prefix
    /// External or stub.
    public var kind: Kind
    /// Cost while healthy.
    public var cost: UInt32
    /// Cost while degraded.
    public var degradedCost: UInt32
    /// Degraded behaviour.
    public var onFailure: OnFailure

    /// Creates an advertisement.
    public init(prefix: Prefix, kind: Kind, cost: UInt32, degradedCost: UInt32 = 100, onFailure: OnFailure = .raise) {
        self.prefix = prefix
        self.kind = kind
        self.cost = cost
        self.degradedCost = degradedCost
        self.onFailure = onFailure
    }
}

/// What the engine does with a new LSA that would take the database past
/// ``EngineConfiguration/lsdbLimit`` (RFC 1765 handles the same problem for AS-external LSAs).
public enum LSDBOverflowPolicy: String, Sendable, Hashable, CaseIterable {
    /// The LSA is not installed and not flooded on; it is acknowledged (or, when it answers our
    /// LS Request, the request counts as answered) so the neighbour stops sending it. Adjacencies
    /// stay Full and our own LSAs stay advertised; the database is incomplete until it has room
    /// again (``Engine/lsdbFull``).
    case refuse
    /// Fail safe, as when the box is dead: every adjacency is killed, other routers' LSAs are
    /// dropped and received packets are ignored for ``EngineConfiguration/lsdbOverflowHoldSeconds``
    /// (``Engine/overflowUntil``), then normal operation resumes.
    case isolate
}

/// Everything the engine needs to know about the speaker.
public struct EngineConfiguration: Sendable, Hashable {
    /// The speaker's router ID.
    public var routerID: IPv4Address
    /// The (single) area.
    public var areaID: IPv4Address
    /// OSPF interfaces.
    public var interfaces: [InterfaceConfiguration]
    /// Advertisements.
    public var advertisements: [Advertisement]
    /// RFC 6987: advertise every transit link at MaxLinkMetric (the default: the speaker forwards
    /// nothing, so no router may route through it).
    public var maxMetric: Bool
    /// Seed for DD sequence numbers and jitter.
    public var seed: UInt64
    /// First cryptographic sequence number (the daemon passes wall-clock seconds so a restart never goes back).
    public var cryptoSequenceStart: UInt32
    /// The most LSAs the database may hold (ours included); nil: no limit. What a new LSA beyond
    /// it does is ``lsdbOverflowPolicy``'s.
    public var lsdbLimit: Int?
    /// What the engine does with a new LSA that would exceed ``lsdbLimit``.
    public var lsdbOverflowPolicy: LSDBOverflowPolicy = .refuse
    /// How long an ``LSDBOverflowPolicy/isolate`` overflow lasts.
    public var lsdbOverflowHoldSeconds: Int = 60

    /// Creates a configuration.
    public init(
        routerID: IPv4Address, areaID: IPv4Address = .any, interfaces: [InterfaceConfiguration],
        advertisements: [Advertisement] = [], maxMetric: Bool = true, seed: UInt64 = 1, cryptoSequenceStart: UInt32 = 1
    ) {
        self.routerID = routerID
        self.areaID = areaID
        self.interfaces = interfaces
        self.advertisements = advertisements
        self.maxMetric = maxMetric
        self.seed = seed
        self.cryptoSequenceStart = cryptoSequenceStart
    }
}
