import ArgumentParser

@main
struct OSPFSpeaker: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ospf-speaker",
        abstract: "A health-aware OSPFv2 speaker for LibreQoS shaping boxes.",
        subcommands: [DecodeCommand.self, ReplayCommand.self, CheckConfigCommand.self]
    )
}
