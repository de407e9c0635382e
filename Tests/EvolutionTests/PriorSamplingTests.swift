import Evolution
import Foundation
import Randomness
import XCTest

/// Each prior's samples against its law: moments and a Kolmogorov–Smirnov bound over 20 000
/// samples, against the analytic CDF (or a Monte-Carlo reference for one composition).
final class PriorSamplingTests: XCTestCase {
    func testUniform() {
        let xs = samples(.uniform(lower: 2, upper: 5), seed: 1)
        XCTAssertTrue(xs.allSatisfy { $0 >= 2 && $0 < 5 })
        assertMean(xs, 3.5, variance: 0.75)
        XCTAssertEqual(variance(xs), 0.75, accuracy: 0.03)
        XCTAssertLessThan(ksDistance(xs, cdf: { min(max(($0 - 2) / 3, 0), 1) }), ksBound(xs.count))
    }

    func testUniformNeverReachesItsUpperEnd() {
        // The largest uniform double, 1 − 2⁻⁵³, makes 1 + 1·u round (to even) to exactly 2.
        var top = ConstantGenerator(word: .max)
        XCTAssertLessThan(Prior.uniform(lower: 1, upper: 2).sample(using: &top), 2)
        XCTAssertLessThan(Prior.logUniform(lower: 1, upper: 2).sample(using: &top), 2)
        var rng = Xoshiro256StarStar(seed: 9)
        XCTAssertEqual(Prior.uniform(lower: 4, upper: 4).sample(using: &rng), 4)
    }

    func testLogUniform() {
        let xs = samples(.logUniform(lower: 0.01, upper: 100), seed: 2)
        XCTAssertTrue(xs.allSatisfy { $0 >= 0.01 && $0 < 100 })
        let logs = xs.map { log10($0) }
        assertMean(logs, 0, variance: 16.0 / 12)  // log10 is uniform on [−2, 2)
        XCTAssertLessThan(ksDistance(xs, cdf: { min(max(log($0 / 0.01) / log(1e4), 0), 1) }), ksBound(xs.count))
    }

    func testIntegerUniformIsInclusive() {
        let xs = samples(.integerUniform(lower: -3, upper: 6), seed: 3)
        XCTAssertTrue(xs.allSatisfy { $0 == $0.rounded() && $0 >= -3 && $0 <= 6 })
        XCTAssertEqual(Set(xs), Set((-3...6).map(Double.init)), "both ends drawn")
        assertMean(xs, 1.5, variance: 8.25)
        XCTAssertEqual(variance(xs), 8.25, accuracy: 0.3)
        let cdf = { (x: Double) in min(max((floor(x) + 4) / 10, 0), 1) }
        let below = { (x: Double) in min(max((ceil(x) + 3) / 10, 0), 1) }
        XCTAssertLessThan(ksDistance(xs, cdf: cdf, cdfBelow: below), ksBound(xs.count))
    }

    func testIntegerUniformOverTheWholeRangeDoesNotTrap() {
        var rng = Xoshiro256StarStar(seed: 4)
        let x = Prior.integerUniform(lower: .min, upper: .max).sample(using: &rng)
        XCTAssertTrue(x.isFinite)
    }

    func testNormal() {
        let xs = samples(.normal(mean: 1, sd: 2), seed: 5)
        assertMean(xs, 1, variance: 4)
        XCTAssertEqual(variance(xs), 4, accuracy: 0.15)
        XCTAssertLessThan(ksDistance(xs, cdf: { phi(($0 - 1) / 2) }), ksBound(xs.count))
    }

    func testTruncatedNormalResamplesWithinBounds() {
        let xs = samples(.normal(mean: 0, sd: 1, lower: -0.5, upper: 2), seed: 6)
        XCTAssertTrue(xs.allSatisfy { $0 >= -0.5 && $0 <= 2 })
        let mass = phi(2) - phi(-0.5)
        let cdf = { (x: Double) in min(max((phi(x) - phi(-0.5)) / mass, 0), 1) }
        XCTAssertLessThan(ksDistance(xs, cdf: cdf), ksBound(xs.count))
    }

    func testTruncatedNormalGivesUpAndClampsAfterTheDocumentedAttempts() {
        var rng = Xoshiro256StarStar(seed: 7)
        var reference = rng
        let x = Prior.normal(mean: 0, sd: 1, lower: 40, upper: 41).sample(using: &rng)
        XCTAssertEqual(x, 40, "the last draw (far below) is clamped to the lower bound")
        for _ in 0..<(2 * Prior.normalMaxAttempts) { _ = reference.next() }
        XCTAssertEqual(rng, reference, "two uniforms per attempt, no more")
    }

    func testChoiceWeightsRepeatedValues() {
        let values: [Double] = [1, 2, 2, 7]
        let xs = samples(.choice(values), seed: 8)
        XCTAssertEqual(Set(xs), [1, 2, 7])
        assertBinomial(xs.filter { $0 == 2 }.count, trials: xs.count, p: 0.5)
        assertBinomial(xs.filter { $0 == 7 }.count, trials: xs.count, p: 0.25)
        let cdf = { (x: Double) in Double(values.filter { $0 <= x }.count) / 4 }
        let below = { (x: Double) in Double(values.filter { $0 < x }.count) / 4 }
        XCTAssertLessThan(ksDistance(xs, cdf: cdf, cdfBelow: below), ksBound(xs.count))
    }

    func testConstantConsumesNoRandomness() {
        var rng = Xoshiro256StarStar(seed: 10)
        let before = rng
        XCTAssertEqual(Prior.constant(3.25).sample(using: &rng), 3.25)
        XCTAssertEqual(rng, before)
    }

    /// stdp_tau: integer uniform [0, 99] × uniform [0, 1), with an atom of 1/100 at zero.
    func testProductOfIntegerAndUniform() {
        let xs = samples(.product(.integerUniform(lower: 0, upper: 99), .uniform(lower: 0, upper: 1)), seed: 11)
        XCTAssertTrue(xs.allSatisfy { $0 >= 0 && $0 < 99 })
        assertMean(xs, 49.5 * 0.5, variance: 328_350.0 / 100 / 3 - 24.75 * 24.75)
        func continuous(_ t: Double) -> Double { (1...99).reduce(0.0) { $0 + min(max(t / Double($1), 0), 1) } }
        let cdf = { (t: Double) in ((t >= 0 ? 1 : 0) + continuous(t)) / 100 }
        let below = { (t: Double) in ((t > 0 ? 1 : 0) + continuous(t)) / 100 }
        XCTAssertLessThan(ksDistance(xs, cdf: cdf, cdfBelow: below), ksBound(xs.count))
    }

    /// stdp_alpha: uniform [0, 1) ÷ integer uniform [1, 999 999].
    func testQuotientOfUniformAndInteger() {
        let m = 999_999
        let xs = samples(.quotient(.uniform(lower: 0, upper: 1), .integerUniform(lower: 1, upper: m)), seed: 12)
        XCTAssertTrue(xs.allSatisfy { $0 >= 0 && $0 < 1 })
        var harmonic = 0.0, squares = 0.0
        for k in 1...m { harmonic += 1 / Double(k); squares += 1 / (Double(k) * Double(k)) }
        let mu = 0.5 * harmonic / Double(m)
        assertMean(xs, mu, variance: squares / Double(m) / 3 - mu * mu)
        // P(U/K ≤ t) = (1/M) Σₖ min(1, t·k) = (t·K(K+1)/2 + M − K)/M with K = min(M, ⌊1/t⌋).
        let cdf = { (t: Double) -> Double in
            if t <= 0 { return 0 }
            if t >= 1 { return 1 }
            let k = Double(min(m, Int(1 / t)))
            return (t * k * (k + 1) / 2 + Double(m) - k) / Double(m)
        }
        XCTAssertLessThan(ksDistance(xs, cdf: cdf), ksBound(xs.count))
    }

    /// teacher: uniform [0, 1) × integer uniform [1, 2].
    func testProductOfUniformAndSmallInteger() {
        let xs = samples(.product(.uniform(lower: 0, upper: 1), .integerUniform(lower: 1, upper: 2)), seed: 13)
        XCTAssertTrue(xs.allSatisfy { $0 >= 0 && $0 < 2 })
        assertMean(xs, 0.75, variance: 2.5 / 3 - 0.5625)
        let cdf = { (t: Double) in 0.5 * (min(max(t, 0), 1) + min(max(t / 2, 0), 1)) }
        XCTAssertLessThan(ksDistance(xs, cdf: cdf), ksBound(xs.count))
    }

    func testSumOfUniformsIsTriangular() {
        let xs = samples(.sum(.uniform(lower: 0, upper: 1), .uniform(lower: 0, upper: 1)), seed: 14)
        assertMean(xs, 1, variance: 1.0 / 6)
        let cdf = { (t: Double) -> Double in
            t <= 0 ? 0 : t <= 1 ? t * t / 2 : t < 2 ? 1 - (2 - t) * (2 - t) / 2 : 1
        }
        XCTAssertLessThan(ksDistance(xs, cdf: cdf), ksBound(xs.count))
    }

    /// A composition against a Monte-Carlo reference built from its operands' own samples
    /// (two-sample KS bound at significance 0.001: 1.95·√(2/n)).
    func testQuotientMatchesMonteCarloReference() {
        let numerator = Prior.normal(mean: 5, sd: 1, lower: 3, upper: 7)
        let denominator = Prior.logUniform(lower: 1, upper: 4)
        let xs = samples(.quotient(numerator, denominator), seed: 15)
        let tops = samples(numerator, seed: 16), bottoms = samples(denominator, seed: 17)
        let reference = zip(tops, bottoms).map { $0 / $1 }.sorted()
        let empirical = { (t: Double) -> Double in
            var lo = 0, hi = reference.count
            while lo < hi { let mid = (lo + hi) / 2; if reference[mid] <= t { lo = mid + 1 } else { hi = mid } }
            return Double(lo) / Double(reference.count)
        }
        XCTAssertLessThan(ksDistance(xs, cdf: empirical), 1.95 * (2.0 / Double(xs.count)).squareRoot())
    }

    func testCompositionsDrawLeftThenRight() {
        let left = Prior.uniform(lower: 0, upper: 1), right = Prior.normal(mean: 3, sd: 1)
        var rng = Xoshiro256StarStar(seed: 18)
        var reference = rng
        let x = left.sample(using: &reference), y = right.sample(using: &reference)
        XCTAssertEqual(Prior.quotient(left, right).sample(using: &rng), x / y)
        XCTAssertEqual(rng, reference)
    }

    func testSamplingIsDeterministic() {
        for gene in seedGenes {
            XCTAssertEqual(samples(gene.prior, count: 100, seed: 19), samples(gene.prior, count: 100, seed: 19))
        }
        XCTAssertNotEqual(samples(.uniform(lower: 0, upper: 1), count: 10, seed: 19),
                          samples(.uniform(lower: 0, upper: 1), count: 10, seed: 20))
    }
}
