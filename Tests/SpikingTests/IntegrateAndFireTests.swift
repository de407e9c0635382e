import XCTest
import Foundation
import Spiking

/// The integrate-and-fire GGN in GeNN 5's form (MNIST `IF`: no auto-refractory rule,
/// threshold 200) beside the seed's GeNN 4 form (auto-refractory).
final class IntegrateAndFireTests: XCTestCase {
    private func ggn(_ params: IntegrateAndFireParameters, current: Float, V0: Float? = nil)
        -> (net: Network, pop: Int) {
        let net = Network(dtMs: dt)
        let p = net.addPopulation(name: "GGN", size: 1, model: .integrateAndFire(params))
        net.populations[p].isRecording = true
        if let V0 { net.populations[p].membranePotential = [V0] }
        net.addCurrentSource(name: "I", target: p, magnitudes: [current])
        return (net, p)
    }

    private func run(_ net: Network, _ pop: Int, steps: Int) -> [Float] {
        var rng = testRNG()
        var V: [Float] = []
        for _ in 0..<steps { net.step(using: &rng); V.append(net.populations[pop].membranePotential[0]) }
        return V
    }

    func testTheGeNN5GGNAccumulatesItsInputAndResetsToZeroAtTheThreshold() {
        let (net, p) = ggn(.genn5(), current: 30)
        let V = run(net, p, steps: 21)
        // 30, 60, …, 180, then 210 ≥ 200: spike and reset; period 7 steps.
        XCTAssertEqual(Array(V[0..<6]), [30, 60, 90, 120, 150, 180])
        XCTAssertEqual(V[6], 0)
        XCTAssertEqual(V[7], 30)
        XCTAssertEqual(spikeSteps(net.populations[p]), [6, 13, 20])
        XCTAssertEqual(IntegrateAndFireParameters.genn5().Vthresh, 200, "the MNIST example's threshold")
    }

    func testTheGeNN5GGNSpikesAtExactlyTheThreshold() {
        let (net, p) = ggn(.genn5(Vthresh: 200), current: 50)
        _ = run(net, p, steps: 4)
        XCTAssertEqual(spikeSteps(net.populations[p]), [3], "V reaches 200 at the fourth update: V ≥ Vthresh")
    }

    func testAGeNN5GGNAlreadyAboveThresholdSpikesAndResetsWhereTheGeNN4OneDoesNot() {
        let (genn5, p5) = ggn(.genn5(Vthresh: 40), current: 1, V0: 50)
        let V5 = run(genn5, p5, steps: 3)
        XCTAssertEqual(spikeSteps(genn5.populations[p5]), [0], "no auto-refractory rule: 51 ≥ 40 spikes")
        XCTAssertEqual(V5, [0, 1, 2])

        let (genn4, p4) = ggn(.init(Vthresh: 40), current: 1, V0: 50)
        let V4 = run(genn4, p4, steps: 3)
        XCTAssertEqual(spikeSteps(genn4.populations[p4]), [], "auto-refractory: it was above threshold before")
        XCTAssertEqual(V4, [51, 52, 53])
    }

    func testWithAThresholdOfZeroTheGeNN5GGNSpikesEveryStepAndTheGeNN4OneNever() {
        let (genn5, p5) = ggn(.genn5(Vthresh: 0), current: 0)
        _ = run(genn5, p5, steps: 5)
        XCTAssertEqual(spikeSteps(genn5.populations[p5]), [0, 1, 2, 3, 4])
        let (genn4, p4) = ggn(.init(Vthresh: 0, usesAutoRefractory: true), current: 0)
        _ = run(genn4, p4, steps: 5)
        XCTAssertEqual(spikeSteps(genn4.populations[p4]), [])
    }

    func testKCSpikesThroughADeltaCurrentSynapseAreCountedByTheGGN() {
        // GeNN's MNIST KC→GGN: dense, weight 1, DeltaCurr; the GGN fires once per 200 KC spikes.
        let net = Network(dtMs: dt)
        let kc = net.addPopulation(name: "KC", size: 50, model: poissonModel)
        let g = net.addPopulation(name: "GGN", size: 1, model: .integrateAndFire(.genn5()))
        net.connect(name: "KC→GGN", from: kc, to: g, connectivity: .dense, weights: .global(1), postsynaptic: .deltaCurrent)
        net.populations[g].isRecording = true
        // All 50 KCs spike at steps 0, 10, 20, 30, 40: 200 spikes arrive by step 31.
        drive(net, steps: 45, schedule: [kc: [Set<Int>](repeating: [0, 10, 20, 30, 40], count: 50)])
        XCTAssertEqual(spikeSteps(net.populations[g]), [31])
        XCTAssertEqual(net.populations[g].membranePotential, [50], "the fifth volley after the reset")
    }

    func testEncodingsWithoutTheFlagDecodeAsTheSeedsGeNN4GGN() throws {
        let old = try JSONDecoder().decode(IntegrateAndFireParameters.self, from: Data(#"{"Vthresh": 40}"#.utf8))
        XCTAssertEqual(old, IntegrateAndFireParameters(Vthresh: 40, usesAutoRefractory: true))
        let roundTrip = try JSONDecoder().decode(IntegrateAndFireParameters.self,
                                                 from: JSONEncoder().encode(IntegrateAndFireParameters.genn5()))
        XCTAssertEqual(roundTrip, .genn5())
    }
}
