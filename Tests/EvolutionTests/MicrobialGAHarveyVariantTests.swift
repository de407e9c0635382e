import Evolution
import Randomness
import XCTest

/// Harvey's variant and demes.
final class MicrobialGAHarveyVariantTests: XCTestCase {
    func testCopyAndMutationProbabilities() throws {
        let config = MicrobialGAConfiguration(
            variant: .harvey(crossoverProbability: 0.3, mutationProbability: 0.1), populationSize: 12, tournaments: 2_000)
        var (ga, rng) = try makeGA(config, seed: 50)
        let plans = try play(&ga, &rng, count: 2_000)
        let genes = plans.count * 6
        assertBinomial(plans.reduce(0) { $0 + $1.crossoverMask.filter { $0 }.count }, trials: genes, p: 0.3, "copies")
        assertBinomial(plans.reduce(0) { $0 + $1.mutatedGenes.filter { $0 }.count }, trials: genes, p: 0.1, "mutations")
        for plan in plans {
            for i in 0..<6 where !plan.mutatedGenes[i] {
                let source = plan.crossoverMask[i] ? plan.winnerGenotype : plan.loserGenotype
                XCTAssertEqual(plan.child[i].bitPattern, source[i].bitPattern)
            }
            for i in 0..<6 where plan.mutatedGenes[i] {
                XCTAssertEqual(seedGenes[i].constrain(plan.child[i]), plan.child[i])
                XCTAssertTrue(seedGenes[i].prior.support.contains(plan.child[i]))
            }
        }
        let trace = ga.state.fitnessTrace
        for t in 1..<trace.count { XCTAssertGreaterThanOrEqual(trace[t], trace[t - 1], "the winner is kept here too") }
    }

    func testDefaultCrossoverProbabilityIsAHalf() throws {
        let config = MicrobialGAConfiguration(variant: .harvey(mutationProbability: 0), populationSize: 5, tournaments: 1)
        guard case let .harvey(p, _, mutation) = config.variant else { return XCTFail() }
        XCTAssertEqual(p, 0.5)
        XCTAssertEqual(mutation, .redraw)
        var (ga, rng) = try makeGA(config, seed: 51)
        let plans = try play(&ga, &rng, count: 1_000)
        assertBinomial(plans.reduce(0) { $0 + $1.crossoverMask.filter { $0 }.count }, trials: 6_000, p: 0.5)
        XCTAssertTrue(plans.allSatisfy { !$0.mutatedGenes.contains(true) })
    }

    func testGaussianStepsScaleWithTheRangeAndStayInside() throws {
        let genes = GeneSet([
            Gene(name: "wide", prior: .uniform(lower: 0, upper: 100)),
            Gene(name: "clipped", prior: .uniform(lower: 0, upper: 1), lowerBound: 0.25, upperBound: 0.5),
            Gene(name: "open", prior: .normal(mean: 0, sd: 1)),
        ])
        let config = MicrobialGAConfiguration(
            variant: .harvey(crossoverProbability: 0, mutationProbability: 1, mutation: .gaussian(scale: 0.01)),
            populationSize: 2, tournaments: 1)
        var rng = Xoshiro256StarStar(seed: 52)
        var steps: [[Double]] = [[], [], []]
        for _ in 0..<4_000 {
            let ga = try MicrobialGA(configuration: config, genes: genes,
                                     population: [[50, 0.25, 3], [50, 0.25, 3]], fitness: [0, 1])
            let plan = ga.planTournament(using: &rng)
            for i in 0..<3 { steps[i].append(plan.child[i] - plan.loserGenotype[i]) }
            XCTAssertTrue(genes[1].range.contains(plan.child[1]))
        }
        XCTAssertEqual(variance(steps[0]).squareRoot(), 1, accuracy: 0.05, "0.01 × width 100")
        XCTAssertEqual(variance(steps[2]).squareRoot(), 0.01, accuracy: 0.0005, "unbounded: absolute")
        assertBinomial(steps[1].filter { $0 == 0 }.count, trials: 4_000, p: 0.5, "half the steps clip at the bound")
        XCTAssertTrue(steps[1].allSatisfy { $0 >= 0 && $0 <= 0.25 })
    }

    func testDemePicksStayWithinDistanceOnTheRing() {
        var rng = Xoshiro256StarStar(seed: 53)
        var offsets: [Int: Int] = [:]
        for _ in 0..<8_000 {
            let (a, b) = MicrobialGA.pickPair(populationSize: 20, demeSize: 2, using: &rng)
            var offset = (b - a + 20) % 20
            if offset > 10 { offset -= 20 }
            offsets[offset, default: 0] += 1
        }
        XCTAssertEqual(Set(offsets.keys), [-2, -1, 1, 2])
        for (_, count) in offsets { assertBinomial(count, trials: 8_000, p: 0.25) }
    }

    func testDemesThatWrapAreTheWholePopulation() {
        var rng = Xoshiro256StarStar(seed: 54)
        var pairs: [[Int]: Int] = [:]
        for _ in 0..<12_000 {
            let (a, b) = MicrobialGA.pickPair(populationSize: 4, demeSize: 2, using: &rng)
            XCTAssertNotEqual(a, b)
            pairs[[a, b], default: 0] += 1
        }
        XCTAssertEqual(pairs.count, 12)
        for (_, count) in pairs { assertBinomial(count, trials: 12_000, p: 1.0 / 12) }
    }

    func testDemeRunRespectsDistance() throws {
        let config = MicrobialGAConfiguration(variant: .seed, populationSize: 30, tournaments: 500, demeSize: 3)
        var (ga, rng) = try makeGA(config, seed: 55)
        for plan in try play(&ga, &rng, count: 500) {
            let d = abs(plan.a - plan.b)
            XCTAssertTrue((1...3).contains(min(d, 30 - d)), "\(plan.a) vs \(plan.b)")
        }
    }
}
