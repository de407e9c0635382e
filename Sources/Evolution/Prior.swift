import Randomness

/// The distribution a gene's value is drawn from.
///
/// Priors compose: `product`, `quotient` and `sum` combine two independent draws, which is
/// how the seed's priors are written, for example
/// `stdp_tau = .product(.integerUniform(lower: 0, upper: 99), .uniform(lower: 0, upper: 1))`.
///
/// Invariants, for a prior whose ``validate(field:)`` returns no problems:
/// - ``sample(using:)`` returns a finite value within ``support`` (the half-open uniform and
///   log-uniform never return `upper` unless `lower == upper`);
/// - a given generator state always gives the same value, and the draws each case consumes
///   are documented on ``sample(using:)``.
///
/// Sampling a prior that fails validation is a programming error: it may trap
/// (`integerUniform` with `lower > upper`, an empty `choice`) or return meaningless values.
public indirect enum Prior: Sendable, Hashable, Codable {
    /// Uniform on the half-open interval [lower, upper); `lower == upper` always gives `lower`.
    case uniform(lower: Double, upper: Double)
    /// Log-uniform on [lower, upper): `exp` of a uniform on [ln lower, ln upper). `lower > 0`.
    case logUniform(lower: Double, upper: Double)
    /// Uniform over the integers lower, lower + 1, …, upper (both ends included).
    case integerUniform(lower: Int, upper: Int)
    /// Normal with mean and standard deviation, truncated to the closed interval
    /// [lower, upper] (nil: unbounded on that side) by resampling; after
    /// ``normalMaxAttempts`` rejected draws the last draw is clamped into the interval.
    case normal(mean: Double, sd: Double, lower: Double? = nil, upper: Double? = nil)
    /// One of the listed values, each equally likely (repeat a value to weight it).
    case choice([Double])
    /// Always the value; consumes no randomness.
    case constant(Double)
    /// The product of independent draws from both priors (left drawn first).
    case product(Prior, Prior)
    /// The quotient of independent draws, numerator ÷ denominator (numerator drawn first).
    /// Validation rejects a denominator that can be zero (see ``canBeZero``).
    case quotient(Prior, Prior)
    /// The sum of independent draws from both priors (left drawn first).
    case sum(Prior, Prior)

    /// How many draws a truncated ``normal(mean:sd:lower:upper:)`` tries before it gives up
    /// and clamps its last draw into the bounds. Reaching it means the bounds hold less than
    /// about 0.1 % of the normal's mass, almost certainly a mistake in the prior, but the
    /// result is still deterministic and within bounds.
    public static let normalMaxAttempts = 1000

    /// One value drawn from the prior with the caller's generator.
    ///
    /// Draws consumed, in order:
    /// - `uniform`, `logUniform`: one `nextUniformDouble()`;
    /// - `integerUniform`, `choice`: one uniform index (one 64-bit draw, more only on
    ///   Lemire's rare rejection);
    /// - `normal`: one `nextStandardNormal()` (two uniforms) per attempt, until a draw lies in
    ///   [lower, upper] or ``normalMaxAttempts`` are spent;
    /// - `constant`: none;
    /// - `product`, `quotient`, `sum`: the left (numerator) prior's draws, then the right's.
    public func sample(using rng: inout some RandomNumberGenerator) -> Double {
        switch self {
        case let .uniform(lower, upper):
            let x = lower + (upper - lower) * rng.nextUniformDouble()
            return Self.belowUpper(x, lower: lower, upper: upper)
        case let .logUniform(lower, upper):
            let lo = naturalLog(lower), hi = naturalLog(upper)
            let x = exponential(lo + (hi - lo) * rng.nextUniformDouble())
            // exp(log(x)) can miss x by an ulp: keep the result within [lower, upper).
            return Self.belowUpper(Swift.max(x, lower), lower: lower, upper: upper)
        case let .integerUniform(lower, upper):
            precondition(lower <= upper, "integer_uniform(\(lower), \(upper)) is empty")
            let span = UInt64(bitPattern: Int64(upper &- lower)) &+ 1
            let offset = span == 0 ? rng.next() : uniformWord(below: span, using: &rng)
            return Double(lower &+ Int(truncatingIfNeeded: offset))
        case let .normal(mean, sd, lower, upper):
            let lo = lower ?? -.infinity, hi = upper ?? .infinity
            var x = mean
            for _ in 0..<Self.normalMaxAttempts {
                x = mean + sd * rng.nextStandardNormal()
                if x >= lo && x <= hi { return x }
            }
            return Swift.min(Swift.max(x, lo), hi)
        case let .choice(values):
            precondition(!values.isEmpty, "choice of nothing")
            return values[uniformIndex(below: values.count, using: &rng)]
        case let .constant(value):
            return value
        case let .product(left, right):
            let x = left.sample(using: &rng)
            return x * right.sample(using: &rng)
        case let .quotient(numerator, denominator):
            let x = numerator.sample(using: &rng)
            return x / denominator.sample(using: &rng)
        case let .sum(left, right):
            let x = left.sample(using: &rng)
            return x + right.sample(using: &rng)
        }
    }

    /// `x` if it is below `upper`, else the largest double below `upper` (rounding in
    /// `lower + width · u` can reach `upper` although u < 1); `lower` when the interval is a
    /// single point.
    private static func belowUpper(_ x: Double, lower: Double, upper: Double) -> Double {
        if upper <= lower { return lower }
        return x < upper ? x : Swift.max(lower, upper.nextDown)
    }
}
