import CSpeakerShims
import Testing

/// The resident-set trim (`ospf_trim_executable_text`) drops only pages that come back unchanged
/// from the file: everything the process computed or relocated, and its constants, read the same
/// afterwards.
@Suite struct ResidentTrimTests {
    static let constant = "a constant the trim must not change: 0123456789"

    @Test func theProcessReadsTheSameDataAfterATrim() {
        var computed: [Int] = (0..<10_000).map { $0 &* 2_654_435_761 }
        let before = (Self.constant, computed.reduce(0, &+), String(describing: [1, 2, 3]))
        let trimmed = ospf_trim_executable_text()
        #expect(trimmed > 0)  // at least the executable's code
        computed.append(1)
        let after = (Self.constant, computed.dropLast().reduce(0, &+), String(describing: [1, 2, 3]))
        #expect(before == after)
        // A second trim is as harmless as the first.
        #expect(ospf_trim_executable_text() > 0)
        #expect(Self.constant.count == 47)
    }
}
