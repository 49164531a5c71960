import OSPFEngine
import OSPFWire
import Testing

@testable import SpeakerDaemon

@Suite struct MetricsTests {
    @Test func expositionGroupsSamplesUnderTheirFamily() {
        var m = MetricsText()
        m.family("a_total", "counter", "A.")
        m.family("b", "gauge", "B.")
        m.sample("b", [("x", "1")], 2)
        m.sample("a_total", [], 5)
        m.sample("b", [("x", "q\"\\\n")], 0.25)
        #expect(
            m.text == """
                # HELP a_total A.
                # TYPE a_total counter
                a_total 5
                # HELP b B.
                # TYPE b gauge
                b{x="1"} 2
                b{x="q\\"\\\\\\n"} 0.25

                """)
    }

    @Test func valuesAsPrometheusParsesThem() {
        #expect(MetricsText.format(.infinity) == "+Inf")
        #expect(MetricsText.format(-.infinity) == "-Inf")
        #expect(MetricsText.format(.nan) == "NaN")
        #expect(MetricsText.format(1_700_000_000) == "1700000000")
        #expect(MetricsText.format(0.001) == "0.001")
    }

    @Test func syncDurationFromExStartToFull() {
        var s = SpeakerStats()
        let n = IPv4Address("10.0.0.2")!
        s.neighborChanged("e0", n, to: .exStart, at: .seconds(1))
        s.neighborChanged("e0", n, to: .exchange, at: .seconds(1.1))
        s.neighborChanged("e0", n, to: .full, at: .seconds(1.5))
        #expect(s.lastSync["e0|10.0.0.2"]?.seconds == 0.5)
        #expect(s.neighborStateChanges == 3)
    }

    @Test func metricsListenIsParsedAndChecked() throws {
        let base = """
            router_id = "10.0.0.1"
            [[interface]]
            name = "eth0"
            address = "10.0.0.1/30"
            [control]

            """
        let ok = try SpeakerConfiguration.parse(base + "metrics_listen = \"127.0.0.1:9469\"\n", file: "t.toml")
        #expect(ok.metricsListen?.description == "127.0.0.1:9469")
        #expect(try SpeakerConfiguration.parse(base, file: "t.toml").metricsListen == nil)
        for bad in ["localhost:9469", "127.0.0.1", "127.0.0.1:0", "127.0.0.1:70000", "[::1]:9469"] {
            do {
                _ = try SpeakerConfiguration.parse(base + "metrics_listen = \"\(bad)\"\n", file: "t.toml")
                Issue.record("accepted \(bad)")
            } catch {
                #expect("\(error)".contains("t.toml:6: control.metrics_listen"), "\(error)")
            }
        }
    }
}
