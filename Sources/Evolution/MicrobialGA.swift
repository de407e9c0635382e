import Randomness

/// Harvey's microbial genetic algorithm (Harvey 2009, "The Microbial Genetic Algorithm"), as
/// an explicit value the caller steps through, so that it can record and checkpoint each
/// tournament. The GA never evaluates fitness itself:
///
/// ```swift
/// var rng = SeedTree(seed).child("ga").generator()
/// let members = MicrobialGA.initialPopulation(genes: genes, size: n, using: &rng)
/// let fitness = members.map(evaluate)
/// var ga = try MicrobialGA(configuration: configuration, genes: genes,
///                          population: members, fitness: fitness)
/// while !ga.isFinished {
///     let plan = ga.planTournament(using: &rng)      // pure: changes nothing
///     let stats = try ga.complete(plan, childFitness: evaluate(plan.child))
///     // record plan and stats; checkpoint ga.state (or ga) and rng.stateWords
/// }
/// ```
///
/// A tournament: pick two distinct slots (``TournamentPlan/a`` then ``TournamentPlan/b``);
/// the higher stored fitness wins and a tie goes to the second pick; the loser's genotype
/// takes genes from the winner and mutates (by the configuration's ``MicrobialGAConfiguration/Variant``);
/// the loser is re-evaluated, the winner is not.
///
/// NaN fitness (a failed evaluation) loses to any number; two NaNs tie, so the second pick
/// wins.
///
/// Elitism: the winner is never replaced, and a member with the population's best stored
/// fitness can only lose to an equal fitness, which then stays in the population. So the
/// best stored fitness (``MicrobialGAState/fitnessTrace``) never decreases, in either variant
/// (once any member has a number).
///
/// Determinism: the state after any number of tournaments is a function of the initial
/// population and fitness, the children's fitness, and the generator's state; resuming from
/// a saved ``state`` and generator plans exactly what the uninterrupted run would have.
public struct MicrobialGA: Sendable, Hashable, Codable {
    /// The run's rules.
    public let configuration: MicrobialGAConfiguration
    /// The genes; genotype order.
    public let genes: GeneSet
    /// The population, stored fitness, tournament counter and trace.
    public private(set) var state: MicrobialGAState

    /// The initial population to evaluate: `size` genotypes from ``GeneSet/draw(using:)``,
    /// member by member, and within a member gene by gene (member 0's genes in gene order,
    /// then member 1's, …).
    public static func initialPopulation(
        genes: GeneSet, size: Int, using rng: inout some RandomNumberGenerator
    ) -> [Genotype] {
        var members: [Genotype] = []
        members.reserveCapacity(Swift.max(size, 0))
        for _ in 0..<Swift.max(size, 0) { members.append(genes.draw(using: &rng)) }
        return members
    }

    /// A GA ready for its first tournament, from the evaluated initial population.
    ///
    /// - Throws: ``MicrobialGAError/invalid(_:)`` listing every problem with the
    ///   configuration, the genes, or the population (count, genotype lengths).
    public init(
        configuration: MicrobialGAConfiguration, genes: GeneSet,
        population: [Genotype], fitness: [Double]
    ) throws(MicrobialGAError) {
        try self.init(
            configuration: configuration, genes: genes,
            state: MicrobialGAState(population: population, fitness: fitness))
    }

    /// A GA resumed from a saved state (resume the generator from its saved state too).
    ///
    /// - Throws: ``MicrobialGAError/invalid(_:)`` listing every problem with the
    ///   configuration, the genes, or the state's consistency with them.
    public init(
        configuration: MicrobialGAConfiguration, genes: GeneSet, state: MicrobialGAState
    ) throws(MicrobialGAError) {
        var problems = configuration.validate() + genes.validate()
        func fail(_ field: String, _ reason: String) {
            problems.append(InvalidParameter(field: field, reason: reason))
        }
        let n = configuration.populationSize
        if state.population.count != n {
            fail("state.population", "\(state.population.count) members for a population of \(n)")
        }
        if state.fitness.count != state.population.count {
            fail("state.fitness", "\(state.fitness.count) fitness values for \(state.population.count) members")
        }
        for (slot, genotype) in state.population.enumerated() where genotype.count != genes.count {
            fail("state.population", "member \(slot) has \(genotype.count) values for \(genes.count) genes")
        }
        if state.tournamentsCompleted < 0 {
            fail("state.tournamentsCompleted", "must not be negative, not \(state.tournamentsCompleted)")
        }
        if state.fitnessTrace.count != state.tournamentsCompleted {
            fail("state.fitnessTrace", "\(state.fitnessTrace.count) entries after \(state.tournamentsCompleted) tournaments")
        }
        guard problems.isEmpty else { throw .invalid(problems) }
        self.configuration = configuration
        self.genes = genes
        self.state = state
    }

    enum CodingKeys: String, CodingKey { case configuration, genes, state }

    /// Decodes and validates as ``init(configuration:genes:state:)`` does.
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        try self.init(
            configuration: c.decode(MicrobialGAConfiguration.self, forKey: .configuration),
            genes: c.decode(GeneSet.self, forKey: .genes),
            state: c.decode(MicrobialGAState.self, forKey: .state))
    }

    // MARK: - Reading the state

    /// Tournaments completed so far.
    public var tournamentsCompleted: Int { state.tournamentsCompleted }

    /// Whether the configured number of tournaments has been played. Advisory: the GA will
    /// plan and complete further tournaments if asked (to extend a run).
    public var isFinished: Bool { state.tournamentsCompleted >= configuration.tournaments }

    /// The statistics of the current stored fitness.
    public var statistics: PopulationStatistics { PopulationStatistics(fitness: state.fitness) }

    /// The slot with the best stored fitness (NaN loses to any number; the lowest slot among
    /// equals).
    public var bestSlot: Int {
        var best = 0
        for slot in state.fitness.indices.dropFirst() where Self.beats(state.fitness[slot], state.fitness[best]) {
            best = slot
        }
        return best
    }

    // MARK: - A tournament

    /// Whether fitness `x` beats `y` strictly: NaN beats nothing; any number beats NaN;
    /// otherwise `x > y`. A tournament's first pick wins only if it beats the second.
    public static func beats(_ x: Double, _ y: Double) -> Bool {
        if x.isNaN { return false }
        if y.isNaN { return true }
        return x > y
    }

    /// Decides the next tournament, with the caller's generator. Changes nothing: hand the
    /// plan and its child's fitness to ``complete(_:childFitness:)``.
    ///
    /// Draws consumed, in order:
    /// 1. the pair (``pickPair(populationSize:demeSize:using:)``): two uniform indices;
    /// 2. seed variant: ⌊G/2⌋ uniform indices choosing the crossover positions (a partial
    ///    Fisher–Yates shuffle of 0…G−1: position i swaps with i + uniform(G − i)); one
    ///    uniform index over G for the mutated gene; that gene's prior draws;
    /// 3. Harvey's variant: G uniforms for crossover (gene i copies if `u < p`), then for each
    ///    gene in order one uniform (mutates if `u < p_mut`) followed, if it mutates, by the
    ///    gene's prior draws (redraw) or one standard normal (Gaussian).
    public func planTournament(using rng: inout some RandomNumberGenerator) -> TournamentPlan {
        let (a, b) = Self.pickPair(
            populationSize: state.population.count, demeSize: configuration.demeSize, using: &rng)
        let firstWins = Self.beats(state.fitness[a], state.fitness[b])
        let winner = firstWins ? a : b
        let loser = firstWins ? b : a
        let winnerGenotype = state.population[winner]
        let loserGenotype = state.population[loser]
        let g = genes.count
        var child = loserGenotype
        var crossoverMask = [Bool](repeating: false, count: g)
        var mutatedGenes = [Bool](repeating: false, count: g)

        switch configuration.variant {
        case .seed:
            for i in distinctPositions(g / 2, of: g, using: &rng) {
                crossoverMask[i] = true
                child[i] = winnerGenotype[i]
            }
            let m = uniformIndex(below: g, using: &rng)
            mutatedGenes[m] = true
            child[m] = genes[m].draw(using: &rng)
        case let .harvey(crossoverProbability, mutationProbability, mutation):
            for i in 0..<g where rng.nextUniformDouble() < crossoverProbability {
                crossoverMask[i] = true
                child[i] = winnerGenotype[i]
            }
            for i in 0..<g where rng.nextUniformDouble() < mutationProbability {
                mutatedGenes[i] = true
                child[i] = Self.mutate(child[i], gene: genes[i], by: mutation, using: &rng)
            }
        }

        return TournamentPlan(
            tournament: state.tournamentsCompleted, a: a, b: b, winner: winner, loser: loser,
            winnerFitness: state.fitness[winner], loserFitness: state.fitness[loser],
            winnerGenotype: winnerGenotype, loserGenotype: loserGenotype,
            crossoverMask: crossoverMask, mutatedGenes: mutatedGenes, child: child)
    }

    /// Applies a planned tournament: the loser's slot takes the child and its fitness, the
    /// counter advances and the trace records the new best.
    ///
    /// - Returns: the statistics of the stored fitness after the tournament.
    /// - Throws: ``MicrobialGAError/planMismatch(_:)`` (changing nothing) if the plan was not
    ///   made from the current state.
    @discardableResult
    public mutating func complete(
        _ plan: TournamentPlan, childFitness: Double
    ) throws(MicrobialGAError) -> PopulationStatistics {
        let n = state.population.count
        guard plan.tournament == state.tournamentsCompleted else {
            throw .planMismatch("plan for tournament \(plan.tournament), but \(state.tournamentsCompleted) are complete")
        }
        guard (0..<n).contains(plan.winner), (0..<n).contains(plan.loser), plan.winner != plan.loser else {
            throw .planMismatch("slots \(plan.winner) and \(plan.loser) are not two members of \(n)")
        }
        guard state.population[plan.winner] == plan.winnerGenotype,
              state.population[plan.loser] == plan.loserGenotype,
              sameBits([state.fitness[plan.winner], state.fitness[plan.loser]], [plan.winnerFitness, plan.loserFitness])
        else {
            throw .planMismatch("the winner or loser has changed since the plan was made")
        }
        guard plan.child.count == genes.count else {
            throw .planMismatch("child has \(plan.child.count) values for \(genes.count) genes")
        }
        state.population[plan.loser] = plan.child
        state.fitness[plan.loser] = childFitness
        state.tournamentsCompleted += 1
        let statistics = PopulationStatistics(fitness: state.fitness)
        state.fitnessTrace.append(statistics.best)
        return statistics
    }

    // MARK: - Rules, exposed for records and tests

    /// Two distinct slots `(a, b)` of a population of `populationSize`.
    ///
    /// `a` is uniform over all N slots. Without demes (or with a deme that would wrap onto
    /// itself, 2·demeSize + 1 > N), `b` is uniform over the other N − 1: an index `k` uniform
    /// over N − 1, and `b = k < a ? k : k + 1`. With demes, the members sit on a ring and `b`
    /// is uniform over the 2·demeSize slots within ring distance demeSize of `a`: an index
    /// `k` uniform over 2·demeSize gives the offset `k − demeSize` (k < demeSize) or
    /// `k − demeSize + 1`, so −demeSize…−1, 1…demeSize, and `b = (a + offset) mod N`.
    ///
    /// - Precondition: `populationSize ≥ 2`, `demeSize ≥ 1` when given.
    public static func pickPair(
        populationSize n: Int, demeSize: Int?, using rng: inout some RandomNumberGenerator
    ) -> (a: Int, b: Int) {
        precondition(n >= 2, "a tournament needs two members")
        let a = uniformIndex(below: n, using: &rng)
        if let d = demeSize, d <= (n - 1) / 2 {
            precondition(d >= 1, "deme size must be at least 1")
            let k = uniformIndex(below: 2 * d, using: &rng)
            let offset = k < d ? k - d : k - d + 1
            return (a, ((a + offset) % n + n) % n)
        }
        let k = uniformIndex(below: n - 1, using: &rng)
        return (a, k < a ? k : k + 1)
    }

    /// One gene's value mutated by Harvey's `mutation` rule (see
    /// ``MicrobialGAConfiguration/Mutation``).
    static func mutate(
        _ value: Double, gene: Gene, by mutation: MicrobialGAConfiguration.Mutation,
        using rng: inout some RandomNumberGenerator
    ) -> Double {
        switch mutation {
        case .redraw:
            return gene.draw(using: &rng)
        case let .gaussian(scale):
            let range = gene.range
            let width = range.upperBound - range.lowerBound
            let sd = width.isFinite ? scale * width : scale
            let stepped = value + sd * rng.nextStandardNormal()
            return gene.constrain(Swift.min(Swift.max(stepped, range.lowerBound), range.upperBound))
        }
    }
}
