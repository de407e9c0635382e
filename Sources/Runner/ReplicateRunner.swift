import Evolution
import Randomness
import ExperimentFiles
import MushroomBodyModel
import RunFile

/// Where a replicate resumes from: the state saved by its last checkpoint.
public struct ReplicateResumePoint: Sendable {
    public var population: [Genotype]
    public var fitness: [Double]
    /// Evaluation row of each slot's current genotype.
    public var evaluationRows: [Int]
    /// The GA generator's four state words.
    public var rngState: [UInt64]
    /// Tournaments completed.
    public var nextTournament: Int
    /// Best stored fitness after each completed tournament.
    public var fitnessTrace: [Double]

    public init(population: [Genotype], fitness: [Double], evaluationRows: [Int], rngState: [UInt64],
                nextTournament: Int, fitnessTrace: [Double]) {
        self.population = population; self.fitness = fitness; self.evaluationRows = evaluationRows
        self.rngState = rngState; self.nextTournament = nextTournament; self.fitnessTrace = fitnessTrace
    }
}

/// How a replicate ended.
public enum ReplicateOutcome: String, Sendable {
    case complete, interrupted, failed
}

/// Runs the microbial GA of one replicate: evaluates, records every evaluation and
/// tournament, and checkpoints after the initial population and after every tournament.
struct ReplicateRunner: Sendable {
    let experiment: Experiment
    let training: PresentedImages
    let test: PresentedImages?
    let replicate: Int
    let seeds: RunSeeds
    let pool: EvaluationPool
    let writer: RunFileWriter
    let stop: StopSignal
    let progress: RunProgress

    var settings: EvaluationSettings {
        EvaluationSettings(variant: experiment.variant, rubric: experiment.rubric,
                           recordedPopulations: experiment.record.allEvaluations ? experiment.record.populations : [],
                           recordFinalWeights: experiment.record.finalWeights)
    }

    /// The GeNN MNIST network's protocol: one MBON per class up to the highest label of the
    /// images, one pass (the learning settings replace these when they exist).
    var gennMNISTProtocol: GeNNMNISTProtocol {
        GeNNMNISTProtocol(classCount: ((training.labels + (test?.labels ?? [])).max() ?? 0) + 1, epochs: 1)
    }

    /// Evaluate `genotype` as row `row` on `threads` threads (the result does not depend on them).
    func evaluate(_ genotype: Genotype, row: Int, threads: Int = 1) -> EvaluationResult {
        let seed = seeds.evaluation(replicate: replicate, row: row)
        let parameters: NetworkParameters
        do {
            parameters = try experiment.networkParameters(for: genotype)
        } catch {
            // Gene names are validated with the experiment; this cannot happen for a valid one.
            preconditionFailure("genotype does not fit the experiment: \(error)")
        }
        let result = NetworkEvaluator.evaluate(parameters: parameters, training: training, test: test,
                                               protocol: gennMNISTProtocol, settings: settings, seed: seed,
                                               threads: threads)
        progress.evaluated()
        return result
    }

    func record(_ result: EvaluationResult, genotype: Genotype, row: Int, tournament: Int, slot: Int) -> EvaluationRecord {
        let names = settings.recordedPopulations
        let sizes = names.map { name in Int32(result.populationSizes[result.populationNames.firstIndex(of: name)!]) }
        return EvaluationRecord(
            genotype: genotype.values, fitness: result.fitness, maxFitness: result.maxFitness, components: result.components,
            status: result.status.code, statusMessage: result.status.message,
            seed: seeds.evaluation(replicate: replicate, row: row), wallSeconds: result.wallSeconds,
            tournament: Int64(tournament), slot: Int32(slot), populationSizes: sizes,
            spikes: names.map { result.spikes[$0] ?? SpikeTrain() },
            finalWeights: experiment.record.finalWeights ? (result.finalWeights ?? []) : nil)
    }

    func checkpoint(_ ga: MicrobialGA, rng: Xoshiro256StarStar, rows: [Int]) -> CheckpointRecord {
        CheckpointRecord(populationGenotypes: ga.state.population.map(\.values), populationFitness: ga.state.fitness,
                         populationEvaluationRows: rows.map(Int64.init), rngState: rng.stateWords,
                         nextTournament: Int64(ga.tournamentsCompleted))
    }

    /// Run the replicate to its configured number of tournaments, or until a stop is requested.
    func run(resumingFrom resume: ReplicateResumePoint?) throws -> ReplicateOutcome {
        let config = experiment.ga
        let genes = experiment.genes
        let size = config.populationSize
        var rng: Xoshiro256StarStar
        var ga: MicrobialGA
        var rows: [Int]
        try writer.setStatus(replicate: replicate, .running, wallSeconds: 0)
        if let resume {
            let w = resume.rngState
            rng = Xoshiro256StarStar(state: (w[0], w[1], w[2], w[3]))
            ga = try MicrobialGA(configuration: config, genes: genes,
                                 state: MicrobialGAState(population: resume.population, fitness: resume.fitness,
                                                         tournamentsCompleted: resume.nextTournament,
                                                         fitnessTrace: resume.fitnessTrace))
            rows = resume.evaluationRows
        } else {
            rng = seeds.gaGenerator(replicate: replicate)
            let population = MicrobialGA.initialPopulation(genes: genes, size: size, using: &rng)
            let results = pool.map(size) { slot, threads in evaluate(population[slot], row: slot, threads: threads) }
            ga = try MicrobialGA(configuration: config, genes: genes, population: population, fitness: results.map(\.fitness))
            rows = Array(0..<size)
            let records = (0..<size).map { record(results[$0], genotype: population[$0], row: $0, tournament: -1, slot: $0) }
            let point = checkpoint(ga, rng: rng, rows: rows)
            try writer.commitInitialPopulation(replicate: replicate, records, checkpoint: point)
        }
        progress.tournamentDone(replicate: replicate, tournaments: ga.tournamentsCompleted, bestFitness: ga.statistics.best)
        while !ga.isFinished {
            if stop.isRequested { return .interrupted }
            let t = ga.tournamentsCompleted
            let plan = ga.planTournament(using: &rng)
            let row = size + t
            let result = pool.run(alongside: 1) { threads in evaluate(plan.child, row: row, threads: threads) }
            let stats = try ga.complete(plan, childFitness: result.fitness)
            rows[plan.loser] = row
            let evaluation = record(result, genotype: plan.child, row: row, tournament: t, slot: plan.loser)
            let tournament = TournamentRecord(
                index: Int64(t), a: Int32(plan.a), b: Int32(plan.b), winner: Int32(plan.winner), loser: Int32(plan.loser),
                crossoverMask: plan.crossoverMask.map { $0 ? 1 : 0 }, mutatedGenes: plan.mutatedGenes.map { $0 ? 1 : 0 },
                evaluationRow: Int64(row), bestFitness: stats.best, meanFitness: stats.mean, minFitness: stats.minimum)
            try writer.commitTournament(replicate: replicate, evaluation, tournament,
                                        checkpoint: checkpoint(ga, rng: rng, rows: rows))
            progress.tournamentDone(replicate: replicate, tournaments: t + 1, bestFitness: stats.best)
        }
        return .complete
    }
}
