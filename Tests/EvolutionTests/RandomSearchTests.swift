import Evolution
import Randomness
import XCTest

/// Random search, the GA's control: the GA's budget, the best so far as its trace, the GA's
/// initial population, and a pure function of the generator.
final class RandomSearchTests: XCTestCase {
    /// Runs a search of `steps` draws on `sumFitness`, returning it and every fitness evaluated.
    func run(population: Int, steps: Int, seed: UInt64) throws -> (RandomSearch, [Double], [Genotype]) {
        var rng = Xoshiro256StarStar(seed: seed)
        let initial = MicrobialGA.initialPopulation(genes: seedGenes, size: population, using: &rng)
        var evaluated = initial.map(sumFitness)
        var search = try RandomSearch(genes: seedGenes, populationSize: population, steps: steps,
                                      state: MicrobialGAState(population: initial, fitness: evaluated))
        var drawn = initial
        while !search.isFinished {
            let plan = search.planTournament(using: &rng)
            let f = sumFitness(plan.child)
            evaluated.append(f)
            drawn.append(plan.child)
            try search.complete(plan, childFitness: f)
        }
        return (search, evaluated, drawn)
    }

    func testEvaluatesExactlyWhatTheGAWouldPopulationPlusTournaments() throws {
        for (n, t) in [(2, 0), (6, 20), (10, 7)] {
            let (search, evaluated, _) = try run(population: n, steps: t, seed: 3)
            XCTAssertEqual(evaluated.count, n + t)
            XCTAssertEqual(search.tournamentsCompleted, t)
            XCTAssertEqual(search.state.fitnessTrace.count, t)
        }
    }

    func testTraceIsTheBestFitnessFoundSoFar() throws {
        let (search, evaluated, _) = try run(population: 4, steps: 30, seed: 11)
        for t in 0..<30 {
            XCTAssertEqual(search.state.fitnessTrace[t], evaluated.prefix(4 + t + 1).max()!, "after draw \(t)")
        }
    }

    func testPopulationIsTheBestNSoFar() throws {
        let (search, evaluated, drawn) = try run(population: 5, steps: 40, seed: 5)
        XCTAssertEqual(search.state.fitness.sorted(by: >), Array(evaluated.sorted(by: >).prefix(5)))
        for (g, f) in zip(search.state.population, search.state.fitness) {
            XCTAssertEqual(sumFitness(g), f)
            XCTAssertTrue(drawn.contains(g))
        }
    }

    func testEveryDrawComesFromThePriorsAndChallengesTheWeakest() throws {
        var rng = Xoshiro256StarStar(seed: 1)
        let genes = GeneSet([Gene(name: "x", prior: .uniform(lower: 0, upper: 1))])
        let state = MicrobialGAState(population: [Genotype([0.5]), Genotype([0.1]), Genotype([0.9])], fitness: [0.5, 0.1, 0.9])
        var search = try RandomSearch(genes: genes, populationSize: 3, steps: 1, state: state)
        var copy = rng
        let plan = search.planTournament(using: &rng)
        // The draw is exactly GeneSet.draw from the same generator.
        XCTAssertEqual(plan.child, genes.draw(using: &copy))
        XCTAssertEqual([plan.a, plan.b, plan.winner, plan.loser], [1, 1, 1, 1])
        XCTAssertEqual(plan.crossoverMask, [false])
        XCTAssertEqual(plan.mutatedGenes, [true])
        // A worse child is discarded, a better one replaces the weakest.
        XCTAssertNil(search.slotTaken(by: plan, childFitness: 0.05))
        XCTAssertEqual(search.slotTaken(by: plan, childFitness: 0.2), 1)
        var kept = search
        try kept.complete(plan, childFitness: 0.2)
        XCTAssertEqual(kept.state.fitness, [0.5, 0.2, 0.9])
        try search.complete(plan, childFitness: 0.05)
        XCTAssertEqual(search.state.fitness, [0.5, 0.1, 0.9])
        XCTAssertEqual(search.state.fitnessTrace, [0.9])
    }

    func testWeakestTreatsNaNAsLowestAndTiesGoToTheLowerSlot() throws {
        let genes = GeneSet([Gene(name: "x", prior: .uniform(lower: 0, upper: 1))])
        let members = [Genotype([0]), Genotype([0]), Genotype([0])]
        XCTAssertEqual(try RandomSearch(genes: genes, populationSize: 3, steps: 1,
                                        state: MicrobialGAState(population: members, fitness: [1, .nan, 0])).weakestSlot, 1)
        XCTAssertEqual(try RandomSearch(genes: genes, populationSize: 3, steps: 1,
                                        state: MicrobialGAState(population: members, fitness: [2, 1, 1])).weakestSlot, 1)
    }

    func testSameSeedSameSearchAndTheGAsInitialPopulation() throws {
        let (a, _, drawnA) = try run(population: 6, steps: 15, seed: 42)
        let (b, _, drawnB) = try run(population: 6, steps: 15, seed: 42)
        XCTAssertEqual(a, b)
        XCTAssertEqual(drawnA, drawnB)
        var rng = Xoshiro256StarStar(seed: 42)
        XCTAssertEqual(Array(drawnA.prefix(6)), MicrobialGA.initialPopulation(genes: seedGenes, size: 6, using: &rng))
        let (c, _, _) = try run(population: 6, steps: 15, seed: 43)
        XCTAssertNotEqual(a, c)
    }

    func testRejectsAPlanFromAnotherState() throws {
        var (search, _, _) = try run(population: 3, steps: 2, seed: 9)
        var rng = Xoshiro256StarStar(seed: 1)
        let plan = search.planTournament(using: &rng)
        var stale = plan
        stale.tournament += 1
        XCTAssertThrowsError(try search.complete(stale, childFitness: 1))
        XCTAssertThrowsError(try RandomSearch(genes: seedGenes, populationSize: 1, steps: 1,
                                              state: MicrobialGAState(population: [Genotype([1, 1, 1, 1, 1, 1])], fitness: [1])))
    }
}
