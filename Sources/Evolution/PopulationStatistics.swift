/// Summary of the population's stored fitness.
///
/// NaN fitness (a failed evaluation) takes no part: best, mean and minimum are over the
/// numbers only, and all three are NaN when every member is NaN.
public struct PopulationStatistics: Sendable, Hashable, Codable {
    /// The highest stored fitness.
    public var best: Double
    /// The mean stored fitness.
    public var mean: Double
    /// The lowest stored fitness.
    public var minimum: Double
    /// How many members have a NaN fitness.
    public var nanCount: Int

    public init(best: Double, mean: Double, minimum: Double, nanCount: Int) {
        self.best = best
        self.mean = mean
        self.minimum = minimum
        self.nanCount = nanCount
    }

    /// The statistics of `fitness`.
    public init(fitness: [Double]) {
        let numbers = fitness.filter { !$0.isNaN }
        nanCount = fitness.count - numbers.count
        if numbers.isEmpty {
            best = .nan
            mean = .nan
            minimum = .nan
        } else {
            best = numbers.max()!
            minimum = numbers.min()!
            mean = numbers.reduce(0, +) / Double(numbers.count)
        }
    }

    public static func == (x: Self, y: Self) -> Bool {
        sameBits([x.best, x.mean, x.minimum], [y.best, y.mean, y.minimum]) && x.nanCount == y.nanCount
    }

    public func hash(into hasher: inout Hasher) {
        for v in [best, mean, minimum] { hasher.combine(v.bitPattern) }
        hasher.combine(nanCount)
    }
}
