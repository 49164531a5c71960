import OSPFWire
import PcapFile

#if canImport(Glibc)
    import Glibc
#endif

/// Decode + verify throughput benchmark (release build):
///
///     swift run -c release ospf-wire-bench [--seconds S] [PCAP...]
///
/// Loads every OSPF packet from the given captures (default: all of
/// Fixtures/captures/*/capture.pcap found from the working directory), then
/// repeatedly decodes each packet, verifies the packet checksum, every LSA
/// checksum and, for crypto-authenticated packets, the digest, for about S
/// seconds (default 3). Prints packets/s and LSAs/s.

func monotonicSeconds() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

var args = Array(CommandLine.arguments.dropFirst())
var seconds = 3.0
if let i = args.firstIndex(of: "--seconds"), i + 1 < args.count, let s = Double(args[i + 1]) {
    seconds = s
    args.removeSubrange(i...(i + 1))
}
if args.isEmpty {
    var paths: [String] = []
    if let dir = opendir("Fixtures/captures") {
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if !name.hasPrefix(".") { paths.append("Fixtures/captures/\(name)/capture.pcap") }
        }
        closedir(dir)
    }
    args = paths.filter { access($0, R_OK) == 0 }.sorted()
}

// Keys used in the fixtures (Fixtures/captures/README.md).
let secrets: [(UInt8, String)] = [
    (5, "ospf-md5-key"), (7, "hmac-key-256"), (7, "hmac-key-1"), (7, "hmac-key-512"), (3, "another-key"),
]
var packets: [[UInt8]] = []
for path in args {
    guard let reader = try? PcapReader(path: path) else {
        print("cannot open \(path)")
        continue
    }
    while let frame = try? reader.next() {
        if let d = try? LinkLayer.ipv4(in: frame.data, linkType: frame.linkType), d.protocolNumber == 89 {
            packets.append(d.payload)
        }
    }
}
guard !packets.isEmpty else {
    print("no OSPF packets found; run from the project root or name capture files")
    exit(1)
}

func keys(for p: [UInt8]) -> [AuthenticationKey] {
    guard p.count >= 24, p[15] == 2, let alg = AuthenticationKey.Algorithm(digestLength: Int(p[19])) else { return [] }
    return secrets.filter { $0.0 == p[18] }.map {
        AuthenticationKey(id: $0.0, secret: Array($0.1.utf8), algorithm: alg)
    }
}
let packetKeys = packets.map(keys(for:))

var decoded = 0
var lsas = 0
var failures = 0
let start = monotonicSeconds()
var now = start
while now - start < seconds {
    for (i, bytes) in packets.enumerated() {
        guard let p = try? Packet(decoding: bytes) else {
            failures += 1
            continue
        }
        _ = Packet.verifyChecksum(bytes)
        if !packetKeys[i].isEmpty {
            for k in packetKeys[i] where (try? Authenticator.verify(bytes, keys: [k])) != nil { break }
        }
        switch p.body {
        case .linkStateUpdate(let u): lsas += u.lsas.count
        case .databaseDescription(let d): lsas += d.lsaHeaders.count
        case .linkStateAcknowledgment(let a): lsas += a.lsaHeaders.count
        default: break
        }
        decoded += 1
    }
    now = monotonicSeconds()
}
let elapsed = now - start
print(
    "corpus: \(packets.count) packets from \(args.count) capture(s); undecodable: \(failures / max(1, decoded / packets.count))"
)
print("packets/s: \(Int(Double(decoded) / elapsed))")
print("LSAs (full + headers)/s: \(Int(Double(lsas) / elapsed))")
