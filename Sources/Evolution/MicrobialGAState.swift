/// Everything a microbial GA run changes, as a plain value: store it with the caller's
/// generator state to checkpoint, and give both back to resume exactly.
///
/// Invariants (checked by ``MicrobialGA/init(configuration:genes:state:)``):
/// `population.count == fitness.count == populationSize`; each genotype has one value per
/// gene; `fitnessTrace.count == tournamentsCompleted`.
///
/// A NaN fitness is a legal value; coders that cannot write NaN (JSONEncoder by default)
/// need a non-conforming-float strategy.
public struct MicrobialGAState: Sendable, Hashable, Codable {
    /// The members' genotypes by slot.
    public var population: [Genotype]
    /// The stored fitness of each slot: that of its genotype when it was last evaluated.
    public var fitness: [Double]
    /// Tournaments completed so far; the index of the next tournament.
    public var tournamentsCompleted: Int
    /// The best stored fitness after each completed tournament (see
    /// ``PopulationStatistics/best``); never decreases, because a tournament's winner is
    /// never replaced (see ``MicrobialGA``).
    public var fitnessTrace: [Double]

    public init(population: [Genotype], fitness: [Double], tournamentsCompleted: Int = 0, fitnessTrace: [Double] = []) {
        self.population = population
        self.fitness = fitness
        self.tournamentsCompleted = tournamentsCompleted
        self.fitnessTrace = fitnessTrace
    }

    public static func == (a: Self, b: Self) -> Bool {
        a.population == b.population && a.tournamentsCompleted == b.tournamentsCompleted
            && sameBits(a.fitness, b.fitness) && sameBits(a.fitnessTrace, b.fitnessTrace)
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(population)
        hasher.combine(tournamentsCompleted)
        for f in fitness { hasher.combine(f.bitPattern) }
        for f in fitnessTrace { hasher.combine(f.bitPattern) }
    }
}

/// Bitwise equality of two arrays of doubles (a NaN equals itself).
func sameBits(_ a: [Double], _ b: [Double]) -> Bool {
    a.count == b.count && zip(a, b).allSatisfy { $0.bitPattern == $1.bitPattern }
}
