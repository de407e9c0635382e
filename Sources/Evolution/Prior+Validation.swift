extension Prior {
    /// Every problem that makes the prior impossible to sample as described; empty when valid.
    ///
    /// Rules: every number finite; `uniform` with `lower ≤ upper` and a finite width;
    /// `logUniform` with `0 < lower ≤ upper`; `integerUniform` with `lower ≤ upper`; `normal`
    /// with `sd ≥ 0` and `lower ≤ upper` when both bounds are given (pass nil, not an
    /// infinity, for an unbounded side); a non-empty `choice`; a `quotient` whose denominator
    /// cannot be zero (``canBeZero``: a denominator such as `uniform(0, 1)` is rejected
    /// rather than allowed to produce infinities). Compositions check both operands.
    ///
    /// - Parameter field: the path of this prior, prefixed to each problem's field
    ///   (operands add `.left`/`.right`, or `.numerator`/`.denominator`).
    public func validate(field: String = "prior") -> [InvalidParameter] {
        var problems: [InvalidParameter] = []
        func fail(_ suffix: String, _ reason: String) {
            problems.append(InvalidParameter(field: suffix.isEmpty ? field : "\(field).\(suffix)", reason: reason))
        }
        func finite(_ name: String, _ x: Double) -> Bool {
            if x.isFinite { return true }
            fail(name, "must be a finite number, not \(x)")
            return false
        }
        switch self {
        case let .uniform(lower, upper):
            if finite("lower", lower) && finite("upper", upper) {
                if lower > upper {
                    fail("lower", "uniform lower \(lower) is above upper \(upper)")
                } else if !(upper - lower).isFinite {
                    fail("upper", "uniform width \(upper) − \(lower) overflows")
                }
            }
        case let .logUniform(lower, upper):
            if finite("lower", lower) && finite("upper", upper) {
                if lower <= 0 { fail("lower", "log_uniform lower must be positive, not \(lower)") }
                if lower > upper { fail("lower", "log_uniform lower \(lower) is above upper \(upper)") }
            }
        case let .integerUniform(lower, upper):
            if lower > upper { fail("lower", "integer_uniform lower \(lower) is above upper \(upper)") }
        case let .normal(mean, sd, lower, upper):
            _ = finite("mean", mean)
            if finite("sd", sd) && sd < 0 { fail("sd", "standard deviation must not be negative, not \(sd)") }
            let lowerOK = lower.map { finite("lower", $0) } ?? true
            let upperOK = upper.map { finite("upper", $0) } ?? true
            if lowerOK, upperOK, let lower, let upper, lower > upper {
                fail("lower", "normal lower bound \(lower) is above upper bound \(upper)")
            }
        case let .choice(values):
            if values.isEmpty { fail("", "choice needs at least one value") }
            for (i, v) in values.enumerated() { _ = finite("\(i)", v) }
        case let .constant(value):
            _ = finite("", value)
        case let .product(left, right), let .sum(left, right):
            problems += left.validate(field: "\(field).left")
            problems += right.validate(field: "\(field).right")
        case let .quotient(numerator, denominator):
            problems += numerator.validate(field: "\(field).numerator")
            let denominatorProblems = denominator.validate(field: "\(field).denominator")
            problems += denominatorProblems
            if denominatorProblems.isEmpty && denominator.canBeZero {
                fail("denominator", "denominator \(denominator) can be zero")
            }
        }
        return problems
    }
}
