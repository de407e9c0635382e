/// Why a microbial GA could not be built, resumed, or advanced.
public enum MicrobialGAError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The configuration, genes or state are invalid; every problem is listed.
    case invalid([InvalidParameter])
    /// The plan was not made from the GA's current state (another tournament index, or the
    /// winner's or loser's genotype or fitness has changed since), or its child has the wrong
    /// length.
    case planMismatch(String)

    public var description: String {
        switch self {
        case let .invalid(problems):
            return "invalid microbial GA: " + problems.map(\.description).joined(separator: "; ")
        case let .planMismatch(reason):
            return "tournament plan does not match the GA: \(reason)"
        }
    }
}
