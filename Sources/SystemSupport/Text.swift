// Small text helpers the daemon needs, in the standard library only.

extension StringProtocol {
    /// Without leading and trailing spaces, tabs, carriage returns and line feeds.
    public var trimmed: String { trimming(" \t\r\n") }

    /// Without leading and trailing characters from `set`.
    public func trimming(_ set: String) -> String {
        // By scalar: "\r\n" is one Character, so a set written "\r\n" must still match a lone "\n".
        func inSet(_ c: Character) -> Bool { c.unicodeScalars.allSatisfy { set.unicodeScalars.contains($0) } }
        var s = Substring(self)
        while let f = s.first, inSet(f) { s = s.dropFirst() }
        while let l = s.last, inSet(l) { s = s.dropLast() }
        return String(s)
    }

    /// Every `target` character replaced by `replacement`.
    public func replacingCharacter(_ target: Character, with replacement: String) -> String {
        var out = ""
        for c in self {
            if c == target { out += replacement } else { out.append(c) }
        }
        return out
    }
}

/// `value` in upper-case hexadecimal, at least `width` digits (`hex(0x0A, width: 2)` is `0A`).
public func hex(_ value: some BinaryInteger, width: Int = 2) -> String {
    let digits = String(value, radix: 16, uppercase: true)
    return String(repeating: "0", count: max(0, width - digits.count)) + digits
}

/// Seconds with six decimals from microseconds (`fixedSeconds(1_500_000)` is `1.500000`).
public func fixedSeconds(microseconds us: Int64) -> String {
    let sign = us < 0 ? "-" : ""
    let m = us.magnitude
    let fraction = String(m % 1_000_000)
    return "\(sign)\(m / 1_000_000).\(String(repeating: "0", count: 6 - fraction.count))\(fraction)"
}

/// A log value as logfmt writes it: bare when it has no space, quote, backslash, `=` or control
/// character; otherwise in double quotes with `\` and `"` escaped and line breaks as `\n`.
public func logfmtValue(_ value: String) -> String {
    let plain =
        !value.isEmpty
        && !value.unicodeScalars.contains {
            $0 == " " || $0 == "\"" || $0 == "\\" || $0 == "=" || $0.value < 0x20 || $0.value == 0x7F
        }
    if plain { return value }
    var out = "\""
    for s in value.unicodeScalars {
        switch s {
        case "\"": out += "\\\""
        case "\\": out += "\\\\"
        case "\n": out += "\\n"
        case "\r": out += "\\r"
        case "\t": out += "\\t"
        default:
            if s.value < 0x20 || s.value == 0x7F {
                out += "\\x" + hex(UInt8(s.value))
            } else {
                out.unicodeScalars.append(s)
            }
        }
    }
    return out + "\""
}
