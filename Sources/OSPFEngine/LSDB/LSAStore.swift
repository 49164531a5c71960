import OSPFWire

/// Append-only storage for LSAs in their wire form: fixed-size chunks of bytes, so a database of
/// 200,000 LSAs is a few dozen allocations instead of one or more per LSA, and growing it never
/// copies what is stored. Space of replaced and removed LSAs is counted and reclaimed by
/// ``compacted(keeping:)`` once it outweighs the live bytes.
struct LSAStore: Sendable {
    /// Where an LSA's bytes are.
    struct Location: Sendable, Equatable {
        var chunk: UInt32
        var offset: UInt32
        var length: UInt16
    }

    static let chunkSize = 256 * 1024
    private var chunks: [[UInt8]] = []
    /// Bytes of LSAs no longer referenced.
    private(set) var garbage = 0
    /// Bytes in use (live and garbage).
    private(set) var used = 0

    init() {}

    /// Stores bytes (at most 65,535 of them) and says where.
    mutating func append(_ bytes: some Collection<UInt8>) -> Location {
        if chunks.isEmpty || chunks[chunks.count - 1].count + bytes.count > max(Self.chunkSize, bytes.count) {
            var fresh: [UInt8] = []
            fresh.reserveCapacity(max(Self.chunkSize, bytes.count))
            chunks.append(fresh)
        }
        let c = chunks.count - 1
        let offset = chunks[c].count
        chunks[c].append(contentsOf: bytes)
        used += bytes.count
        return Location(chunk: UInt32(c), offset: UInt32(offset), length: UInt16(bytes.count))
    }

    /// The bytes at a location.
    func bytes(_ l: Location) -> ArraySlice<UInt8> {
        chunks[Int(l.chunk)][Int(l.offset)..<Int(l.offset) + Int(l.length)]
    }

    /// The 20-byte header of a stored LSA, read in one pass.
    func header(_ l: LSAStore.Location) -> LSAHeader {
        chunks[Int(l.chunk)].withUnsafeBufferPointer { LSAHeader(unchecked: $0, at: Int(l.offset)) }
    }

    /// Marks an LSA's bytes as no longer referenced.
    mutating func release(_ l: Location) { garbage += Int(l.length) }

    /// Whether reclaiming space is worth a copy of the live bytes.
    var wantsCompaction: Bool { garbage > 1 << 20 && garbage > used / 2 }

    /// A new store holding only the given locations, and their new places (in the same order).
    func compacted(keeping locations: [Location]) -> (LSAStore, [Location]) {
        var fresh = LSAStore()
        var moved: [Location] = []
        moved.reserveCapacity(locations.count)
        for l in locations { moved.append(fresh.append(bytes(l))) }
        return (fresh, moved)
    }
}
