/// A TOML 1.0 document reader for the speaker's configuration, its replay scenarios and
/// LibreQoS's lqos.conf. Standard library only (the TOML package the project used pulled in
/// Foundation and ICU, most of the daemon's idle memory). Every error names the line and column.

/// A TOML value.
public enum TOMLValue: Sendable {
    /// A string (basic, literal or multi-line).
    case string(String)
    /// A 64-bit integer.
    case integer(Int64)
    /// A float (including inf and nan).
    case float(Double)
    /// true or false.
    case bool(Bool)
    /// An offset or local date-time, local date or local time, kept as written.
    case dateTime(String)
    /// An array.
    case array(TOMLArray)
    /// A table.
    case table(TOMLTable)

    /// The string, when this is one.
    public var string: String? { if case .string(let s) = self { s } else { nil } }
    /// The integer, when this is one that fits in an Int.
    public var int: Int? { if case .integer(let i) = self { Int(exactly: i) } else { nil } }
    /// The float, when this is one.
    public var double: Double? { if case .float(let d) = self { d } else { nil } }
    /// The boolean, when this is one.
    public var bool: Bool? { if case .bool(let b) = self { b } else { nil } }
    /// The table, when this is one.
    public var table: TOMLTable? { if case .table(let t) = self { t } else { nil } }
    /// The array, when this is one.
    public var array: TOMLArray? { if case .array(let a) = self { a } else { nil } }

    /// The value's TOML type name (for error messages).
    public var typeName: String {
        switch self {
        case .string: "string"
        case .integer: "integer"
        case .float: "float"
        case .bool: "boolean"
        case .dateTime: "date-time"
        case .array: "array"
        case .table: "table"
        }
    }
}

/// A table: keys to values, with the line each key was defined on. Read-only once parsed.
public final class TOMLTable: @unchecked Sendable {
    fileprivate var entries: [String: TOMLValue] = [:]
    fileprivate var lines: [String: Int] = [:]
    /// How the table came to exist, for TOML's redefinition rules.
    fileprivate enum Origin { case root, header, implicit, dotted, inline, arrayElement }
    fileprivate var origin: Origin

    fileprivate init(origin: Origin) { self.origin = origin }

    /// Parses a document; the error names line and column.
    public convenience init(string text: String) throws(TOMLParseError) {
        self.init(origin: .root)
        var parser = TOMLParser(text: text, root: self)
        try parser.parseDocument()
    }

    /// The value for `key`.
    public subscript(key: String) -> TOMLValue? { entries[key] }

    /// The keys, in no particular order.
    public var keys: [String] { Array(entries.keys) }

    /// The line (from 1) where `key` was defined, when known.
    public func line(of key: String) -> Int? { lines[key] }
}

/// An array of values (an inline array, or the tables of `[[name]]` headers).
public final class TOMLArray: @unchecked Sendable, Sequence {
    fileprivate var items: [TOMLValue] = []
    /// Whether `[[name]]` headers built it (only those may be appended to by later headers).
    fileprivate let ofTables: Bool

    fileprivate init(ofTables: Bool) { self.ofTables = ofTables }

    /// The number of items.
    public var count: Int { items.count }
    /// The item at `i`.
    public subscript(i: Int) -> TOMLValue { items[i] }
    /// Iterates the items.
    public func makeIterator() -> IndexingIterator<[TOMLValue]> { items.makeIterator() }
}

/// Why a TOML text could not be read: where (line and column, from 1) and what.
public struct TOMLParseError: Error, Equatable, CustomStringConvertible {
    /// The line, from 1.
    public var line: Int
    /// The column, from 1 (in characters).
    public var column: Int
    /// What was wrong.
    public var message: String
    /// `line L, column C: message`.
    public var description: String { "line \(line), column \(column): \(message)" }
}

/// The parser: one pass over the UTF-8 bytes, building the tables as it goes.
struct TOMLParser {
    let bytes: [UInt8]
    let root: TOMLTable
    var i = 0
    var line = 1
    var lineStart = 0
    /// The table that key/value lines currently go into.
    var current: TOMLTable

    init(text: String, root: TOMLTable) {
        bytes = Array(text.utf8)
        self.root = root
        current = root
    }

    // MARK: - Low level

    var peek: UInt8? { i < bytes.count ? bytes[i] : nil }
    func peek(_ offset: Int) -> UInt8? { i + offset < bytes.count ? bytes[i + offset] : nil }

    func error(_ message: String) -> TOMLParseError {
        let column = String(decoding: bytes[lineStart..<min(i, bytes.count)], as: UTF8.self).count + 1
        return TOMLParseError(line: line, column: column, message: message)
    }

    func describe(_ b: UInt8?) -> String {
        guard let b else { return "the end of the file" }
        switch b {
        case 0x0A: return "a line break"
        case 0x20..<0x7F: return "'\(Character(Unicode.Scalar(b)))'"
        default: return "byte 0x\(String(b, radix: 16, uppercase: true))"
        }
    }

    mutating func skipSpaces() {
        while let b = peek, b == 0x20 || b == 0x09 { i += 1 }
    }

    mutating func skipComment() throws(TOMLParseError) {
        guard peek == UInt8(ascii: "#") else { return }
        while let b = peek, b != 0x0A {
            if b == 0x0D && peek(1) == 0x0A { break }
            if (b < 0x20 && b != 0x09) || b == 0x7F { throw error("control character in a comment") }
            i += 1
        }
    }

    /// Consumes a line break (LF or CRLF); false when there is none here.
    mutating func newline() -> Bool {
        if peek == 0x0A {
            i += 1
        } else if peek == 0x0D && peek(1) == 0x0A {
            i += 2
        } else {
            return false
        }
        line += 1
        lineStart = i
        return true
    }

    /// Spaces, comments and line breaks (inside arrays).
    mutating func skipBlank() throws(TOMLParseError) {
        while true {
            skipSpaces()
            try skipComment()
            if !newline() { return }
        }
    }

    /// After a value or header: only spaces and a comment may follow on the line.
    mutating func endOfLine() throws(TOMLParseError) {
        skipSpaces()
        try skipComment()
        guard peek == nil || newline() else { throw error("expected the end of the line, found \(describe(peek))") }
    }

    // MARK: - Document

    mutating func parseDocument() throws(TOMLParseError) {
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) {
            i = 3
            lineStart = 3
        }
        while true {
            try skipBlank()
            guard let b = peek else { return }
            if b == UInt8(ascii: "[") {
                try header()
            } else {
                try keyValue(into: current, inline: false)
            }
            try endOfLine()
        }
    }

    mutating func header() throws(TOMLParseError) {
        let isArray = peek(1) == UInt8(ascii: "[")
        i += isArray ? 2 : 1
        skipSpaces()
        let headerLine = line
        let key = try keyPath()
        skipSpaces()
        guard peek == UInt8(ascii: "]"), !isArray || peek(1) == UInt8(ascii: "]") else {
            throw error("expected '\(isArray ? "]]" : "]")' to close the header")
        }
        i += isArray ? 2 : 1
        let name = key.joined(separator: ".")
        // Walk to the parent, creating implicit tables.
        var table = root
        for part in key.dropLast() { table = try descend(table, part, name: name, line: headerLine) }
        let last = key[key.count - 1]
        if isArray {
            let array: TOMLArray
            switch table.entries[last] {
            case nil:
                array = TOMLArray(ofTables: true)
                table.entries[last] = .array(array)
                table.lines[last] = headerLine
            case .array(let a) where a.ofTables: array = a
            default: throw error("[[\(name)]]: '\(name)' is already defined and is not an array of tables")
            }
            let element = TOMLTable(origin: .arrayElement)
            array.items.append(.table(element))
            current = element
        } else {
            switch table.entries[last] {
            case nil:
                let t = TOMLTable(origin: .header)
                table.entries[last] = .table(t)
                table.lines[last] = headerLine
                current = t
            case .table(let t) where t.origin == .implicit:
                t.origin = .header
                current = t
            case .table, .array: throw error("[\(name)] is defined twice")
            default: throw error("[\(name)]: '\(name)' is already a value, not a table")
            }
        }
    }

    /// The sub-table `part` of `table` for a header path, created implicitly when missing; the
    /// last table of an array of tables when `part` names one.
    mutating func descend(_ table: TOMLTable, _ part: String, name: String, line: Int) throws(TOMLParseError)
        -> TOMLTable
    {
        switch table.entries[part] {
        case nil:
            let t = TOMLTable(origin: .implicit)
            table.entries[part] = .table(t)
            table.lines[part] = line
            return t
        case .table(let t) where t.origin != .inline:
            return t
        case .array(let a) where a.ofTables:
            guard case .table(let t)? = a.items.last else { throw error("[\(name)]: '\(part)' is empty") }
            return t
        default:
            throw error("[\(name)]: '\(part)' is already a value, not a table")
        }
    }

    mutating func keyValue(into table: TOMLTable, inline: Bool) throws(TOMLParseError) {
        let keyLine = line
        let keyStart = i
        let key = try keyPath()
        skipSpaces()
        guard peek == UInt8(ascii: "=") else { throw error("expected '=' after the key, found \(describe(peek))") }
        i += 1
        skipSpaces()
        var target = table
        for part in key.dropLast() {
            switch target.entries[part] {
            case nil:
                let t = TOMLTable(origin: .dotted)
                target.entries[part] = .table(t)
                target.lines[part] = keyLine
                target = t
            case .table(let t) where t.origin == .dotted || (t.origin == .implicit && !inline):
                target = t
            default:
                throw error("'\(key.joined(separator: "."))': '\(part)' is already defined")
            }
        }
        let last = key[key.count - 1]
        guard target.entries[last] == nil else {
            i = keyStart
            throw error("'\(key.joined(separator: "."))' is defined twice")
        }
        let v = try value()
        target.entries[last] = v
        target.lines[last] = keyLine
    }

    // MARK: - Keys

    mutating func keyPath() throws(TOMLParseError) -> [String] {
        var parts = [try simpleKey()]
        while true {
            skipSpaces()
            guard peek == UInt8(ascii: ".") else { return parts }
            i += 1
            skipSpaces()
            parts.append(try simpleKey())
        }
    }

    mutating func simpleKey() throws(TOMLParseError) -> String {
        switch peek {
        case UInt8(ascii: "\""): return try basicString()
        case UInt8(ascii: "'"): return try literalString()
        default:
            let start = i
            while let b = peek, isBareKeyByte(b) { i += 1 }
            guard i > start else { throw error("expected a key, found \(describe(peek))") }
            return String(decoding: bytes[start..<i], as: UTF8.self)
        }
    }

    func isBareKeyByte(_ b: UInt8) -> Bool {
        (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || (b >= 0x30 && b <= 0x39) || b == 0x5F || b == 0x2D
    }

    // MARK: - Values

    mutating func value() throws(TOMLParseError) -> TOMLValue {
        guard let b = peek else { throw error("expected a value, found the end of the file") }
        switch b {
        case UInt8(ascii: "\""):
            if peek(1) == UInt8(ascii: "\""), peek(2) == UInt8(ascii: "\"") { return .string(try multilineBasic()) }
            return .string(try basicString())
        case UInt8(ascii: "'"):
            if peek(1) == UInt8(ascii: "'"), peek(2) == UInt8(ascii: "'") { return .string(try multilineLiteral()) }
            return .string(try literalString())
        case UInt8(ascii: "["): return .array(try inlineArray())
        case UInt8(ascii: "{"): return .table(try inlineTable())
        case UInt8(ascii: "t"), UInt8(ascii: "f"):
            let word = bareWord()
            switch word {
            case "true": return .bool(true)
            case "false": return .bool(false)
            default: throw error("'\(word)' is not a value (strings need quotes)")
            }
        default: return try numberOrDate()
        }
    }

    /// The run of characters that can make up a number, date, boolean or special float.
    mutating func bareWord() -> String {
        let start = i
        while let b = peek {
            if isBareKeyByte(b) || b == UInt8(ascii: "+") || b == UInt8(ascii: ".") || b == UInt8(ascii: ":") {
                i += 1
            } else if b == 0x20, isDateAt(start), let n = peek(1), n >= 0x30 && n <= 0x39 {
                i += 1  // "1979-05-27 07:32:00": a space may separate date and time
            } else {
                break
            }
        }
        return String(decoding: bytes[start..<i], as: UTF8.self)
    }

    func isDateAt(_ start: Int) -> Bool {
        i - start == 10 && bytes[start + 4] == UInt8(ascii: "-") && bytes[start + 7] == UInt8(ascii: "-")
    }

    mutating func numberOrDate() throws(TOMLParseError) -> TOMLValue {
        let startColumn = i
        let word = bareWord()
        guard !word.isEmpty else { throw error("expected a value, found \(describe(peek))") }
        if let v = Self.integer(word) { return .integer(v) }
        if let d = Self.float(word) { return .float(d) }
        if Self.isDateTime(word) { return .dateTime(word) }
        i = startColumn
        throw error("'\(word)' is not a valid value (strings need quotes)")
    }

    static func digits(_ s: Substring, radix: Int) -> Int64? {
        // Underscores only between digits.
        guard !s.isEmpty, s.first != "_", s.last != "_", !s.contains("__") else { return nil }
        return Int64(s.filter { $0 != "_" }, radix: radix)
    }

    static func integer(_ w: String) -> Int64? {
        if w.hasPrefix("0x") { return digits(w.dropFirst(2), radix: 16) }
        if w.hasPrefix("0o") { return digits(w.dropFirst(2), radix: 8) }
        if w.hasPrefix("0b") { return digits(w.dropFirst(2), radix: 2) }
        var body = Substring(w)
        var negative = false
        if body.first == "+" || body.first == "-" {
            negative = body.first == "-"
            body = body.dropFirst()
        }
        guard body.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == "_") }) else { return nil }
        if body.count > 1 && body.first == "0" { return nil }  // no leading zeros
        guard let magnitude = digits(body, radix: 10) else {
            // -9223372036854775808 does not fit as a positive magnitude.
            return negative && body.filter({ $0 != "_" }) == "9223372036854775808" ? Int64.min : nil
        }
        return negative ? -magnitude : magnitude
    }

    static func float(_ w: String) -> Double? {
        var body = Substring(w)
        var sign = 1.0
        if body.first == "+" || body.first == "-" {
            if body.first == "-" { sign = -1 }
            body = body.dropFirst()
        }
        if body == "inf" { return sign * .infinity }
        if body == "nan" { return .nan }
        // digits [. digits] [e [+-] digits], underscores between digits, no leading zeros.
        let chars = Array(body)
        var k = 0
        func run() -> Bool {
            let start = k
            while k < chars.count, chars[k].isASCII, chars[k].isNumber || chars[k] == "_" { k += 1 }
            let part = chars[start..<k]
            return !part.isEmpty && part.first != "_" && part.last != "_"
                && !String(part).contains("__")
        }
        guard run() else { return nil }
        let intPart = chars[0..<k].filter { $0 != "_" }
        if intPart.count > 1 && intPart.first == "0" { return nil }
        var fractional = false
        if k < chars.count && chars[k] == "." {
            k += 1
            guard run() else { return nil }
            fractional = true
        }
        if k < chars.count && (chars[k] == "e" || chars[k] == "E") {
            k += 1
            if k < chars.count && (chars[k] == "+" || chars[k] == "-") { k += 1 }
            guard run() else { return nil }
            fractional = true
        }
        guard k == chars.count, fractional, let d = Double(String(chars.filter { $0 != "_" })) else { return nil }
        return sign * d
    }

    /// RFC 3339 date-times as TOML allows them (offset, local, date only, time only).
    static func isDateTime(_ w: String) -> Bool {
        let c = Array(w.utf8)
        func digits(_ at: Int, _ n: Int) -> Bool {
            at + n <= c.count && c[at..<at + n].allSatisfy { $0 >= 0x30 && $0 <= 0x39 }
        }
        func time(_ at: Int) -> Int? {  // HH:MM:SS[.frac] -> end
            guard digits(at, 2), at + 2 < c.count, c[at + 2] == 0x3A, digits(at + 3, 2), at + 5 < c.count,
                c[at + 5] == 0x3A, digits(at + 6, 2)
            else { return nil }
            var e = at + 8
            if e < c.count && c[e] == 0x2E {
                e += 1
                let s = e
                while e < c.count && c[e] >= 0x30 && c[e] <= 0x39 { e += 1 }
                if e == s { return nil }
            }
            return e
        }
        if let e = time(0) { return e == c.count }
        guard digits(0, 4), c.count >= 10, c[4] == 0x2D, digits(5, 2), c[7] == 0x2D, digits(8, 2) else {
            return false
        }
        if c.count == 10 { return true }
        guard c[10] == 0x54 || c[10] == 0x74 || c[10] == 0x20, var e = time(11) else { return false }
        if e == c.count { return true }
        if c[e] == 0x5A || c[e] == 0x7A { return e + 1 == c.count }
        guard c[e] == 0x2B || c[e] == 0x2D, digits(e + 1, 2), e + 3 < c.count, c[e + 3] == 0x3A, digits(e + 4, 2)
        else { return false }
        e += 6
        return e == c.count
    }

    mutating func inlineArray() throws(TOMLParseError) -> TOMLArray {
        i += 1
        let array = TOMLArray(ofTables: false)
        while true {
            try skipBlank()
            if peek == UInt8(ascii: "]") {
                i += 1
                return array
            }
            array.items.append(try value())
            try skipBlank()
            switch peek {
            case UInt8(ascii: ","): i += 1
            case UInt8(ascii: "]"):
                i += 1
                return array
            default: throw error("expected ',' or ']' in an array, found \(describe(peek))")
            }
        }
    }

    mutating func inlineTable() throws(TOMLParseError) -> TOMLTable {
        i += 1
        let table = TOMLTable(origin: .inline)
        skipSpaces()
        if peek == UInt8(ascii: "}") {
            i += 1
            return table
        }
        while true {
            skipSpaces()
            try keyValue(into: table, inline: true)
            skipSpaces()
            switch peek {
            case UInt8(ascii: ","): i += 1
            case UInt8(ascii: "}"):
                i += 1
                markInline(table)
                return table
            default:
                throw error(
                    "expected ',' or '}' in an inline table (it must stay on one line), found \(describe(peek))")
            }
        }
    }

    /// Inline tables and the dotted tables inside them are closed to later headers and keys.
    func markInline(_ t: TOMLTable) {
        t.origin = .inline
        for case .table(let sub) in t.entries.values { markInline(sub) }
    }

    // MARK: - Strings

    mutating func checkTextByte(_ b: UInt8) throws(TOMLParseError) {
        if (b < 0x20 && b != 0x09) || b == 0x7F { throw error("control character \(describe(b)) in a string") }
    }

    mutating func basicString() throws(TOMLParseError) -> String {
        i += 1
        var out: [UInt8] = []
        while true {
            guard let b = peek, b != 0x0A else { throw error("unterminated string (a basic string ends on its line)") }
            i += 1
            switch b {
            case UInt8(ascii: "\""): return String(decoding: out, as: UTF8.self)
            case UInt8(ascii: "\\"): try escape(into: &out)
            default:
                try checkTextByte(b)
                out.append(b)
            }
        }
    }

    mutating func escape(into out: inout [UInt8]) throws(TOMLParseError) {
        guard let e = peek else { throw error("unterminated escape") }
        i += 1
        switch e {
        case UInt8(ascii: "b"): out.append(0x08)
        case UInt8(ascii: "t"): out.append(0x09)
        case UInt8(ascii: "n"): out.append(0x0A)
        case UInt8(ascii: "f"): out.append(0x0C)
        case UInt8(ascii: "r"): out.append(0x0D)
        case UInt8(ascii: "\""): out.append(0x22)
        case UInt8(ascii: "\\"): out.append(0x5C)
        case UInt8(ascii: "u"), UInt8(ascii: "U"):
            let n = e == UInt8(ascii: "u") ? 4 : 8
            guard i + n <= bytes.count, let v = UInt32(String(decoding: bytes[i..<i + n], as: UTF8.self), radix: 16),
                let scalar = Unicode.Scalar(v)
            else { throw error("\\\(Character(Unicode.Scalar(e))) needs \(n) hex digits naming a Unicode scalar") }
            i += n
            out.append(contentsOf: Array(String(Character(scalar)).utf8))
        default: throw error("unknown escape \\\(describe(e))")
        }
    }

    mutating func literalString() throws(TOMLParseError) -> String {
        i += 1
        let start = i
        while true {
            guard let b = peek, b != 0x0A else { throw error("unterminated literal string") }
            if b == UInt8(ascii: "'") {
                i += 1
                return String(decoding: bytes[start..<i - 1], as: UTF8.self)
            }
            try checkTextByte(b)
            i += 1
        }
    }

    /// At `b`: whether three `quote`s close a multi-line string here (consumed, with up to two
    /// more quotes, which belong to the string, appended to `out`).
    mutating func closesMultiline(_ b: UInt8, _ quote: UInt8, into out: inout [UInt8]) -> Bool {
        guard b == quote, peek(1) == quote, peek(2) == quote else { return false }
        i += 3
        var extra = 0
        while peek == quote, extra < 2 {
            out.append(quote)
            i += 1
            extra += 1
        }
        return true
    }

    mutating func multilineBasic() throws(TOMLParseError) -> String {
        i += 3
        _ = newline()  // a line break right after the opening quotes is trimmed
        var out: [UInt8] = []
        while true {
            guard let b = peek else { throw error("unterminated multi-line string") }
            if closesMultiline(b, UInt8(ascii: "\""), into: &out) { return String(decoding: out, as: UTF8.self) }
            if newline() {
                out.append(0x0A)
                continue
            }
            i += 1
            if b == UInt8(ascii: "\\") {
                // A line-ending backslash trims the line break and the whitespace after it.
                var k = i
                while k < bytes.count && (bytes[k] == 0x20 || bytes[k] == 0x09) { k += 1 }
                if k < bytes.count
                    && (bytes[k] == 0x0A || (bytes[k] == 0x0D && k + 1 < bytes.count && bytes[k + 1] == 0x0A))
                {
                    i = k
                    while true {
                        skipSpaces()
                        if !newline() { break }
                    }
                    continue
                }
                try escape(into: &out)
                continue
            }
            try checkTextByte(b)
            out.append(b)
        }
    }

    mutating func multilineLiteral() throws(TOMLParseError) -> String {
        i += 3
        _ = newline()
        var out: [UInt8] = []
        while true {
            guard let b = peek else { throw error("unterminated multi-line literal string") }
            if closesMultiline(b, UInt8(ascii: "'"), into: &out) { return String(decoding: out, as: UTF8.self) }
            if newline() {
                out.append(0x0A)
                continue
            }
            try checkTextByte(b)
            out.append(b)
            i += 1
        }
    }
}
