import ArgumentParser
import OSPFWire
import PcapFile

#if canImport(Glibc)
    import Glibc
#endif

/// `ospf-speaker decode FILE.pcap [--json] [--key ID:SECRET]...`
struct DecodeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "decode",
        abstract: "Decode the OSPFv2 packets in a capture file, one line per packet.",
        discussion: """
            Reads pcap or pcapng files with Ethernet (802.1Q tags allowed), Linux cooked v1/v2 \
            or raw IPv4 link types. Packet checksums and LSA checksums are verified; with --key, \
            simple passwords and MD5/HMAC-SHA digests are verified too (the algorithm follows the \
            digest length). A malformed packet prints an error line and decoding goes on.
            """
    )

    @Argument(help: "The capture file.")
    var file: String

    @Flag(help: "One JSON object per line.")
    var json = false

    @Option(
        name: .customLong("key"),
        help: ArgumentHelp(
            "A key as KEYID:SECRET (repeatable); for simple passwords any key ID.", valueName: "ID:SECRET"))
    var keys: [String] = []

    @Option(
        help: ArgumentHelp(
            "Also write each OSPF packet (the bytes after the IPv4 header) to DIR/NAME-frame-N.bin.",
            valueName: "DIR"))
    var payloads: String?

    func run() throws {
        let parsedKeys = try keys.map(Self.parseKey)
        let reader: PcapReader
        do { reader = try PcapReader(path: file) } catch { throw ValidationError(error.description) }
        let decoder = CaptureDecoder(keys: parsedKeys.isEmpty ? nil : parsedKeys)
        var out = ""
        while true {
            let frame: CapturedFrame?
            do { frame = try reader.next() } catch {
                print("decode: \(file): \(error.description)")
                throw ExitCode(1)
            }
            guard let frame else { break }
            guard let record = decoder.decode(frame) else { continue }
            if let payloads, let bytes = record.payload {
                let stem = file.split(separator: "/").suffix(2).joined(separator: "-")
                try writeFile("\(payloads)/\(stem)-frame-\(frame.index).bin", bytes)
            }
            out = json ? record.json.text : record.text
            print(out)
        }
    }

    private func writeFile(_ path: String, _ bytes: [UInt8]) throws {
        guard let f = fopen(path, "wb") else { throw ValidationError("--payloads: cannot create \(path)") }
        defer { fclose(f) }
        guard fwrite(bytes, 1, bytes.count, f) == bytes.count else {
            throw ValidationError("--payloads: short write to \(path)")
        }
    }

    static func parseKey(_ text: String) throws -> (UInt8, [UInt8]) {
        guard let colon = text.firstIndex(of: ":"), let id = UInt8(text[..<colon]) else {
            throw ValidationError("--key \(text): expected KEYID:SECRET with KEYID 0-255")
        }
        return (id, Array(text[text.index(after: colon)...].utf8))
    }
}

/// Turns captured frames into decoded OSPF records.
struct CaptureDecoder {
    /// (key ID, secret) pairs to verify with; nil when no key was given.
    var keys: [(UInt8, [UInt8])]?

    struct Record {
        var json: JSONValue
        var text: String
        /// The OSPF bytes (after the IPv4 header), when the frame held an IPv4 OSPF datagram.
        var payload: [UInt8]?
    }

    /// Decodes one frame; nil when it is not an OSPF packet.
    func decode(_ frame: CapturedFrame) -> Record? {
        var pairs: [(String, JSONValue)] = [("frame", .number(frame.index)), ("time", .double(frame.time))]
        let datagram: IPv4Datagram
        do {
            datagram = try LinkLayer.ipv4(in: frame.data, linkType: frame.linkType)
        } catch .notIPv4 {
            return nil
        } catch {
            // Only report malformed frames that claim to be OSPF (or cannot be told apart).
            pairs.append(("error", .string(error.description)))
            return Record(json: .object(pairs), text: "\(frame.index) error: \(error.description)", payload: nil)
        }
        guard datagram.protocolNumber == 89 else { return nil }
        let src = IPv4Address(datagram.source)
        let dst = IPv4Address(datagram.destination)
        pairs.append(("src", .address(src)))
        pairs.append(("dst", .address(dst)))
        let prefix = "\(frame.index) \(formatTime(frame)) \(src) > \(dst)"
        let packet: Packet
        do {
            packet = try Packet(decoding: datagram.payload)
        } catch {
            pairs.append(("error", .string(error.description)))
            return Record(
                json: .object(pairs), text: "\(prefix) error: \(error.description)", payload: datagram.payload)
        }
        let checksumOK = Packet.verifyChecksum(datagram.payload)
        var authOK: Bool?
        var authNote = ""
        if let keys {
            do {
                try Authenticator.verify(
                    datagram.payload, keys: Authenticator.candidateKeys(keys, for: datagram.payload))
                authOK = true
            } catch {
                authOK = false
                authNote = " auth-failed: \(error.description)"
            }
        }
        pairs += packet.jsonFields(checksumOK: checksumOK, authOK: authOK)
        var text = "\(prefix) \(packet.summary)"
        if checksumOK == false { text += " BAD-CHECKSUM" }
        if case .linkStateUpdate(let u) = packet.body, u.lsas.contains(where: { !$0.checksumValid }) {
            text += " BAD-LSA-CHECKSUM"
        }
        if authOK == true { text += " auth-ok" }
        text += authNote
        return Record(json: .object(pairs), text: text, payload: datagram.payload)
    }

    private func formatTime(_ frame: CapturedFrame) -> String {
        let micro = String(frame.microseconds)
        return "\(frame.seconds).\(String(repeating: "0", count: max(0, 6 - micro.count)))\(micro)"
    }
}
