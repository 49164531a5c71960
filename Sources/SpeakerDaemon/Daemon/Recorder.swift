import CSpeakerShims
import Glibc
import OSPFWire
import PcapFile
import SystemSupport

/// Writes a replay scenario of a live session: every OSPF datagram received
/// and sent (raw IPv4 capture) plus scenario.toml with the configuration, the
/// interface addresses, the RNG seed, the first crypto sequence and timed events.
final class Recorder {
    let directory: String
    private let writer: PcapWriter
    /// Wall-clock time of the engine clock's zero: every time in the scenario is relative to it.
    private let originUs: Int64
    private var events: [(Int64, String)] = []
    private let header: String
    private let timerFile: UnsafeMutablePointer<FILE>?

    init(
        directory: String, configText: String,
        interfaces: [(name: String, address: IPv4Address, length: Int, mtu: UInt16)],
        seed: UInt64, cryptoStart: UInt32, originUs: Int64
    ) throws {
        self.directory = directory
        self.originUs = originUs
        try makeDirectories(directory)
        writer = try PcapWriter(path: "\(directory)/capture.pcap")
        header = Self.scenarioConfig(
            configText, interfaces: interfaces, seed: seed, cryptoStart: cryptoStart, originUs: originUs)
        timerFile = fopen("\(directory)/timers.txt", "w")
        if let timerFile {
            fputs(
                "# seconds after [replay] start_us, then the timer that fired (replay fires the same ones)\n", timerFile
            )
        }
        try write()
    }

    /// The configuration with each [[interface]] given its address and MTU, plus [replay].
    static func scenarioConfig(
        _ text: String, interfaces: [(name: String, address: IPv4Address, length: Int, mtu: UInt16)], seed: UInt64,
        cryptoStart: UInt32, originUs: Int64
    ) -> String {
        var out: [String] = ["# Recorded by ospf-speaker run --record."]
        var inInterface = false
        var inControl = false
        func finishInterface(_ name: String?) {
            guard let name, let i = interfaces.first(where: { $0.name == name }) else { return }
            out.append("address = \"\(i.address)/\(i.length)\"")
            out.append("mtu = \(i.mtu)")
        }
        var currentName: String?
        for raw in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let line = raw.trimming(" \t")
            if line.hasPrefix("[") {
                if inInterface { finishInterface(currentName) }
                inInterface = line == "[[interface]]"
                inControl = line == "[control]"
                currentName = nil
                if inControl { continue }
            } else if inControl {
                continue  // the control socket and state file do not matter to a replay
            }
            if inInterface {
                let key = line.split(separator: "=").first?.trimming(" \t")
                if key == "address" || key == "mtu" { continue }
                if key == "name" {
                    currentName = line.split(separator: "=", maxSplits: 1).last?
                        .trimming(" \t").trimming("\"")
                }
            }
            out.append(String(raw))
        }
        if inInterface { finishInterface(currentName) }
        out.append("")
        out.append("[replay]")
        out.append("seed = \(seed)")
        out.append("crypto_sequence_start = \(cryptoStart)")
        out.append("start_us = \(originUs)")
        return out.joined(separator: "\n") + "\n"
    }

    private func write() throws {
        var text = header
        for (at, body) in events {
            text += "\n[[replay.event]]\nat = \(fixedSeconds(microseconds: at))\n\(body)\n"
        }
        try writeFileAtomically("\(directory)/scenario.toml", Array(text.utf8), mode: 0o644)
    }

    private func offset() -> Int64 { ospf_wallclock_us() - originUs }

    /// Records an IPv4 datagram (as received, header included).
    func frame(_ datagram: [UInt8]) {
        let us = ospf_wallclock_us()
        writer.write(datagram, seconds: us / 1_000_000, microseconds: Int32(us % 1_000_000))
        writer.flush()
    }

    /// Records a packet the speaker sent.
    func sent(_ payload: [UInt8], from source: IPv4Address, to destination: IPv4Address) {
        frame(LinkLayer.buildIPv4(source: source.value, destination: destination.value, payload: payload))
    }

    /// Records a timer firing, so a replay fires the same timers in the same order.
    func timer(_ description: String) {
        guard let timerFile else { return }
        fputs(fixedSeconds(microseconds: offset()) + " \(description)\n", timerFile)
        fflush(timerFile)
    }

    deinit { if let timerFile { fclose(timerFile) } }

    /// Records a non-packet event (`action = ...` lines) at the current time.
    func event(_ body: String) {
        events.append((offset(), body))
        try? write()
    }
}
