/// LS types (RFC 2328 A.4.1, RFC 3101 for type 7, RFC 5250 for opaque types 9-11).
public enum LSType: Hashable, Sendable, CustomStringConvertible {
    /// 1: Router-LSA.
    case router
    /// 2: Network-LSA.
    case network
    /// 3: Summary-LSA (IP network).
    case summaryNetwork
    /// 4: Summary-LSA (ASBR).
    case summaryASBR
    /// 5: AS-external-LSA.
    case asExternal
    /// 7: NSSA AS-external LSA (RFC 3101).
    case nssaExternal
    /// 9: link-local opaque LSA.
    case opaqueLink
    /// 10: area-local opaque LSA.
    case opaqueArea
    /// 11: AS-scope opaque LSA.
    case opaqueAS
    /// Any other type, kept so it can be flooded unchanged.
    case other(UInt8)

    /// Creates the type from its code.
    public init(code: UInt8) {
        switch code {
        case 1: self = .router
        case 2: self = .network
        case 3: self = .summaryNetwork
        case 4: self = .summaryASBR
        case 5: self = .asExternal
        case 7: self = .nssaExternal
        case 9: self = .opaqueLink
        case 10: self = .opaqueArea
        case 11: self = .opaqueAS
        default: self = .other(code)
        }
    }

    /// The numeric code.
    public var code: UInt8 {
        switch self {
        case .router: 1
        case .network: 2
        case .summaryNetwork: 3
        case .summaryASBR: 4
        case .asExternal: 5
        case .nssaExternal: 7
        case .opaqueLink: 9
        case .opaqueArea: 10
        case .opaqueAS: 11
        case .other(let c): c
        }
    }

    /// Types are equal when their codes are (`.other(5)` is `.asExternal`).
    public static func == (a: LSType, b: LSType) -> Bool { a.code == b.code }

    /// Hashes the code, consistently with `==`.
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }

    /// A short name, e.g. `router`, `as-external`.
    public var description: String {
        switch self {
        case .router: "router"
        case .network: "network"
        case .summaryNetwork: "summary"
        case .summaryASBR: "asbr-summary"
        case .asExternal: "as-external"
        case .nssaExternal: "nssa-external"
        case .opaqueLink: "opaque-link"
        case .opaqueArea: "opaque-area"
        case .opaqueAS: "opaque-as"
        case .other(let c): "type-\(c)"
        }
    }
}
