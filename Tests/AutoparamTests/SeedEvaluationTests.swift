import Cluster
import ExperimentFiles
import MushroomBodyModel
import Randomness
import RunFile
import Runner
import XCTest

/// K networks per genotype: the aggregate, every network's record in the run file, their
/// seeds, and the random-search control recorded the same way, whatever the thread count.
final class SeedEvaluationTests: XCTestCase {
    // MARK: - Aggregation, hand-checked

    func testAggregatesOfHandPickedValues() {
        XCTAssertEqual(SeedSettings.Aggregate.mean.apply([1, 2, 6]), 3)
        XCTAssertEqual(SeedSettings.Aggregate.median.apply([6, 1, 2]), 2)
        XCTAssertEqual(SeedSettings.Aggregate.median.apply([4, 1, 2, 10]), 3)
        XCTAssertEqual(SeedSettings.Aggregate.min.apply([4, 1, 2]), 1)
        XCTAssertTrue(SeedSettings.Aggregate.mean.apply([1, .nan]).isNaN)
    }

    func result(_ fitness: Double, _ components: [Double], _ status: EvaluationStatus = .ok) -> EvaluationResult {
        // An unsimulated result (w_max < 0 is outside its domain), its fields then set by hand.
        let images = PresentedImages(pixels: [UInt8](repeating: 0, count: 784), labels: [0])
        var r = Evaluator.evaluate(parameters: try! MushroomBodyParameters().setting("w_max", to: -1), training: images,
                                   settings: EvaluationSettings(), seed: 1)
        r.fitness = fitness
        r.components = components
        r.status = status
        r.spikeCounts = [Int(fitness * 10)]
        r.wallSeconds = 0.5
        return r
    }

    func testCombineAggregatesFitnessAndComponentsKeepsNetworkZerosRest() {
        let failure = EvaluationStatus.invalidGenotype(["w_max: negative"])
        let combined = SeedSettings(seeds: 3, aggregate: .min).combine([result(0.5, [1, 9]), result(0.25, [3, 2], failure), result(0.75, [2, 4])])
        XCTAssertEqual(combined.fitness, 0.25)
        XCTAssertEqual(combined.components, [1, 2])
        XCTAssertEqual(combined.status, failure)
        XCTAssertEqual(combined.spikeCounts, [5])
        XCTAssertEqual(combined.wallSeconds, 1.5)
        let one = result(0.5, [1, 9])
        XCTAssertEqual(SeedSettings().combine([one]).fitness, one.fitness)
    }

    // MARK: - Runs

    static let text = """
        name: kseed
        seed: 5
        replicates: 2
        dataset: {count: 8}
        protocol: {stimulus_ms: 5, blank_ms: 3, epochs: 2, order: shuffled}
        model: {kc_count: 20}
        genes:
          teacher: {prior: {uniform: [0, 2]}, round: 2}
          w_max:   {prior: {uniform: [0, 1]}, round: 3}
        evaluation: {seeds: 3, aggregate: median}
        ga: {population: 3, tournaments: 3}
        record: {spikes: [DN, GGN]}

        """

    func experiment(_ output: String, overrides: [String] = []) throws -> Experiment {
        var e = try ExperimentLoader.parse(text: Self.text, fileName: "kseed.yaml", overrides: overrides)
        e.output = output
        return e
    }

    func testRunFileKeepsEveryNetworkAndTheirAggregate() throws {
        let dir = try LearningSupport.scratch("kseed")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let e = try experiment(dir + "/k.h5")
        _ = try ExperimentRunner.run(e, options: RunOptions(quiet: true))
        let reader = try RunReader(path: e.output)
        defer { try? reader.close() }
        XCTAssertEqual(reader.layout.seedCount, 3)
        XCTAssertEqual(reader.layout.seedAggregate, "median")
        let seeds = RunSeeds(master: 5)
        let (_, training, test) = try ExperimentRunner.images(for: e)
        for r in 0..<2 {
            let table = try reader.evaluations(replicate: r)
            XCTAssertEqual(table.fitness.count, 6)
            for row in 0..<6 {
                let networks = try reader.seedEvaluations(replicate: r, row: row)
                XCTAssertEqual(networks.count, 3)
                XCTAssertEqual(table.fitness[row], SeedSettings.Aggregate.median.apply(networks.map(\.fitness)))
                XCTAssertEqual(networks.map(\.seed), (0..<3).map { seeds.evaluation(replicate: r, row: row, seedIndex: $0) })
                XCTAssertEqual(networks[0].seed, table.seeds[row])
                XCTAssertEqual(networks[0].spikes, try reader.evaluation(replicate: r, row: row).spikes)
                XCTAssertNotEqual(networks[1].spikes, networks[2].spikes)
            }
        }
        // Network 2 of replicate 1's row 4, re-simulated on its own, gives the stored result.
        let genotype = try reader.evaluations(replicate: 1).genotypes[4]
        let parameters = try e.parameters(for: .init(genotype))
        let settings = EvaluationSettings(variant: e.variant, rubric: e.rubric, recordedPopulations: ["DN", "GGN"],
                                          protocolSettings: e.protocolSettings)
        let again = Evaluator.evaluate(parameters: parameters, training: training, test: test, settings: settings,
                                       seed: seeds.evaluation(replicate: 1, row: 4, seedIndex: 2))
        let stored = try reader.seedEvaluations(replicate: 1, row: 4)[2]
        XCTAssertEqual(stored.fitness, again.fitness)
        XCTAssertEqual(stored.components, again.components)
        XCTAssertEqual(stored.spikes, [again.spikes["DN"]!, again.spikes["GGN"]!])
        XCTAssertEqual(try reader.seed(replicate: 1, evaluation: 4, seedIndex: 2), stored.seed)
        XCTAssertThrowsError(try reader.seed(replicate: 1, evaluation: 4, seedIndex: 3))
    }

    func testOneNetworkRunHasNoSeedsGroup() throws {
        let dir = try LearningSupport.scratch("k1")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let e = try experiment(dir + "/k1.h5", overrides: ["evaluation.seeds=1", "replicates=1", "ga.tournaments=1"])
        _ = try ExperimentRunner.run(e, options: RunOptions(quiet: true))
        let reader = try RunReader(path: e.output)
        defer { try? reader.close() }
        XCTAssertEqual(reader.layout.seedCount, 1)
        XCTAssertEqual(try reader.seedEvaluations(replicate: 0, row: 0), [])
        XCTAssertFalse(try ClusterSupport.datasets(e.output).keys.contains { $0.contains("/seeds/") })
    }

    func testRandomVariantRecordsTheGAsBudgetAndIsTheSameWhateverTheThreadCount() throws {
        let dir = try LearningSupport.scratch("random")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var outputs: [String] = []
        for threads in [1, 3] {
            var e = try experiment(dir + "/random-\(threads).h5", overrides: ["ga={variant: random, population: 3, tournaments: 4}"])
            e.threads = threads
            _ = try ExperimentRunner.run(e, options: RunOptions(quiet: true))
            outputs.append(e.output)
        }
        try ClusterSupport.assertSameRun(outputs[0], outputs[1])
        let reader = try RunReader(path: outputs[0])
        defer { try? reader.close() }
        for r in 0..<2 {
            let table = try reader.evaluations(replicate: r)
            XCTAssertEqual(table.fitness.count, 3 + 4)
            let trace = try reader.tournaments(replicate: r).map(\.bestFitness)
            for t in 0..<4 { XCTAssertEqual(trace[t], table.fitness.prefix(3 + t + 1).max()) }
        }
        // The GA twin starts from the same genotypes.
        let ga = try experiment(dir + "/ga.h5", overrides: ["ga={population: 3, tournaments: 0}"])
        _ = try ExperimentRunner.run(ga, options: RunOptions(quiet: true))
        let gaReader = try RunReader(path: ga.output)
        defer { try? gaReader.close() }
        XCTAssertEqual(try gaReader.evaluations(replicate: 0).genotypes, Array(try reader.evaluations(replicate: 0).genotypes.prefix(3)))
    }

    func testMergedShardsOfAKSeedRunEqualTheSingleRun() throws {
        let dir = try LearningSupport.scratch("kmerge")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        _ = try ExperimentRunner.run(try experiment(dir + "/full.h5"), options: RunOptions(quiet: true))
        _ = try ExperimentRunner.run(try experiment(dir + "/a.h5"), options: RunOptions(quiet: true, replicates: [0]))
        _ = try ExperimentRunner.run(try experiment(dir + "/b.h5"), options: RunOptions(quiet: true, replicates: [1]))
        try RunMerger.merge(parts: [dir + "/a.h5", dir + "/b.h5"], output: dir + "/merged.h5", options: MergeOptions(strict: true))
        try ClusterSupport.assertSameRun(dir + "/full.h5", dir + "/merged.h5")
        // Replicate 1 resumed into the file that ran only replicate 0.
        _ = try ExperimentRunner.run(try experiment(dir + "/a.h5"), options: RunOptions(resume: true, quiet: true, replicates: [1]))
        try ClusterSupport.assertSameRun(dir + "/full.h5", dir + "/a.h5")
    }
}
