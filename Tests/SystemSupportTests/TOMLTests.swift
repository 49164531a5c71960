import TOML
import Testing

@Suite struct TOMLTests {
    @Test func keysTablesAndArraysOfTables() throws {
        let t = try TOMLTable(
            string: """
                # comment
                router_id = "10.0.0.1"   # trailing comment
                "quoted key" = 1
                'literal key' = 2
                a.b.c = true
                [control]
                socket = '/run/x.sock'
                [[interface]]
                name = "eth0"
                [[interface]]
                name = "eth1"
                cost = 0x0A
                [[interface.extra]]
                k = -1_000
                [health]
                check = [ { name = "q", type = "tc-qdisc" }, ]
                """)
        #expect(t["router_id"]?.string == "10.0.0.1")
        #expect(t["quoted key"]?.int == 1 && t["literal key"]?.int == 2)
        #expect(t["a"]?.table?["b"]?.table?["c"]?.bool == true)
        #expect(t["control"]?.table?["socket"]?.string == "/run/x.sock")
        let ifs = try #require(t["interface"]?.array)
        #expect(ifs.count == 2)
        #expect(ifs[1].table?["cost"]?.int == 10)
        #expect(ifs[1].table?["extra"]?.array?[0].table?["k"]?.int == -1000)
        #expect(t["health"]?.table?["check"]?.array?[0].table?["type"]?.string == "tc-qdisc")
        #expect(t.line(of: "router_id") == 2)
    }

    @Test func stringsAndNumbers() throws {
        let t = try TOMLTable(
            string: #"""
                a = "tab\there \"q\" \u00e9 \U0001F600"
                b = """
                first
                second \
                    joined"""
                c = '''
                C:\raw\''''
                d = 3.5e2
                e = -inf
                f = 1979-05-27T07:32:00Z
                g = 1979-05-27
                h = [1, 2.5, "x", [true]]
                i = 0b1010
                j = 0o17
                k = +7
                """#)
        #expect(t["a"]?.string == "tab\there \"q\" é 😀")
        #expect(t["b"]?.string == "first\nsecond joined")
        #expect(t["c"]?.string == "C:\\raw\\'")
        #expect(t["d"]?.double == 350)
        #expect(t["e"]?.double == -.infinity)
        if case .dateTime(let s)? = t["f"] { #expect(s == "1979-05-27T07:32:00Z") } else { Issue.record("f") }
        if case .dateTime? = t["g"] {} else { Issue.record("g") }
        #expect(t["h"]?.array?.count == 4)
        #expect(t["i"]?.int == 10 && t["j"]?.int == 15 && t["k"]?.int == 7)
    }

    @Test func errorsNameLineAndColumn() {
        let cases: [(String, Int, Int, String)] = [
            ("a = 1\na = 2", 2, 1, "defined twice"),
            ("[t]\nx = 1\n[t]", 3, 4, "defined twice"),
            ("a = hello", 1, 5, "not a valid value"),
            ("a = \"open", 1, 10, "unterminated"),
            ("a = 1 b = 2", 1, 7, "end of the line"),
            ("x = 012", 1, 5, "not a valid value"),
            ("a = 1\nb = [1,\n2,,]", 3, 3, "expected a value"),
            ("a = {b = 1,\n c = 2}", 1, 12, "expected a key"),
            ("a = 1\n[a]", 2, 4, "already a value"),
            ("[[a]]\n[a]", 2, 4, "defined twice"),
        ]
        for (text, line, column, fragment) in cases {
            do {
                _ = try TOMLTable(string: text)
                Issue.record("accepted: \(text)")
            } catch {
                #expect(error.line == line && error.column == column, "\(text): \(error)")
                #expect(error.message.contains(fragment), "\(text): \(error)")
            }
        }
    }

    @Test func lqosConfShapes() throws {
        // The two shapes LibreQoS 2.x writes (lqos.conf version 1.5): a bridge, or a single interface.
        let bridge = try TOMLTable(
            string: """
                version = "1.5"
                lqos_directory = "/opt/libreqos/src"
                [bridge]
                use_xdp_bridge = true
                to_internet = "eth0"
                to_network = "eth1"
                [queues]
                default_sqm = "cake diffserv4"
                monitor_only = false
                uplink_bandwidth_mbps = 1_000
                """)
        #expect(bridge["bridge"]?.table?["to_network"]?.string == "eth1")
        let single = try TOMLTable(
            string: """
                version = "1.5"
                [single_interface]
                interface = "eth0"
                internet_vlan = 2
                network_vlan = 3
                """)
        #expect(single["single_interface"]?.table?["network_vlan"]?.int == 3)
    }
}
