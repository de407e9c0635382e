/// Random search, the control for the microbial GA (`ga.variant: random`): every genotype is
/// a fresh draw from the genes' priors, with exactly the evaluations the GA would make with
/// the same population size N and tournament count T (N for the initial population, then
/// one per step, N + T in all), so that a GA run and its random twin spend the same budget.
///
/// The population is an archive of the N best genotypes drawn so far: each step's draw
/// challenges the member with the lowest stored fitness (NaN lowest; the lowest slot among
/// equals) and replaces it only if it beats it strictly (``MicrobialGA/beats(_:_:)``). So
/// the trace, the best stored fitness after each step, is the best fitness found so far.
///
/// The initial population is ``MicrobialGA/initialPopulation(genes:size:using:)``, so a GA
/// and its random twin on the same generator start from the same N genotypes.
///
/// Plans, as the run file records them: `a`, `b`, `winner` and `loser` all name the
/// challenged slot; no gene is crossed over and every gene is drawn (`mutatedGenes` all
/// true). Whether the child was kept is ``slotTaken(by:childFitness:)``.
///
/// Randomness: each step draws one genotype through ``GeneSet/draw(using:)`` (genes in
/// order) and nothing else; like the GA, the search is a pure function of the generator.
public struct RandomSearch: PopulationSearch, Sendable, Hashable, Codable {
    /// The genes; genotype order.
    public let genes: GeneSet
    /// N, the archive's size, and T, the steps to play (the GA's population and tournaments).
    public let populationSize: Int
    public let steps: Int
    /// The archive, stored fitness, step counter and trace.
    public private(set) var state: MicrobialGAState

    /// A search ready for its first step, from the evaluated initial population (or a saved
    /// state to resume).
    ///
    /// - Throws: ``MicrobialGAError/invalid(_:)`` for invalid genes, N < 2, T < 0, or a
    ///   state that does not fit them.
    public init(genes: GeneSet, populationSize: Int, steps: Int, state: MicrobialGAState) throws(MicrobialGAError) {
        let configuration = MicrobialGAConfiguration(variant: .seed, populationSize: populationSize, tournaments: steps)
        // The GA's own checks of the configuration, genes and state.
        _ = try MicrobialGA(configuration: configuration, genes: genes, state: state)
        self.genes = genes
        self.populationSize = populationSize
        self.steps = steps
        self.state = state
    }

    public var tournamentsCompleted: Int { state.tournamentsCompleted }
    public var isFinished: Bool { state.tournamentsCompleted >= steps }
    public var statistics: PopulationStatistics { PopulationStatistics(fitness: state.fitness) }

    /// The member a new draw challenges: the lowest stored fitness (NaN lowest), the lowest
    /// slot among equals.
    public var weakestSlot: Int {
        var weakest = 0
        for slot in state.fitness.indices.dropFirst() where MicrobialGA.beats(state.fitness[weakest], state.fitness[slot]) {
            weakest = slot
        }
        return weakest
    }

    /// The next draw: a fresh genotype challenging ``weakestSlot``.
    public func planTournament(using rng: inout some RandomNumberGenerator) -> TournamentPlan {
        let slot = weakestSlot
        let child = genes.draw(using: &rng)
        return TournamentPlan(
            tournament: state.tournamentsCompleted, a: slot, b: slot, winner: slot, loser: slot,
            winnerFitness: state.fitness[slot], loserFitness: state.fitness[slot],
            winnerGenotype: state.population[slot], loserGenotype: state.population[slot],
            crossoverMask: Array(repeating: false, count: genes.count),
            mutatedGenes: Array(repeating: true, count: genes.count), child: child)
    }

    /// The challenged slot if the child beats its member strictly, else nil.
    public func slotTaken(by plan: TournamentPlan, childFitness: Double) -> Int? {
        MicrobialGA.beats(childFitness, plan.loserFitness) ? plan.loser : nil
    }

    /// Keeps the child in the challenged slot if it is better, advances the counter and
    /// appends the best stored fitness (the best so far) to the trace.
    ///
    /// - Throws: ``MicrobialGAError/planMismatch(_:)`` (changing nothing) if the plan was not
    ///   made from the current state.
    @discardableResult
    public mutating func complete(_ plan: TournamentPlan, childFitness: Double) throws(MicrobialGAError) -> PopulationStatistics {
        guard plan.tournament == state.tournamentsCompleted else {
            throw .planMismatch("plan for step \(plan.tournament), but \(state.tournamentsCompleted) are complete")
        }
        guard state.population.indices.contains(plan.loser), state.population[plan.loser] == plan.loserGenotype,
              state.fitness[plan.loser].bitPattern == plan.loserFitness.bitPattern else {
            throw .planMismatch("the challenged member has changed since the plan was made")
        }
        guard plan.child.count == genes.count else {
            throw .planMismatch("child has \(plan.child.count) values for \(genes.count) genes")
        }
        if let slot = slotTaken(by: plan, childFitness: childFitness) {
            state.population[slot] = plan.child
            state.fitness[slot] = childFitness
        }
        state.tournamentsCompleted += 1
        let statistics = PopulationStatistics(fitness: state.fitness)
        state.fitnessTrace.append(statistics.best)
        return statistics
    }
}
