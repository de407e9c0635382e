import XCTest
import Spiking

/// The three postsynaptic models against their closed forms, probed by an integrate-and-fire
/// target whose V is the running sum of its input current (`V += Isyn`, never firing).
final class PostsynapticModelTests: XCTestCase {
    /// A Poisson source of `preCount` neurons projecting all-to-all onto a one-neuron probe.
    private func probeNetwork(postsynaptic: PostsynapticModel, weight: Float, preCount: Int = 1)
        -> (net: Network, pre: Int, probe: Int, group: Int) {
        let net = Network(dtMs: dt)
        let pre = net.addPopulation(name: "pre", size: preCount, model: poissonModel)
        let probe = net.addPopulation(name: "probe", size: 1, model: integratingProbe)
        let g = net.connect(name: "syn", from: pre, to: probe, connectivity: .dense,
                            weights: .global(weight), postsynaptic: postsynaptic)
        return (net, pre, probe, g)
    }

    func testDeltaCurrentRaisesTheTargetByExactlyTheWeightOneStepAfterTheSpike() {
        let g: Float = 0.75, k = 10
        let (net, pre, probe, group) = probeNetwork(postsynaptic: .deltaCurrent, weight: g)
        net.populations[pre].isRecording = true
        var V: [Float] = [], inSyn: [Float] = []
        drive(net, steps: 20, firingAt: [pre: [k]]) { _ in
            V.append(net.populations[probe].membranePotential[0])
            inSyn.append(net.synapseGroups[group].inSyn[0])
        }
        XCTAssertEqual(spikeSteps(net.populations[pre]), [k], "the source spikes at the chosen step")
        for j in 0...k { XCTAssertEqual(V[j], 0, "step \(j): before delivery") }
        for j in (k + 1)..<20 { XCTAssertEqual(V[j], g, "step \(j): exactly g, once") }
        XCTAssertEqual(inSyn, [Float](repeating: 0, count: 20), "DeltaCurr empties inSyn every step")
    }

    func testDeltaCurrentAddsTheWeightOncePerSpikingSourceNeuron() {
        let g: Float = 0.5
        let (net, pre, probe, _) = probeNetwork(postsynaptic: .deltaCurrent, weight: g, preCount: 3)
        var V: [Float] = []
        drive(net, steps: 12, schedule: [pre: [[5], [5], [9]]]) { _ in V.append(net.populations[probe].membranePotential[0]) }
        XCTAssertEqual(V[5], 0)
        XCTAssertEqual(V[6], 2 * g)
        XCTAssertEqual(V[9], 2 * g)
        XCTAssertEqual(V[10], 3 * g)
    }

    func testExponentialCurrentDeliversTheClosedFormCurrent() {
        let g: Float = 1.3, tau = 5.0, k = 7, steps = 700
        let (net, pre, probe, _) = probeNetwork(postsynaptic: .exponentialCurrent(tauMs: tau), weight: g)
        var V: [Float] = []
        drive(net, steps: steps, firingAt: [pre: [k]]) { _ in V.append(net.populations[probe].membranePotential[0]) }
        let h = Double(dt)
        var expected = 0.0
        for j in 0..<steps {
            if j > k {
                expected += Double(g) * (tau / h) * (1 - exp(-h / tau)) * exp(-Double(j - k - 1) * h / tau)
            }
            if j <= k {
                XCTAssertEqual(V[j], 0, "step \(j)")
            } else {
                XCTAssertEqual(Double(V[j]), expected, accuracy: 1e-5 * expected, "step \(j)")
            }
        }
        // Over 13 time constants the whole charge arrives: Σ current = g·tau/dt.
        XCTAssertEqual(Double(V[steps - 1]), Double(g) * tau / h, accuracy: 1e-3 * Double(g) * tau / h)
    }

    func testExponentialCurrentFactorAndDecayAreTheDoubleExpressionsRoundedOnce() {
        let c = PostsynapticConstants(model: .exponentialCurrent(tauMs: 20), dtMs: 0.1)
        XCTAssertEqual(c.decay, Float(exp(-0.1 / 20.0)))
        XCTAssertEqual(Double(c.currentFactor), 200 * (1 - exp(-0.005)), accuracy: 1e-7)
        XCTAssertFalse(c.isConductance)
        let d = PostsynapticConstants(model: .deltaCurrent, dtMs: 0.1)
        XCTAssertEqual(d.decay, 0); XCTAssertEqual(d.currentFactor, 1)
        let e = PostsynapticConstants(model: .exponentialConductance(tauMs: 10, reversalPotentialMv: -70), dtMs: 0.1)
        XCTAssertEqual(e.decay, Float(exp(-0.01))); XCTAssertEqual(e.reversalPotential, -70); XCTAssertTrue(e.isConductance)
    }

    /// With `V += inSyn·(E − V)` and inSyn = g·dⁿ, the distance to the reversal potential
    /// shrinks by (1 − g·dⁿ) each step: E − V_N = (E − V₀)·Π(1 − g·dⁿ). The conductance must
    /// use V from before the update.
    func testExponentialConductancePullsTheTargetTowardsTheReversalPotential() {
        for (E, V0) in [(0.0, -60.0), (-80.0, -50.0)] {
            let g: Float = 0.05, tau = 2.0, k = 3, steps = 120
            let (net, pre, probe, _) = probeNetwork(postsynaptic: .exponentialConductance(tauMs: tau, reversalPotentialMv: E), weight: g)
            net.populations[probe].membranePotential = [Float(V0)]
            var V: [Float] = []
            drive(net, steps: steps, firingAt: [pre: [k]]) { _ in V.append(net.populations[probe].membranePotential[0]) }
            let d = exp(-Double(dt) / tau)
            var distance = E - V0
            for j in 0..<steps {
                if j > k { distance *= 1 - Double(g) * pow(d, Double(j - k - 1)) }
                let expected = E - distance
                XCTAssertEqual(Double(V[j]), expected, accuracy: 1e-4 * abs(expected), "E = \(E), step \(j)")
            }
            XCTAssertGreaterThan(abs(Double(V[steps - 1]) - V0), 5, "the synapse must have moved V")
        }
    }

    func testCurrentsFromSeveralGroupsAndACurrentSourceAddUp() {
        let net = Network(dtMs: dt)
        let pre = net.addPopulation(name: "pre", size: 1, model: poissonModel)
        let probe = net.addPopulation(name: "probe", size: 2, model: integratingProbe)
        net.connect(name: "delta", from: pre, to: probe, connectivity: .dense, weights: .global(2), postsynaptic: .deltaCurrent)
        net.connect(name: "exp", from: pre, to: probe, connectivity: .dense, weights: .individual([1, 3]),
                    postsynaptic: .exponentialCurrent(tauMs: 1))
        net.addCurrentSource(name: "bias", target: probe, magnitudes: [0.25, -0.5])
        var V: [[Float]] = []
        drive(net, steps: 4, firingAt: [pre: [1]]) { _ in V.append(net.populations[probe].membranePotential) }
        let f = Float(10 * (1 - exp(-0.1)))
        XCTAssertEqual(V[0], [0.25, -0.5])
        XCTAssertEqual(V[1], [0.5, -1.0])
        XCTAssertEqual(V[2][0], 0.75 + 2 + 1 * f, accuracy: 1e-5)
        XCTAssertEqual(V[2][1], -1.5 + 2 + 3 * f, accuracy: 1e-5)
    }

    /// GeNN 5's ExpCurr (`injectCurrent(init·inSyn); inSyn *= expDecay`) with spikes arriving
    /// while earlier ones still decay: the injected current is the sum of one closed-form
    /// kernel per spike, init·g·expDecayⁿ, n steps after its delivery.
    func testExponentialCurrentFromOverlappingSpikesIsTheSumOfTheirKernels() {
        let g: Float = 0.2, tau = 3.0, h = Double(dt)  // the MNIST PN→KC synapse
        let (net, pre, probe, _) = probeNetwork(postsynaptic: .exponentialCurrent(tauMs: tau), weight: g)
        let spikes = [4, 9, 16, 30]  // 9 and 16 overlap within tau
        var V: [Float] = []
        drive(net, steps: 80, firingAt: [pre: Set(spikes)]) { _ in V.append(net.populations[probe].membranePotential[0]) }
        let initFactor = tau * (1 - exp(-h / tau)) / h
        var expectedV = 0.0
        for j in 0..<80 {
            let current = spikes.filter { j > $0 }.reduce(0.0) { sum, k in
                sum + initFactor * Double(g) * exp(-Double(j - k - 1) * h / tau)
            }
            expectedV += current
            XCTAssertEqual(Double(V[j]), expectedV, accuracy: 1e-5 * max(1, expectedV), "step \(j)")
        }
    }

    /// DeltaCurr (`injectCurrent(inSyn); inSyn = 0`): spikes in consecutive steps each inject
    /// g once, in the step after their own.
    func testDeltaCurrentFromConsecutiveSpikesInjectsEachOnceInTheFollowingStep() {
        let (net, pre, probe, _) = probeNetwork(postsynaptic: .deltaCurrent, weight: 1, preCount: 2)
        var V: [Float] = []
        drive(net, steps: 12, schedule: [pre: [[3, 7], [4, 8]]]) { _ in V.append(net.populations[probe].membranePotential[0]) }
        XCTAssertEqual(V, [0, 0, 0, 0, 1, 2, 2, 2, 3, 4, 4, 4])
    }
}
