import XCTest
import Spiking

/// One TraubMiles neuron in a `Network` under a constant current from a current source,
/// against the model re-derived in Double (`hhStep` in Support.swift). Float and Double
/// trajectories drift apart slowly, so spike times may differ by one step, never more.
final class TraubMilesReferenceTests: XCTestCase {
    static let currents: [Float] = [0, 0.05, 0.1, 0.2, 0.5, 1, 2]
    static let steps = 2000  // 200 ms at 0.1 ms

    private func assertSpikeTrainsAgree(substeps: Int, currents: [Float] = currents,
                                        file: StaticString = #filePath, line: UInt = #line) {
        for current in currents {
            let reference = hhSpikeSteps(current: Double(current), steps: Self.steps, substeps: substeps)
            let simulated = simulatedSpikeSteps(current: current, steps: Self.steps, substeps: substeps)
            // Compare only while the Double model stays finite (forward Euler with few
            // substeps can be unstable); leave a margin of 20 steps before its failure.
            let horizon = reference.firstNonFinite.map { $0 - 20 } ?? Self.steps
            let ref = reference.spikes.filter { $0 < horizon }
            let sim = simulated.spikes.filter { $0 < horizon }
            XCTAssertEqual(sim.count, ref.count,
                           "\(substeps) substeps, I = \(current) nA: \(sim.count) spikes, reference \(ref.count)\nsim \(sim)\nref \(ref)",
                           file: file, line: line)
            for (a, b) in zip(sim, ref) where abs(a - b) > 1 {
                XCTFail("\(substeps) substeps, I = \(current) nA: spike at step \(a), reference \(b)", file: file, line: line)
                break
            }
            if reference.firstNonFinite == nil {
                XCTAssertNil(simulated.failure, "I = \(current): the reference stays finite", file: file, line: line)
            }
        }
    }

    func testTraubMilesSpikeTimesMatchTheDoubleReference() {
        assertSpikeTrainsAgree(substeps: 25)
    }

    func testTraubMilesFiresAtHigherCurrentsAndIsSilentWithoutInput() {
        // Guard against a vacuous comparison: the protocol must exercise both regimes.
        XCTAssertEqual(simulatedSpikeSteps(current: 0, steps: Self.steps).spikes, [])
        XCTAssertGreaterThan(simulatedSpikeSteps(current: 1, steps: Self.steps).spikes.count, 10)
        XCTAssertGreaterThan(hhSpikeSteps(current: 1, steps: Self.steps).spikes.count, 10)
    }

    /// TraubMilesFast takes one Euler step of 0.1 ms, which is unstable at the peak of an
    /// action potential (alpha_m·dt ≈ 3): the spike shape is an artefact, rounding differences
    /// grow without bound, and both the Float simulator and the Double model eventually blow
    /// up. Float and Double therefore agree only below threshold and up to the first spikes:
    /// compare the membrane potential where nothing fires, and the first two spike times.
    func testTraubMilesFastMatchesTheDoubleReferenceBelowThresholdAndForTheFirstSpikes() {
        for current: Float in [0, 0.05] {
            let net = Network(dtMs: dt)
            let p = net.addPopulation(name: "TM", size: 1, model: .traubMiles(.init(substeps: 1)))
            net.addCurrentSource(name: "I", target: p, magnitudes: [current])
            var r = HHState()
            var rng = testRNG()
            for k in 0..<Self.steps {
                net.step(using: &rng)
                hhStep(&r, current: Double(current), substeps: 1)
                let V = net.populations[p].membranePotential[0]
                if abs(Double(V) - r.V) > 1e-3 { XCTFail("I = \(current), step \(k): V \(V), reference \(r.V)"); break }
            }
            XCTAssertNil(net.firstNumericalFailure)
        }
        for current: Float in [0.1, 0.2, 0.5, 1, 2] {
            let ref = hhSpikeSteps(current: Double(current), steps: Self.steps, substeps: 1).spikes
            let sim = simulatedSpikeSteps(current: current, steps: Self.steps, substeps: 1).spikes
            XCTAssertGreaterThanOrEqual(ref.count, 2, "I = \(current)")
            XCTAssertGreaterThanOrEqual(sim.count, 2, "I = \(current)")
            for (a, b) in zip(sim.prefix(2), ref.prefix(2)) {
                XCTAssertLessThanOrEqual(abs(a - b), 1, "I = \(current): spike at step \(a), reference \(b)")
            }
        }
    }

    func testTraubMilesNStepSpikeTimesMatchTheDoubleReferenceWithFiveSubsteps() {
        assertSpikeTrainsAgree(substeps: 5)
    }

    func testTraubMilesStateAfterOneStepMatchesTheDoubleReference() {
        // Tight check of one step from the initial state: every variable to 1e-5 relative.
        for current: Float in [0, 0.5, 2] {
            let net = Network(dtMs: dt)
            let p = net.addPopulation(name: "TM", size: 1, model: .traubMiles(.init()))
            net.addCurrentSource(name: "I", target: p, magnitudes: [current])
            var rng = testRNG()
            net.step(using: &rng)
            let s = net.populations[p].traubMilesState(0)
            var r = HHState()
            hhStep(&r, current: Double(current))
            for (name, a, b) in [("V", s.V, r.V), ("m", s.m, r.m), ("h", s.h, r.h), ("n", s.n, r.n)] {
                XCTAssertEqual(Double(a), b, accuracy: 1e-5 * abs(b), "I = \(current): \(name)")
            }
        }
    }
}
