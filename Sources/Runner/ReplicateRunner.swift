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
                           recordFinalWeights: experiment.record.finalWeights,
                           protocolSettings: experiment.protocolSettings)
    }

    /// K, the networks each genotype is evaluated on.
    var seedCount: Int { experiment.seedSettings.seeds }

    /// The GeNN MNIST network's protocol: one MBON per class (the experiment's classes, else up
    /// to the highest label of the images) and the experiment's epochs.
    var gennMNISTProtocol: GeNNMNISTProtocol {
        GeNNMNISTProtocol(classCount: GeNNMNISTProtocol.classCount(listed: experiment.classes, labels: training.labels + (test?.labels ?? [])),
                          epochs: experiment.protocolSettings.epochs)
    }

    /// Evaluate `genotype` as row `row` on network `k` (seed index) with `threads` threads
    /// (the result does not depend on them).
    func evaluate(_ genotype: Genotype, row: Int, seedIndex k: Int, threads: Int = 1) -> EvaluationResult {
        let seed = seeds.evaluation(replicate: replicate, row: row, seedIndex: k)
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
        if k == seedCount - 1 { progress.evaluated() }
        return result
    }

    /// Evaluate the genotypes of `rows` on K networks each, all at once on the pool (the K
    /// networks of a genotype run in parallel); returns the K results of each, in order.
    func evaluate(_ genotypes: [Genotype], rows: [Int]) -> [[EvaluationResult]] {
        let k = seedCount
        let flat = pool.map(genotypes.count * k) { i, threads in
            evaluate(genotypes[i / k], row: rows[i / k], seedIndex: i % k, threads: threads)
        }
        return genotypes.indices.map { Array(flat[($0 * k)..<($0 * k + k)]) }
    }

    func record(_ results: [EvaluationResult], genotype: Genotype, row: Int, tournament: Int, slot: Int) -> (EvaluationRecord, Double) {
        let names = settings.recordedPopulations
        let result = experiment.seedSettings.combine(results)
        let sizes = names.map { name in Int32(result.populationSizes[result.populationNames.firstIndex(of: name)!]) }
        let perSeed = results.count > 1 ? results.enumerated().map { k, r in
            SeedEvaluationRecord(fitness: r.fitness, components: r.components, status: r.status.code,
                                 statusMessage: r.status.message,
                                 seed: seeds.evaluation(replicate: replicate, row: row, seedIndex: k),
                                 wallSeconds: r.wallSeconds, spikes: names.map { r.spikes[$0] ?? SpikeTrain() })
        } : []
        let record = EvaluationRecord(
            genotype: genotype.values, fitness: result.fitness, maxFitness: result.maxFitness, components: result.components,
            status: result.status.code, statusMessage: result.status.message,
            seed: seeds.evaluation(replicate: replicate, row: row), wallSeconds: result.wallSeconds,
            tournament: Int64(tournament), slot: Int32(slot), populationSizes: sizes,
            spikes: names.map { result.spikes[$0] ?? SpikeTrain() },
            finalWeights: experiment.record.finalWeights ? (result.finalWeights ?? []) : nil,
            seedEvaluations: perSeed)
        return (record, result.fitness)
    }

    func checkpoint(_ search: some PopulationSearch, rng: Xoshiro256StarStar, rows: [Int]) -> CheckpointRecord {
        CheckpointRecord(populationGenotypes: search.state.population.map(\.values), populationFitness: search.state.fitness,
                         populationEvaluationRows: rows.map(Int64.init), rngState: rng.stateWords,
                         nextTournament: Int64(search.tournamentsCompleted))
    }

    /// The search of this replicate from a state: the microbial GA, or random search.
    func makeSearch(_ state: MicrobialGAState) throws -> any PopulationSearch {
        switch experiment.search {
        case .microbial:
            return try MicrobialGA(configuration: experiment.ga, genes: experiment.genes, state: state)
        case .random:
            return try RandomSearch(genes: experiment.genes, populationSize: experiment.ga.populationSize,
                                    steps: experiment.ga.tournaments, state: state)
        }
    }

    /// Run the replicate to its configured number of tournaments, or until a stop is requested.
    func run(resumingFrom resume: ReplicateResumePoint?) throws -> ReplicateOutcome {
        let size = experiment.ga.populationSize
        var rng: Xoshiro256StarStar
        let search: any PopulationSearch
        var rows: [Int]
        try writer.setStatus(replicate: replicate, .running, wallSeconds: 0)
        if let resume {
            let w = resume.rngState
            rng = Xoshiro256StarStar(state: (w[0], w[1], w[2], w[3]))
            search = try makeSearch(MicrobialGAState(population: resume.population, fitness: resume.fitness,
                                                     tournamentsCompleted: resume.nextTournament,
                                                     fitnessTrace: resume.fitnessTrace))
            rows = resume.evaluationRows
        } else {
            rng = seeds.gaGenerator(replicate: replicate)
            let population = MicrobialGA.initialPopulation(genes: experiment.genes, size: size, using: &rng)
            let results = evaluate(population, rows: Array(0..<size))
            let records = (0..<size).map { record(results[$0], genotype: population[$0], row: $0, tournament: -1, slot: $0) }
            search = try makeSearch(MicrobialGAState(population: population, fitness: records.map(\.1)))
            rows = Array(0..<size)
            try writer.commitInitialPopulation(replicate: replicate, records.map(\.0),
                                               checkpoint: checkpoint(search, rng: rng, rows: rows))
        }
        func open<S: PopulationSearch>(_ s: S) throws -> ReplicateOutcome { try loop(s, rng: &rng, rows: &rows) }
        return try open(search)
    }

    /// The tournaments (or random draws), each evaluated, recorded and checkpointed.
    private func loop<Search: PopulationSearch>(_ start: Search, rng: inout Xoshiro256StarStar, rows: inout [Int]) throws -> ReplicateOutcome {
        var search = start
        let size = experiment.ga.populationSize
        progress.tournamentDone(replicate: replicate, tournaments: search.tournamentsCompleted, bestFitness: search.statistics.best)
        while !search.isFinished {
            if stop.isRequested { return .interrupted }
            let t = search.tournamentsCompleted
            let plan = search.planTournament(using: &rng)
            let row = size + t
            let results = evaluate([plan.child], rows: [row])[0]
            let fitness = experiment.seedSettings.combine(results).fitness
            let taken = search.slotTaken(by: plan, childFitness: fitness)
            let stats = try search.complete(plan, childFitness: fitness)
            if let taken { rows[taken] = row }
            let evaluation = record(results, genotype: plan.child, row: row, tournament: t, slot: taken ?? -1).0
            let tournament = TournamentRecord(
                index: Int64(t), a: Int32(plan.a), b: Int32(plan.b), winner: Int32(plan.winner), loser: Int32(plan.loser),
                crossoverMask: plan.crossoverMask.map { $0 ? 1 : 0 }, mutatedGenes: plan.mutatedGenes.map { $0 ? 1 : 0 },
                evaluationRow: Int64(row), bestFitness: stats.best, meanFitness: stats.mean, minFitness: stats.minimum)
            try writer.commitTournament(replicate: replicate, evaluation, tournament,
                                        checkpoint: checkpoint(search, rng: rng, rows: rows))
            progress.tournamentDone(replicate: replicate, tournaments: t + 1, bestFitness: stats.best)
        }
        return .complete
    }
}
