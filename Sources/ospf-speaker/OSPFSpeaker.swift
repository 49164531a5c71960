import ArgumentParser
import SpeakerDaemon

@main
struct OSPFSpeaker: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ospf-speaker",
        abstract: "A health-aware OSPFv2 speaker for LibreQoS shaping boxes.",
        version: ospfSpeakerVersion,
        subcommands: [
            RunCommand.self, StatusCommand.self, DatabaseCommand.self, MaintenanceCommand.self, CheckConfigCommand.self,
            CheckHealthCommand.self, CheckCommand.self, DrillCommand.self,
            DecodeCommand.self, ReplayCommand.self,
        ]
    )
}
