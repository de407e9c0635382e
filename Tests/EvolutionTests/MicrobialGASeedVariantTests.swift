import Evolution
import Randomness
import XCTest

/// The seed variant's rules, on the seed's genes and the sum-of-genes fitness.
final class MicrobialGASeedVariantTests: XCTestCase {
    let configuration = MicrobialGAConfiguration(variant: .seed, populationSize: 10, tournaments: 300)

    func testInitialPopulationIsDrawnMemberByMemberGeneByGene() {
        var rng = Xoshiro256StarStar(seed: 30)
        var reference = rng
        let members = MicrobialGA.initialPopulation(genes: seedGenes, size: 4, using: &rng)
        XCTAssertEqual(members.count, 4)
        for member in members {
            XCTAssertEqual(member.values, seedGenes.map { $0.draw(using: &reference) })
        }
        XCTAssertEqual(rng, reference)
    }

    func testTheHigherStoredFitnessWins() throws {
        var (ga, rng) = try makeGA(configuration, seed: 31)
        for plan in try play(&ga, &rng, count: 300) {
            XCTAssertNotEqual(plan.a, plan.b)
            XCTAssertEqual(Set([plan.a, plan.b]), Set([plan.winner, plan.loser]))
            XCTAssertGreaterThanOrEqual(plan.winnerFitness, plan.loserFitness)
            if plan.winnerFitness == plan.loserFitness { XCTAssertEqual(plan.winner, plan.b) }
        }
    }

    func testATieGoesToTheSecondPick() throws {
        var rng = Xoshiro256StarStar(seed: 32)
        let members = MicrobialGA.initialPopulation(genes: seedGenes, size: 10, using: &rng)
        let ga = try MicrobialGA(configuration: configuration, genes: seedGenes, population: members,
                                 fitness: Array(repeating: 1, count: 10))
        for _ in 0..<200 {
            let plan = ga.planTournament(using: &rng)
            XCTAssertEqual(plan.winner, plan.b)
            XCTAssertEqual(plan.loser, plan.a)
        }
    }

    func testNaNLosesToAnyNumberAndTwoNaNsTie() throws {
        var rng = Xoshiro256StarStar(seed: 33)
        let members = MicrobialGA.initialPopulation(genes: seedGenes, size: 2, using: &rng)
        let two = MicrobialGAConfiguration(populationSize: 2, tournaments: 1)
        let mixed = try MicrobialGA(configuration: two, genes: seedGenes, population: members, fitness: [.nan, -1e300])
        let both = try MicrobialGA(configuration: two, genes: seedGenes, population: members, fitness: [.nan, .nan])
        var firsts: Set<Int> = []
        for _ in 0..<50 {
            let plan = mixed.planTournament(using: &rng)
            firsts.insert(plan.a)
            XCTAssertEqual(plan.winner, 1, "a number beats NaN, whichever was picked first")
            let tie = both.planTournament(using: &rng)
            XCTAssertEqual(tie.winner, tie.b, "two NaNs tie: the second pick wins")
        }
        XCTAssertEqual(firsts, [0, 1])
        XCTAssertTrue(MicrobialGA.beats(-.infinity, .nan))
        XCTAssertFalse(MicrobialGA.beats(.nan, .nan))
        XCTAssertFalse(MicrobialGA.beats(.nan, -.infinity))
    }

    func testTheLoserTakesExactlyHalfTheGenesAndOneIsRedrawn() throws {
        for genes in [seedGenes, GeneSet(Array(seedGenes) + [Gene(name: "extra", prior: .uniform(lower: 0, upper: 1))])] {
            var (ga, rng) = try makeGA(configuration, genes: genes, seed: 34)
            for plan in try play(&ga, &rng, count: 300) {
                XCTAssertEqual(plan.crossoverMask.filter { $0 }.count, genes.count / 2)
                XCTAssertEqual(plan.mutatedGenes.filter { $0 }.count, 1)
                for i in 0..<genes.count where !plan.mutatedGenes[i] {
                    let source = plan.crossoverMask[i] ? plan.winnerGenotype : plan.loserGenotype
                    XCTAssertEqual(plan.child[i].bitPattern, source[i].bitPattern, "gene \(i)")
                }
                let m = plan.mutatedGenes.firstIndex(of: true)!
                let gene = genes[m], value = plan.child[m]
                XCTAssertTrue(gene.prior.support.contains(value), "\(gene.name) = \(value)")
                XCTAssertEqual(gene.constrain(value), value, "redrawn through Gene.draw")
            }
        }
    }

    func testCrossoverPositionsAndTheMutatedGeneAreUniform() throws {
        var (ga, rng) = try makeGA(configuration, seed: 35)
        let plans = try play(&ga, &rng, count: 3_000)
        for i in 0..<6 {
            assertBinomial(plans.filter { $0.crossoverMask[i] }.count, trials: plans.count, p: 0.5, "crossover at \(i)")
            assertBinomial(plans.filter { $0.mutatedGenes[i] }.count, trials: plans.count, p: 1.0 / 6, "mutation at \(i)")
        }
        // The redrawn w_max follows its prior, uniform on [0, 1) at 4 decimals.
        let redrawn = plans.filter { $0.mutatedGenes[3] }.map { $0.child[3] }
        XCTAssertLessThan(ksDistance(redrawn, cdf: { min(max($0, 0), 1) }), ksBound(redrawn.count) + 1e-4)
    }

    func testCompleteReplacesOnlyTheLoser() throws {
        var (ga, rng) = try makeGA(configuration, seed: 36)
        for _ in 0..<100 {
            let before = ga.state
            let plan = ga.planTournament(using: &rng)
            XCTAssertEqual(ga.state, before, "planning changes nothing")
            let childFitness = sumFitness(plan.child)
            let stats = try ga.complete(plan, childFitness: childFitness)
            for slot in 0..<10 where slot != plan.loser {
                XCTAssertEqual(ga.state.population[slot], before.population[slot])
                XCTAssertEqual(ga.state.fitness[slot], before.fitness[slot])
            }
            XCTAssertEqual(ga.state.population[plan.loser], plan.child)
            XCTAssertEqual(ga.state.fitness[plan.loser], childFitness)
            XCTAssertEqual(stats.best, ga.state.fitness.max())
            XCTAssertEqual(stats.minimum, ga.state.fitness.min())
            XCTAssertEqual(stats.mean, mean(ga.state.fitness), accuracy: 1e-9 * abs(stats.mean))
            XCTAssertEqual(ga.state.fitnessTrace.last, stats.best)
            XCTAssertEqual(ga.tournamentsCompleted, before.tournamentsCompleted + 1)
        }
    }

    func testTheTraceNeverDecreases() throws {
        var (ga, rng) = try makeGA(configuration, seed: 37)
        // A noisy fitness that often scores children below their parents.
        var noise = Xoshiro256StarStar(seed: 38)
        try play(&ga, &rng, count: 300) { sumFitness($0) * noise.nextUniformDouble() }
        let trace = ga.state.fitnessTrace
        XCTAssertEqual(trace.count, 300)
        XCTAssertTrue(ga.isFinished)
        for t in 1..<trace.count { XCTAssertGreaterThanOrEqual(trace[t], trace[t - 1]) }
        XCTAssertEqual(trace.last, ga.state.fitness.max())
        XCTAssertEqual(ga.state.fitness[ga.bestSlot], ga.state.fitness.max())
    }

    func testSameSeedSamePlans() throws {
        var (ga1, rng1) = try makeGA(configuration, seed: 39)
        var (ga2, rng2) = try makeGA(configuration, seed: 39)
        var (ga3, rng3) = try makeGA(configuration, seed: 40)
        let plans1 = try play(&ga1, &rng1, count: 100)
        XCTAssertEqual(plans1, try play(&ga2, &rng2, count: 100))
        XCTAssertNotEqual(plans1, try play(&ga3, &rng3, count: 100))
        XCTAssertEqual(ga1, ga2)
    }
}
