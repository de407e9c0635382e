import Evolution
import Foundation
import Randomness
import XCTest

/// Checkpoint and resume, stale plans, and validation of the configuration and state.
final class MicrobialGACheckpointTests: XCTestCase {
    let encoder: JSONEncoder = {
        let e = JSONEncoder()
        e.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return e
    }()
    let decoder: JSONDecoder = {
        let d = JSONDecoder()
        d.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return d
    }()

    /// A fitness that fails (NaN) now and then, so checkpoints carry NaN.
    func flakyFitness(_ g: Genotype) -> Double { g[3] < 0.1 ? .nan : sumFitness(g) }

    func testResumingFromACheckpointPlansWhatTheUninterruptedRunPlans() throws {
        for variant: MicrobialGAConfiguration.Variant in [
            .seed, .harvey(crossoverProbability: 0.5, mutationProbability: 0.2, mutation: .gaussian(scale: 0.05)),
        ] {
            let config = MicrobialGAConfiguration(variant: variant, populationSize: 8, tournaments: 100, demeSize: 2)
            var (ga, rng) = try makeGA(config, seed: 60)
            try play(&ga, &rng, count: 50, fitness: flakyFitness)

            // Checkpoint: the GA's state and the generator's state words, through JSON.
            let savedState = try encoder.encode(ga.state)
            let savedWords = try encoder.encode(rng.stateWords)

            let uninterrupted = try play(&ga, &rng, count: 50, fitness: flakyFitness)

            let state = try decoder.decode(MicrobialGAState.self, from: savedState)
            let w = try decoder.decode([UInt64].self, from: savedWords)
            var resumedRNG = Xoshiro256StarStar(state: (w[0], w[1], w[2], w[3]))
            var resumed = try MicrobialGA(configuration: config, genes: seedGenes, state: state)
            XCTAssertEqual(resumed.planTournament(using: &resumedRNG), uninterrupted[0])

            resumedRNG = Xoshiro256StarStar(state: (w[0], w[1], w[2], w[3]))
            let replayed = try play(&resumed, &resumedRNG, count: 50, fitness: flakyFitness)
            XCTAssertEqual(replayed, uninterrupted)
            XCTAssertEqual(resumed, ga)
            XCTAssertEqual(resumedRNG, rng)
            XCTAssertTrue(resumed.isFinished)
        }
    }

    func testTheWholeGACodesAndValidatesWhenDecoded() throws {
        let config = MicrobialGAConfiguration(populationSize: 4, tournaments: 10)
        var (ga, rng) = try makeGA(config, seed: 61)
        try play(&ga, &rng, count: 5)
        let data = try encoder.encode(ga)
        XCTAssertEqual(try decoder.decode(MicrobialGA.self, from: data), ga)

        var broken = try JSONSerialization.jsonObject(with: data) as! [String: Any]
        var state = broken["state"] as! [String: Any]
        state["tournamentsCompleted"] = 6
        broken["state"] = state
        XCTAssertThrowsError(try decoder.decode(MicrobialGA.self, from: JSONSerialization.data(withJSONObject: broken)))
    }

    func testAStalePlanIsRefusedAndChangesNothing() throws {
        let config = MicrobialGAConfiguration(populationSize: 4, tournaments: 10)
        var (ga, rng) = try makeGA(config, seed: 62)
        let plan = ga.planTournament(using: &rng)
        try ga.complete(plan, childFitness: 1)
        let after = ga.state
        XCTAssertThrowsError(try ga.complete(plan, childFitness: 1)) { error in
            guard case MicrobialGAError.planMismatch = error else { return XCTFail("\(error)") }
        }
        var tampered = ga.planTournament(using: &rng)
        tampered.loserGenotype[0] += 1
        XCTAssertThrowsError(try ga.complete(tampered, childFitness: 1))
        var short = ga.planTournament(using: &rng)
        short.child = [1]
        XCTAssertThrowsError(try ga.complete(short, childFitness: 1))
        XCTAssertEqual(ga.state, after)
    }

    func testConfigurationValidationNamesTheField() {
        func fields(_ c: MicrobialGAConfiguration) -> [String] { c.validate().map(\.field) }
        XCTAssertEqual(fields(MicrobialGAConfiguration(populationSize: 100, tournaments: 5_000)), [])
        XCTAssertEqual(fields(MicrobialGAConfiguration(populationSize: 1, tournaments: 5)), ["populationSize"])
        XCTAssertEqual(fields(MicrobialGAConfiguration(populationSize: 2, tournaments: -1)), ["tournaments"])
        XCTAssertEqual(fields(MicrobialGAConfiguration(populationSize: 2, tournaments: 1, demeSize: 0)), ["demeSize"])
        XCTAssertEqual(fields(MicrobialGAConfiguration(
            variant: .harvey(crossoverProbability: 1.5, mutationProbability: .nan), populationSize: 2, tournaments: 1)),
                       ["variant.crossoverProbability", "variant.mutationProbability"])
        XCTAssertEqual(fields(MicrobialGAConfiguration(
            variant: .harvey(crossoverProbability: 0, mutationProbability: 1, mutation: .gaussian(scale: 0)),
            populationSize: 2, tournaments: 1)), ["variant.mutation.scale"])
    }

    func testInitializersRefuseInconsistentStates() throws {
        let config = MicrobialGAConfiguration(populationSize: 3, tournaments: 1)
        let g: Genotype = [1, 1, 1e-6, 0.5, 1e-6, 1]
        func fields(_ body: () throws -> MicrobialGA) -> [String] {
            do {
                _ = try body()
                return []
            } catch let MicrobialGAError.invalid(problems) {
                return problems.map(\.field)
            } catch {
                return ["unexpected \(error)"]
            }
        }
        XCTAssertEqual(fields { try MicrobialGA(configuration: config, genes: seedGenes, population: [g, g, g], fitness: [1, 2, 3]) }, [])
        XCTAssertEqual(fields { try MicrobialGA(configuration: config, genes: seedGenes, population: [g, g], fitness: [1, 2]) },
                       ["state.population"])
        XCTAssertEqual(fields { try MicrobialGA(configuration: config, genes: seedGenes, population: [g, g, [1]], fitness: [1, 2, 3]) },
                       ["state.population"])
        XCTAssertEqual(fields { try MicrobialGA(configuration: config, genes: seedGenes, population: [g, g, g], fitness: [1]) },
                       ["state.fitness"])
        XCTAssertEqual(fields { try MicrobialGA(configuration: config, genes: seedGenes,
                                                state: MicrobialGAState(population: [g, g, g], fitness: [1, 2, 3], tournamentsCompleted: 2)) },
                       ["state.fitnessTrace"])
        XCTAssertEqual(fields { try MicrobialGA(configuration: MicrobialGAConfiguration(populationSize: 1, tournaments: 1),
                                                genes: GeneSet([]), population: [[]], fitness: [0]) },
                       ["populationSize", "genes"])
    }

    func testStatisticsIgnoreNaN() {
        let s = PopulationStatistics(fitness: [1, .nan, 3])
        XCTAssertEqual(s, PopulationStatistics(best: 3, mean: 2, minimum: 1, nanCount: 1))
        let none = PopulationStatistics(fitness: [.nan, .nan])
        XCTAssertTrue(none.best.isNaN && none.mean.isNaN && none.minimum.isNaN)
        XCTAssertEqual(none.nanCount, 2)
    }
}
