extension Prior {
    /// A closed interval holding every value the prior can produce: its hull.
    ///
    /// Exact for the simple priors (for `uniform` and `logUniform` the upper end is not
    /// attained), a possibly loose hull for compositions (interval arithmetic, ignoring
    /// overflow). Unbounded sides are infinite: an unbounded `normal`, or a `quotient` whose
    /// denominator's hull contains zero. Used to clip Gaussian mutation steps and to check a
    /// gene's bounds. Never traps, even for an invalid prior (whose support is then
    /// `-.infinity ... .infinity` where its parameters make no sense).
    public var support: ClosedRange<Double> {
        switch self {
        case let .uniform(lower, upper), let .logUniform(lower, upper):
            return Self.hull(lower, upper)
        case let .integerUniform(lower, upper):
            return Self.hull(Double(lower), Double(upper))
        case let .normal(_, _, lower, upper):
            return Self.hull(lower ?? -.infinity, upper ?? .infinity)
        case let .choice(values):
            guard let lo = values.min(), let hi = values.max() else { return Self.everything }
            return Self.hull(lo, hi)
        case let .constant(value):
            return Self.hull(value, value)
        case let .product(left, right):
            let a = left.support, b = right.support
            let corners = [
                Self.times(a.lowerBound, b.lowerBound), Self.times(a.lowerBound, b.upperBound),
                Self.times(a.upperBound, b.lowerBound), Self.times(a.upperBound, b.upperBound),
            ]
            return Self.hull(corners.min()!, corners.max()!)
        case let .quotient(numerator, denominator):
            let a = numerator.support, d = denominator.support
            if d.contains(0) { return Self.everything }
            let corners = [
                a.lowerBound / d.lowerBound, a.lowerBound / d.upperBound,
                a.upperBound / d.lowerBound, a.upperBound / d.upperBound,
            ]
            if corners.contains(where: \.isNaN) { return Self.everything }
            return Self.hull(corners.min()!, corners.max()!)
        case let .sum(left, right):
            let a = left.support, b = right.support
            return Self.hull(a.lowerBound + b.lowerBound, a.upperBound + b.upperBound)
        }
    }

    /// Whether every value the prior produces is an integer: `integerUniform`; a `choice` or
    /// `constant` of integral values; a `product` or `sum` of integer priors. A `quotient` is
    /// never integer. A gene's integer flag defaults to this.
    public var isInteger: Bool {
        switch self {
        case .uniform, .logUniform, .normal, .quotient:
            return false
        case .integerUniform:
            return true
        case let .choice(values):
            return !values.isEmpty && values.allSatisfy(Self.isIntegral)
        case let .constant(value):
            return Self.isIntegral(value)
        case let .product(left, right), let .sum(left, right):
            return left.isInteger && right.isInteger
        }
    }

    /// Whether a draw can be exactly zero (ignoring underflow of products and quotients of
    /// tiny values). The rule that decides whether a prior may be a denominator:
    /// `uniform` when `lower ≤ 0 < upper` or it is the point 0; `logUniform` never;
    /// `integerUniform` when `lower ≤ 0 ≤ upper`; `normal` when 0 is within its bounds
    /// (zero is then possible, though of probability zero); `choice` when it lists 0;
    /// `constant` when it is 0; `product` when either factor can be zero; `quotient` when the
    /// numerator can; `sum` when its hull contains 0.
    public var canBeZero: Bool {
        switch self {
        case let .uniform(lower, upper):
            return (lower <= 0 && 0 < upper) || (lower == 0 && upper == 0)
        case .logUniform:
            return false
        case let .integerUniform(lower, upper):
            return lower <= 0 && 0 <= upper
        case .normal:
            return support.contains(0)
        case let .choice(values):
            return values.contains(0)
        case let .constant(value):
            return value == 0
        case let .product(left, right):
            return left.canBeZero || right.canBeZero
        case let .quotient(numerator, _):
            return numerator.canBeZero
        case .sum:
            return support.contains(0)
        }
    }

    static let everything: ClosedRange<Double> = -Double.infinity ... Double.infinity

    /// `lo ... hi`, or everything when the ends are NaN or out of order (invalid priors).
    static func hull(_ lo: Double, _ hi: Double) -> ClosedRange<Double> {
        lo <= hi ? lo ... hi : everything
    }

    /// Interval-arithmetic product: zero times anything, infinity included, is zero.
    static func times(_ a: Double, _ b: Double) -> Double {
        a == 0 || b == 0 ? 0 : a * b
    }

    static func isIntegral(_ x: Double) -> Bool { x.isFinite && x == x.rounded(.towardZero) }
}
