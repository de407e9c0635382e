/// What a replicate's loop needs from a search over genotypes: the microbial GA
/// (``MicrobialGA``) and its random-search control (``RandomSearch``) both keep a population
/// of N members with stored fitness, are stepped one evaluation at a time through a
/// ``TournamentPlan``, and save and resume through ``MicrobialGAState``, so a runner records,
/// checkpoints and resumes both the same way.
public protocol PopulationSearch: Sendable {
    /// The population, stored fitness, step counter and best-fitness trace.
    var state: MicrobialGAState { get }
    /// Steps (tournaments, or draws) completed.
    var tournamentsCompleted: Int { get }
    /// Whether the configured number of steps has been played.
    var isFinished: Bool { get }
    /// The statistics of the current stored fitness.
    var statistics: PopulationStatistics { get }
    /// Decides the next step with the caller's generator; changes nothing.
    func planTournament(using rng: inout some RandomNumberGenerator) -> TournamentPlan
    /// The slot the plan's child will occupy once its fitness is known, or nil when the
    /// child is discarded (``RandomSearch`` keeps only improvements).
    func slotTaken(by plan: TournamentPlan, childFitness: Double) -> Int?
    /// Applies the plan with the child's fitness; returns the new statistics.
    @discardableResult
    mutating func complete(_ plan: TournamentPlan, childFitness: Double) throws(MicrobialGAError) -> PopulationStatistics
}

extension MicrobialGA: PopulationSearch {
    /// The loser's slot: a tournament's child always replaces the loser.
    public func slotTaken(by plan: TournamentPlan, childFitness: Double) -> Int? { plan.loser }
}
