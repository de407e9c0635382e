import Evolution
import Foundation
import Randomness
import XCTest

/// The seed's six genes, written with the module's priors exactly as the seed draws them.
let seedGenes = GeneSet([
    Gene(name: "kc_count", prior: .integerUniform(lower: 0, upper: 2199)),
    Gene(name: "stdp_tau", prior: .product(.integerUniform(lower: 0, upper: 99), .uniform(lower: 0, upper: 1)), decimals: 4),
    Gene(name: "stdp_alpha", prior: .quotient(.uniform(lower: 0, upper: 1), .integerUniform(lower: 1, upper: 999_999)), decimals: 8),
    Gene(name: "w_max", prior: .uniform(lower: 0, upper: 1), decimals: 4),
    Gene(name: "stdp_offset", prior: .quotient(.uniform(lower: 0, upper: 1), .integerUniform(lower: 1, upper: 999_999)), decimals: 8),
    Gene(name: "teacher", prior: .product(.uniform(lower: 0, upper: 1), .integerUniform(lower: 1, upper: 2)), decimals: 2),
])

/// A cheap analytic fitness: the sum of the genes.
func sumFitness(_ genotype: Genotype) -> Double { genotype.values.reduce(0, +) }

/// `count` samples of `prior` from a generator seeded with `seed`.
func samples(_ prior: Prior, count: Int = 20_000, seed: UInt64) -> [Double] {
    var rng = Xoshiro256StarStar(seed: seed)
    return (0..<count).map { _ in prior.sample(using: &rng) }
}

/// The Kolmogorov–Smirnov distance sup |Fₙ(x) − F(x)| between the samples' empirical CDF and
/// a CDF given by its right-continuous values `cdf(x) = P(X ≤ x)` and left limits
/// `cdfBelow(x) = P(X < x)` (equal for a continuous law; pass both for atoms). The supremum
/// is attained at a sample value or just below one, so both sides of each are checked.
func ksDistance(
    _ samples: [Double], cdf: (Double) -> Double, cdfBelow: ((Double) -> Double)? = nil
) -> Double {
    let sorted = samples.sorted()
    let n = Double(sorted.count)
    var d = 0.0
    var i = 0
    while i < sorted.count {
        let x = sorted[i]
        var j = i
        while j < sorted.count && sorted[j] == x { j += 1 }
        let below = Double(i) / n, atOrBelow = Double(j) / n
        let left = cdfBelow?(x) ?? cdf(x)
        d = max(d, abs(atOrBelow - cdf(x)), abs(below - left))
        i = j
    }
    return d
}

/// The KS critical distance at significance 0.001 for n samples (1.95/√n).
func ksBound(_ n: Int) -> Double { 1.95 / Double(n).squareRoot() }

func mean(_ xs: [Double]) -> Double { xs.reduce(0, +) / Double(xs.count) }

func variance(_ xs: [Double]) -> Double {
    let m = mean(xs)
    return xs.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(xs.count - 1)
}

/// Asserts the sample mean is within 5 standard errors of `expected` for a law of
/// variance `variance`.
func assertMean(
    _ xs: [Double], _ expected: Double, variance v: Double,
    file: StaticString = #filePath, line: UInt = #line
) {
    let tolerance = 5 * (v / Double(xs.count)).squareRoot()
    XCTAssertEqual(mean(xs), expected, accuracy: tolerance, "mean", file: file, line: line)
}

/// Asserts the count of successes in `trials` Bernoulli(p) trials is within 5 standard
/// deviations of its expectation.
func assertBinomial(
    _ successes: Int, trials: Int, p: Double, _ message: String = "",
    file: StaticString = #filePath, line: UInt = #line
) {
    let expected = Double(trials) * p
    let sd = (Double(trials) * p * (1 - p)).squareRoot()
    XCTAssertEqual(Double(successes), expected, accuracy: max(5 * sd, 1), message, file: file, line: line)
}

/// The standard normal CDF.
func phi(_ x: Double) -> Double { 0.5 * erfc(-x / 2.0.squareRoot()) }

/// A generator that always returns the same word (to probe edge cases such as u → 1).
struct ConstantGenerator: RandomNumberGenerator {
    var word: UInt64
    mutating func next() -> UInt64 { word }
}

/// A microbial GA over `genes` whose initial population is drawn and scored with
/// ``sumFitness(_:)``, and the generator left where the initial draws ended.
func makeGA(
    _ configuration: MicrobialGAConfiguration, genes: GeneSet = seedGenes, seed: UInt64
) throws -> (MicrobialGA, Xoshiro256StarStar) {
    var rng = Xoshiro256StarStar(seed: seed)
    let members = MicrobialGA.initialPopulation(genes: genes, size: configuration.populationSize, using: &rng)
    let ga = try MicrobialGA(
        configuration: configuration, genes: genes, population: members, fitness: members.map(sumFitness))
    return (ga, rng)
}

/// Plays `count` tournaments with ``sumFitness(_:)``, returning the plans.
@discardableResult
func play(
    _ ga: inout MicrobialGA, _ rng: inout Xoshiro256StarStar, count: Int,
    fitness: (Genotype) -> Double = sumFitness
) throws -> [TournamentPlan] {
    var plans: [TournamentPlan] = []
    for _ in 0..<count {
        let plan = ga.planTournament(using: &rng)
        try ga.complete(plan, childFitness: fitness(plan.child))
        plans.append(plan)
    }
    return plans
}
