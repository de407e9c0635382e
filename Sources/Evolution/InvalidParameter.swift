/// One reason a prior, gene, gene set, configuration or state cannot be used.
///
/// Validation functions return every problem they find as an array of these (empty means
/// valid) rather than stopping at the first, so a user can fix an experiment file in one go.
public struct InvalidParameter: Error, Sendable, Hashable, CustomStringConvertible {
    /// A dotted path naming the offending field, for example `populationSize`,
    /// `stdp_tau.prior.right.lower` or `state.fitness`.
    public var field: String
    /// What is wrong with it, in words.
    public var reason: String

    public init(field: String, reason: String) {
        self.field = field
        self.reason = reason
    }

    public var description: String { "\(field): \(reason)" }
}
