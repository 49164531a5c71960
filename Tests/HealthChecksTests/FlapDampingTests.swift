import Glibc
import Testing

@testable import HealthChecks

@Suite struct FlapDampingTests {
    static let s: Int64 = 1_000_000_000

    @Test func oneFailureIsNeverDamped() {
        var d = FlapDamping(.init())
        d.failed(at: 0)
        #expect(d.penalty == 1000 && !d.suppressed)
        let ok = d.mayRecover(at: 1 * Self.s)
        #expect(ok)
    }

    @Test func repeatedFailuresHoldRecoveryUntilThePenaltyDecays() {
        var d = FlapDamping(.init(halfLifeSeconds: 60))
        d.failed(at: 0)
        d.failed(at: 10 * Self.s)  // 1000 * 2^(-10/60) + 1000 = 1890.9: not yet
        #expect(!d.suppressed)
        d.failed(at: 20 * Self.s)
        #expect(d.suppressed)
        let early = d.mayRecover(at: 30 * Self.s)
        #expect(!early)
        let wait = d.secondsUntilReuse(at: 30 * Self.s)
        #expect(wait > 60 && wait < 200, "\(wait)")
        let before = d.mayRecover(at: (30 + Int64(wait) - 1) * Self.s)
        let after = d.mayRecover(at: (30 + Int64(wait) + 1) * Self.s)
        #expect(!before && after && !d.suppressed)
    }

    @Test func suppressionNeverOutlastsTheMaximum() {
        var d = FlapDamping(.init(halfLifeSeconds: 60, maxSuppressSeconds: 300))
        for i in 0..<50 { d.failed(at: Int64(i) * Self.s) }
        #expect(d.secondsUntilReuse(at: 50 * Self.s) <= 300)
        let ok = d.mayRecover(at: 351 * Self.s)
        #expect(ok)
    }

    @Test func disabledNeverHolds() {
        var d = FlapDamping(.init(enabled: false))
        for i in 0..<5 { d.failed(at: Int64(i) * Self.s) }
        let ok = d.mayRecover(at: 5 * Self.s)
        #expect(ok && d.penalty == 0)
    }

    @Test func decayMath() {
        #expect(abs(exp2(0.5) - 1.414_213_562_373_095) < 1e-12)
        #expect(abs(exp2(10.25) - 1217.748_085_762_8) < 1e-6)
        #expect(abs(log2(3000.0 / 750.0) - 2) < 1e-12)
        #expect(abs(log2(1.5) - 0.584_962_500_721_156) < 1e-12)
    }

    @Test func healthStateHoldsAFlappingCheckDown() {
        let spec = CheckSpec(name: "q", kind: .file(path: "/x", mustExist: true), rise: 1, fall: 1)
        var h = HealthState(specs: [spec])
        let pass = CheckResult(passed: true, detail: "")
        let fail = CheckResult(passed: false, detail: "")
        _ = h.record("q", pass, at: 0)
        #expect(h.healthy)
        _ = h.record("q", fail, at: 1_000)
        _ = h.record("q", pass, at: 2_000)  // first failure: recovers
        #expect(h.healthy)
        _ = h.record("q", fail, at: 3_000)  // the second: still recovers (penalty just under 2000)
        _ = h.record("q", pass, at: 4_000)
        #expect(h.healthy)
        _ = h.record("q", fail, at: 5_000)  // the third: suppressed
        let r = h.record("q", pass, at: 6_000)
        #expect(!h.healthy && !r.healthChanged && h.held == ["q"])
        _ = h.record("q", pass, at: 200 * Self.s)
        #expect(h.healthy && h.held.isEmpty)
    }
}
