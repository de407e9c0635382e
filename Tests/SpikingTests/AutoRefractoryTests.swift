import XCTest
import Spiking

/// GeNN's auto-refractory rule: a spike is emitted only when the threshold condition holds
/// after the update and did not hold before it.
final class AutoRefractoryTests: XCTestCase {
    func testAPoissonNeuronHeldAtVspikeForSeveralStepsEmitsOneSpike() {
        // tspike 1.5 ms holds V at Vspike for about 15 steps; trefract 2 ms.
        let params = PoissonParameters(trefractMs: 2, tspikeMs: 1.5, Vspike: 80, Vrest: -60)
        let net = Network(dtMs: dt)
        let p = net.addPopulation(name: "P", size: 1, model: .poisson(params))
        net.populations[p].isRecording = true
        var V: [Float] = []
        drive(net, steps: 30, firingAt: [p: [3]]) { _ in V.append(net.populations[p].membranePotential[0]) }
        let held = V.filter { $0 >= 80 }.count
        XCTAssertGreaterThanOrEqual(held, 10, "V stays at Vspike for many steps: \(V)")
        XCTAssertEqual(spikeSteps(net.populations[p]), [3], "one spike, at the step V first reached Vspike")
    }

    func testAPoissonNeuronFiringAtEveryChanceSpikesOncePerVspikeEpisode() {
        let net = Network(dtMs: dt)
        let p = net.addPopulation(name: "P", size: 1, model: poissonModel)
        net.populations[p].isRecording = true
        net.populations[p].firingProbability = [1]
        var V: [Float] = []
        var rng = testRNG()
        for _ in 0..<200 { net.step(using: &rng); V.append(net.populations[p].membranePotential[0]) }
        let onsets = V.indices.filter { V[$0] >= 80 && ($0 == 0 || V[$0 - 1] < 80) }
        XCTAssertEqual(spikeSteps(net.populations[p]), onsets)
        XCTAssertGreaterThan(V.filter { $0 >= 80 }.count, onsets.count, "V is held above threshold for more than one step")
    }

    func testATraubMilesNeuronAboveZeroForSeveralStepsEmitsOneSpikePerCrossing() {
        let net = Network(dtMs: dt)
        let p = net.addPopulation(name: "TM", size: 1, model: .traubMiles(.init()))
        net.populations[p].isRecording = true
        net.addCurrentSource(name: "I", target: p, magnitudes: [1])
        var V: [Float] = []
        var rng = testRNG()
        for _ in 0..<2000 { net.step(using: &rng); V.append(net.populations[p].membranePotential[0]) }
        let onsets = V.indices.filter { V[$0] >= 0 && ($0 == 0 || V[$0 - 1] < 0) }
        let above = V.filter { $0 >= 0 }.count
        XCTAssertGreaterThan(onsets.count, 10)
        XCTAssertGreaterThanOrEqual(above, 2 * onsets.count, "each action potential stays above 0 mV for several steps")
        XCTAssertEqual(spikeSteps(net.populations[p]), onsets)
        XCTAssertEqual(net.populations[p].lastSpikeTimeMs[0], Float(onsets.last!) * dt, "sT is the time of the last emitting step")
    }

    func testATraubMilesNeuronStartingAboveThresholdDoesNotSpikeUntilItRecrosses() {
        let net = Network(dtMs: dt)
        let p = net.addPopulation(name: "TM", size: 1, model: .traubMiles(.init()))
        net.populations[p].isRecording = true
        net.populations[p].membranePotential = [20]
        var V: [Float] = []
        var rng = testRNG()
        for _ in 0..<300 { net.step(using: &rng); V.append(net.populations[p].membranePotential[0]) }
        XCTAssertGreaterThanOrEqual(V[0], 0, "still above threshold after the first step")
        let onsets = V.indices.filter { $0 > 0 && V[$0] >= 0 && V[$0 - 1] < 0 }
        XCTAssertEqual(spikeSteps(net.populations[p]), onsets)
        XCTAssertFalse(spikeSteps(net.populations[p]).contains(0))
    }

    func testTheIntegrateAndFireNeuronSpikesAtThresholdAndResetsToZero() {
        let net = Network(dtMs: dt)
        let p = net.addPopulation(name: "GGN", size: 1, model: .integrateAndFire(.init(Vthresh: 40)))
        net.populations[p].isRecording = true
        net.addCurrentSource(name: "I", target: p, magnitudes: [7])
        var V: [Float] = []
        var rng = testRNG()
        for _ in 0..<20 { net.step(using: &rng); V.append(net.populations[p].membranePotential[0]) }
        // 7, 14, …, 35, 42 ≥ 40 → spike and reset; period 6 steps.
        XCTAssertEqual(Array(V[0..<5]), [7, 14, 21, 28, 35])
        XCTAssertEqual(V[5], 0, "reset to 0 on the spike")
        XCTAssertEqual(V[6], 7)
        XCTAssertEqual(spikeSteps(net.populations[p]), [5, 11, 17])
    }

    func testAnIntegrateAndFireNeuronAlreadyAboveThresholdNeitherSpikesNorResets() {
        let net = Network(dtMs: dt)
        let p = net.addPopulation(name: "GGN", size: 1, model: .integrateAndFire(.init(Vthresh: 40)))
        net.populations[p].isRecording = true
        net.populations[p].membranePotential = [50]
        net.addCurrentSource(name: "I", target: p, magnitudes: [1])
        var rng = testRNG()
        net.run(steps: 5, using: &rng)
        XCTAssertEqual(net.populations[p].recordedSteps, [])
        XCTAssertEqual(net.populations[p].membranePotential, [55])
    }
}
