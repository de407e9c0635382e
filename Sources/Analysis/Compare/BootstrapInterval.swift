import Randomness

/// A percentile bootstrap confidence interval of the mean (docs/compare.md).
///
/// Draws `resamples` samples of the values' size with replacement, takes each one's mean, and
/// returns the (1 − level)/2 and (1 + level)/2 quantiles of those means (linear interpolation
/// between ranks, as ``SummaryStatistics/quantile(sorted:_:)``). Reproducible: the draws come
/// from a xoshiro256** generator seeded with `seed`, so the same values, seed and count give
/// the same interval on every machine.
public struct BootstrapInterval: Sendable, Hashable {
    /// Resamples drawn by default.
    public static let defaultResamples = 10_000
    /// Seed of the generator by default.
    public static let defaultSeed: UInt64 = 20_261_202
    /// Confidence level by default (95 %).
    public static let defaultLevel = 0.95

    public var lower: Double
    public var upper: Double
    public var level: Double
    public var resamples: Int
    public var seed: UInt64

    /// The interval of the mean of `values` (NaN left out); nil when there are none.
    public init?(_ values: [Double], resamples: Int = defaultResamples, seed: UInt64 = defaultSeed,
                 level: Double = defaultLevel) {
        let v = values.filter { !$0.isNaN }
        guard !v.isEmpty, resamples > 0 else { return nil }
        var generator = Xoshiro256StarStar(seed: seed)
        var means: [Double] = []
        means.reserveCapacity(resamples)
        let n = UInt64(v.count)
        for _ in 0..<resamples {
            var sum = 0.0
            for _ in 0..<v.count { sum += v[Int(generator.next() % n)] }
            means.append(sum / Double(v.count))
        }
        means.sort()
        lower = SummaryStatistics.quantile(sorted: means, (1 - level) / 2)
        upper = SummaryStatistics.quantile(sorted: means, (1 + level) / 2)
        self.level = level
        self.resamples = resamples
        self.seed = seed
    }
}
