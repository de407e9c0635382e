import XCTest
import Randomness
import Spiking

/// A step shared among threads gives, bit for bit, what one thread gives: spikes in the same
/// order, the same state, weights, inputs and random stream, for the seed's models and for the
/// GeNN 5 ones.
final class ThreadedStepTests: XCTestCase {
    /// The seed's mushroom body in small: Poisson → TraubMiles (sparse, ExpCond) → TraubMiles
    /// (dense, plastic STDP) with an integrate-and-fire inhibitory loop and a teacher.
    private func seedNetwork(kcCount: Int = 300) -> Network {
        let net = Network(dtMs: dt)
        let pn = net.addPopulation(name: "PN", size: 100, model: poissonModel)
        let kc = net.addPopulation(name: "KC", size: kcCount, model: .traubMiles(.init()))
        let dn = net.addPopulation(name: "DN", size: 4, model: .traubMiles(.init()))
        let ggn = net.addPopulation(name: "GGN", size: 1, model: .integrateAndFire(.init(Vthresh: 20)))
        var rng = Xoshiro256StarStar(seed: 5)
        let rows = SparseRows.fixedProbability(preCount: 100, postCount: kcCount, probability: 0.2, using: &rng)
        net.connect(name: "PN→KC", from: pn, to: kc, connectivity: .sparse(rows), weights: .global(0.015),
                    postsynaptic: .exponentialConductance(tauMs: 1, reversalPotentialMv: 0))
        let w = (0..<(kcCount * 4)).map { _ in Float(0.002 + 0.001 * rng.nextStandardNormal()) }
        net.connect(name: "KC→DN", from: kc, to: dn, connectivity: .dense, weights: .individual(w),
                    rule: .additiveSTDP(.symmetric(tauMs: 10, alpha: 0.0002, wMax: 0.01, offset: 0.00002)),
                    postsynaptic: .exponentialConductance(tauMs: 10, reversalPotentialMv: 0))
        net.connect(name: "KC→GGN", from: kc, to: ggn, connectivity: .dense, weights: .global(1), postsynaptic: .deltaCurrent)
        net.connect(name: "GGN→KC", from: ggn, to: kc, connectivity: .dense, weights: .global(-0.5),
                    postsynaptic: .exponentialCurrent(tauMs: 20))
        net.addCurrentSource(name: "teacher", target: dn, magnitudes: [0.6, -0.1, 0, 0.2])
        net.populations[pn].firingProbability = (0..<100).map { Float($0 % 9) * 0.01 }
        for p in net.populations { p.isRecording = true }
        return net
    }

    /// GeNN 5's MNIST mushroom body in small: LIF PNs driven by a current source, LIF KCs
    /// (fixed number pre, ExpCurr), a GeNN 5 IF GGN, LIF MBONs learning by symmetric STDP.
    private func mnistNetwork() -> Network {
        let net = Network(dtMs: dt)
        let pn = net.addPopulation(name: "PN", size: 196, model: .lif(LIFParameters(TauRefrac: 100)))
        let kc = net.addPopulation(name: "KC", size: 500, model: .lif(LIFParameters()))
        let ggn = net.addPopulation(name: "GGN", size: 1, model: .integrateAndFire(.genn5(Vthresh: 20)))
        let mbon = net.addPopulation(name: "MBON", size: 10, model: .lif(LIFParameters()))
        var rng = Xoshiro256StarStar(seed: 6)
        let rows = SparseRows.fixedNumberPreWithReplacement(preCount: 196, postCount: 500, numberPerPost: 10, using: &rng)
        net.connect(name: "PN→KC", from: pn, to: kc, connectivity: .sparse(rows), weights: .global(0.5),
                    postsynaptic: .exponentialCurrent(tauMs: 3))
        net.connect(name: "KC→GGN", from: kc, to: ggn, connectivity: .dense, weights: .global(1), postsynaptic: .deltaCurrent)
        net.connect(name: "GGN→KC", from: ggn, to: kc, connectivity: .dense, weights: .global(-5),
                    postsynaptic: .exponentialCurrent(tauMs: 5))
        let w = (0..<5000).map { _ in Float(0.01 * rng.nextUniformDouble()) }
        net.connect(name: "KC→MBON", from: kc, to: mbon, connectivity: .dense, weights: .individual(w),
                    rule: .symmetricSTDP(.mnistMushroomBody), postsynaptic: .exponentialCurrent(tauMs: 3))
        net.addCurrentSource(name: "PN input", target: pn, magnitudes: (0..<196).map { Float($0 % 13) * 0.12 })
        net.addCurrentSource(name: "MBON teacher", target: mbon, magnitudes: (0..<10).map { $0 == 3 ? 5 : 0 })
        for p in net.populations { p.isRecording = true }
        return net
    }

    /// Everything a run leaves behind, floats as bit patterns (NaN included).
    private struct Outcome: Equatable, CustomStringConvertible {
        var records: [[UInt32]]
        var spikeCounts: [Int]
        var potentials: [[UInt32]]
        var weights: [[UInt32]?]
        var inputs: [[UInt32]]
        var failure: NumericalFailure?
        var generator: Xoshiro256StarStar

        /// Short, so that a failure names what differs without printing every value.
        var description: String {
            "spike counts \(spikeCounts), \(records.map(\.count).reduce(0, +)) record entries, failure \(failure.map { "\($0)" } ?? "none"), "
                + "checksums V \(potentials.map(Self.checksum)) w \(weights.map { $0.map(Self.checksum) ?? 0 }) inSyn \(inputs.map(Self.checksum))"
        }

        static func checksum(_ bits: [UInt32]) -> UInt64 {
            bits.reduce(UInt64(1469598103934665603)) { ($0 ^ UInt64($1)) &* 1099511628211 }
        }
    }

    private func outcome(_ net: Network, _ rng: Xoshiro256StarStar) -> Outcome {
        func bits(_ a: [Float]) -> [UInt32] { a.map(\.bitPattern) }
        return Outcome(records: net.populations.flatMap { [$0.recordedSteps, $0.recordedIds] },
                       spikeCounts: net.populations.map(\.spikeCount),
                       potentials: net.populations.map { bits($0.membranePotential) },
                       weights: net.synapseGroups.map { $0.individualWeights.map(bits) },
                       inputs: net.synapseGroups.map { bits($0.inSyn) }, failure: net.firstNumericalFailure, generator: rng)
    }

    private func run(_ net: Network, threads: Int, steps: Int, between: (Network, Int) -> Void = { _, _ in }) -> Outcome {
        net.threads = threads
        net.adaptsToLoad = false  // always on the team, however busy the machine
        var rng = Xoshiro256StarStar(seed: 11)
        for k in 0..<steps {
            net.step(using: &rng)
            between(net, k)
        }
        return outcome(net, rng)
    }

    func testTheSeedNetworkGivesIdenticalResultsOnOneTwoAndThreeThreads() {
        let one = run(seedNetwork(), threads: 1, steps: 2000)
        XCTAssertGreaterThan(one.spikeCounts[1], 100, "the KCs must fire for the test to mean anything")
        XCTAssertGreaterThan(one.spikeCounts[3], 0, "the GGN must fire for the test to mean anything")
        XCTAssertGreaterThan(one.spikeCounts[2], 0, "the DNs must fire for the test to mean anything")
        XCTAssertNil(one.failure)
        for threads in [2, 3] {
            let net = seedNetwork()
            let many = run(net, threads: threads, steps: 2000)
            XCTAssertEqual(net.threadsInUse, threads)
            XCTAssertEqual(many, one, "\(threads) threads")
        }
    }

    func testTheMNISTNetworkGivesIdenticalResultsOnOneTwoAndThreeThreads() {
        // Two "images" with a reset between them, the teacher moved, then frozen plasticity.
        func protocolSteps(_ net: Network, _ k: Int) {
            if k == 799 {
                net.resetState()
                net.currentSources[1].setOnly(7, to: 5)
            }
            if k == 1599 {
                net.resetState()
                net.synapseGroups[3].isPlastic = false
                net.currentSources[1].setAll(0)
            }
        }
        let one = run(mnistNetwork(), threads: 1, steps: 2400, between: protocolSteps)
        XCTAssertGreaterThan(one.spikeCounts[1], 100, "the KCs must fire for the test to mean anything")
        XCTAssertGreaterThan(one.spikeCounts[3], 0, "the MBONs must fire for the test to mean anything")
        for threads in [2, 3] {
            let net = mnistNetwork()
            let many = run(net, threads: threads, steps: 2400, between: protocolSteps)
            XCTAssertEqual(many, one, "\(threads) threads")
        }
    }

    func testChangingTheThreadCountMidRunChangesNothing() {
        let one = run(seedNetwork(), threads: 1, steps: 1500)
        let net = seedNetwork()
        let changed = run(net, threads: 3, steps: 1500) { net, k in
            if k == 400 { net.threads = 1 }
            if k == 900 { net.threads = 2 }
        }
        XCTAssertEqual(changed, one)
    }

    func testANumericalFailureIsReportedAtTheSameNeuronWhateverTheSplit() {
        func exploding() -> Network {
            let net = seedNetwork()
            // A huge current into the last KCs only: they go non-finite in a later block.
            net.addCurrentSource(name: "blow-up", target: 1, magnitudes: (0..<300).map { $0 >= 250 ? 1e30 : 0 })
            return net
        }
        let one = run(exploding(), threads: 1, steps: 50)
        XCTAssertEqual(one.failure?.population, "KC")
        XCTAssertEqual(one.failure?.neuron, 250)
        for threads in [2, 3] { XCTAssertEqual(run(exploding(), threads: threads, steps: 50), one, "\(threads) threads") }
    }

    func testAdaptingToLoadChangesNothing() {
        // 9000 steps: a whole cycle of the tuner (team, one thread, the faster) and the next.
        let one = run(seedNetwork(), threads: 1, steps: 9000)
        let net = seedNetwork()
        net.threads = 2
        net.adaptsToLoad = true
        var rng = Xoshiro256StarStar(seed: 11)
        net.run(steps: 9000, using: &rng)
        XCTAssertEqual(outcome(net, rng), one)
    }

    func testSmallPopulationsAreNotSplitBelowTheMinimumBlock() {
        let net = seedNetwork(kcCount: 100)  // 7 chunks: one block of at least 4 chunks
        net.threads = 4
        XCTAssertEqual(net.threadsInUse, 1)
        let big = seedNetwork(kcCount: 1000)  // 63 chunks
        big.threads = 4
        XCTAssertEqual(big.threadsInUse, 4)
    }
}
