import PcapFile

@testable import OSPFWire

#if canImport(Glibc)
    import Glibc
#endif

/// The recorded FRR/BIRD sessions under `Fixtures/captures/` (see its README).
enum Fixtures {
    /// One OSPF packet from a capture.
    struct CapturedPacket: CustomStringConvertible {
        var scenario: String
        var frame: Int
        var bytes: [UInt8]
        var description: String { "\(scenario) frame \(frame)" }
    }

    /// A recorded scenario.
    struct Scenario: CustomStringConvertible {
        var name: String
        var directory: String
        var packets: [CapturedPacket]
        /// (key ID, secret) pairs from the scenario's `keys` file.
        var keys: [(UInt8, [UInt8])]
        var description: String { name }

        /// Keys for `Authenticator.verify`, with the algorithm the packet's digest length implies.
        func authenticationKeys(for bytes: [UInt8]) -> [AuthenticationKey] {
            Authenticator.candidateKeys(keys, for: bytes)
        }
    }

    static let root: String = {
        var path = #filePath
        for _ in 0..<3 { path = String(path[..<(path.lastIndex(of: "/") ?? path.startIndex)]) }
        return path + "/Fixtures/captures"
    }()

    static func readText(_ path: String) -> String? {
        guard let f = fopen(path, "r") else { return nil }
        defer { fclose(f) }
        var out: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = fread(&buffer, 1, buffer.count, f)
            if n <= 0 { break }
            out += buffer[0..<n]
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func scenarioNames() -> [String] {
        guard let dir = opendir(root) else { return [] }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if !name.hasPrefix("."), access("\(root)/\(name)/capture.pcap", R_OK) == 0 { names.append(name) }
        }
        return names.sorted()
    }

    static let all: [Scenario] = scenarioNames().map { name in
        let dir = "\(root)/\(name)"
        var packets: [CapturedPacket] = []
        if let reader = try? PcapReader(path: "\(dir)/capture.pcap") {
            while let frame = try? reader.next() {
                if let d = try? LinkLayer.ipv4(in: frame.data, linkType: frame.linkType), d.protocolNumber == 89 {
                    packets.append(CapturedPacket(scenario: name, frame: frame.index, bytes: d.payload))
                }
            }
        }
        let keys: [(UInt8, [UInt8])] = (readText("\(dir)/keys") ?? "").split(separator: "\n").compactMap { line in
            let trimmed = line.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false)[0]
            guard let colon = trimmed.firstIndex(of: ":"), let id = UInt8(trimmed[..<colon]) else { return nil }
            return (id, Array(trimmed[trimmed.index(after: colon)...].utf8))
        }
        return Scenario(name: name, directory: dir, packets: packets, keys: keys)
    }

    static var allPackets: [CapturedPacket] { all.flatMap(\.packets) }
}
