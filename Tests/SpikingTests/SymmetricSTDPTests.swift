import XCTest
import Spiking

/// GeNN 5 MNIST `symmetric_stdp` on hand-made spike pairs. Pre and post are Poisson neurons
/// driven to spike at chosen steps; a spike emitted at step k is processed in the synapse
/// update of step k+1, at t = (k+1)·dt, against the other side's last spike time (−FLT_MAX
/// before the first, giving exp(−Δ/tau) = 0). Expected weights are computed here in Double:
///   pre:  g = clamp(g + eta·(exp(−Δ/tau) − rho))
///   post: g = clamp(g + eta·max(exp(−Δ/tau) − rho, −0.1·rho))
final class SymmetricSTDPTests: XCTestCase {
    /// Large eta so every change is far above Float resolution.
    let p = SymmetricSTDPParameters(tauMs: 10, rho: 0.2, eta: 0.1, wMin: 0, wMax: 1)
    let w0: Float = 0.5

    private func time(_ k: Int) -> Double { Double(k) * Double(dt) }
    private func clamp(_ w: Double, _ q: SymmetricSTDPParameters) -> Double { min(Double(q.wMax), max(Double(q.wMin), w)) }
    private func pre(_ w: Double, t: Double, stPost: Double?, _ q: SymmetricSTDPParameters) -> Double {
        let e = stPost.map { exp(-(t - $0) / Double(q.tauMs)) } ?? 0
        return clamp(w + Double(q.eta) * (e - Double(q.rho)), q)
    }
    private func post(_ w: Double, t: Double, stPre: Double?, _ q: SymmetricSTDPParameters) -> Double {
        let e = stPre.map { exp(-(t - $0) / Double(q.tauMs)) } ?? 0
        return clamp(w + Double(q.eta) * max(e - Double(q.rho), -0.1 * Double(q.rho)), q)
    }

    /// One pre and one post Poisson neuron joined by a dense symmetric-STDP synapse; the weight
    /// and the group's inSyn after every step.
    private func simulate(preAt: Set<Int>, postAt: Set<Int>, steps: Int = 60, w0: Float? = nil,
                          parameters: SymmetricSTDPParameters? = nil, plastic: Bool = true)
        -> (weights: [Float], inSyn: [Float]) {
        let net = Network(dtMs: dt)
        let a = net.addPopulation(name: "pre", size: 1, model: poissonModel)
        let b = net.addPopulation(name: "post", size: 1, model: poissonModel)
        let g = net.connect(name: "kc_mbon", from: a, to: b, connectivity: .dense, weights: .individual([w0 ?? self.w0]),
                            rule: .symmetricSTDP(parameters ?? p), postsynaptic: .exponentialCurrent(tauMs: 3))
        net.synapseGroups[g].isPlastic = plastic
        var weights: [Float] = [], inSyn: [Float] = []
        drive(net, steps: steps, firingAt: [a: preAt, b: postAt]) { _ in
            weights.append(net.synapseGroups[g].individualWeights![0])
            inSyn.append(net.synapseGroups[g].inSyn[0])
        }
        return (weights, inSyn)
    }

    private func assertWeight(_ actual: Float, _ expected: Double, _ message: String,
                              file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(Double(actual), expected, accuracy: 1e-6, message, file: file, line: line)
    }

    func testAFirstPresynapticSpikeDepressesByEtaRho() {
        let r = simulate(preAt: [10], postAt: [])
        for k in 0...10 { XCTAssertEqual(r.weights[k], w0, "step \(k): processed in step 11") }
        assertWeight(r.weights[11], 0.5 - 0.1 * 0.2, "g + eta·(0 − rho) = 0.48")
        assertWeight(r.weights[59], 0.48, "no further change")
    }

    func testAFirstPostsynapticSpikeDepressesOnlyToTheFloorMinusATenthOfRho() {
        let r = simulate(preAt: [], postAt: [10])
        XCTAssertEqual(r.weights[10], w0)
        assertWeight(r.weights[11], 0.5 - 0.1 * 0.02, "g + eta·max(0 − rho, −0.1·rho) = 0.498")
    }

    func testPostThenPreAppliesThePreRuleWithTheIntervalFromThePostSpike() {
        let r = simulate(preAt: [30], postAt: [10])
        var w = post(Double(w0), t: time(11), stPre: nil, p)
        assertWeight(r.weights[11], w, "after the post spike")
        assertWeight(r.weights[30], w, "unchanged until the pre spike is processed")
        w = pre(w, t: time(31), stPost: time(10), p)  // Δ = 2.1 ms
        assertWeight(r.weights[31], w, "after the pre spike")
        assertWeight(r.weights[31], 0.498 + 0.1 * (exp(-0.21) - 0.2), "hand-computed: 0.498 + 0.1·(e^−0.21 − 0.2)")
    }

    func testPreThenPostAppliesThePostRuleWithTheIntervalFromThePreSpike() {
        let r = simulate(preAt: [10], postAt: [30])
        assertWeight(r.weights[11], 0.48, "the pre spike saw no post spike")
        assertWeight(r.weights[31], 0.48 + 0.1 * (exp(-0.21) - 0.2), "Δ = 2.1 ms, above the floor")
    }

    func testAPostSpikeLongAfterThePreSpikeIsHeldAtTheFloor() {
        // Δ = 29.1 ms: exp(−2.91) − 0.2 = −0.146 < −0.02, so the floor applies.
        let r = simulate(preAt: [10], postAt: [300], steps: 320)
        XCTAssertLessThan(exp(-2.91) - 0.2, -0.02, "the case is below the floor")
        assertWeight(r.weights[301], 0.48 - 0.1 * 0.02, "0.48 + eta·(−0.1·rho), not eta·(e^−2.91 − rho)")
    }

    func testThePreRuleHasNoFloor() {
        // Post at 10, pre at 300: Δ = 29.1 ms, the pre rule applies the full exp(−2.91) − 0.2.
        let r = simulate(preAt: [300], postAt: [10], steps: 320)
        assertWeight(r.weights[301], 0.498 + 0.1 * (exp(-2.91) - 0.2), "no floor on the pre rule")
    }

    func testSimultaneousSpikesApplyThePreRuleThenThePostRuleEachWithIntervalDt() {
        let r = simulate(preAt: [20], postAt: [20])
        var w = pre(Double(w0), t: time(21), stPost: time(20), p)
        w = post(w, t: time(21), stPre: time(20), p)
        assertWeight(r.weights[21], w, "Δ = dt for both rules, pre rule first")
    }

    func testWeightsClipAtWMaxAndWMin() {
        let strong = SymmetricSTDPParameters(tauMs: 10, rho: 0.2, eta: 1, wMin: 0.1, wMax: 0.6)
        let up = simulate(preAt: [10], postAt: [12], w0: 0.5, parameters: strong)
        XCTAssertEqual(up.weights[11], 0.3, accuracy: 1e-6, "0.5 − 1·0.2")
        XCTAssertEqual(up.weights[13], 0.6, "0.3 + (e^−0.03 − 0.2) = 1.07 clips to wMax")
        let down = simulate(preAt: [10, 20], postAt: [], w0: 0.3, parameters: strong)
        XCTAssertEqual(down.weights[11], 0.1, accuracy: 1e-6, "0.3 − 0.2")
        XCTAssertEqual(down.weights[21], 0.1, "0.1 − 0.2 clips to wMin")
    }

    func testAPlasticGroupTransmitsNothing() {
        let r = simulate(preAt: [5, 15, 25], postAt: [])
        XCTAssertEqual(r.inSyn, [Float](repeating: 0, count: 60), "symmetric_stdp has no addToPost")
    }

    func testAFrozenGroupTransmitsItsWeightAndNeverChangesIt() {
        let r = simulate(preAt: [5, 25], postAt: [15, 35], plastic: false)
        XCTAssertEqual(Set(r.weights), [w0], "frozen: no learning")
        XCTAssertEqual(r.inSyn[5], 0)
        XCTAssertEqual(r.inSyn[6], w0, "StaticPulse: inSyn += g one step after the spike")
        XCTAssertGreaterThan(r.inSyn[26], r.inSyn[25], "the second spike adds g again")
    }

    func testAFrozenGroupDrivesAnLIFTargetThroughExpCurr() {
        // The test phase: learned g delivered as a current into an MBON.
        let net = Network(dtMs: dt)
        let kc = net.addPopulation(name: "KC", size: 3, model: poissonModel)
        let mbon = net.addPopulation(name: "MBON", size: 2, model: .lif(LIFParameters(Vthresh: 1e9)))
        let g = net.connect(name: "kc_mbon", from: kc, to: mbon, connectivity: .dense,
                            weights: .individual([0.1, 0, 0.2, 0, 0.3, 0]), rule: .symmetricSTDP(p),
                            postsynaptic: .exponentialCurrent(tauMs: 3))
        drive(net, steps: 10, schedule: [kc: [[2], [2], [2]]])
        XCTAssertEqual(net.populations[mbon].membranePotential, [-60, -60], "plastic: nothing arrives")
        net.synapseGroups[g].isPlastic = false
        drive(net, steps: 10, schedule: [kc: [[2], [2], [2]]])
        let V = net.populations[mbon].membranePotential
        XCTAssertGreaterThan(V[0], -60, "MBON 0 receives 0.1 + 0.2 + 0.3 nA of charge")
        XCTAssertEqual(V[1], -60, "MBON 1's weights are 0")
    }

    func testEachSynapseOfADenseGroupLearnsFromItsOwnPair() {
        // 3 pre × 2 post; pre i spikes at 10 + 10·i, post j at 40 + 5·j.
        let net = Network(dtMs: dt)
        let a = net.addPopulation(name: "pre", size: 3, model: poissonModel)
        let b = net.addPopulation(name: "post", size: 2, model: poissonModel)
        let g = net.connect(name: "stdp", from: a, to: b, connectivity: .dense,
                            weights: .individual([Float](repeating: w0, count: 6)), rule: .symmetricSTDP(p),
                            postsynaptic: .deltaCurrent)
        drive(net, steps: 60, schedule: [a: [[10], [20], [30]], b: [[40], [45]]])
        let w = net.synapseGroups[g].individualWeights!
        for i in 0..<3 {
            for j in 0..<2 {
                var e = pre(Double(w0), t: time(11 + 10 * i), stPost: nil, p)
                e = post(e, t: time(41 + 5 * j), stPre: time(10 + 10 * i), p)
                assertWeight(w[i * 2 + j], e, "synapse \(i)→\(j)")
            }
        }
    }

    func testEachSynapseOfASparseGroupLearnsFromItsOwnPair() {
        // Rows: 0 → {0, 1}, 1 → {1}; pre 0 at 10, pre 1 at 20; post 1 at 25 only.
        let net = Network(dtMs: dt)
        let a = net.addPopulation(name: "pre", size: 2, model: poissonModel)
        let b = net.addPopulation(name: "post", size: 2, model: poissonModel)
        let rows = SparseRows(rowStart: [0, 2, 3], targets: [0, 1, 1])
        let g = net.connect(name: "stdp", from: a, to: b, connectivity: .sparse(rows),
                            weights: .individual([w0, w0, w0]), rule: .symmetricSTDP(p), postsynaptic: .deltaCurrent)
        drive(net, steps: 40, schedule: [a: [[10], [20]], b: [[], [25]]])
        let w = net.synapseGroups[g].individualWeights!
        let afterPre = pre(Double(w0), t: time(11), stPost: nil, p)
        assertWeight(w[0], afterPre, "0→0: pre rule only")
        assertWeight(w[1], post(afterPre, t: time(26), stPre: time(10), p), "0→1: then the post rule, Δ = 1.6 ms")
        assertWeight(w[2], post(pre(Double(w0), t: time(21), stPost: nil, p), t: time(26), stPre: time(20), p),
                     "1→1: Δ = 0.6 ms")
        XCTAssertEqual(net.synapseGroups[g].inSyn[0], 0)
    }

    func testTheMNISTParametersAreGeNNsExample() {
        let q = SymmetricSTDPParameters.mnistMushroomBody
        XCTAssertEqual([q.tauMs, q.rho, q.eta, q.wMin, q.wMax], [15, 0.01, 0.00002, 0, 0.0233])
    }
}
