/// How a microbial GA run selects, crosses and mutates.
public struct MicrobialGAConfiguration: Sendable, Hashable, Codable {
    /// The tournament's crossover and mutation rules.
    public enum Variant: Sendable, Hashable, Codable {
        /// The seed's rules: the loser takes exactly ⌊G/2⌋ genes, at distinct positions
        /// chosen uniformly, from the winner; then exactly one of its G genes (uniform) is
        /// redrawn from its prior through ``Gene/draw(using:)``.
        case seed
        /// Harvey's rules (2009): each gene of the loser is independently replaced by the
        /// winner's with `crossoverProbability`, then each gene independently mutates with
        /// `mutationProbability`, by `mutation`.
        case harvey(crossoverProbability: Double = 0.5, mutationProbability: Double, mutation: Mutation = .redraw)
    }

    /// How Harvey's variant mutates one gene.
    public enum Mutation: Sendable, Hashable, Codable {
        /// A fresh value from the gene's prior (``Gene/draw(using:)``).
        case redraw
        /// A Gaussian step added to the current value. Its standard deviation is
        /// `scale × width`, with `width` the width of the gene's ``Gene/range`` (prior support
        /// ∩ bounds): the scale is relative. Where that width is infinite (an unbounded normal
        /// prior with no bounds) the standard deviation is `scale` itself (absolute). The
        /// stepped value is clipped to the gene's range, then ``Gene/constrain(_:)``.
        case gaussian(scale: Double)
    }

    /// Crossover and mutation rules.
    public var variant: Variant
    /// The number of members N (slots); at least 2.
    public var populationSize: Int
    /// The number of tournaments the run is to play (the runner's stopping rule, see
    /// ``MicrobialGA/isFinished``); at least 0.
    public var tournaments: Int
    /// Harvey's demes: members sit on a ring and the second pick lies within this distance of
    /// the first (either side, never the first itself). nil: anywhere in the population. A
    /// deme that would wrap onto itself (2·demeSize + 1 > N) is the whole population.
    public var demeSize: Int?

    public init(variant: Variant = .seed, populationSize: Int, tournaments: Int, demeSize: Int? = nil) {
        self.variant = variant
        self.populationSize = populationSize
        self.tournaments = tournaments
        self.demeSize = demeSize
    }

    /// Every problem with the configuration; empty when valid. Fields are the property names
    /// (`populationSize`, `tournaments`, `demeSize`, `variant.crossoverProbability`,
    /// `variant.mutationProbability`, `variant.mutation.scale`).
    ///
    /// Rules: populationSize ≥ 2 (a tournament needs two members); tournaments ≥ 0;
    /// demeSize ≥ 1 when given; probabilities finite and in [0, 1]; a Gaussian scale finite
    /// and positive.
    public func validate() -> [InvalidParameter] {
        var problems: [InvalidParameter] = []
        func fail(_ field: String, _ reason: String) {
            problems.append(InvalidParameter(field: field, reason: reason))
        }
        if populationSize < 2 {
            fail("populationSize", "a tournament needs at least 2 members, not \(populationSize)")
        }
        if tournaments < 0 { fail("tournaments", "must not be negative, not \(tournaments)") }
        if let demeSize, demeSize < 1 { fail("demeSize", "must be at least 1, not \(demeSize)") }
        if case let .harvey(crossover, mutationProbability, mutation) = variant {
            for (field, p) in [("variant.crossoverProbability", crossover),
                               ("variant.mutationProbability", mutationProbability)]
            where !(p >= 0 && p <= 1) {
                fail(field, "a probability must be in [0, 1], not \(p)")
            }
            if case let .gaussian(scale) = mutation, !(scale.isFinite && scale > 0) {
                fail("variant.mutation.scale", "must be finite and positive, not \(scale)")
            }
        }
        return problems
    }
}
