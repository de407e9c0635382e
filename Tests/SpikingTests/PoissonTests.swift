import XCTest
import Randomness
import Spiking

/// GeNN's Poisson input neuron: a per-step firing probability, a 0.2 ms spike and a 0.3 ms
/// refractory period. After a spike at step k the neuron cannot fire at k+1 or k+2, and at
/// k+3 only if Float rounding puts both t − sT > tspike at k+2 and t − sT > trefract at k+3;
/// so each spike costs 2 or 3 dead steps and the rate per step lies between p/(1+3p) and p/(1+2p).
final class PoissonTests: XCTestCase {
    func testSpikeRateLiesBetweenTheBoundsSetByTheRefractoryPeriod() {
        let neurons = 2000, steps = 2000
        for (i, p) in [0.001, 0.01, 0.1].enumerated() {
            let net = Network(dtMs: dt)
            let pop = net.addPopulation(name: "P", size: neurons, model: poissonModel)
            net.populations[pop].firingProbability = [Float](repeating: Float(p), count: neurons)
            var rng = Xoshiro256StarStar(seed: 100 + UInt64(i))
            var count = 0
            for _ in 0..<steps { net.step(using: &rng); count += net.populations[pop].spikes.count }
            let trials = Double(neurons * steps)
            let low = p / (1 + 3 * p), high = p / (1 + 2 * p)
            // Spike counts of a renewal process have variance at most the Bernoulli one here.
            let sigma = (trials * high * (1 - low)).squareRoot()
            XCTAssertGreaterThanOrEqual(Double(count), trials * low - 5 * sigma, "p = \(p): \(count) spikes")
            XCTAssertLessThanOrEqual(Double(count), trials * high + 5 * sigma, "p = \(p): \(count) spikes")
            XCTAssertEqual(net.populations[pop].spikeCount, count)
        }
    }

    func testProbabilityZeroNeverSpikesAndDrawsNoRandomNumbers() {
        let net = Network(dtMs: dt)
        let pop = net.addPopulation(name: "P", size: 100, model: poissonModel)
        net.populations[pop].isRecording = true
        var rng = Xoshiro256StarStar(seed: 7)
        let before = rng
        net.run(steps: 500, using: &rng)
        XCTAssertEqual(net.populations[pop].recordedSteps.count, 0)
        XCTAssertEqual(rng, before, "the generator must not advance")
        XCTAssertEqual(net.populations[pop].membranePotential, [Float](repeating: -60, count: 100))
    }

    /// With probability 1 the neuron fires on every step the model allows, which follows from
    /// the rule in docs/model.md evaluated with GeNN's Float times.
    func testProbabilityOneSpikesEveryTimeTheNeuronIsNotRefractory() {
        let net = Network(dtMs: dt)
        let pop = net.addPopulation(name: "P", size: 1, model: poissonModel)
        net.populations[pop].isRecording = true
        net.populations[pop].firingProbability = [1]
        var rng = testRNG()
        let steps = 3000
        net.run(steps: steps, using: &rng)
        // The rule by hand: V, spikeTime in Float; t = Float(k)·Float(0.1).
        var V: Float = -60, spikeTime: Float = -1e5
        var expected: [Int] = []
        for k in 0..<steps {
            let t = Float(k) * Float(0.1)
            if t - spikeTime > 0.2 && V > -60 { V = -60 }
            else if t - spikeTime > 0.3 { V = 80; spikeTime = t; expected.append(k) }
        }
        let actual = spikeSteps(net.populations[pop])
        XCTAssertEqual(actual, expected)
        let gaps = Set(zip(actual.dropFirst(), actual).map { $0 - $1 })
        XCTAssertTrue(gaps.isSubset(of: [3, 4]), "inter-spike intervals \(gaps)")
        XCTAssertEqual(actual.first, 0)
    }

    func testPoissonStepFollowsTheModelRule() {
        let params = PoissonParameters()
        var rng = testRNG()
        // Held at Vspike within tspike of the spike.
        var V: Float = 80, sT: Float = 1.0
        Poisson.step(V: &V, spikeTimeMs: &sT, probability: 1, tMs: 1.1, parameters: params, using: &rng)
        XCTAssertEqual(V, 80); XCTAssertEqual(sT, 1.0)
        // Back to rest once t − sT > tspike, without firing in that step even if allowed.
        Poisson.step(V: &V, spikeTimeMs: &sT, probability: 1, tMs: 1.5, parameters: params, using: &rng)
        XCTAssertEqual(V, -60); XCTAssertEqual(sT, 1.0)
        // At rest but refractory: no spike.
        V = -60; sT = 1.0
        Poisson.step(V: &V, spikeTimeMs: &sT, probability: 1, tMs: 1.25, parameters: params, using: &rng)
        XCTAssertEqual(V, -60)
        // At rest, not refractory: fires with probability 1 and records its time.
        Poisson.step(V: &V, spikeTimeMs: &sT, probability: 1, tMs: 1.4, parameters: params, using: &rng)
        XCTAssertEqual(V, 80); XCTAssertEqual(sT, 1.4)
    }

    func testTheDrawIsComparedWithTheProbability() {
        // uniform() < p: with a generator whose next uniform is known, p just above fires and
        // p at or below does not.
        let seed: UInt64 = 99
        var probe = Xoshiro256StarStar(seed: seed)
        let u = probe.nextUniformFloat()
        for (p, fires) in [(u.nextUp, true), (u, false), (u.nextDown, false)] where p > 0 {
            var rng = Xoshiro256StarStar(seed: seed)
            var V: Float = -60, sT: Float = -1e5
            Poisson.step(V: &V, spikeTimeMs: &sT, probability: p, tMs: 0, parameters: PoissonParameters(), using: &rng)
            XCTAssertEqual(V == 80, fires, "u = \(u), p = \(p)")
        }
    }
}
