/// Noise-robust fitness: a genotype evaluated on K independently seeded networks (wiring,
/// initial weights, Poisson input), its fitness the aggregate of the K (`evaluation:` in an
/// experiment file). Network-independent: it combines ``EvaluationResult``s, whatever made them.
public struct SeedSettings: Sendable, Hashable {
    /// How the K results become one number.
    public enum Aggregate: String, Sendable, Hashable, CaseIterable {
        /// The arithmetic mean.
        case mean
        /// The middle value (the mean of the two middle values for an even K).
        case median
        /// The lowest: a genotype is as good as its worst network.
        case min

        /// The aggregate of `values` (non-empty). A NaN among them gives NaN.
        public func apply(_ values: [Double]) -> Double {
            precondition(!values.isEmpty, "nothing to aggregate")
            if values.contains(where: \.isNaN) { return .nan }
            switch self {
            case .mean:
                return values.reduce(0, +) / Double(values.count)
            case .median:
                let sorted = values.sorted()
                let mid = sorted.count / 2
                return sorted.count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
            case .min:
                return values.min()!
            }
        }
    }

    /// K, the networks per genotype; at least 1, default 1 (one network, as the seed).
    public var seeds: Int
    /// How their fitness is combined; default mean.
    public var aggregate: Aggregate

    public init(seeds: Int = 1, aggregate: Aggregate = .mean) { self.seeds = seeds; self.aggregate = aggregate }

    /// The K results of one genotype as one: fitness and each component are the aggregate
    /// of the K; the status is the first that is not ok, in seed order, or ok (the
    /// run file keeps each seed's own); the wall time is the sum; everything else (spikes, spike
    /// counts, sizes, steps, weights, trace) is seed index 0's. One result is returned as is.
    public func combine(_ results: [EvaluationResult]) -> EvaluationResult {
        precondition(!results.isEmpty, "no results to combine")
        guard results.count > 1 else { return results[0] }
        var combined = results[0]
        combined.fitness = aggregate.apply(results.map(\.fitness))
        combined.components = combined.components.indices.map { c in aggregate.apply(results.map { $0.components[c] }) }
        combined.wallSeconds = results.reduce(0) { $0 + $1.wallSeconds }
        if let k = results.firstIndex(where: { $0.status != .ok }) {
            combined.status = results[k].status
        }
        return combined
    }
}
