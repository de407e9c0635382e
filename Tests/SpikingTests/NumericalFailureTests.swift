import XCTest
import Spiking

/// A state that becomes NaN or infinite is a numerical failure to report, not a crash: the
/// network records the first one and carries on, as GeNN does.
final class NumericalFailureTests: XCTestCase {
    func testAHugeCurrentMakesTheNeuronNonFiniteAndTheFailureIsReportedWhereItBegan() {
        let net = Network(dtMs: dt)
        net.addPopulation(name: "PN", size: 3, model: poissonModel)
        let kc = net.addPopulation(name: "KC", size: 20, model: .traubMiles(.init()))
        net.populations[kc].isRecording = true
        var currents = [Float](repeating: 1, count: 20)
        let bad = 17
        currents[bad] = 1e6
        net.addCurrentSource(name: "I", target: kc, magnitudes: currents)
        var firstNonFinite: Int?
        var rng = testRNG()
        for k in 0..<2000 {
            net.step(using: &rng)
            let s = net.populations[kc].traubMilesState(bad)
            if firstNonFinite == nil && !(s.V.isFinite && s.m.isFinite && s.h.isFinite && s.n.isFinite) { firstNonFinite = k }
        }
        XCTAssertEqual(net.stepIndex, 2000, "the network keeps stepping")
        let k0 = try! XCTUnwrap(firstNonFinite, "1e6 nA must break the neuron")
        let failure = try! XCTUnwrap(net.firstNumericalFailure)
        XCTAssertEqual(failure.population, "KC")
        XCTAssertEqual(failure.neuron, bad)
        XCTAssertEqual(failure.step, k0)
        XCTAssertTrue(["V", "m", "h", "n"].contains(failure.variable))
        XCTAssertTrue(failure.description.contains("KC"))

        // No spike from the broken neuron after it became non-finite.
        let late = spikeSteps(net.populations[kc], neuron: bad).filter { $0 > k0 }
        XCTAssertEqual(late, [], "a non-finite neuron never spikes again")
        // Its neighbours, in the same SIMD chunk and the one before, are untouched.
        let healthy = simulatedSpikeSteps(current: 1, steps: 2000).spikes
        XCTAssertGreaterThan(healthy.count, 10)
        for i in [0, 15, 16, 18, 19] {
            XCTAssertEqual(spikeSteps(net.populations[kc], neuron: i), healthy, "neuron \(i)")
        }
    }

    func testANaNNeuronNeverCrossesThresholdAgain() {
        let net = Network(dtMs: dt)
        let p = net.addPopulation(name: "TM", size: 2, model: .traubMiles(.init()))
        net.populations[p].isRecording = true
        net.addCurrentSource(name: "I", target: p, magnitudes: [1, 1])
        var rng = testRNG()
        net.run(steps: 100, using: &rng)
        var V = net.populations[p].membranePotential
        V[1] = .nan
        net.populations[p].membranePotential = V
        let spikesBefore = spikeSteps(net.populations[p], neuron: 1).count
        net.run(steps: 1000, using: &rng)
        XCTAssertTrue(net.populations[p].membranePotential[1].isNaN)
        XCTAssertEqual(spikeSteps(net.populations[p], neuron: 1).count, spikesBefore)
        XCTAssertGreaterThan(spikeSteps(net.populations[p], neuron: 0).count, spikesBefore + 10)
        XCTAssertEqual(net.firstNumericalFailure?.population, "TM")
        XCTAssertEqual(net.firstNumericalFailure?.neuron, 1)
        XCTAssertEqual(net.firstNumericalFailure?.step, 100)
    }

    func testAnIntegrateAndFireOverflowIsReportedAndTheFirstFailureIsKept() {
        let net = Network(dtMs: dt)
        let ggn = net.addPopulation(name: "GGN", size: 2, model: .integrateAndFire(.init()))
        let tm = net.addPopulation(name: "TM", size: 1, model: .traubMiles(.init()))
        let src = net.addCurrentSource(name: "I", target: ggn, magnitudes: [0, 0])
        net.addCurrentSource(name: "J", target: tm, magnitudes: [0])
        var rng = testRNG()
        net.run(steps: 10, using: &rng)
        XCTAssertNil(net.firstNumericalFailure)
        net.currentSources[src].magnitudes = [0, .infinity]
        net.run(steps: 1, using: &rng)
        XCTAssertEqual(net.firstNumericalFailure, NumericalFailure(population: "GGN", step: 10, neuron: 1, variable: "V"))
        net.populations[tm].membranePotential = [.nan]
        net.run(steps: 5, using: &rng)
        XCTAssertEqual(net.firstNumericalFailure?.population, "GGN", "the first failure is kept")
    }

    func testHealthyNetworksReportNoFailure() {
        let net = Network(dtMs: dt)
        let p = net.addPopulation(name: "TM", size: 33, model: .traubMiles(.init()))
        net.addCurrentSource(name: "I", target: p, magnitudes: (0..<33).map { Float($0) * 0.1 - 1 })
        var rng = testRNG()
        net.run(steps: 2000, using: &rng)
        XCTAssertNil(net.firstNumericalFailure)
    }
}
