import XCTest
import Randomness
import Spiking

/// GeNN's FixedProbability connectivity: every (pre, post) pair independently with probability p.
final class FixedProbabilityTests: XCTestCase {
    private func matrix(_ pre: Int, _ post: Int, _ p: Double, seed: UInt64 = 5) -> SparseRows {
        var rng = Xoshiro256StarStar(seed: seed)
        return SparseRows.fixedProbability(preCount: pre, postCount: post, probability: p, using: &rng)
    }

    private func assertWellFormed(_ m: SparseRows, pre: Int, post: Int, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(m.rowStart.count, pre + 1, file: file, line: line)
        XCTAssertEqual(m.rowStart.first, 0, file: file, line: line)
        XCTAssertEqual(Int(m.rowStart.last!), m.targets.count, file: file, line: line)
        XCTAssertEqual(m.synapseCount, m.targets.count, file: file, line: line)
        for i in 0..<pre {
            let row = m.targets[Int(m.rowStart[i])..<Int(m.rowStart[i + 1])]
            XCTAssertLessThanOrEqual(m.rowStart[i], m.rowStart[i + 1], file: file, line: line)
            XCTAssertTrue(zip(row.dropFirst(), row).allSatisfy { $0 > $1 }, "row \(i) not increasing", file: file, line: line)
            XCTAssertTrue(row.allSatisfy { $0 >= 0 && Int($0) < post }, "row \(i) out of range", file: file, line: line)
        }
    }

    func testSynapseCountIsWithinFiveSigmaOfTheExpectation() {
        for (pre, post, p) in [(784, 1000, 0.2), (500, 300, 0.01), (200, 50, 0.9), (1000, 7, 0.5)] {
            let m = matrix(pre, post, p)
            assertWellFormed(m, pre: pre, post: post)
            let n = Double(pre * post)
            let sigma = (n * p * (1 - p)).squareRoot()
            XCTAssertEqual(Double(m.synapseCount), n * p, accuracy: 5 * sigma, "\(pre)×\(post), p = \(p)")
        }
    }

    /// Every column, the first and the last included, is hit about pre·p times: the geometric
    /// skips neither favour nor miss the ends of a row.
    func testEveryPostNeuronIsEquallyLikelyToBeATarget() {
        let pre = 20_000, post = 40, p = 0.1
        let m = matrix(pre, post, p, seed: 11)
        var hits = [Int](repeating: 0, count: post)
        for t in m.targets { hits[Int(t)] += 1 }
        let mean = Double(pre) * p, sigma = (Double(pre) * p * (1 - p)).squareRoot()
        for j in 0..<post {
            XCTAssertEqual(Double(hits[j]), mean, accuracy: 5 * sigma, "column \(j)")
        }
        // Row lengths are Binomial(post, p): check their mean and variance.
        let lengths = (0..<pre).map { Double(m.rowStart[$0 + 1] - m.rowStart[$0]) }
        let mu = lengths.reduce(0, +) / Double(pre)
        let variance = lengths.map { ($0 - mu) * ($0 - mu) }.reduce(0, +) / Double(pre - 1)
        XCTAssertEqual(mu, Double(post) * p, accuracy: 0.05)
        XCTAssertEqual(variance, Double(post) * p * (1 - p), accuracy: 0.15)
    }

    func testProbabilityZeroGivesNoSynapsesAndOneGivesAll() {
        let none = matrix(30, 20, 0)
        assertWellFormed(none, pre: 30, post: 20)
        XCTAssertEqual(none.synapseCount, 0)
        XCTAssertEqual(none.rowStart, [Int32](repeating: 0, count: 31))
        let all = matrix(30, 20, 1)
        assertWellFormed(all, pre: 30, post: 20)
        XCTAssertEqual(all.synapseCount, 600)
        XCTAssertEqual(all.targets, (0..<30).flatMap { _ in (0..<20).map(Int32.init) })
        XCTAssertEqual(matrix(0, 20, 0.5).rowStart, [0])
        XCTAssertEqual(matrix(5, 0, 0.5).synapseCount, 0)
    }

    func testProbabilityZeroAndOneDrawNoRandomNumbers() {
        for p in [0.0, 1.0] {
            var rng = Xoshiro256StarStar(seed: 3)
            let before = rng
            _ = SparseRows.fixedProbability(preCount: 10, postCount: 10, probability: p, using: &rng)
            XCTAssertEqual(rng, before, "p = \(p)")
        }
    }

    func testTheSameSeedGivesTheSameMatrixAndAnotherSeedAnother() {
        let a = matrix(300, 200, 0.2, seed: 42), b = matrix(300, 200, 0.2, seed: 42), c = matrix(300, 200, 0.2, seed: 43)
        XCTAssertEqual(a, b)
        XCTAssertNotEqual(a.targets, c.targets)
    }
}
