import XCTest
import Spiking

/// Additive STDP (docs/model.md) on hand-made spike pairs. Pre and post are Poisson neurons
/// driven to spike at chosen steps. A spike emitted at step k is processed in the synapse update
/// of step k+1, at t = (k+1)·dt, against the other side's last spike time sT (initially
/// −FLT_MAX, whose exponential term is 0). Expected weights are computed here in Double.
final class STDPTests: XCTestCase {
    let w0: Float = 0.5
    let stdp = AdditiveSTDPParameters(tauPlusMs: 15, tauMinusMs: 25, aPlus: 0.02, aMinus: 0.013,
                                      wMin: 0, wMax: 1, offset: 0.1)

    private func time(_ k: Int) -> Double { Double(k) * Double(dt) }
    /// The pre rule applied at time t to a weight, with the post neuron's last spike at sT.
    private func pre(_ w: Double, t: Double, sTPost: Double?, _ p: AdditiveSTDPParameters) -> Double {
        let e = sTPost.map { exp(-(t - $0) / Double(p.tauMinusMs)) } ?? 0
        return min(Double(p.wMax), max(Double(p.wMin), w + Double(p.aMinus) * (e - Double(p.offset))))
    }
    /// The post rule applied at time t, with the pre neuron's last spike at sT.
    private func post(_ w: Double, t: Double, sTPre: Double?, _ p: AdditiveSTDPParameters) -> Double {
        let e = sTPre.map { exp(-(t - $0) / Double(p.tauPlusMs)) } ?? 0
        return min(Double(p.wMax), max(Double(p.wMin), w + Double(p.aPlus) * (e - Double(p.offset))))
    }

    /// One pre and one post Poisson neuron, a dense plastic synapse with weight `w0`;
    /// returns the weight after every step and the synapse group's inSyn after every step.
    private func simulate(preAt: Set<Int>, postAt: Set<Int>, steps: Int = 60, w0: Float? = nil,
                          parameters: AdditiveSTDPParameters? = nil, plastic: Bool = true)
        -> (weights: [Float], inSyn: [Float], preSpikes: [Int], postSpikes: [Int]) {
        let net = Network(dtMs: dt)
        let a = net.addPopulation(name: "pre", size: 1, model: poissonModel)
        let b = net.addPopulation(name: "post", size: 1, model: poissonModel)
        let g = net.connect(name: "stdp", from: a, to: b, connectivity: .dense, weights: .individual([w0 ?? self.w0]),
                            rule: .additiveSTDP(parameters ?? stdp),
                            postsynaptic: .exponentialConductance(tauMs: 10, reversalPotentialMv: 0))
        net.synapseGroups[g].isPlastic = plastic
        net.populations[a].isRecording = true
        net.populations[b].isRecording = true
        var weights: [Float] = [], inSyn: [Float] = []
        drive(net, steps: steps, firingAt: [a: preAt, b: postAt]) { _ in
            weights.append(net.synapseGroups[g].individualWeights![0])
            inSyn.append(net.synapseGroups[g].inSyn[0])
        }
        return (weights, inSyn, spikeSteps(net.populations[a]), spikeSteps(net.populations[b]))
    }

    private func assertWeight(_ actual: Float, _ expected: Double, _ message: String,
                              file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(Double(actual), expected, accuracy: 1e-6, message, file: file, line: line)
    }

    func testFirstPresynapticSpikeSeesNoPostsynapticSpikeAndAppliesOnlyTheOffset() {
        let r = simulate(preAt: [10], postAt: [])
        XCTAssertEqual(r.preSpikes, [10])
        for k in 0...10 { XCTAssertEqual(r.weights[k], w0, "step \(k): the spike is processed in step 11") }
        let expected = Double(w0) + Double(stdp.aMinus) * (0 - Double(stdp.offset))
        assertWeight(r.weights[11], expected, "g += aMinus·(0 − offset)")
        assertWeight(r.weights[59], expected, "no further change")
    }

    func testFirstPostsynapticSpikeSeesNoPresynapticSpikeAndAppliesOnlyTheOffset() {
        let r = simulate(preAt: [], postAt: [10])
        XCTAssertEqual(r.postSpikes, [10])
        XCTAssertEqual(r.weights[10], w0)
        assertWeight(r.weights[11], Double(w0) + Double(stdp.aPlus) * (0 - Double(stdp.offset)), "g += aPlus·(0 − offset)")
    }

    func testPostThenPrePairAppliesThePreRuleWithTheIntervalFromThePostSpike() {
        let r = simulate(preAt: [30], postAt: [10])
        var w = post(Double(w0), t: time(11), sTPre: nil, stdp)  // post spike processed at step 11
        assertWeight(r.weights[11], w, "after the post spike")
        assertWeight(r.weights[30], w, "unchanged until the pre spike is processed")
        w = pre(w, t: time(31), sTPost: time(10), stdp)  // Δ = 3.1 − 1.0 ms
        assertWeight(r.weights[31], w, "after the pre spike")
        assertWeight(r.weights[59], w, "final")
    }

    func testPreThenPostPairAppliesThePostRuleWithTheIntervalFromThePreSpike() {
        let r = simulate(preAt: [10], postAt: [30])
        var w = pre(Double(w0), t: time(11), sTPost: nil, stdp)
        assertWeight(r.weights[11], w, "after the pre spike")
        w = post(w, t: time(31), sTPre: time(10), stdp)  // Δ = 3.1 − 1.0 ms
        assertWeight(r.weights[31], w, "after the post spike")
        assertWeight(r.weights[59], w, "final")
    }

    func testSimultaneousSpikesApplyThePreRuleThenThePostRuleEachWithIntervalDt() {
        let r = simulate(preAt: [10], postAt: [10])
        var w = pre(Double(w0), t: time(11), sTPost: time(10), stdp)
        w = post(w, t: time(11), sTPre: time(10), stdp)
        assertWeight(r.weights[11], w, "both rules at step 11, Δ = dt")
    }

    func testSimultaneousSpikesDeliverTheWeightFromBeforeEitherRule() {
        let r = simulate(preAt: [10], postAt: [10])
        XCTAssertEqual(r.inSyn[11], w0, "the pre rule runs first and delivers the old g; the post rule comes after")
        XCTAssertNotEqual(r.weights[11], w0)
    }

    /// With clamping the order of the two rules shows: the pre rule's potentiation clamps at
    /// wMax before the post rule's depression applies (the other order would end higher).
    func testThePreRuleIsAppliedBeforeThePostRuleOfTheSameStep() {
        let p = AdditiveSTDPParameters(tauPlusMs: 0.01, tauMinusMs: 1000, aPlus: 0.1, aMinus: 0.1,
                                       wMin: 0, wMax: 1, offset: 0.5)
        let r = simulate(preAt: [10], postAt: [10], w0: 0.98, parameters: p)
        var w = pre(Double(Float(0.98)), t: time(11), sTPost: time(10), p)  // +0.05, clamped to 1
        XCTAssertEqual(w, 1)
        w = post(w, t: time(11), sTPre: time(10), p)                          // about −0.05
        assertWeight(r.weights[11], w, "pre (clamped) then post")
        XCTAssertLessThan(r.weights[11], 0.96)
    }

    func testASequenceOfPairsAccumulatesAsTheRuleSays() {
        let preAt: Set<Int> = [5, 20, 40], postAt: Set<Int> = [12, 20, 33, 50]
        let r = simulate(preAt: preAt, postAt: postAt, steps: 70)
        XCTAssertEqual(r.preSpikes, preAt.sorted()); XCTAssertEqual(r.postSpikes, postAt.sorted())
        var w = Double(w0)
        var sTPre: Double? = nil, sTPost: Double? = nil
        for k in 1..<70 {
            let t = time(k)
            // Spikes of step k−1 set sT in that step's neuron update, before the synapse
            // update of step k processes them.
            if preAt.contains(k - 1) { sTPre = time(k - 1) }
            if postAt.contains(k - 1) { sTPost = time(k - 1) }
            if preAt.contains(k - 1) { w = pre(w, t: t, sTPost: sTPost, stdp) }
            if postAt.contains(k - 1) { w = post(w, t: t, sTPre: sTPre, stdp) }
            assertWeight(r.weights[k], w, "step \(k)")
        }
    }

    func testThePresynapticSpikeDeliversTheWeightFromBeforeItsOwnUpdate() {
        let r = simulate(preAt: [10, 20], postAt: [])
        let w1 = pre(Double(w0), t: time(11), sTPost: nil, stdp)
        XCTAssertEqual(r.inSyn[10], 0)
        XCTAssertEqual(Double(r.inSyn[11]), Double(w0), accuracy: 1e-7, "the first spike delivers w0")
        // A Poisson target applies no input, so inSyn keeps the sum of what was delivered.
        XCTAssertEqual(Double(r.inSyn[21]), Double(w0) + w1, accuracy: 1e-6, "the second delivers the updated weight")
    }

    func testWeightsClampAtWMax() {
        let p = AdditiveSTDPParameters(tauPlusMs: 15, tauMinusMs: 25, aPlus: 0.02, aMinus: 0.013, wMin: 0, wMax: 1, offset: 0)
        let r = simulate(preAt: [10], postAt: [12], w0: 0.995, parameters: p)
        XCTAssertEqual(r.weights[11], 0.995, "offset 0: the first pre spike changes nothing")
        XCTAssertEqual(r.weights[13], 1, "0.995 + 0.02·e^(−0.2/15) clamps to wMax exactly")
    }

    func testWeightsClampAtWMin() {
        let p = AdditiveSTDPParameters(tauPlusMs: 15, tauMinusMs: 25, aPlus: 0.02, aMinus: 0.013, wMin: 0, wMax: 1, offset: 1)
        let r = simulate(preAt: [10], postAt: [], w0: 0.005, parameters: p)
        XCTAssertEqual(r.weights[11], 0, "0.005 − 0.013 clamps to wMin = 0")
        let q = AdditiveSTDPParameters(tauPlusMs: 15, tauMinusMs: 25, aPlus: 0.02, aMinus: 0.13, wMin: 0.2, wMax: 1, offset: 1)
        let s = simulate(preAt: [10], postAt: [], w0: 0.25, parameters: q)
        XCTAssertEqual(s.weights[11], 0.2, "0.25 − 0.13 clamps to wMin = 0.2")
    }

    func testFrozenPlasticityKeepsWeightsButStillDeliversThem() {
        let r = simulate(preAt: [10, 20, 30], postAt: [12, 25], plastic: false)
        XCTAssertEqual(r.preSpikes, [10, 20, 30]); XCTAssertEqual(r.postSpikes, [12, 25])
        XCTAssertEqual(r.weights, [Float](repeating: w0, count: 60))
        XCTAssertEqual(r.inSyn[11], w0)
        XCTAssertEqual(r.inSyn[21], 2 * w0)
        XCTAssertEqual(r.inSyn[31], 3 * w0)
    }

    /// Several pre and post neurons: each synapse sees only its own pair of spike times.
    func testEachSynapseOfADenseGroupLearnsFromItsOwnPair() {
        let net = Network(dtMs: dt)
        let a = net.addPopulation(name: "pre", size: 2, model: poissonModel)
        let b = net.addPopulation(name: "post", size: 3, model: poissonModel)
        let w: [Float] = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6]  // row-major pre × post
        let g = net.connect(name: "stdp", from: a, to: b, connectivity: .dense, weights: .individual(w),
                            rule: .additiveSTDP(stdp), postsynaptic: .exponentialConductance(tauMs: 10, reversalPotentialMv: 0))
        drive(net, steps: 40, schedule: [a: [[5], [15]], b: [[10], [], [20]]])
        var expected = w.map(Double.init)
        // pre 0 at step 5 (processed at 6): every post neuron still has sT = −FLT_MAX.
        for j in 0..<3 { expected[j] = pre(expected[j], t: time(6), sTPost: nil, stdp) }
        // post 0 at step 10 (processed at 11): pre 0 spiked at 5, pre 1 never yet.
        expected[0] = post(expected[0], t: time(11), sTPre: time(5), stdp)
        expected[3] = post(expected[3], t: time(11), sTPre: nil, stdp)
        // pre 1 at step 15 (processed at 16): post 0 spiked at 10; posts 1, 2 never yet.
        expected[3] = pre(expected[3], t: time(16), sTPost: time(10), stdp)
        expected[4] = pre(expected[4], t: time(16), sTPost: nil, stdp)
        expected[5] = pre(expected[5], t: time(16), sTPost: nil, stdp)
        // post 2 at step 20 (processed at 21).
        expected[2] = post(expected[2], t: time(21), sTPre: time(5), stdp)
        expected[5] = post(expected[5], t: time(21), sTPre: time(15), stdp)
        let actual = net.synapseGroups[g].individualWeights!
        for s in 0..<6 { assertWeight(actual[s], expected[s], "synapse \(s / 3)→\(s % 3)") }
    }

    /// The same rule through sparse connectivity (weights in `targets` order).
    func testEachSynapseOfASparseGroupLearnsFromItsOwnPair() {
        let net = Network(dtMs: dt)
        let a = net.addPopulation(name: "pre", size: 2, model: poissonModel)
        let b = net.addPopulation(name: "post", size: 2, model: poissonModel)
        // 0 → {1}; 1 → {0, 1}
        let rows = SparseRows(rowStart: [0, 1, 3], targets: [1, 0, 1])
        let g = net.connect(name: "stdp", from: a, to: b, connectivity: .sparse(rows), weights: .individual([0.3, 0.4, 0.5]),
                            rule: .additiveSTDP(stdp), postsynaptic: .exponentialConductance(tauMs: 10, reversalPotentialMv: 0))
        drive(net, steps: 40, schedule: [a: [[10], []], b: [[], [20]]])
        let expected = [
            post(pre(0.3, t: time(11), sTPost: nil, stdp), t: time(21), sTPre: time(10), stdp),  // 0→1
            Double(Float(0.4)),                                                              // 1→0: no spikes on either side
            post(0.5, t: time(21), sTPre: nil, stdp),                                        // 1→1: pre 1 never spiked
        ]
        let actual = net.synapseGroups[g].individualWeights!
        for s in 0..<3 { assertWeight(actual[s], expected[s], "synapse \(s)") }
    }

    func testStaticSynapsesAreUnaffectedByPlasticity() {
        let net = Network(dtMs: dt)
        let a = net.addPopulation(name: "pre", size: 1, model: poissonModel)
        let b = net.addPopulation(name: "post", size: 1, model: poissonModel)
        let g = net.connect(name: "static", from: a, to: b, connectivity: .dense, weights: .individual([0.5]),
                            postsynaptic: .exponentialConductance(tauMs: 10, reversalPotentialMv: 0))
        drive(net, steps: 30, firingAt: [a: [5, 15], b: [10, 16]])
        XCTAssertEqual(net.synapseGroups[g].individualWeights, [0.5])
        XCTAssertEqual(net.synapseGroups[g].inSyn[0], 1.0)
    }
}
