import XCTest
import Randomness
import Spiking

/// GeNN's `FixedNumberPreWithReplacement` (the MNIST PN→KC fan-in of 20): exactly N
/// presynaptic partners per postsynaptic neuron, drawn uniformly with replacement, stored in
/// pre-major rows.
final class FixedNumberPreTests: XCTestCase {
    private func build(pre: Int, post: Int, n: Int, seed: UInt64) -> SparseRows {
        var rng = Xoshiro256StarStar(seed: seed)
        return SparseRows.fixedNumberPreWithReplacement(preCount: pre, postCount: post, numberPerPost: n, using: &rng)
    }

    func testEveryPostsynapticNeuronHasExactlyNPartnersCountingDuplicates() {
        let rows = build(pre: 784, post: 2000, n: 20, seed: 1)
        XCTAssertEqual(rows.rowStart.count, 785)
        XCTAssertEqual(rows.rowStart.first, 0)
        XCTAssertEqual(Int(rows.rowStart.last!), rows.synapseCount)
        XCTAssertEqual(rows.synapseCount, 2000 * 20)
        var fanIn = [Int](repeating: 0, count: 2000)
        for t in rows.targets { fanIn[Int(t)] += 1 }
        XCTAssertEqual(Set(fanIn), [20], "fan-in is exactly 20 for every KC")
    }

    func testRowsAreWellFormedAndSortedByTarget() {
        let rows = build(pre: 50, post: 300, n: 7, seed: 2)
        for i in 0..<50 {
            let lo = Int(rows.rowStart[i]), hi = Int(rows.rowStart[i + 1])
            XCTAssertLessThanOrEqual(lo, hi)
            let row = Array(rows.targets[lo..<hi])
            XCTAssertEqual(row, row.sorted(), "row \(i) is in non-decreasing target order")
            XCTAssertTrue(row.allSatisfy { $0 >= 0 && $0 < 300 })
        }
    }

    func testPresynapticIndicesAreUniform() {
        // 60 000 draws over 50 PNs: 1200 expected each. χ² with 49 degrees of freedom has mean 49
        // and standard deviation 9.9; fail beyond 5σ.
        let pre = 50
        let rows = build(pre: pre, post: 3000, n: 20, seed: 3)
        let expected = Double(rows.synapseCount) / Double(pre)
        var chi2 = 0.0
        for i in 0..<pre {
            let observed = Double(rows.rowStart[i + 1] - rows.rowStart[i])
            chi2 += (observed - expected) * (observed - expected) / expected
        }
        XCTAssertLessThan(chi2, 49 + 5 * 9.9, "χ² = \(chi2)")
        XCTAssertGreaterThan(chi2, 5, "χ² = \(chi2) is suspiciously small for random draws")
    }

    func testDuplicatesOccurAtTheRateOfDrawingWithReplacement() {
        // With 10 pres and 5 draws per post, P(all distinct) = 10·9·8·7·6 / 10⁵ = 0.3024.
        let rows = build(pre: 10, post: 4000, n: 5, seed: 4)
        var partners = [[Int32]](repeating: [], count: 4000)
        for i in 0..<10 {
            for s in Int(rows.rowStart[i])..<Int(rows.rowStart[i + 1]) { partners[Int(rows.targets[s])].append(Int32(i)) }
        }
        let distinct = partners.filter { Set($0).count == $0.count }.count
        let p = 0.3024, sd = (4000 * p * (1 - p)).squareRoot()
        XCTAssertEqual(Double(distinct), 4000 * p, accuracy: 5 * sd)
    }

    func testEachDuplicateSynapseTransmits() {
        // One PN, so every KC draws it N = 4 times: a PN spike delivers 4·g to every KC.
        let rows = build(pre: 1, post: 3, n: 4, seed: 5)
        XCTAssertEqual(rows.targets, [0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2])
        let net = Network(dtMs: dt)
        let pn = net.addPopulation(name: "PN", size: 1, model: poissonModel)
        let kc = net.addPopulation(name: "KC", size: 3, model: integratingProbe)
        net.connect(name: "PN→KC", from: pn, to: kc, connectivity: .sparse(rows), weights: .global(0.2),
                    postsynaptic: .deltaCurrent)
        drive(net, steps: 5, firingAt: [pn: [1]])
        XCTAssertEqual(net.populations[kc].membranePotential, [0.8, 0.8, 0.8])
    }

    func testTheSameSeedGivesTheSameMatrixAndAnotherSeedAnother() {
        XCTAssertEqual(build(pre: 784, post: 500, n: 20, seed: 9), build(pre: 784, post: 500, n: 20, seed: 9))
        XCTAssertNotEqual(build(pre: 784, post: 500, n: 20, seed: 9), build(pre: 784, post: 500, n: 20, seed: 10))
    }

    func testZeroPartnersGivesEmptyRows() {
        let rows = build(pre: 5, post: 8, n: 0, seed: 1)
        XCTAssertEqual(rows.rowStart, [0, 0, 0, 0, 0, 0])
        XCTAssertEqual(rows.synapseCount, 0)
    }
}
