/// One named number of the mushroom-body network or its protocol, with its unit, default
/// and the values it may take.
///
/// Every number in docs/model.md has one; a genotype or an experiment file's `model:`
/// section overrides any of them by name.
public struct ModelParameter: Sendable, Hashable {
    /// The allowed values of a parameter.
    public enum Domain: Sendable, Hashable {
        /// Any finite number.
        case finite
        /// A finite number > 0.
        case positive
        /// A finite number ≥ 0.
        case nonNegative
        /// A number in [0, 1].
        case probability
        /// A whole number in the closed range.
        case integer(ClosedRange<Int>)

        /// Why `value` is not allowed, or nil if it is.
        public func problem(with value: Double) -> String? {
            guard value.isFinite else { return "expected a finite number, found \(value)" }
            switch self {
            case .finite: return nil
            case .positive: return value > 0 ? nil : "expected a number > 0, found \(format(value))"
            case .nonNegative: return value >= 0 ? nil : "expected a number ≥ 0, found \(format(value))"
            case .probability: return (0...1).contains(value) ? nil : "expected a probability in [0, 1], found \(format(value))"
            case .integer(let r):
                guard value == value.rounded() else { return "expected a whole number, found \(format(value))" }
                guard value >= Double(r.lowerBound), value <= Double(r.upperBound) else {
                    return "expected a whole number in \(r.lowerBound)…\(r.upperBound), found \(format(value))"
                }
                return nil
            }
        }

        /// Short text for documentation: "> 0", "[0, 1]", "integer 0…100000".
        public var summary: String {
            switch self {
            case .finite: return "finite"
            case .positive: return "> 0"
            case .nonNegative: return "≥ 0"
            case .probability: return "[0, 1]"
            case .integer(let r): return "integer \(r.lowerBound)…\(r.upperBound)"
            }
        }
    }

    /// The name used in genotypes, experiment files and records (snake_case).
    public let name: String
    /// Unit ("ms", "mV", "µS", "nA", "nF", "1" for dimensionless).
    public let unit: String
    /// The seed's value (or, for the seed's genes, a working example).
    public let defaultValue: Double
    /// Allowed values; others make the genotype invalid.
    public let domain: Domain
    /// One line saying what it is.
    public let summary: String
    /// True for the seed's six genes.
    public let isSeedGene: Bool

    public init(_ name: String, _ unit: String, _ defaultValue: Double, _ domain: Domain,
                _ summary: String, seedGene: Bool = false) {
        self.name = name; self.unit = unit; self.defaultValue = defaultValue
        self.domain = domain; self.summary = summary; self.isSeedGene = seedGene
    }
}

/// Shortest decimal text of a number ("0.2", "1e-05", "800").
@inlinable
public func format(_ value: Double) -> String {
    if value.isFinite, value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
    return "\(value)"
}
