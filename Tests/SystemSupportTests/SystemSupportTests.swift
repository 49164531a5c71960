import Glibc
import OSPFWire
import SystemSupport
import Testing

@Suite struct TextHelperTests {
    @Test func hexPadsAndUppercases() {
        #expect(hex(UInt8(0x0A)) == "0A")
        #expect(hex(UInt16(0xBEEF), width: 4) == "BEEF")
        #expect(hex(0, width: 4) == "0000")
    }

    @Test func fixedSecondsHasSixDecimals() {
        #expect(fixedSeconds(microseconds: 1_500_000) == "1.500000")
        #expect(fixedSeconds(microseconds: 42) == "0.000042")
        #expect(fixedSeconds(microseconds: -2_000_001) == "-2.000001")
    }

    @Test func trimmingAndReplacing() {
        #expect("  a b \n".trimmed == "a b")
        #expect("\"x\"".trimming("\"") == "x")
        #expect("a\nb\nc".replacingCharacter("\n", with: " | ") == "a | b | c")
    }
}

@Suite struct FileHelperTests {
    func scratch() -> String {
        var template = Array("/tmp/ospf-speaker-sys.XXXXXX".utf8CString)
        let dir = template.withUnsafeMutableBufferPointer { String(cString: mkdtemp($0.baseAddress!)) }
        return dir
    }

    @Test func parentDirectoryOfPaths() {
        #expect(parentDirectory("/a/b/c") == "/a/b")
        #expect(parentDirectory("/c") == "/")
        #expect(parentDirectory("c") == ".")
        #expect(parentDirectory("/a/b/") == "/a")
    }

    @Test func atomicWriteCreatesFoldersWithTheGivenMode() throws {
        let dir = scratch()
        defer { _ = system("rm -rf \(dir)") }
        let path = "\(dir)/x/y/state.json"
        try writeFileAtomically(path, Array("hello\n".utf8), mode: 0o640)
        #expect(try readTextFile(path) == "hello\n")
        #expect(fileMode(path) == 0o640)
        try writeFileAtomically(path, Array("again\n".utf8), mode: 0o600)
        #expect(try readTextFile(path) == "again\n")
        #expect(fileMode(path) == 0o600)
        #expect(directoryEntries("\(dir)/x/y") == ["state.json"])  // no temporary left behind
    }

    @Test func readErrorsSayWhy() {
        #expect(throws: FileError(path: "/nonexistent/file", reason: "No such file or directory")) {
            try readTextFile("/nonexistent/file")
        }
        #expect(throws: FileError(path: "/tmp", reason: "is a directory, not a file")) { try readTextFile("/tmp") }
    }
}

@Suite struct JSONParserTests {
    @Test func parsesWhatTheEncoderWrites() throws {
        let value: JSONValue = .object([
            ("a", .int(-5)), ("b", .array([.bool(true), .null, .double(1.5)])),
            ("c", .string("q\"\\\n\t\u{1}é😀")), ("d", .object([])), ("e", .array([])),
        ])
        #expect(try JSONValue.parse(value.text) == value)
        #expect(try JSONValue.parse(value.pretty) == value)
    }

    @Test func numbersAndEscapes() throws {
        #expect(try JSONValue.parse("9223372036854775807") == .int(Int64.max))
        #expect(try JSONValue.parse("1e3") == .double(1000))
        #expect(try JSONValue.parse("-0.25") == .double(-0.25))
        #expect(try JSONValue.parse("\"\\u00e9\\ud83d\\ude00\"") == .string("é😀"))
        #expect(try JSONValue.parse(" [1, 2] ")["a"] == nil)  // arrays have no keys
    }

    @Test func rejectsBadTextWithItsOffset() {
        for (text, offset) in [("{\"a\" 1}", 5), ("[1,]", 3), ("tru", 3), ("\"abc", 4), ("01x", 1), ("{}x", 2)] {
            do {
                _ = try JSONValue.parse(text)
                Issue.record("\(text) parsed")
            } catch {
                #expect(error.offset == offset, "\(text): \(error)")
            }
        }
    }

    @Test func nestingIsBounded() {
        let deep = String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)
        #expect(throws: JSONParseError.self) { try JSONValue.parse(deep) }
    }
}

@Suite struct TrimmingTests {
    @Test func lineEndingsAreTrimmedAloneOrPaired() {
        #expect("up\n".trimmed == "up")
        #expect("up\r\n".trimmed == "up")
        #expect("\r\nup \t".trimmed == "up")
        #expect("key\r\n".trimming("\n\r") == "key")
    }
}

@Suite struct LogfmtTests {
    @Test func valuesAreQuotedOnlyWhenNeededAndEscaped() {
        #expect(logfmtValue("10.0.0.1") == "10.0.0.1")
        #expect(
            logfmtValue("br0 10.1.0.3/24 mtu 1500, eth1 10.2.0.3/24 mtu 1500")
                == "\"br0 10.1.0.3/24 mtu 1500, eth1 10.2.0.3/24 mtu 1500\"")
        #expect(logfmtValue(#"["a"]"#) == #""[\"a\"]""#)
        #expect(logfmtValue("a=b") == "\"a=b\"")
        #expect(logfmtValue("line\nbreak\\") == #""line\nbreak\\""#)
        #expect(logfmtValue("") == "\"\"")
    }
}
