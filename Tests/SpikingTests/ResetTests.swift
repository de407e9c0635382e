import XCTest
import Randomness
import Spiking

/// `Network.resetState` between images: every model variable, spike time and inSyn back to
/// its initial value, learned weights, inputs and time untouched.
final class ResetTests: XCTestCase {
    /// A miniature of GeNN's MNIST mushroom body with one population of every model:
    /// PN (LIF, TauRefrac 100) → KC (LIF) through FixedNumberPreWithReplacement + ExpCurr,
    /// KC → GGN (GeNN 5 IF) DeltaCurr, GGN → KC ExpCurr, KC → MBON (LIF) symmetric STDP +
    /// ExpCurr, plus a Poisson and a TraubMiles population so their reset is covered too.
    private func build() -> Network {
        let net = Network(dtMs: dt)
        let pn = net.addPopulation(name: "PN", size: 20, model: .lif(LIFParameters(TauRefrac: 100)))
        let kc = net.addPopulation(name: "KC", size: 40, model: .lif(LIFParameters()))
        let ggn = net.addPopulation(name: "GGN", size: 1, model: .integrateAndFire(.genn5(Vthresh: 5)))
        let mbon = net.addPopulation(name: "MBON", size: 3, model: .lif(LIFParameters(initialV: -55)))
        let poisson = net.addPopulation(name: "P", size: 4, model: poissonModel)
        let tm = net.addPopulation(name: "TM", size: 2, model: .traubMiles(.init()))
        var rng = Xoshiro256StarStar(seed: 42)
        let rows = SparseRows.fixedNumberPreWithReplacement(preCount: 20, postCount: 40, numberPerPost: 5, using: &rng)
        net.connect(name: "PN→KC", from: pn, to: kc, connectivity: .sparse(rows), weights: .global(1),
                    postsynaptic: .exponentialCurrent(tauMs: 3))
        net.connect(name: "KC→GGN", from: kc, to: ggn, connectivity: .dense, weights: .global(1), postsynaptic: .deltaCurrent)
        net.connect(name: "GGN→KC", from: ggn, to: kc, connectivity: .dense, weights: .global(-5),
                    postsynaptic: .exponentialCurrent(tauMs: 5))
        net.connect(name: "KC→MBON", from: kc, to: mbon, connectivity: .dense,
                    weights: .individual([Float](repeating: 0.01, count: 120)),
                    rule: .symmetricSTDP(SymmetricSTDPParameters(tauMs: 15, rho: 0.01, eta: 0.001, wMin: 0, wMax: 0.05)),
                    postsynaptic: .exponentialCurrent(tauMs: 3))
        net.connect(name: "P→TM", from: poisson, to: tm, connectivity: .dense, weights: .global(0.5),
                    postsynaptic: .exponentialCurrent(tauMs: 2))
        net.addCurrentSource(name: "PN input", target: pn, magnitudes: (0..<20).map { Float($0 % 5) * 0.1 })
        net.addCurrentSource(name: "MBON teacher", target: mbon, magnitudes: [0, 0, 0])
        net.addCurrentSource(name: "TM drive", target: tm, magnitudes: [0.5, 1.0])
        net.currentSources[1].setOnly(2, to: 5)
        net.populations[poisson].firingProbability = [1, 1, 0.5, 0]
        for p in net.populations { p.isRecording = true }
        return net
    }

    private struct Snapshot: Equatable {
        var V: [[Float]], refrac: [[Float]], traubMiles: [TraubMilesState], spikeTimes: [[Float]], inSyn: [[Float]]
        init(_ net: Network) {
            V = net.populations.map(\.membranePotential)
            refrac = net.populations.map { if case .lif = $0.model { $0.refractoryTimeMs } else { [] } }
            let tm = net.population(named: "TM")!
            traubMiles = (0..<tm.size).map { tm.traubMilesState($0) }
            spikeTimes = net.populations.map(\.lastSpikeTimeMs)
            inSyn = net.synapseGroups.map(\.inSyn)
        }
    }

    func testResetRestoresEveryStateSpikeTimeAndInputButNotWeightsInputsOrTime() {
        let fresh = Snapshot(build())
        let net = build()
        var rng = testRNG()
        net.run(steps: 200, using: &rng)
        let dirty = Snapshot(net)
        XCTAssertNotEqual(dirty.V, fresh.V)
        XCTAssertNotEqual(dirty.spikeTimes, fresh.spikeTimes, "neurons spiked")
        XCTAssertNotEqual(dirty.inSyn, fresh.inSyn)
        XCTAssertNotEqual(dirty.refrac, fresh.refrac, "some LIF neurons are refractory")
        let weights = net.synapseGroups[3].individualWeights!
        XCTAssertNotEqual(weights, [Float](repeating: 0.01, count: 120), "the KC→MBON weights learned")
        let recorded = net.populations.map(\.recordedSteps), counts = net.populations.map(\.spikeCount)
        let magnitudes = net.currentSources.map(\.magnitudes)

        net.resetState()

        XCTAssertEqual(Snapshot(net), fresh, "every state, spike time and inSyn as at construction")
        XCTAssertTrue(net.populations.allSatisfy { $0.spikes.isEmpty }, "no spikes pending from before the reset")
        XCTAssertEqual(net.population(named: "MBON")!.membranePotential, [-55, -55, -55], "LIF initialV")
        XCTAssertEqual(net.synapseGroups[3].individualWeights!, weights, "learned weights untouched")
        XCTAssertEqual(net.stepIndex, 200, "time runs on")
        XCTAssertEqual(net.populations.map(\.recordedSteps), recorded)
        XCTAssertEqual(net.populations.map(\.spikeCount), counts)
        XCTAssertEqual(net.currentSources.map(\.magnitudes), magnitudes)
        XCTAssertEqual(net.population(named: "P")!.firingProbability, [1, 1, 0.5, 0])
    }

    func testAfterAResetTheNetworkRespondsToTheSameInputAsAFreshOne() {
        // Everything but the MBONs is independent of the learned weights, so PN, KC, GGN and TM
        // spikes must repeat exactly. The Poisson neurons are silenced for this phase: their
        // refractory test compares absolute Float times, t − spikeTime > trefract, whose
        // rounding depends on t itself, so they are not invariant under a shift of time.
        let fresh = build(), reused = build()
        var rng = testRNG()
        reused.run(steps: 150, using: &rng)
        for p in reused.populations { p.clearRecording() }
        reused.resetState()
        for net in [fresh, reused] {
            net.population(named: "P")!.firingProbability = [0, 0, 0, 0]
            var r = testRNG(5)
            net.run(steps: 150, using: &r)
        }
        for name in ["PN", "KC", "GGN", "TM"] {
            let a = fresh.population(named: name)!, b = reused.population(named: name)!
            XCTAssertGreaterThan(a.recordedSteps.count, 0, "\(name) must spike for the test to mean anything")
            XCTAssertEqual(b.recordedSteps.map { $0 - 150 }, a.recordedSteps, "\(name): same spike steps")
            XCTAssertEqual(b.recordedIds, a.recordedIds, "\(name): same neurons")
        }
    }

    func testPendingSpikesAreDroppedUnlessKept() {
        // A PN spiking in the last step before the reset: dropped, nothing reaches the probe;
        // kept (as GeNN's example, which does not clear its spike buffers), it is delivered.
        for keep in [false, true] {
            let net = Network(dtMs: dt)
            let pre = net.addPopulation(name: "pre", size: 1, model: poissonModel)
            let probe = net.addPopulation(name: "probe", size: 1, model: integratingProbe)
            let g = net.connect(name: "syn", from: pre, to: probe, connectivity: .dense, weights: .global(1),
                                postsynaptic: .deltaCurrent)
            drive(net, steps: 5, firingAt: [pre: [4]])
            XCTAssertEqual(net.populations[pre].spikes, [0])
            net.resetState(keepingPendingSpikes: keep)
            XCTAssertEqual(net.populations[pre].spikes, keep ? [0] : [])
            XCTAssertEqual(net.populations[pre].lastSpikeTimeMs, [-.greatestFiniteMagnitude], "spike time reset either way")
            drive(net, steps: 1, firingAt: [pre: []])
            XCTAssertEqual(net.populations[probe].membranePotential, [keep ? 1 : 0])
            XCTAssertEqual(net.synapseGroups[g].inSyn[0], 0)
        }
    }

    func testASynapseGroupsInputCanBeResetAlone() {
        let net = build()
        var rng = testRNG()
        net.run(steps: 100, using: &rng)  // the first PN spikes at step 57
        let g = net.synapseGroups[0]
        XCTAssertTrue(g.inSyn.contains { $0 != 0 })
        g.resetInput()
        XCTAssertTrue(g.inSyn.allSatisfy { $0 == 0 })
    }
}
