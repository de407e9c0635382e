/// Summary statistics of a list of numbers, as the report prints them (docs/report.md).
///
/// The standard deviation is the sample one (n − 1 in the denominator); it is nil for fewer
/// than two values. The median of an even count is the mean of the two middle values.
public struct SummaryStatistics: Sendable, Hashable {
    /// Number of values summarised.
    public var count: Int
    public var mean: Double
    /// Sample standard deviation (n − 1); nil when `count < 2`.
    public var standardDeviation: Double?
    public var median: Double
    public var minimum: Double
    public var maximum: Double

    /// Statistics of `values`, nil when there are none. NaN values are left out.
    public init?(_ values: [Double]) {
        let v = values.filter { !$0.isNaN }.sorted()
        guard !v.isEmpty else { return nil }
        count = v.count
        mean = v.reduce(0, +) / Double(v.count)
        if v.count >= 2 {
            let m = mean
            standardDeviation = (v.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(v.count - 1)).squareRoot()
        } else {
            standardDeviation = nil
        }
        median = Self.quantile(sorted: v, 0.5)
        minimum = v[0]
        maximum = v[v.count - 1]
    }

    /// The `q` quantile (0…1) of sorted values by linear interpolation between closest ranks
    /// (numpy's default, "linear"): position q·(n − 1).
    public static func quantile(sorted v: [Double], _ q: Double) -> Double {
        precondition(!v.isEmpty, "quantile of no values")
        let position = q * Double(v.count - 1)
        let lower = Int(position.rounded(.down))
        let upper = min(lower + 1, v.count - 1)
        let fraction = position - Double(lower)
        return fraction == 0 ? v[lower] : v[lower] + (v[upper] - v[lower]) * fraction
    }
}
