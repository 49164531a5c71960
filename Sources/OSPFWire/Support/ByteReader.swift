/// A bounds-checked big-endian reader over a byte buffer. It never traps:
/// every read past `end` throws ``WireError/Code/truncated`` naming the field.
public struct ByteReader: Sendable {
    /// The whole buffer.
    public let bytes: [UInt8]
    /// The next byte to read.
    public private(set) var position: Int
    /// One past the last readable byte.
    public let end: Int

    /// A reader over `bytes[start..<end]`.
    public init(_ bytes: [UInt8], start: Int = 0, end: Int? = nil) {
        self.bytes = bytes
        self.position = max(0, min(start, bytes.count))
        self.end = max(self.position, min(end ?? bytes.count, bytes.count))
    }

    /// Bytes left to read.
    public var remaining: Int { end - position }

    /// Whether all bytes were read.
    public var isAtEnd: Bool { position >= end }

    @inline(__always)
    private func need(_ count: Int, _ field: String) throws(WireError) {
        guard count <= end - position else {
            throw WireError(
                .truncated, field: field, offset: position,
                detail: "needs \(count) byte(s), \(end - position) left")
        }
    }

    /// Reads one byte.
    public mutating func u8(_ field: String) throws(WireError) -> UInt8 {
        try need(1, field)
        defer { position += 1 }
        return bytes[position]
    }

    /// Reads a big-endian 16-bit integer.
    public mutating func u16(_ field: String) throws(WireError) -> UInt16 {
        try need(2, field)
        defer { position += 2 }
        return UInt16(bytes[position]) << 8 | UInt16(bytes[position + 1])
    }

    /// Reads a big-endian 24-bit integer.
    public mutating func u24(_ field: String) throws(WireError) -> UInt32 {
        try need(3, field)
        defer { position += 3 }
        return UInt32(bytes[position]) << 16 | UInt32(bytes[position + 1]) << 8 | UInt32(bytes[position + 2])
    }

    /// Reads a big-endian 32-bit integer.
    public mutating func u32(_ field: String) throws(WireError) -> UInt32 {
        try need(4, field)
        defer { position += 4 }
        return UInt32(bytes[position]) << 24 | UInt32(bytes[position + 1]) << 16
            | UInt32(bytes[position + 2]) << 8 | UInt32(bytes[position + 3])
    }

    /// Reads an IPv4 address (router ID, area ID, mask...).
    public mutating func address(_ field: String) throws(WireError) -> IPv4Address {
        IPv4Address(try u32(field))
    }

    /// Whether `count` more bytes can be read.
    @inline(__always)
    public func has(_ count: Int) -> Bool { count <= end - position }

    /// Reads a fixed-size structure of `count` bytes in one pass: one bounds check, then `body`
    /// reads the bytes directly. Callers check ``has(_:)`` first when a short read must name
    /// the exact field it stopped at.
    @inline(__always)
    public mutating func read<R>(_ count: Int, _ field: String, _ body: (UnsafeBufferPointer<UInt8>) -> R)
        throws(WireError) -> R
    {
        try need(count, field)
        defer { position += count }
        let start = position
        return bytes.withUnsafeBufferPointer { body(UnsafeBufferPointer(rebasing: $0[start..<start + count])) }
    }

    /// Reads `count` raw bytes.
    public mutating func take(_ count: Int, _ field: String) throws(WireError) -> [UInt8] {
        guard count >= 0 else {
            throw WireError(.badLength, field: field, offset: position, detail: "negative length \(count)")
        }
        try need(count, field)
        defer { position += count }
        return Array(bytes[position..<position + count])
    }

    /// Skips `count` bytes.
    public mutating func skip(_ count: Int, _ field: String) throws(WireError) {
        try need(count, field)
        position += count
    }
}
