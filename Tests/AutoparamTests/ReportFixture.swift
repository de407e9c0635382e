import MushroomBodyModel
import RunFile
import Foundation

/// Small run files with hand-chosen numbers for the report tests, written with `RunRecorder`.
///
/// Two genes (kc_count, w_max), two fitness components, DN spikes, 2 images of 20 steps.
/// Replicate 0 (population 3, 3 tournaments):
///
///     initial  fitness [10, 20, 15]   genotypes [100 0.5] [200 0.25] [300 0.75]  best slot 1
///     t0  0 vs 1, 1 wins, slot 0 ← row 3 [200 0.5]    fitness 30 → [30 20 15]  best 30 mean 65/3
///     t1  2 vs 0, 0 wins, slot 2 ← row 4 [200 0.125]  fitness 25 → [30 20 25]  best 30 mean 25
///     t2  1 vs 2, 2 wins, slot 1 ← row 5 [250 0.125]  fitness 40 → [30 40 25]  best 40 mean 95/3
///
/// Replicate 1 (population 3, 1 tournament, a tie):
///
///     initial  fitness [5, 8, 6]      genotypes [150 0.2] [120 0.4] [180 0.6]    best slot 1
///     t0  0 vs 1, 1 wins, slot 0 ← row 3 [120 0.2]    fitness 8 → [8 8 6]     best 8 (slot 1 keeps it)
///
/// Row 2 of replicate 1 is a numerical failure with a comma in its message.
enum ReportFixture {
    static let experimentText = """
        # fixture for the report tests <script>alert("x")</script> & more
        name: fixture
        ga: {population: 3, tournaments: 3}

        """

    static let layout = RunLayout(
        replicateCount: 2,
        genes: [GeneDescription(name: "kc_count", prior: "integer_uniform(100, 300)", lower: 100, upper: 300),
                GeneDescription(name: "w_max", prior: "uniform(0, 1)", lower: 0, upper: 1)],
        componentNames: ["spikes", "checks"], populationNames: ["DN"], recordsWeights: false,
        dtMilliseconds: 0.1, stepsPerEvaluation: 40)

    static let layoutWithoutSpikes = RunLayout(
        replicateCount: 2, genes: layout.genes, componentNames: layout.componentNames, populationNames: [],
        recordsWeights: false, dtMilliseconds: 0.1, stepsPerEvaluation: 40)

    static let provenance = RunProvenance(toolVersion: "test", createdISO8601: "2026-01-02T03:04:05Z", experimentName: "fixture",
                                          masterSeed: 42, experimentText: experimentText, host: "testhost", threads: 1)

    static let dataset = RunDatasetRecord(images: [UInt8](repeating: 0, count: 2 * 784), labels: [0, 1], imageCount: 2,
                                          classNames: ["dull", "unknown", "rubbish", "food"])

    struct Evaluation {
        var genotype: [Double]
        var fitness: Double
        var tournament: Int64
        var slot: Int32
        var status: Int32 = 0
        var message = ""
    }

    struct Tournament {
        var a: Int32, b: Int32, winner: Int32, loser: Int32
        var crossover: [UInt8], mutated: [UInt8]
        var row: Int64
        var best: Double, mean: Double, min: Double
    }

    struct Replicate {
        var initial: [Evaluation]
        /// Each tournament with the loser's new evaluation and the population after it.
        var steps: [(evaluation: Evaluation, tournament: Tournament, population: [[Double]], fitness: [Double], rows: [Int64])]
    }

    static let replicate0 = Replicate(
        initial: [Evaluation(genotype: [100, 0.5], fitness: 10, tournament: -1, slot: 0),
                  Evaluation(genotype: [200, 0.25], fitness: 20, tournament: -1, slot: 1),
                  Evaluation(genotype: [300, 0.75], fitness: 15, tournament: -1, slot: 2)],
        steps: [
            (Evaluation(genotype: [200, 0.5], fitness: 30, tournament: 0, slot: 0),
             Tournament(a: 0, b: 1, winner: 1, loser: 0, crossover: [1, 0], mutated: [0, 1], row: 3, best: 30, mean: 65.0 / 3, min: 15),
             [[200, 0.5], [200, 0.25], [300, 0.75]], [30, 20, 15], [3, 1, 2]),
            (Evaluation(genotype: [200, 0.125], fitness: 25, tournament: 1, slot: 2),
             Tournament(a: 2, b: 0, winner: 0, loser: 2, crossover: [1, 0], mutated: [0, 1], row: 4, best: 30, mean: 25, min: 20),
             [[200, 0.5], [200, 0.25], [200, 0.125]], [30, 20, 25], [3, 1, 4]),
            (Evaluation(genotype: [250, 0.125], fitness: 40, tournament: 2, slot: 1),
             Tournament(a: 1, b: 2, winner: 2, loser: 1, crossover: [0, 1], mutated: [1, 0], row: 5, best: 40, mean: 95.0 / 3, min: 25),
             [[200, 0.5], [250, 0.125], [200, 0.125]], [30, 40, 25], [3, 5, 4]),
        ])

    static let replicate1 = Replicate(
        initial: [Evaluation(genotype: [150, 0.2], fitness: 5, tournament: -1, slot: 0),
                  Evaluation(genotype: [120, 0.4], fitness: 8, tournament: -1, slot: 1),
                  Evaluation(genotype: [180, 0.6], fitness: 6, tournament: -1, slot: 2, status: 2,
                             message: "NaN in KC 3, step 17")],
        steps: [
            (Evaluation(genotype: [120, 0.2], fitness: 8, tournament: 0, slot: 0),
             Tournament(a: 0, b: 1, winner: 1, loser: 0, crossover: [1, 0], mutated: [0, 1], row: 3, best: 8, mean: 22.0 / 3, min: 6),
             [[120, 0.2], [120, 0.4], [180, 0.6]], [8, 8, 6], [3, 1, 2]),
        ])

    static func record(_ e: Evaluation, row: Int, spikes: Bool) -> EvaluationRecord {
        EvaluationRecord(genotype: e.genotype, fitness: e.fitness, maxFitness: 50, components: [e.fitness - 1, 1],
                         status: e.status, statusMessage: e.message, seed: UInt64(1000 + row), wallSeconds: 0.5,
                         tournament: e.tournament, slot: e.slot, populationSizes: spikes ? [4] : [],
                         spikes: spikes ? [SpikeTrain(steps: [1, 2, 35], ids: [0, 0, 1])] : [])
    }

    /// Appends the initial population and the first `tournaments` tournaments of `replicate`,
    /// committing after each step; then appends `uncommitted` more steps without committing.
    static func write(_ replicate: Replicate, index r: Int, to recorder: RunRecorder, tournaments: Int, uncommitted: Int = 0,
                      spikes: Bool) throws {
        for (row, e) in replicate.initial.enumerated() {
            try recorder.appendEvaluation(replicate: r, record(e, row: row, spikes: spikes))
        }
        try recorder.checkpoint(replicate: r, CheckpointRecord(
            populationGenotypes: replicate.initial.map(\.genotype), populationFitness: replicate.initial.map(\.fitness),
            populationEvaluationRows: [0, 1, 2], rngState: [1, 2, 3, 4], nextTournament: 0))
        try recorder.commit()
        for (t, step) in replicate.steps.prefix(tournaments + uncommitted).enumerated() {
            let row = try recorder.appendEvaluation(replicate: r, record(step.evaluation, row: replicate.initial.count + t, spikes: spikes))
            precondition(Int64(row) == step.tournament.row, "fixture rows")
            let x = step.tournament
            try recorder.appendTournament(replicate: r, TournamentRecord(
                index: Int64(t), a: x.a, b: x.b, winner: x.winner, loser: x.loser, crossoverMask: x.crossover,
                mutatedGenes: x.mutated, evaluationRow: x.row, bestFitness: x.best, meanFitness: x.mean, minFitness: x.min))
            try recorder.checkpoint(replicate: r, CheckpointRecord(
                populationGenotypes: step.population, populationFitness: step.fitness, populationEvaluationRows: step.rows,
                rngState: [1, 2, 3, 4], nextTournament: Int64(t + 1)))
            if t < tournaments { try recorder.commit() }
        }
    }

    /// The complete fixture: both replicates complete (wall 12.5 s and 7.5 s).
    static func complete(at path: String, spikes: Bool = true) throws {
        let recorder = try RunRecorder.create(path: path, provenance: provenance, dataset: dataset,
                                              layout: spikes ? layout : layoutWithoutSpikes, replicateSeeds: [11, 22], overwrite: true)
        try write(replicate0, index: 0, to: recorder, tournaments: 3, spikes: spikes)
        try recorder.setReplicateStatus(replicate: 0, status: .complete, wallSeconds: 12.5)
        try write(replicate1, index: 1, to: recorder, tournaments: 1, spikes: spikes)
        try recorder.setReplicateStatus(replicate: 1, status: .complete, wallSeconds: 7.5)
        try recorder.commit()
        try recorder.finish()
    }

    /// A killed run: replicate 0 marked running with 2 committed tournaments and a third
    /// appended but never committed; replicate 1 still `pending` with only its initial
    /// population committed. The recorder is dropped without `finish()`.
    static func killed(at path: String) throws {
        var recorder: RunRecorder? = try RunRecorder.create(path: path, provenance: provenance, dataset: dataset, layout: layout,
                                                            replicateSeeds: [11, 22], overwrite: true)
        try recorder!.setReplicateStatus(replicate: 0, status: .running, wallSeconds: 0)
        try write(replicate1, index: 1, to: recorder!, tournaments: 0, spikes: true)
        try write(replicate0, index: 0, to: recorder!, tournaments: 2, uncommitted: 1, spikes: true)
        recorder = nil
    }
}
