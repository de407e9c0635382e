import XCTest
import Spiking

/// GeNN 5's `LIF` in the network against its closed form (in Double): below threshold V relaxes
/// exponentially to Vrest + (I + Ioffset)·R with time constant TauM; after a spike the neuron is
/// held at Vreset for the refractory steps; there is no auto-refractory rule.
final class LIFTests: XCTestCase {
    /// One LIF neuron driven by a constant current source of `current` nA.
    private func lifNetwork(_ p: LIFParameters, current: Float, size: Int = 1) -> (Network, Int) {
        let net = Network(dtMs: dt)
        let pop = net.addPopulation(name: "LIF", size: size, model: .lif(p))
        net.populations[pop].isRecording = true
        net.addCurrentSource(name: "I", target: pop, magnitudes: [Float](repeating: current, count: size))
        return (net, pop)
    }

    /// Number of `RefracTime -= dt` steps (in Float, as GeNN does) until RefracTime ≤ 0.
    private func refractorySteps(_ tauRefrac: Float) -> Int {
        var r = tauRefrac, n = 0
        while r > 0 { r -= dt; n += 1 }
        return n
    }

    func testBelowThresholdTheMembraneFollowsTheClosedFormExponential() {
        // R = TauM / C = 100 MΩ; (I + Ioffset)·R = 6 mV; V∞ = −54 mV; V0 = −70 mV.
        let p = LIFParameters(C: 0.2, TauM: 20, Vrest: -60, Vreset: -60, Vthresh: 1e9, Ioffset: 0.01,
                              TauRefrac: 2, initialV: -70)
        let (net, pop) = lifNetwork(p, current: 0.05)
        XCTAssertEqual(net.populations[pop].membranePotential, [-70], "initial V is the parameter")
        let vInf = -60.0 + (0.05 + 0.01) * (20.0 / 0.2), v0 = -70.0
        var rng = testRNG()
        var worst = 0.0
        for k in 0..<2000 {
            net.step(using: &rng)
            let t = Double(k + 1) * Double(dt)  // k + 1 updates so far
            let expected = vInf + (v0 - vInf) * exp(-t / 20)
            worst = max(worst, abs(Double(net.populations[pop].membranePotential[0]) - expected))
        }
        XCTAssertLessThan(worst, 1e-3, "|V − closed form| ≤ 1 µV over 2000 steps (10 time constants)")
        XCTAssertEqual(Double(net.populations[pop].membranePotential[0]), vInf, accuracy: 1e-3)
        XCTAssertEqual(net.populations[pop].recordedSteps, [])
    }

    func testTheRefractoryTimerRunsDownInFloatStepsOfDt() {
        XCTAssertEqual(refractorySteps(2), 20, "2 ms at dt 0.1 ms: 20 steps (2 − 20·0.1f ends at −3e−7)")
        XCTAssertEqual(refractorySteps(0.5), 6, "0.5 ms: the Float subtraction leaves 2e−8 after 5 steps, so 6")
        XCTAssertEqual(refractorySteps(100), 1001, "the PNs' 100 ms: 1001 steps")
    }

    func testAfterASpikeTheNeuronIsHeldAtVresetForTheRefractorySteps() {
        // A current so strong that one integrating step from Vreset crosses threshold: the
        // interval between spikes is the refractory steps plus that one step.
        for tauRefrac: Float in [2, 0.5, 1] {
            let p = LIFParameters(Vreset: -65, TauRefrac: tauRefrac)
            let (net, pop) = lifNetwork(p, current: 100)
            var V: [Float] = [], R: [Float] = []
            var rng = testRNG()
            for _ in 0..<200 {
                net.step(using: &rng)
                V.append(net.populations[pop].membranePotential[0])
                R.append(net.populations[pop].refractoryTimeMs[0])
            }
            let n = refractorySteps(tauRefrac)
            let spikes = spikeSteps(net.populations[pop])
            XCTAssertEqual(spikes.first, 0, "TauRefrac \(tauRefrac): the first update crosses threshold")
            XCTAssertEqual(zip(spikes.dropFirst(), spikes).map { $0 - $1 }, [Int](repeating: n + 1, count: spikes.count - 1),
                           "TauRefrac \(tauRefrac): interval = \(n) refractory steps + 1 integrating step")
            XCTAssertEqual(R[0], tauRefrac, "the reset sets RefracTime = TauRefrac")
            for k in 1...n {
                XCTAssertEqual(V[k], -65, "TauRefrac \(tauRefrac), step \(k): V held at Vreset")
            }
            XCTAssertLessThanOrEqual(R[n], 0, "the timer has run out after \(n) steps")
            XCTAssertGreaterThan(R[n - 1], 0)
        }
    }

    func testSpikeTimesUnderAConstantCurrentMatchTheAnalyticInterval() {
        // Defaults (GeNN's MNIST LIF): C 0.2 nF, TauM 20 ms, Vrest = Vreset = −60, Vthresh −50 mV,
        // TauRefrac 2 ms. From Vreset, m integrating steps give V = V∞ + (Vreset − V∞)·e^(−m·dt/TauM);
        // the first m with V ≥ Vthresh is ⌈TauM/dt · ln((Vreset − V∞)/(Vthresh − V∞))⌉.
        let p = LIFParameters()
        for current in [0.15, 0.11, 0.3] {
            let (net, pop) = lifNetwork(p, current: Float(current))
            let vInf = -60.0 + current * 100
            let exact = 20.0 / Double(dt) * log((-60 - vInf) / (-50 - vInf))
            let m = Int(exact.rounded(.up))
            XCTAssertGreaterThan(Double(m) - exact, 0.01, "I = \(current): not a borderline case")
            let n = refractorySteps(p.TauRefrac)
            let steps = 6000
            let expected = Array(stride(from: m - 1, to: steps, by: m + n))
            var rng = testRNG()
            net.run(steps: steps, using: &rng)
            XCTAssertEqual(spikeSteps(net.populations[pop]), expected,
                           "I = \(current) nA: first spike after \(m) updates, then every \(m + n) steps")
            XCTAssertGreaterThan(expected.count, 10)
        }
    }

    func testBelowRheobaseTheNeuronNeverSpikes() {
        // (I·R) = 9.9 mV < Vthresh − Vrest = 10 mV.
        let (net, pop) = lifNetwork(LIFParameters(), current: 0.099)
        var rng = testRNG()
        net.run(steps: 20_000, using: &rng)
        XCTAssertEqual(net.populations[pop].spikeCount, 0)
    }

    func testANeuronAlreadyAboveThresholdSpikesAtOnceBecauseLIFHasNoAutoRefractoryRule() {
        // GeNN's LIF sets SET_NEEDS_AUTO_REFRACTORY(false): the spike condition is not compared
        // with the state before the update.
        let (net, pop) = lifNetwork(LIFParameters(), current: 0)
        net.populations[pop].membranePotential = [-40]
        var rng = testRNG()
        net.step(using: &rng)
        XCTAssertEqual(spikeSteps(net.populations[pop]), [0], "V = −40.1 mV ≥ −50 after the update: spike")
        XCTAssertEqual(net.populations[pop].membranePotential, [-60], "and reset")
        XCTAssertEqual(net.populations[pop].lastSpikeTimeMs, [0])
    }

    func testOnlyRealNeuronsOfAPaddedPopulationSpike() {
        // 5 neurons in one SIMD16 chunk; Ioffset drives every lane, padding included.
        let (net, pop) = lifNetwork(LIFParameters(Ioffset: 100), current: 0, size: 5)
        var rng = testRNG()
        net.run(steps: 3, using: &rng)
        XCTAssertEqual(net.populations[pop].recordedIds, [0, 1, 2, 3, 4])
        XCTAssertEqual(net.populations[pop].recordedSteps, [0, 0, 0, 0, 0])
    }

    func testDerivedConstantsAreTheDoubleExpressionsRoundedOnce() {
        let c = LIFConstants(parameters: LIFParameters(C: 0.3, TauM: 7), dtMs: 0.1)
        XCTAssertEqual(c.expTC, Float(exp(-0.1 / 7.0)))
        XCTAssertEqual(c.rMembrane, Float(Double(Float(7)) / Double(Float(0.3))))
    }

    func testALIFNeuronReportsANonFiniteMembrane() {
        let (net, pop) = lifNetwork(LIFParameters(Vthresh: .infinity), current: .infinity, size: 3)
        var rng = testRNG()
        net.step(using: &rng)
        XCTAssertEqual(net.firstNumericalFailure, NumericalFailure(population: "LIF", step: 0, neuron: 0, variable: "V"))
        _ = pop
    }
}
