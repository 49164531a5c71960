/// One configuration problem, located by file, line and key.
public struct ConfigError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The file the configuration came from.
    public var file: String
    /// 1-based line number (0 when the key is absent from the file).
    public var line: Int
    /// The key, dotted with the table and its index, e.g. `interface[0].auth_key`.
    public var key: String
    /// What is wrong.
    public var message: String

    /// Creates an error.
    public init(file: String, line: Int, key: String, message: String) {
        self.file = file
        self.line = line
        self.key = key
        self.message = message
    }

    /// `FILE:LINE: KEY: message`.
    public var description: String { "\(file):\(line): \(key): \(message)" }
}

/// Every problem found in a configuration file.
public struct ConfigErrors: Error, Sendable, CustomStringConvertible {
    /// The problems, in file order.
    public var errors: [ConfigError]
    /// One line per problem.
    public var description: String { errors.map(\.description).joined(separator: "\n") }
}
