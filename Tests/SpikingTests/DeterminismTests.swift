import XCTest
import Randomness
import Spiking

/// A run is a pure function of its construction and its seeds.
final class DeterminismTests: XCTestCase {
    /// A small mushroom body: Poisson → TraubMiles (sparse, ExpCond) → TraubMiles (dense,
    /// plastic) with an integrate-and-fire inhibitory loop.
    private func build(connectivitySeed: UInt64) -> Network {
        let net = Network(dtMs: dt)
        let pn = net.addPopulation(name: "PN", size: 60, model: poissonModel)
        let kc = net.addPopulation(name: "KC", size: 50, model: .traubMiles(.init()))
        let dn = net.addPopulation(name: "DN", size: 4, model: .traubMiles(.init()))
        let ggn = net.addPopulation(name: "GGN", size: 1, model: .integrateAndFire(.init(Vthresh: 5)))
        var rng = Xoshiro256StarStar(seed: connectivitySeed)
        let rows = SparseRows.fixedProbability(preCount: 60, postCount: 50, probability: 0.3, using: &rng)
        net.connect(name: "PN→KC", from: pn, to: kc, connectivity: .sparse(rows), weights: .global(0.02),
                    postsynaptic: .exponentialConductance(tauMs: 1, reversalPotentialMv: 0))
        let w = (0..<200).map { _ in Float(0.01 + 0.005 * rng.nextStandardNormal()) }
        net.connect(name: "KC→DN", from: kc, to: dn, connectivity: .dense, weights: .individual(w),
                    rule: .additiveSTDP(.symmetric(tauMs: 10, alpha: 0.001, wMax: 0.05, offset: 0.0001)),
                    postsynaptic: .exponentialConductance(tauMs: 10, reversalPotentialMv: 0))
        net.connect(name: "KC→GGN", from: kc, to: ggn, connectivity: .dense, weights: .global(1), postsynaptic: .deltaCurrent)
        net.connect(name: "GGN→KC", from: ggn, to: kc, connectivity: .dense, weights: .global(-1), postsynaptic: .exponentialCurrent(tauMs: 20))
        net.addCurrentSource(name: "teacher", target: dn, magnitudes: [0.6, -0.1, 0, 0.2])
        net.populations[pn].firingProbability = (0..<60).map { Float($0 % 7) * 0.01 }
        for p in net.populations { p.isRecording = true }
        return net
    }

    private func record(_ net: Network) -> [[UInt32]] {
        net.populations.flatMap { [$0.recordedSteps, $0.recordedIds] }
    }

    func testTheSameSeedsGiveIdenticalSpikesAndWeights() {
        let a = build(connectivitySeed: 1), b = build(connectivitySeed: 1)
        var ra = Xoshiro256StarStar(seed: 9), rb = Xoshiro256StarStar(seed: 9)
        a.run(steps: 1500, using: &ra)
        b.run(steps: 1500, using: &rb)
        XCTAssertGreaterThan(a.populations[1].recordedSteps.count, 20, "the KCs must fire for the test to mean anything")
        XCTAssertEqual(record(a), record(b))
        XCTAssertEqual(a.synapseGroups[1].individualWeights, b.synapseGroups[1].individualWeights)
        XCTAssertEqual(a.populations[1].membranePotential, b.populations[1].membranePotential)
        XCTAssertEqual(ra, rb)
    }

    func testADifferentPoissonSeedGivesDifferentSpikes() {
        let a = build(connectivitySeed: 1), b = build(connectivitySeed: 1)
        var ra = Xoshiro256StarStar(seed: 9), rb = Xoshiro256StarStar(seed: 10)
        a.run(steps: 1500, using: &ra)
        b.run(steps: 1500, using: &rb)
        XCTAssertNotEqual(a.populations[0].recordedIds, b.populations[0].recordedIds)
        XCTAssertNotEqual(record(a), record(b))
    }

    func testADifferentConnectivitySeedGivesADifferentNetwork() {
        let a = build(connectivitySeed: 1), b = build(connectivitySeed: 2)
        var ra = Xoshiro256StarStar(seed: 9), rb = Xoshiro256StarStar(seed: 9)
        a.run(steps: 1500, using: &ra)
        b.run(steps: 1500, using: &rb)
        XCTAssertEqual(a.populations[0].recordedIds, b.populations[0].recordedIds, "the Poisson input is the same")
        XCTAssertNotEqual(record(a), record(b))
    }
}
