import XCTest
import Spiking

/// The SIMD16 kernel `TraubMiles.step` (fast exponential, shared exponentials, one reciprocal)
/// against the plain `TraubMiles.referenceStep` (glibc expf, one neuron, GeNN's code as written).
final class TraubMilesKernelTests: XCTestCase {
    let params = TraubMilesParameters()

    private struct Lanes {
        var V = SIMD16<Float>(), m = SIMD16<Float>(), h = SIMD16<Float>(), n = SIMD16<Float>()
        init(_ states: [TraubMilesState]) {
            for (i, s) in states.enumerated() { V[i] = s.V; m[i] = s.m; h[i] = s.h; n[i] = s.n }
        }
        func state(_ i: Int) -> TraubMilesState { TraubMilesState(V: V[i], m: m[i], h: h[i], n: n[i]) }
    }

    private func kernelStep(_ l: inout Lanes, isyn: SIMD16<Float>, dtMs: Float = dt, parameters: TraubMilesParameters? = nil) {
        TraubMiles.step(V: &l.V, m: &l.m, h: &l.h, n: &l.n, isyn: isyn, dtMs: dtMs, parameters: parameters ?? params)
    }

    func testKernelSpikesOnTheSameStepsAsTheReferenceAndTracksItsVoltage() {
        var currents = SIMD16<Float>()
        for i in 0..<16 { currents[i] = 2 * Float(i) / 15 }
        var lanes = Lanes([TraubMilesState](repeating: .initial, count: 16))
        var refs = [TraubMilesState](repeating: .initial, count: 16)
        let steps = 2000
        var kernelV = [[Float]](repeating: [], count: 16), refV = kernelV
        var kernelSpikes = [[Int]](repeating: [], count: 16), refSpikes = kernelSpikes
        for k in 0..<steps {
            let oldK = lanes.V .>= 0
            kernelStep(&lanes, isyn: currents)
            for i in 0..<16 {
                let old = refs[i].V >= 0
                TraubMiles.referenceStep(&refs[i], isyn: currents[i], dtMs: dt, parameters: params)
                if refs[i].V >= 0 && !old { refSpikes[i].append(k) }
                if lanes.V[i] >= 0 && !oldK[i] { kernelSpikes[i].append(k) }
                kernelV[i].append(lanes.V[i]); refV[i].append(refs[i].V)
            }
        }
        XCTAssertGreaterThan(refSpikes[15].count, 10, "the top lane must fire for the test to mean anything")
        for i in 0..<16 {
            XCTAssertEqual(kernelSpikes[i], refSpikes[i], "lane \(i), I = \(currents[i]) nA")
            let nearSpike = Set((refSpikes[i] + kernelSpikes[i]).flatMap { ($0 - 2)...($0 + 2) })
            var worst: Float = 0, worstStep = -1
            for k in 0..<steps where !nearSpike.contains(k) {
                let d = abs(kernelV[i][k] - refV[i][k])
                if !(d <= worst) { worst = d; worstStep = k }
            }
            XCTAssertLessThanOrEqual(worst, 0.05, "lane \(i), I = \(currents[i]) nA: |ΔV| = \(worst) mV at step \(worstStep)")
        }
    }

    /// At V = −52, −25 and −50 mV a rate's numerator and denominator are both zero; GeNN uses
    /// the limits. Lanes sitting exactly there must give the reference's values.
    func testLanesExactlyAtTheRemovableSingularitiesMatchTheReference() {
        var states = [TraubMilesState](repeating: .initial, count: 16)
        let singular: [Float] = [-52, -25, -50]
        for (i, v) in singular.enumerated() { states[i].V = v }
        for i in 3..<16 { states[i].V = -70 + 4 * Float(i) }  // ordinary lanes alongside
        var lanes = Lanes(states)
        let isyn = SIMD16<Float>(repeating: 0.3)
        kernelStep(&lanes, isyn: isyn)
        for i in 0..<16 {
            var r = states[i]
            TraubMiles.referenceStep(&r, isyn: 0.3, dtMs: dt, parameters: params)
            let k = lanes.state(i)
            XCTAssertTrue(k.V.isFinite && k.m.isFinite && k.h.isFinite && k.n.isFinite, "lane \(i) at V0 = \(states[i].V)")
            for (name, a, b) in [("V", k.V, r.V), ("m", k.m, r.m), ("h", k.h, r.h), ("n", k.n, r.n)] {
                XCTAssertEqual(a, b, accuracy: 1e-4 * abs(b), "lane \(i) at V0 = \(states[i].V): \(name)")
            }
        }
        // The limits themselves, against the Double re-derivation (which uses them by
        // definition): one step from each singular point.
        for v in singular {
            var s = TraubMilesState.initial; s.V = v
            var d = HHState(); d.V = Double(v)
            TraubMiles.referenceStep(&s, isyn: 0.3, dtMs: dt, parameters: params)
            hhStep(&d, current: Double(Float(0.3)))
            XCTAssertEqual(Double(s.m), d.m, accuracy: 1e-5, "m from V0 = \(v)")
            XCTAssertEqual(Double(s.n), d.n, accuracy: 1e-5, "n from V0 = \(v)")
            XCTAssertEqual(Double(s.V), d.V, accuracy: 1e-4, "V from V0 = \(v)")
        }
    }

    /// One ulp away from a singular point the rates are quotients of tiny numbers; the
    /// reference keeps them accurate because −52 − V, V + 25 and −50 − V are exact there and
    /// expf of a tiny argument is correctly rounded. The kernel must do as well.
    func testLanesOneUlpFromTheSingularitiesStayCloseToTheReference() {
        var states = [TraubMilesState](repeating: .initial, count: 16)
        let points: [Float] = [-52, -25, -50]
        var i = 0
        for v in points { for x in [v.nextDown, v.nextUp] { states[i].V = x; i += 1 } }
        var lanes = Lanes(states)
        kernelStep(&lanes, isyn: SIMD16<Float>(repeating: 0))
        for i in 0..<6 {
            var r = states[i]
            TraubMiles.referenceStep(&r, isyn: 0, dtMs: dt, parameters: params)
            let k = lanes.state(i)
            for (name, a, b) in [("V", k.V, r.V), ("m", k.m, r.m), ("h", k.h, r.h), ("n", k.n, r.n)] {
                XCTAssertEqual(a, b, accuracy: 1e-4 * abs(b), "lane \(i) at V0 = \(states[i].V): \(name)")
            }
        }
    }

    /// Far from rest the kernel leaves its fast path (the product of its denominators would
    /// overflow); the rates there must still be the reference's. One Euler substep of 4 µs
    /// (one TraubMiles substep) evaluates each rate once, so the change of each gate over it
    /// measures its rate, with no question of stability.
    func testRatesFarFromRestMatchTheReference() {
        let voltages: [Float] = [-400, -350, -301, -299, -250, -200, -150, -100, 0, 50, 100, 119, 121, 150, 200, 300]
        let states = voltages.map { TraubMilesState(V: $0, m: 0.3, h: 0.4, n: 0.5) }
        let oneSubstep = TraubMilesParameters(substeps: 1)
        let h: Float = 0.004
        var lanes = Lanes(states)
        kernelStep(&lanes, isyn: SIMD16<Float>(repeating: 0), dtMs: h, parameters: oneSubstep)
        for i in 0..<16 {
            var r = states[i]
            TraubMiles.referenceStep(&r, isyn: 0, dtMs: h, parameters: oneSubstep)
            let k = lanes.state(i), s = states[i]
            for (name, a, b, a0) in [("V", k.V, r.V, s.V), ("m", k.m, r.m, s.m), ("h", k.h, r.h, s.h), ("n", k.n, r.n, s.n)] {
                XCTAssertTrue(b.isFinite, "V0 = \(s.V): reference \(name) must be finite for the comparison to mean anything")
                let dk = a - a0, dr = b - a0
                XCTAssertEqual(dk, dr, accuracy: 1e-4 * abs(dr) + 2 * max(abs(a), abs(b)).ulp, "V0 = \(s.V): change of \(name)")
            }
        }
    }

    /// Far below rest the h gate is stiff (alpha_h·dt/25 ≈ 37 at −250 mV), and GeNN's
    /// 25-substep Euler is unstable there (docs/model.md, quirk 6): from −250 mV the
    /// reference itself is non-finite after one step, and the kernel must be too (it may neither
    /// hide nor invent a failure). At −200 mV h oscillates with growing amplitude but stays
    /// finite for a few steps; at −180 mV the step is stable. There the kernel follows the reference.
    func testLanesFarBelowRestFollowTheReferenceIntoAndOutOfInstability() {
        let voltages: [Float] = [-250, -220, -200, -180]
        var states = [TraubMilesState](repeating: .initial, count: 16)
        for (i, v) in voltages.enumerated() { states[i].V = v }
        var lanes = Lanes(states)
        var refs = states
        func finite(_ s: TraubMilesState) -> Bool { s.V.isFinite && s.m.isFinite && s.h.isFinite && s.n.isFinite }
        for step in 0..<4 {
            kernelStep(&lanes, isyn: SIMD16<Float>(repeating: -3))
            for i in voltages.indices {
                TraubMiles.referenceStep(&refs[i], isyn: -3, dtMs: dt, parameters: params)
                let k = lanes.state(i), r = refs[i]
                XCTAssertEqual(finite(k), finite(r), "V0 = \(voltages[i]), step \(step): kernel \(k), reference \(r)")
                if finite(r) {
                    XCTAssertEqual(k.V, r.V, accuracy: 1e-4 * abs(r.V), "V0 = \(voltages[i]), step \(step)")
                    XCTAssertEqual(k.h, r.h, accuracy: 1e-3 * abs(r.h) + 1e-6, "V0 = \(voltages[i]), step \(step)")
                    XCTAssertEqual(k.n, r.n, accuracy: 1e-4 * abs(r.n) + 1e-7, "V0 = \(voltages[i]), step \(step)")
                }
            }
        }
        XCTAssertFalse(finite(refs[0]), "−250 mV is beyond the stable range of the reference")
        XCTAssertTrue(finite(refs[2]) && finite(refs[3]), "−200 and −180 mV stay finite over four steps")
    }

    /// A neuron held near −180 mV by a steady inhibitory current (where the GGN drives KCs):
    /// the stiff h gate must not separate kernel from reference.
    func testAHyperpolarisedNeuronTracksTheReference() {
        var lanes = Lanes([TraubMilesState](repeating: .initial, count: 16))
        var r = TraubMilesState.initial
        var isyn = SIMD16<Float>()
        for i in 0..<16 { isyn[i] = -3.1 }
        for step in 0..<2000 {
            kernelStep(&lanes, isyn: isyn)
            TraubMiles.referenceStep(&r, isyn: -3.1, dtMs: dt, parameters: params)
            if abs(lanes.V[0] - r.V) > 0.05 { XCTFail("step \(step): kernel \(lanes.V[0]), reference \(r.V)"); break }
        }
        XCTAssertLessThan(r.V, -170, "the current must hold the neuron near −180 mV")
    }
}
