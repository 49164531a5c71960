import OSPFWire

/// Identifies an LSA instance-independently: LS type, Link State ID, Advertising Router (RFC 2328 12.1).
public struct LSAKey: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// LS type code.
    public var type: UInt8
    /// Link State ID.
    public var linkStateID: IPv4Address
    /// Advertising Router.
    public var advertisingRouter: IPv4Address

    /// Creates a key.
    public init(type: UInt8, linkStateID: IPv4Address, advertisingRouter: IPv4Address) {
        self.type = type
        self.linkStateID = linkStateID
        self.advertisingRouter = advertisingRouter
    }

    /// The key of an LSA header.
    public init(_ header: LSAHeader) {
        self.init(type: header.type.code, linkStateID: header.linkStateID, advertisingRouter: header.advertisingRouter)
    }

    /// Orders by type, then ID, then advertising router (database listing order).
    public static func < (a: LSAKey, b: LSAKey) -> Bool {
        (a.type, a.linkStateID.value, a.advertisingRouter.value) < (
            b.type, b.linkStateID.value, b.advertisingRouter.value
        )
    }

    /// `type/id/adv`.
    public var description: String { "\(LSType(code: type))/\(linkStateID)/\(advertisingRouter)" }
}
