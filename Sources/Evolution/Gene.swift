/// One evolved hyperparameter: a name, the prior its values are drawn from, and how a raw
/// value is made admissible (rounded, made integral, clipped).
///
/// Invariant: for a gene whose ``validate()`` returns no problems, every value from
/// ``draw(using:)`` or ``constrain(_:)`` of a finite input is finite, lies within
/// [``lowerBound``, ``upperBound``] where given, is a multiple of 10⁻ⁿ (as the nearest
/// double) when ``decimals`` is n, and is integral when ``isInteger``.
public struct Gene: Sendable, Hashable, Codable {
    /// The parameter's name, unique within a ``GeneSet``.
    public var name: String
    /// The distribution new values are drawn from.
    public var prior: Prior
    /// Round to this many decimals (0 … ``maximumDecimals``); nil: no rounding.
    public var decimals: Int?
    /// Round to an integer (after any decimal rounding).
    public var isInteger: Bool
    /// Clip values below this up to it; nil: no lower clip.
    public var lowerBound: Double?
    /// Clip values above this down to it; nil: no upper clip.
    public var upperBound: Double?

    /// The largest ``decimals`` accepted: beyond it `10ⁿ` scaling stops being meaningful for
    /// doubles of ordinary size.
    public static let maximumDecimals = 15

    /// - Parameter isInteger: nil (the default) takes the prior's ``Prior/isInteger``.
    public init(
        name: String, prior: Prior, decimals: Int? = nil, isInteger: Bool? = nil,
        lowerBound: Double? = nil, upperBound: Double? = nil
    ) {
        self.name = name
        self.prior = prior
        self.decimals = decimals
        self.isInteger = isInteger ?? prior.isInteger
        self.lowerBound = lowerBound
        self.upperBound = upperBound
    }

    /// A new value: ``Prior/sample(using:)`` of the prior, then ``constrain(_:)``.
    /// Consumes exactly the prior's draws.
    public func draw(using rng: inout some RandomNumberGenerator) -> Double {
        constrain(prior.sample(using: &rng))
    }

    /// Makes a raw value admissible, in this order: round to ``decimals`` (half away from
    /// zero, see ``round(_:decimals:)``), round to an integer if ``isInteger`` (half away
    /// from zero), clip to [``lowerBound``, ``upperBound``].
    ///
    /// Rounding comes before clipping so that bounds always hold; validation requires the
    /// bounds to be on the gene's grid, so clipping keeps the value on it. Note that rounding
    /// may reach the open end of a prior (`uniform(0, 1)` at 4 decimals can give 1.0), as
    /// rounding the draw does in the seed.
    public func constrain(_ value: Double) -> Double {
        var x = value
        if let decimals { x = Self.round(x, decimals: decimals) }
        if isInteger { x = Self.round(x, decimals: 0) }
        if let lowerBound, x < lowerBound { x = lowerBound }
        if let upperBound, x > upperBound { x = upperBound }
        return x
    }

    /// `x` rounded to `decimals` places, half away from zero: `(x · 10ⁿ)` rounded to the
    /// nearest integer, ties away from zero, divided by `10ⁿ`.
    ///
    /// The result is the double nearest the decimal k/10ⁿ (both k and 10ⁿ are exact, and
    /// IEEE division rounds correctly), so printing it with n decimals shows that decimal.
    /// As in numpy and Python, the product `x · 10ⁿ` is itself a rounded double, so a value
    /// just below a decimal tie may round up; the tie rule (away from zero, not to even) is
    /// the only intended difference from Python's `round`. Non-finite values, and values so
    /// large that `x · 10ⁿ` is already integral, are returned unchanged.
    ///
    /// - Precondition: `0 ≤ decimals ≤ 22` (10ⁿ exact as a double).
    public static func round(_ x: Double, decimals: Int) -> Double {
        precondition(decimals >= 0 && decimals <= 22, "cannot round to \(decimals) decimals")
        guard x.isFinite else { return x }
        var scale = 1.0
        for _ in 0..<decimals { scale *= 10 }
        let y = x * scale
        guard y.isFinite, Swift.abs(y) < 0x1p52 else { return x }
        return y.rounded(.toNearestOrAwayFromZero) / scale
    }

    /// The interval values are kept in when mutated by a Gaussian step: the prior's
    /// ``Prior/support`` intersected with the bounds. For an invalid gene whose bounds miss
    /// the support entirely, the bounds alone (or the support, if the bounds are also
    /// inconsistent).
    public var range: ClosedRange<Double> {
        let support = prior.support
        let lo = Swift.max(support.lowerBound, lowerBound ?? -.infinity)
        let hi = Swift.min(support.upperBound, upperBound ?? .infinity)
        if lo <= hi { return lo ... hi }
        let blo = lowerBound ?? -.infinity, bhi = upperBound ?? .infinity
        return blo <= bhi ? blo ... bhi : support
    }

    /// Every problem with the gene; empty when valid. Fields are prefixed with the name.
    ///
    /// Rules: a non-empty name; a valid prior; decimals in 0 … ``maximumDecimals``; finite
    /// bounds with `lowerBound ≤ upperBound`; bounds that overlap the prior's support; for an
    /// integer gene, integral bounds; with ``decimals``, bounds on the decimal grid
    /// (`round(b, decimals) == b`), so that clipping cannot leave the grid.
    public func validate() -> [InvalidParameter] {
        let path = name.isEmpty ? "gene" : name
        var problems: [InvalidParameter] = []
        func fail(_ suffix: String, _ reason: String) {
            problems.append(InvalidParameter(field: "\(path).\(suffix)", reason: reason))
        }
        if name.isEmpty { fail("name", "a gene needs a name") }
        problems += prior.validate(field: "\(path).prior")
        if let decimals, decimals < 0 || decimals > Self.maximumDecimals {
            fail("decimals", "must be in 0…\(Self.maximumDecimals), not \(decimals)")
        }
        let bounds = [("lowerBound", lowerBound), ("upperBound", upperBound)]
        var boundsOK = true
        for case let (label, bound?) in bounds {
            guard bound.isFinite else {
                fail(label, "must be finite, not \(bound) (leave it out for no bound)")
                boundsOK = false
                continue
            }
            if isInteger && !Prior.isIntegral(bound) {
                fail(label, "bound \(bound) of an integer gene must be an integer")
            }
            if let decimals, decimals >= 0, decimals <= Self.maximumDecimals,
               Self.round(bound, decimals: decimals) != bound {
                fail(label, "bound \(bound) is not a multiple of 10^-\(decimals)")
            }
        }
        if boundsOK, let lowerBound, let upperBound, lowerBound > upperBound {
            fail("lowerBound", "lower bound \(lowerBound) is above upper bound \(upperBound)")
            boundsOK = false
        }
        if boundsOK {
            let support = prior.support
            if let lowerBound, lowerBound > support.upperBound {
                fail("lowerBound", "lower bound \(lowerBound) is above every value of \(prior)")
            }
            if let upperBound, upperBound < support.lowerBound {
                fail("upperBound", "upper bound \(upperBound) is below every value of \(prior)")
            }
        }
        return problems
    }
}
