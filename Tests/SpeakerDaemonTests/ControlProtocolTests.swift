import OSPFWire
import Testing

@testable import SpeakerDaemon

@Suite struct ControlProtocolTests {
    @Test func requestsRoundTripAsJSONLines() throws {
        let requests: [ControlRequest] = [
            .status, .database,
            .maintenance(on: true, reason: "--force is part of this reason", forSeconds: 3600, force: false),
            .maintenance(on: false, reason: nil, forSeconds: nil, force: true),
        ]
        for r in requests {
            let parsed = try ControlRequest(line: r.line)
            #expect(parsed == r)
        }
    }

    @Test func plainWordsStillWork() throws {
        let status = try ControlRequest(line: "status")
        let on = try ControlRequest(line: "maintenance on --force --for 60 kernel upgrade")
        #expect(status == .status)
        #expect(on == .maintenance(on: true, reason: "kernel upgrade", forSeconds: 60, force: true))
    }

    @Test func limitsAreEnforcedWithAReason() {
        let long = String(repeating: "x", count: ControlRequest.maxReasonLength + 1)
        let cases: [(String, String)] = [
            (
                ControlRequest.maintenance(on: true, reason: long, forSeconds: nil, force: false).line,
                "the limit is 1024"
            ),
            (#"{"command":"maintenance","on":false,"for_seconds":60}"#, "maintenance on only"),
            (#"{"command":"maintenance","on":true,"for_seconds":99999999}"#, "outside 1 s ... 30 days"),
            (#"{"command":"maintenance","on":"yes"}"#, "\"on\" must be true or false"),
            (#"{"command":"status","extra":1}"#, "unknown field \"extra\""),
            (#"{"command":"reboot"}"#, "unknown command \"reboot\""),
            (#"{"command":"#, "invalid JSON"),
            (#"{"command":"maintenance","on":true,"reason":"a\u0000b"}"#, "control character"),
        ]
        for (line, fragment) in cases {
            do {
                _ = try ControlRequest(line: line)
                Issue.record("accepted \(line.prefix(80))")
            } catch {
                #expect(error.description.contains(fragment), "\(error)")
            }
        }
    }
}

@Suite struct ReadinessTests {
    static let ready = """
        {"router_id":"10.1.0.3","interfaces":[{"name":"br0","state":"DR","neighbors":[
          {"router_id":"10.0.0.1","state":"Full","retransmissions":0},
          {"router_id":"10.0.0.2","state":"Full","retransmissions":0}],"rejected":0,"last_rejection":null}],
         "health":{"healthy":true,"checks":[{"name":"shaping","up":true,"detail":"ok"}]},
         "advertisements":[{"prefix":"100.64.0.0/24","type":"external","backup_warning":null,
           "backups":[{"router":"10.0.0.2","metric":50}]}],
         "counters":{"packets_received":10},"maintenance":{"on":false},"shutting_down":false}
        """

    @Test func aHealthyBoxIsReady() throws {
        let items = Readiness.evaluate(status: try JSONValue.parse(Self.ready))
        let failing = items.filter { !$0.ok }
        #expect(failing.isEmpty, "\(failing)")
        #expect(items.map(\.name) == ["interfaces", "neighbors", "health", "backups", "timers-auth", "maintenance"])
    }

    @Test func eachProblemIsNamed() throws {
        var text = Self.ready
        text = text.replacingOccurrencesOf(
            "\"state\":\"Full\",\"retransmissions\":0},\n", "\"state\":\"ExStart\",\"retransmissions\":0},\n")
        text = text.replacingOccurrencesOf("\"packets_received\":10", "\"rejected_authentication\":14")
        text = text.replacingOccurrencesOf(
            "\"backup_warning\":null", "\"backup_warning\":\"no backup for 100.64.0.0/24\"")
        text = text.replacingOccurrencesOf(
            "\"maintenance\":{\"on\":false}", "\"maintenance\":{\"on\":true,\"reason\":\"x\"}")
        let items = Readiness.evaluate(status: try JSONValue.parse(text))
        let failing = Dictionary(uniqueKeysWithValues: items.filter { !$0.ok }.map { ($0.name, $0.detail) })
        #expect(
            failing["neighbors"]?.contains("10.0.0.1 is ExStart (stuck here usually means an MTU mismatch)") == true)
        #expect(failing["timers-auth"]?.contains("14 packet(s) dropped for authentication failure") == true)
        #expect(failing["backups"] == "no backup for 100.64.0.0/24")
        #expect(failing["maintenance"]?.hasPrefix("on (x)") == true)
        #expect(failing["health"] == nil && failing["interfaces"] == nil)
    }
}

extension String {
    fileprivate func replacingOccurrencesOf(_ a: String, _ b: String) -> String {
        var out = ""
        var rest = Substring(self)
        while let r = rest.firstRange(of: a) {
            out += rest[..<r.lowerBound] + b
            rest = rest[r.upperBound...]
        }
        return out + rest
    }
}
