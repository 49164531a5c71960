extension LSA {
    /// The LSA as the JSON object `decode --json` prints: header fields, then
    /// (with `body`) the type-specific fields.
    public func json(body includeBody: Bool = true) -> JSONValue {
        header.json(checksumOK: includeBody ? checksumValid : nil, extra: includeBody ? bodyJSON : [])
    }

    private var bodyJSON: [(String, JSONValue)] {
        switch body {
        case .router(let r):
            return [
                ("flags", .number(r.flags.rawValue)),
                (
                    "links",
                    .array(
                        r.links.map {
                            .object([
                                ("type", .number($0.type.code)), ("id", .address($0.id)),
                                ("data", .address($0.data)), ("metric", .number($0.metric)),
                            ])
                        })
                ),
            ]
        case .network(let n):
            return [("mask", .address(n.networkMask)), ("routers", .array(n.attachedRouters.map(JSONValue.address)))]
        case .summary(let s):
            return [("mask", .address(s.networkMask)), ("metric", .number(s.metric))]
        case .external(let e):
            return [
                ("mask", .address(e.networkMask)), ("metric_type", .number(e.metricType)),
                ("metric", .number(e.primary.metric)),
                ("forwarding_address", .address(e.primary.forwardingAddress)), ("tag", .number(e.primary.tag)),
            ]
        case .raw:
            return []
        }
    }
}

extension LSAHeader {
    /// The header as a JSON object (`checksum_ok` only when known).
    public func json(checksumOK: Bool? = nil, extra: [(String, JSONValue)] = []) -> JSONValue {
        var pairs: [(String, JSONValue)] = [
            ("age", .number(age)), ("options", .number(options.rawValue)), ("ls_type", .number(type.code)),
            ("ls_id", .address(linkStateID)), ("adv_router", .address(advertisingRouter)),
            ("seq", .number(sequenceNumberBits)), ("checksum", .number(checksum)), ("length", .number(length)),
        ]
        if let checksumOK { pairs.append(("checksum_ok", .bool(checksumOK))) }
        return .object(pairs + extra)
    }
}

extension Packet {
    /// The packet fields as JSON pairs, in the order `decode --json` prints them
    /// (after `frame`, `time`, `src`, `dst`). `checksumOK` is the result of
    /// ``verifyChecksum(_:)``; `authOK` is included when keys were given.
    public func jsonFields(checksumOK: Bool?, authOK: Bool? = nil) -> [(String, JSONValue)] {
        var pairs: [(String, JSONValue)] = [
            ("version", 2), ("type", .string(type.name)),
            ("router_id", .address(routerID)), ("area_id", .address(areaID)),
            ("checksum_ok", checksumOK.map(JSONValue.bool) ?? .null),
            ("auth_type", .number(authentication.type)),
        ]
        if case .cryptographic(let c) = authentication {
            pairs.append(("auth_key_id", .number(c.keyID)))
            pairs.append(("auth_seq", .number(c.sequence)))
        }
        if let authOK { pairs.append(("auth_ok", .bool(authOK))) }
        switch body {
        case .hello(let h):
            pairs.append(
                (
                    "hello",
                    .object([
                        ("network_mask", .address(h.networkMask)), ("hello_interval", .number(h.helloInterval)),
                        ("options", .number(h.options.rawValue)), ("priority", .number(h.priority)),
                        ("dead_interval", .number(h.deadInterval)), ("dr", .address(h.designatedRouter)),
                        ("bdr", .address(h.backupDesignatedRouter)),
                        ("neighbors", .array(h.neighbors.map(JSONValue.address))),
                    ])
                ))
        case .databaseDescription(let d):
            pairs.append(
                (
                    "dd",
                    .object([
                        ("mtu", .number(d.interfaceMTU)), ("options", .number(d.options.rawValue)),
                        ("flags", .number(d.flags.rawValue)), ("seq", .number(d.sequenceNumber)),
                    ])
                ))
            pairs.append(("lsas", .array(d.lsaHeaders.map { $0.json() })))
        case .linkStateRequest(let r):
            pairs.append(
                (
                    "requests",
                    .array(
                        r.entries.map {
                            .object([
                                ("ls_type", .number($0.lsType)), ("ls_id", .address($0.linkStateID)),
                                ("adv_router", .address($0.advertisingRouter)),
                            ])
                        })
                ))
        case .linkStateUpdate(let u):
            pairs.append(("lsas", .array(u.lsas.map { $0.json() })))
        case .linkStateAcknowledgment(let a):
            pairs.append(("lsas", .array(a.lsaHeaders.map { $0.json() })))
        }
        return pairs
    }

    /// A one-line human summary, e.g. `hello 10.0.0.1 area 0.0.0.0 dr 10.0.0.1 nbrs 2`.
    public var summary: String {
        var s = "\(type.name) rid \(routerID) area \(areaID)"
        switch authentication {
        case .null: break
        case .simple: s += " auth simple"
        case .cryptographic(let c): s += " auth crypto key \(c.keyID) seq \(c.sequence)"
        case .other(let t, _): s += " auth type \(t)"
        }
        switch body {
        case .hello(let h):
            s += " pri \(h.priority) hello \(h.helloInterval) dead \(h.deadInterval) dr \(h.designatedRouter)"
            s += " bdr \(h.backupDesignatedRouter) nbrs [\(h.neighbors.map(\.description).joined(separator: " "))]"
        case .databaseDescription(let d):
            let f = [(DatabaseDescription.Flags.initial, "I"), (.more, "M"), (.master, "MS")]
                .filter { d.flags.contains($0.0) }.map(\.1).joined(separator: "|")
            s += " mtu \(d.interfaceMTU) flags [\(f)] seq \(d.sequenceNumber) lsas \(d.lsaHeaders.count)"
        case .linkStateRequest(let r):
            s += " requests \(r.entries.count)"
        case .linkStateUpdate(let u):
            s += " lsas \(u.lsas.count):"
            for l in u.lsas {
                s += " \(l.header.type)/\(l.header.linkStateID)/\(l.header.advertisingRouter)"
                s += " seq 0x\(String(l.header.sequenceNumberBits, radix: 16)) age \(l.header.age)"
            }
        case .linkStateAcknowledgment(let a):
            s += " acks \(a.lsaHeaders.count)"
        }
        return s
    }
}
