import Spiking

/// How an evaluation ended.
public enum EvaluationStatus: Sendable, Hashable, CustomStringConvertible {
    /// Simulated and scored.
    case ok
    /// Not simulated: a parameter lies outside its domain (the reasons, one per parameter).
    /// Fitness 0 and every component 0.
    case invalidGenotype([String])
    /// Simulated to the end, but state became NaN or infinite (where it first did). As in
    /// GeNN the run carried on; the fitness is the rubric's score of what happened.
    case numericalFailure(NumericalFailure)

    /// The code stored in run files: 0 ok, 1 invalid genotype, 2 numerical failure.
    public var code: Int32 {
        switch self { case .ok: return 0; case .invalidGenotype: return 1; case .numericalFailure: return 2 }
    }

    /// Short name: "ok", "invalid_genotype", "numerical_failure".
    public var name: String {
        switch self { case .ok: return "ok"; case .invalidGenotype: return "invalid_genotype"; case .numericalFailure: return "numerical_failure" }
    }

    /// Details ("" for ok).
    public var message: String {
        switch self {
        case .ok: return ""
        case .invalidGenotype(let reasons): return reasons.joined(separator: "; ")
        case .numericalFailure(let f): return f.description
        }
    }

    public var description: String { message.isEmpty ? name : "\(name): \(message)" }
}

/// Spikes of one population in one evaluation: parallel arrays of step index and neuron index,
/// ordered by step then neuron.
public struct SpikeTrain: Sendable, Hashable {
    public var steps: [UInt32]
    public var ids: [UInt32]
    public init(steps: [UInt32] = [], ids: [UInt32] = []) { self.steps = steps; self.ids = ids }
    public var count: Int { steps.count }
}

/// The outcome of evaluating one genotype.
public struct EvaluationResult: Sendable {
    public var fitness: Double
    public var maxFitness: Double
    /// Component names (the rubric's) and values, parallel.
    public var componentNames: [String]
    public var components: [Double]
    public var status: EvaluationStatus
    /// Population names in order ("PN", "KC", "DN", "GGN") and their sizes.
    public var populationNames: [String]
    public var populationSizes: [Int]
    /// Spikes emitted per population (parallel to ``populationNames``).
    public var spikeCounts: [Int]
    /// Time steps simulated (0 when not simulated).
    public var steps: Int
    /// Wall-clock time of the evaluation, s.
    public var wallSeconds: Double
    /// Recorded spikes of the populations asked for (by name).
    public var spikes: [String: SpikeTrain]
    /// Final KC→DN weights, row-major KC × DN, when asked for.
    public var finalWeights: [Float]?
    /// What the rubric scored (nil when not simulated).
    public var trace: ProtocolTrace?
}
