import ExperimentFiles
import RunFile
/// Best, mean and minimum stored fitness of a replicate's population at one point of the GA.
public struct PopulationFitness: Sendable, Hashable {
    public var best: Double
    public var mean: Double
    public var minimum: Double

    public init(best: Double, mean: Double, minimum: Double) {
        self.best = best; self.mean = mean; self.minimum = minimum
    }
}

/// The best evaluation of a replicate after some number of tournaments: the highest fitness
/// among the evaluations produced so far, ties to the earliest row (docs/report.md). The
/// microbial GA never loses its best fitness, so this is also the population's best fitness.
public struct LineagePoint: Sendable, Hashable {
    /// Tournaments completed (0: the initial population, before tournament 0).
    public var tournaments: Int
    /// The population slot the best evaluation went into (it may have been overwritten since
    /// by an equally fit loser).
    public var slot: Int
    /// Its row in the replicate's `evaluations`.
    public var row: Int
    public var fitness: Double
    public var genotype: [Double]
}

/// What the report says about one replicate: committed rows only.
public struct ReplicateSummary: Sendable, Hashable {
    public var replicate: Int
    /// The status as the report reads it: the recorded one, except that a replicate recorded
    /// as `pending` with committed rows is `running` (started and not finished: the writer is
    /// still at it, or was killed).
    public var status: ReplicateStatus
    /// The status attribute as the file holds it.
    public var recordedStatus: ReplicateStatus
    public var seed: UInt64
    /// The replicate's recorded wall-clock seconds; nil while it is `pending` or `running`
    /// (the run writes the time when the replicate stops).
    public var wallSeconds: Double?
    /// Sum of the evaluations' own wall-clock seconds (CPU time spent simulating, roughly).
    public var evaluationSeconds: Double
    public var committedEvaluations: Int
    public var committedTournaments: Int
    /// Population fitness after each committed tournament, index 0 the initial population
    /// (computed from its evaluations), index t ≥ 1 as the run recorded it in `tournaments`.
    /// Empty before the initial population is committed.
    public var trace: [PopulationFitness]
    /// The best evaluation after each number of committed tournaments, index 0 the initial
    /// population: the highest fitness among the rows produced so far, ties to the earliest
    /// row; so the lineage changes only when the best is beaten.
    public var lineage: [LineagePoint]
    /// The rubric's largest possible fitness (of the best evaluation).
    public var maxFitness: Double?
    /// Fewest tournaments after which the best stored fitness reached 90 % of the final best
    /// (`final − 0.1·|final|`); 0 when the initial population already did.
    public var tournamentsTo90Percent: Int?
    /// The latest committed checkpoint's population (genotypes, then fitness); empty if none.
    public var finalPopulation: [[Double]]
    public var finalPopulationFitness: [Double]

    /// The best evaluation now (the last lineage point): the highest fitness of all committed
    /// rows, ties to the earliest row; nil before the initial population.
    public var best: LineagePoint? { lineage.last }
    /// The final best stored fitness, nil before the initial population.
    public var bestFitness: Double? { best?.fitness }
}

/// Statistics of one gene over the final populations of all replicates.
public struct GeneSummary: Sendable, Hashable {
    public var name: String
    public var statistics: SummaryStatistics?
}

/// Everything `autoparam report` prints, computed from a run file's committed rows.
///
/// Build it with ``init(reader:)``; ``text()``, ``json()``, ``writeCSV(to:)`` and
/// ``ReportPage`` present it. Works on complete files, files still being written and files
/// left by a killed writer: only committed evaluations and tournaments are read.
public struct RunReport: Sendable {
    public var path: String
    public var provenance: RunProvenance
    public var layout: RunLayout
    /// The experiment, parsed from the text recorded in the file (nil when it does not parse).
    /// Note: `--set` overrides given to `autoparam run` are not part of that text.
    public var experiment: Experiment?
    /// Tournaments a finished replicate has: those of a complete replicate in this file, else
    /// `ga.tournaments` of the recorded experiment text; nil when neither is known.
    public var expectedTournaments: Int?
    /// Whether ``expectedTournaments`` comes from the experiment text (which does not hold the
    /// `--set` overrides of the run) rather than from a complete replicate.
    public var expectedTournamentsFromText: Bool
    public var replicates: [ReplicateSummary]
    /// Committed evaluation rows of each replicate.
    public var evaluations: [RunEvaluationTable]
    /// Committed tournaments of each replicate.
    public var tournaments: [[TournamentRecord]]
    /// Spike counts of each replicate's committed evaluations: `spikeCounts[r][p][e]` for
    /// recorded population p (in `layout.populationNames` order).
    public var spikeCounts: [[[Int]]]
    /// Final best fitness over the replicates that have one.
    public var finalBest: SummaryStatistics?
    /// Median of ``ReplicateSummary/tournamentsTo90Percent`` over the replicates that have one.
    public var tournamentsTo90PercentMedian: Double?
    /// Per gene, over every genotype of every replicate's latest checkpoint.
    public var genes: [GeneSummary]
    /// Genotypes the gene summary pools, and from how many replicates.
    public var finalGenotypeCount: Int
    public var finalPopulationReplicates: Int

    /// Whether every replicate is `complete`.
    public var isComplete: Bool { replicates.allSatisfy { $0.status == .complete } }

    /// One line per replicate that is not complete, for example
    /// "incomplete: replicate 1 is running (12 of 20 tournaments committed)".
    public var incompleteLines: [String] {
        replicates.filter { $0.status != .complete }.map { r in
            if r.committedEvaluations == 0 {
                return "incomplete: replicate \(r.replicate) is \(r.status.rawValue) (nothing committed)"
            }
            let of = expectedTournaments.map { " of \($0)" } ?? ""
            let noun = (expectedTournaments ?? r.committedTournaments) == 1 ? "tournament" : "tournaments"
            return "incomplete: replicate \(r.replicate) is \(r.status.rawValue) (\(r.committedTournaments)\(of) \(noun) committed)"
        }
    }

    /// Reads the committed rows of every replicate.
    public init(reader: RunReader) throws {
        path = reader.path
        provenance = reader.provenance
        layout = reader.layout
        let text = provenance.resolvedExperiment.isEmpty ? provenance.experimentText : provenance.resolvedExperiment
        if !text.isEmpty {
            experiment = try? ExperimentLoader.parse(text: text, fileName: "\(provenance.experimentName).yaml", checkFiles: false)
        }
        var replicates: [ReplicateSummary] = []
        var evaluations: [RunEvaluationTable] = []
        var tournaments: [[TournamentRecord]] = []
        var spikeCounts: [[[Int]]] = []
        for r in 0..<layout.replicateCount {
            let state = try reader.state(replicate: r)
            let table = try reader.evaluations(replicate: r)
            let played = try reader.tournaments(replicate: r)
            replicates.append(try Self.summarise(state: state, table: table, tournaments: played))
            evaluations.append(table)
            tournaments.append(played)
            spikeCounts.append(try reader.spikeCounts(replicate: r))
        }
        self.spikeCounts = spikeCounts
        self.replicates = replicates
        self.evaluations = evaluations
        self.tournaments = tournaments
        let complete = replicates.filter { $0.status == .complete }.map(\.committedTournaments)
        expectedTournaments = complete.max() ?? experiment?.ga.tournaments
        expectedTournamentsFromText = complete.isEmpty && expectedTournaments != nil

        finalBest = SummaryStatistics(replicates.compactMap(\.bestFitness))
        let reached = replicates.compactMap(\.tournamentsTo90Percent).map(Double.init)
        tournamentsTo90PercentMedian = SummaryStatistics(reached)?.median
        let pooled = replicates.flatMap(\.finalPopulation)
        finalGenotypeCount = pooled.count
        finalPopulationReplicates = replicates.filter { !$0.finalPopulation.isEmpty }.count
        genes = layout.genes.enumerated().map { g, gene in
            GeneSummary(name: gene.name, statistics: SummaryStatistics(pooled.map { $0[g] }))
        }
    }

    /// Opens `path`, reads the report and closes the file.
    public static func load(path: String) throws -> RunReport {
        let reader = try RunReader(path: path)
        defer { try? reader.close() }
        return try RunReport(reader: reader)
    }

    /// Rebuilds a replicate's history from its committed rows.
    static func summarise(state: RunReplicateState, table: RunEvaluationTable,
                          tournaments: [TournamentRecord]) throws -> ReplicateSummary {
        var summary = ReplicateSummary(
            replicate: state.replicate,
            status: state.status == .pending && state.committedEvaluations > 0 ? .running : state.status,
            recordedStatus: state.status, seed: state.seed,
            wallSeconds: state.status == .pending || state.status == .running ? nil : state.wallSeconds,
            evaluationSeconds: table.wallSeconds.reduce(0, +),
            committedEvaluations: state.committedEvaluations, committedTournaments: state.committedTournaments,
            trace: [], lineage: [], maxFitness: nil, tournamentsTo90Percent: nil,
            finalPopulation: state.checkpoint?.populationGenotypes ?? [],
            finalPopulationFitness: state.checkpoint?.populationFitness ?? [])

        // The initial population: rows with tournament −1, each in its slot.
        let initial = (0..<table.count).filter { table.tournaments[$0] < 0 }
        guard !initial.isEmpty else { return summary }
        let size = Int(initial.map { table.slots[$0] }.max()!) + 1
        var rows = [Int](repeating: -1, count: size)
        for row in initial {
            let slot = Int(table.slots[row])
            guard slot >= 0 else { throw RunFileError("replicate \(state.replicate): evaluation \(row) has slot \(slot)") }
            rows[slot] = row
        }
        guard !rows.contains(-1) else {
            throw RunFileError("replicate \(state.replicate): the initial population has no evaluation for slot \(rows.firstIndex(of: -1)!)")
        }

        // The best evaluation so far (docs/report.md, "Best evaluation"): the highest fitness
        // among the rows produced up to now, ties to the earliest row.
        var bestRow = -1
        func consider(_ row: Int) {
            if bestRow < 0 || Self.better(row, than: bestRow, in: table.fitness) { bestRow = row }
        }
        func bestPoint(after t: Int) -> LineagePoint {
            LineagePoint(tournaments: t, slot: Int(table.slots[bestRow]), row: bestRow, fitness: table.fitness[bestRow],
                         genotype: table.genotypes[bestRow])
        }
        for row in initial { consider(row) }
        let fitness = rows.map { table.fitness[$0] }
        summary.trace.append(PopulationFitness(best: fitness.max() ?? .nan, mean: fitness.reduce(0, +) / Double(fitness.count),
                                               minimum: fitness.min() ?? .nan))
        summary.lineage.append(bestPoint(after: 0))
        for (t, tournament) in tournaments.enumerated() {
            let loser = Int(tournament.loser), row = Int(tournament.evaluationRow)
            guard rows.indices.contains(loser), (0..<table.count).contains(row) else {
                throw RunFileError("replicate \(state.replicate): tournament \(tournament.index) names slot \(loser) and evaluation \(row), which do not exist")
            }
            rows[loser] = row
            consider(row)
            summary.trace.append(PopulationFitness(best: tournament.bestFitness, mean: tournament.meanFitness,
                                                   minimum: tournament.minFitness))
            summary.lineage.append(bestPoint(after: t + 1))
        }
        let final = summary.lineage.last!.fitness
        summary.maxFitness = table.maxFitness[summary.lineage.last!.row]
        if final.isFinite {
            let threshold = final - 0.1 * abs(final)
            summary.tournamentsTo90Percent = summary.lineage.firstIndex { $0.fitness >= threshold }
        }
        return summary
    }

    /// Whether evaluation `row` beats evaluation `other` under the one definition of the best
    /// (docs/report.md): higher fitness (NaN below everything), ties to the earlier row.
    public static func better(_ row: Int, than other: Int, in fitness: [Double]) -> Bool {
        let a = fitness[row], b = fitness[other]
        if greater(a, than: b) { return true }
        if greater(b, than: a) { return false }
        return row < other
    }

    /// The best evaluation row of `fitness` (highest, NaN below everything, ties to the
    /// earliest row); nil when there are no rows.
    public static func bestRow(_ fitness: [Double]) -> Int? {
        guard !fitness.isEmpty else { return nil }
        var best = 0
        for row in fitness.indices.dropFirst() where better(row, than: best, in: fitness) { best = row }
        return best
    }

    /// Fitness order with NaN below everything.
    static func greater(_ a: Double, than b: Double) -> Bool {
        if a.isNaN { return false }
        if b.isNaN { return true }
        return a > b
    }
}
