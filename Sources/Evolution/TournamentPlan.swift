/// One tournament, decided but not yet applied: who met, who won, and the loser's new
/// genotype, which the caller evaluates before handing the fitness to
/// ``MicrobialGA/complete(_:childFitness:)``.
///
/// Invariants: `a != b`; `{winner, loser} == {a, b}`; `crossoverMask`, `mutatedGenes` and
/// `child` have one entry per gene; where `crossoverMask[i]` and not `mutatedGenes[i]`,
/// `child[i] == winnerGenotype[i]`; where neither, `child[i] == loserGenotype[i]`.
public struct TournamentPlan: Sendable, Hashable, Codable {
    /// The index of this tournament (``MicrobialGAState/tournamentsCompleted`` when planned).
    public var tournament: Int
    /// The first pick's slot.
    public var a: Int
    /// The second pick's slot; distinct from `a`.
    public var b: Int
    /// The slot with the higher stored fitness (the second pick on a tie); never changed.
    public var winner: Int
    /// The other slot; its genotype becomes `child`.
    public var loser: Int
    /// The winner's stored fitness when planned.
    public var winnerFitness: Double
    /// The loser's stored fitness when planned (replaced by the child's).
    public var loserFitness: Double
    /// The winner's genotype (unchanged by the tournament).
    public var winnerGenotype: Genotype
    /// The loser's genotype before the tournament.
    public var loserGenotype: Genotype
    /// `true` where the loser took the winner's gene.
    public var crossoverMask: [Bool]
    /// `true` where the gene then mutated (after crossover).
    public var mutatedGenes: [Bool]
    /// The loser's new genotype, to be evaluated.
    public var child: Genotype

    public init(
        tournament: Int, a: Int, b: Int, winner: Int, loser: Int,
        winnerFitness: Double, loserFitness: Double,
        winnerGenotype: Genotype, loserGenotype: Genotype,
        crossoverMask: [Bool], mutatedGenes: [Bool], child: Genotype
    ) {
        self.tournament = tournament
        self.a = a
        self.b = b
        self.winner = winner
        self.loser = loser
        self.winnerFitness = winnerFitness
        self.loserFitness = loserFitness
        self.winnerGenotype = winnerGenotype
        self.loserGenotype = loserGenotype
        self.crossoverMask = crossoverMask
        self.mutatedGenes = mutatedGenes
        self.child = child
    }

    public static func == (x: Self, y: Self) -> Bool {
        x.tournament == y.tournament && x.a == y.a && x.b == y.b && x.winner == y.winner
            && x.loser == y.loser && sameBits([x.winnerFitness, x.loserFitness], [y.winnerFitness, y.loserFitness])
            && x.winnerGenotype == y.winnerGenotype && x.loserGenotype == y.loserGenotype
            && x.crossoverMask == y.crossoverMask && x.mutatedGenes == y.mutatedGenes && x.child == y.child
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(tournament)
        hasher.combine(a)
        hasher.combine(b)
        hasher.combine(child)
    }
}
