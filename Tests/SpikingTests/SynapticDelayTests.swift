import XCTest
import Spiking

/// GeNN's order of a step: spikes emitted in step k are delivered in the synapse update of
/// step k+1, so they change their targets first at step k+1, never in the step they occur.
final class SynapticDelayTests: XCTestCase {
    /// Three sources onto four probes; sources 0 and 2 spike at step `k`.
    private func assertOneStepDelay(connectivity: Connectivity, weights: SynapticWeights, expected: [Float],
                                    file: StaticString = #filePath, line: UInt = #line) {
        let k = 6
        let net = Network(dtMs: dt)
        let pre = net.addPopulation(name: "pre", size: 3, model: poissonModel)
        let post = net.addPopulation(name: "post", size: 4, model: integratingProbe)
        net.connect(name: "syn", from: pre, to: post, connectivity: connectivity, weights: weights, postsynaptic: .deltaCurrent)
        net.populations[pre].isRecording = true
        var V: [[Float]] = []
        drive(net, steps: 12, schedule: [pre: [[k], [], [k]]]) { _ in V.append(net.populations[post].membranePotential) }
        XCTAssertEqual(net.populations[pre].recordedSteps, [UInt32(k), UInt32(k)], file: file, line: line)
        XCTAssertEqual(V[k], [0, 0, 0, 0], "nothing arrives in the step of the spike", file: file, line: line)
        XCTAssertEqual(V[k + 1], expected, "everything arrives one step later", file: file, line: line)
        XCTAssertEqual(V[11], expected, "and only once", file: file, line: line)
    }

    // Sparse rows: 0 → {1, 3}, 1 → {0, 2}, 2 → {0, 1}.
    let rows = SparseRows(rowStart: [0, 2, 4, 6], targets: [1, 3, 0, 2, 0, 1])

    func testSpikeReachesTargetOneStepLaterThroughASparseGroupWithAGlobalWeight() {
        assertOneStepDelay(connectivity: .sparse(rows), weights: .global(0.5), expected: [0.5, 1.0, 0, 0.5])
    }

    func testSpikeReachesTargetOneStepLaterThroughASparseGroupWithIndividualWeights() {
        // Weights in `targets` order: synapse s has weight s + 1.
        assertOneStepDelay(connectivity: .sparse(rows), weights: .individual([1, 2, 3, 4, 5, 6]),
                           expected: [5, 1 + 6, 0, 2])
    }

    func testSpikeReachesTargetOneStepLaterThroughADenseGroupWithAGlobalWeight() {
        assertOneStepDelay(connectivity: .dense, weights: .global(0.25), expected: [0.5, 0.5, 0.5, 0.5])
    }

    func testSpikeReachesTargetOneStepLaterThroughADenseGroupWithIndividualWeights() {
        // Row-major pre × post: w[i·4 + j] = 10·i + j.
        let w: [Float] = (0..<3).flatMap { i in (0..<4).map { j in Float(10 * i + j) } }
        assertOneStepDelay(connectivity: .dense, weights: .individual(w), expected: [0 + 20, 1 + 21, 2 + 22, 3 + 23])
    }

    /// A chain pre → A → B of always-firing integrate-and-fire relays: each hop costs exactly
    /// one step, whatever the order in which the populations were added.
    func testEachHopOfAChainCostsOneStep() {
        let net = Network(dtMs: dt)
        let relay = NeuronModel.integrateAndFire(.init(Vthresh: 1))
        let b = net.addPopulation(name: "B", size: 1, model: relay)  // added before its source
        let a = net.addPopulation(name: "A", size: 1, model: relay)
        let pre = net.addPopulation(name: "pre", size: 1, model: poissonModel)
        net.connect(name: "pre→A", from: pre, to: a, connectivity: .dense, weights: .global(1), postsynaptic: .deltaCurrent)
        net.connect(name: "A→B", from: a, to: b, connectivity: .dense, weights: .global(1), postsynaptic: .deltaCurrent)
        for p in [a, b, pre] { net.populations[p].isRecording = true }
        drive(net, steps: 10, firingAt: [pre: [3]])
        XCTAssertEqual(spikeSteps(net.populations[pre]), [3])
        XCTAssertEqual(spikeSteps(net.populations[a]), [4])
        XCTAssertEqual(spikeSteps(net.populations[b]), [5])
    }
}
