import SystemSupport

/// Finds where keys appear in a TOML text, so errors can name the line.
/// Understands `[table]`, `[[array.of.tables]]` headers and `key = value` lines,
/// which is all the speaker's configuration uses.
struct SourceLines {
    /// (table path, index of the array-of-tables element or 0, key) → line.
    private var lines: [String: Int] = [:]
    /// (table path, index) → line of the header.
    private var headers: [String: Int] = [:]

    init(_ text: String) {
        var table = ""
        var counts: [String: Int] = [:]
        var index = 0
        for (n, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.drop { $0 == " " || $0 == "\t" }
            if line.hasPrefix("[[") {
                let name = String(line.dropFirst(2).prefix { $0 != "]" }).trimming(" \t")
                index = counts[name, default: 0]
                counts[name] = index + 1
                table = name
                headers["\(name)#\(index)"] = n + 1
            } else if line.hasPrefix("[") {
                table = String(line.dropFirst().prefix { $0 != "]" }).trimming(" \t")
                index = 0
                headers["\(table)#0"] = n + 1
            } else if let eq = line.firstIndex(of: "="), !line.hasPrefix("#") {
                let key = String(line[..<eq]).trimming(" \t").trimming("\"")
                lines["\(table)#\(index)#\(key)"] = n + 1
            }
        }
    }

    /// The line of `key` in the `index`th `table` (root table: ""), else the table header's line, else 0.
    func line(table: String, index: Int = 0, key: String?) -> Int {
        if let key, let l = lines["\(table)#\(index)#\(key)"] { return l }
        return headers["\(table)#\(index)"] ?? 0
    }
}
