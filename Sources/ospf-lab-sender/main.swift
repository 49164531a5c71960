import CSpeakerShims
import Glibc
import OSPFWire
import PcapFile

// A hostile OSPF sender for the lab (scripts/tests/hostile), under the project's control: it sends
// what a broken or malicious neighbour would, built with the project's own codec. Not installed
// by the package.
//
//   ospf-lab-sender SCENARIO --interface IF --router-id RID [--key ID:SECRET] [options]
//     forged-hello --claim RID        Hellos claiming another router's ID (the speaker's)
//     garbage                         oversized, truncated and corrupted packets
//     replay --from ADDR              one authenticated packet of ADDR, resent 3 s later
//     flood --count N --age A         become adjacent (DR and master), offer a DD with an absurd
//           [--bdr-of ADDR]           MTU, then send N AS-external LSAs of age A in LS Updates,
//                                     every 7th with a broken checksum; with --bdr-of, claim
//                                     Backup (priority 1) under the DR at ADDR instead of DR
// Prints one line per step; exits 1 when a step cannot be done (no adjacency, no packet to replay).

struct Options {
    var scenario = ""
    var interface = ""
    var routerID = IPv4Address.any
    var key: AuthenticationKey?
    var claim = IPv4Address.any
    var from = IPv4Address.any
    var count = 1000
    var age: UInt16 = 1
    /// Claim Backup under this DR instead of DR.
    var bdrOf: IPv4Address?
}

func fail(_ message: String) -> Never {
    let line = Array("ospf-lab-sender: \(message)\n".utf8)
    _ = line.withUnsafeBufferPointer { write(2, $0.baseAddress, $0.count) }
    exit(1)
}

func need<T>(_ value: T?, _ message: @autoclosure () -> String) -> T {
    guard let value else { fail(message()) }
    return value
}

func parse() -> Options {
    var o = Options()
    var args = Array(CommandLine.arguments.dropFirst())
    guard !args.isEmpty else { fail("usage: ospf-lab-sender SCENARIO --interface IF --router-id RID ...") }
    o.scenario = args.removeFirst()
    while !args.isEmpty {
        let flag = args.removeFirst()
        guard let value = args.first else { fail("\(flag) needs a value") }
        args.removeFirst()
        switch flag {
        case "--interface": o.interface = value
        case "--router-id": o.routerID = need(IPv4Address(value), "bad --router-id \(value)")
        case "--claim": o.claim = need(IPv4Address(value), "bad --claim \(value)")
        case "--from": o.from = need(IPv4Address(value), "bad --from \(value)")
        case "--count": o.count = need(Int(value), "bad --count \(value)")
        case "--age": o.age = need(UInt16(value), "bad --age \(value)")
        case "--bdr-of": o.bdrOf = need(IPv4Address(value), "bad --bdr-of \(value)")
        case "--key":
            let parts = value.split(separator: ":", maxSplits: 1)
            guard parts.count == 2, let id = UInt8(parts[0]) else { fail("--key wants ID:SECRET") }
            o.key = AuthenticationKey(id: id, secret: Array(parts[1].utf8), algorithm: .md5)
        default: fail("unknown option \(flag)")
        }
    }
    return o
}

let o = parse()
var info = ospf_interface_info()
guard ospf_interface_info_get(o.interface, &info) == 0, info.address != 0 else { fail("interface \(o.interface)") }
let myAddress = IPv4Address(info.address)
let mask = IPv4Address(info.netmask)
let fd = ospf_socket_open(o.interface, info.index)
guard fd >= 0 else { fail("raw socket on \(o.interface): \(String(cString: strerror(-fd)))") }
_ = ospf_socket_membership(fd, info.index, IPv4Address.allSPFRouters.value, 1)
_ = ospf_socket_membership(fd, info.index, IPv4Address.allDRouters.value, 1)
var cryptoSequence = UInt32(ospf_wallclock_seconds())

@MainActor
func sendRaw(_ bytes: [UInt8], to destination: IPv4Address = .allSPFRouters) {
    _ = bytes.withUnsafeBufferPointer { ospf_socket_send(fd, $0.baseAddress, $0.count, destination.value) }
}

@MainActor
func encode(_ body: Packet.Body, routerID: IPv4Address = o.routerID) -> [UInt8] {
    let p = Packet(routerID: routerID, areaID: .any, body: body)
    guard let key = o.key else { return p.encoded() }
    cryptoSequence &+= 1
    return Authenticator.sign(p, with: key, sequence: cryptoSequence)
}

@MainActor
func send(_ body: Packet.Body, to destination: IPv4Address = .allSPFRouters, routerID: IPv4Address = o.routerID) {
    sendRaw(encode(body, routerID: routerID), to: destination)
}

/// Packets received: (source address, raw OSPF bytes, decoded packet if it decodes).
@MainActor
func receive(for seconds: Double, _ handle: (IPv4Address, [UInt8], Packet) -> Bool) -> Bool {
    var buffer = [UInt8](repeating: 0, count: 65535)
    let end = ospf_monotonic_ns() + Int64(seconds * 1e9)
    while ospf_monotonic_ns() < end {
        var p = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        _ = poll(&p, 1, 50)
        while true {
            var source: UInt32 = 0
            var destination: UInt32 = 0
            var ifindex: Int32 = 0
            let n = buffer.withUnsafeMutableBufferPointer {
                ospf_socket_receive(fd, $0.baseAddress, $0.count, &source, &destination, &ifindex)
            }
            if n <= 0 { break }
            guard let ip = try? LinkLayer.parseIPv4(Array(buffer[0..<n]), at: 0) else { continue }
            let bytes = Array(ip.payload)
            guard let packet = try? Packet(decoding: bytes) else { continue }
            if handle(IPv4Address(source), bytes, packet) { return true }
        }
    }
    return false
}

@MainActor
func hello(neighbors: [IPv4Address], priority: UInt8? = nil, dr: IPv4Address? = nil) -> Packet.Body {
    // By default the flood's role: DR (priority 255), or Backup (priority 1) under --bdr-of's DR.
    .hello(
        Hello(
            networkMask: mask, helloInterval: 1, options: .e, priority: priority ?? (o.bdrOf == nil ? 255 : 1),
            deadInterval: 4, designatedRouter: dr ?? o.bdrOf ?? myAddress,
            backupDesignatedRouter: o.bdrOf == nil ? .any : myAddress, neighbors: neighbors))
}

switch o.scenario {
case "forged-hello":
    for _ in 0..<20 {
        send(hello(neighbors: [], priority: 0, dr: .any), routerID: o.claim)
        usleep(100_000)
    }
    print("sent 20 Hellos claiming router ID \(o.claim)")

case "garbage":
    var rng = SystemRandomNumberGenerator()
    let valid = encode(hello(neighbors: [], priority: 0, dr: .any))
    var sent = 0
    for i in 0..<300 {
        var b: [UInt8]
        switch i % 5 {
        case 0: b = (0..<Int.random(in: 1...1400, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
        case 1: b = Array(valid.prefix(Int.random(in: 1..<valid.count, using: &rng)))  // truncated
        case 2:
            b = valid
            b[0] = 3  // OSPF version 3 on a v2 socket
        case 3:
            b = valid
            b[2] = 0xFF  // packet length far beyond the datagram
            b[3] = 0xF0
        default:
            // Oversized: a valid header announcing 8000 bytes of random body (IP fragments).
            b = valid + (0..<8000).map { _ in UInt8.random(in: 0...255, using: &rng) }
            b[2] = UInt8((b.count >> 8) & 0xFF)
            b[3] = UInt8(b.count & 0xFF)
        }
        sendRaw(b)
        sent += 1
        usleep(2000)
    }
    print("sent \(sent) malformed packets (random, truncated, wrong version, bad length, oversized)")

case "replay":
    var captured: [UInt8]?
    _ = receive(for: 10) { source, bytes, packet in
        guard source == o.from, case .cryptographic = packet.authentication else { return false }
        captured = bytes
        return true
    }
    guard let captured else { fail("no authenticated packet from \(o.from) within 10 s") }
    sleep(3)  // the router has sent newer sequence numbers since
    sendRaw(captured)
    print("replayed one packet of \(o.from) (\(captured.count) bytes) 3 s after capture")

case "flood":
    // Become a neighbour that the speaker (priority 0) forms an adjacency with: claim DR.
    var speakerID: IPv4Address?
    var speakerAddress = IPv4Address.any
    var lastHello = Int64(0)
    func keepHello() {
        if ospf_monotonic_ns() - lastHello > 900_000_000 {
            send(hello(neighbors: speakerID.map { [$0] } ?? []))
            lastHello = ospf_monotonic_ns()
        }
    }
    guard
        receive(
            for: 15,
            { source, _, packet in
                keepHello()
                if case .hello(let h) = packet.body, h.priority == 0 {
                    speakerID = packet.routerID
                    speakerAddress = source
                }
                if case .databaseDescription(let dd) = packet.body, packet.routerID == speakerID,
                    dd.flags.contains(.initial)
                {
                    return true
                }
                return false
            })
    else { fail("the speaker never started a database exchange with us") }
    guard let sid = speakerID else { fail("no speaker Hello") }
    // An absurd MTU first: the speaker must refuse it (RFC 2328 10.6) and wait for a sane one.
    send(
        .databaseDescription(
            DatabaseDescription(
                interfaceMTU: 65535, options: .e, flags: [.initial, .more, .master], sequenceNumber: 7000,
                lsaHeaders: [])), to: speakerAddress)
    print("sent a DD with interface MTU 65535")
    usleep(300_000)
    var sequence: UInt32 = 8000
    send(
        .databaseDescription(
            DatabaseDescription(
                interfaceMTU: 1500, options: .e, flags: [.initial, .more, .master], sequenceNumber: sequence,
                lsaHeaders: [])), to: speakerAddress)
    // As master: poll until the slave's last DD (M clear) echoes our sequence, then stop.
    var exchanged = false
    _ = receive(for: 10) { _, _, packet in
        keepHello()
        guard packet.routerID == sid, case .databaseDescription(let dd) = packet.body,
            dd.sequenceNumber == sequence, !dd.flags.contains(.master)
        else { return false }
        if !dd.flags.contains(.more) && sequence > 8000 {
            exchanged = true
            return true
        }
        sequence += 1
        send(
            .databaseDescription(
                DatabaseDescription(
                    interfaceMTU: 1500, options: .e, flags: [.master], sequenceNumber: sequence, lsaHeaders: [])),
            to: speakerAddress)
        return false
    }
    guard exchanged else { fail("the database exchange did not finish") }
    print("adjacent with the speaker \(sid) (exchange done at DD sequence \(sequence))")
    // The flood: N externals in LS Updates of 40, every 7th with its checksum broken.
    var sent = 0
    var broken = 0
    var n = 0
    while n < o.count {
        var lsas: [LSA] = []
        for _ in 0..<min(40, o.count - n) {
            let id = IPv4Address(UInt32(0x0B00_0000) + UInt32(n) << 8)
            var lsa = LSA(
                header: LSAHeader(
                    age: o.age, options: .e, type: .asExternal, linkStateID: id, advertisingRouter: o.routerID,
                    sequenceNumber: Int32(bitPattern: 0x8000_0001), checksum: 0, length: 0),
                body: .external(
                    ASExternalLSA(
                        networkMask: IPv4Address(255, 255, 255, 0), metricType: 2, metric: 20,
                        forwardingAddress: .any, tag: 0))
            ).finalized()
            if n % 7 == 3 {
                lsa.header.checksum ^= 0x5A5A
                broken += 1
            }
            lsas.append(lsa)
            n += 1
        }
        send(.linkStateUpdate(LinkStateUpdate(lsas: lsas)), to: speakerAddress)
        sent += lsas.count
        if sent % 2000 == 0 {
            keepHello()
            _ = receive(for: 0.001) { _, _, _ in false }  // drain acks
        }
    }
    print("sent \(sent) AS-external LSAs (age \(o.age)), \(broken) with a broken checksum")

default:
    fail("unknown scenario \(o.scenario)")
}
