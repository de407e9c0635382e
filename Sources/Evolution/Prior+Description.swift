extension Prior: CustomStringConvertible {
    /// A stable, human-readable form used in records, for example
    /// `product(integer_uniform(0, 99), uniform(0, 1))` or `normal(0.5, 0.1, 0, inf)`.
    ///
    /// Names are snake_case (`uniform`, `log_uniform`, `integer_uniform`, `normal`, `choice`,
    /// `constant`, `product`, `quotient`, `sum`); arguments are positional; integral numbers
    /// print without a fraction, others in Swift's shortest round-trip form. A `normal` prints
    /// its bounds only when it has one, writing `-inf`/`inf` for an open side.
    public var description: String {
        switch self {
        case let .uniform(lower, upper):
            return "uniform(\(Self.format(lower)), \(Self.format(upper)))"
        case let .logUniform(lower, upper):
            return "log_uniform(\(Self.format(lower)), \(Self.format(upper)))"
        case let .integerUniform(lower, upper):
            return "integer_uniform(\(lower), \(upper))"
        case let .normal(mean, sd, lower, upper):
            if lower == nil && upper == nil {
                return "normal(\(Self.format(mean)), \(Self.format(sd)))"
            }
            let lo = Self.format(lower ?? -.infinity), hi = Self.format(upper ?? .infinity)
            return "normal(\(Self.format(mean)), \(Self.format(sd)), \(lo), \(hi))"
        case let .choice(values):
            return "choice([\(values.map(Self.format).joined(separator: ", "))])"
        case let .constant(value):
            return "constant(\(Self.format(value)))"
        case let .product(left, right):
            return "product(\(left), \(right))"
        case let .quotient(numerator, denominator):
            return "quotient(\(numerator), \(denominator))"
        case let .sum(left, right):
            return "sum(\(left), \(right))"
        }
    }

    /// `3` for 3.0, `0.25` for 0.25, `inf`/`-inf`/`nan` for the non-finite.
    static func format(_ x: Double) -> String {
        if x.isInfinite { return x < 0 ? "-inf" : "inf" }
        if x.isNaN { return "nan" }
        if x == x.rounded(.towardZero) && Swift.abs(x) < 1e15 { return String(Int64(x)) }
        return "\(x)"
    }
}
