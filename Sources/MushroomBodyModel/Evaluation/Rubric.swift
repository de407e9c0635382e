/// How an evaluation's run becomes a fitness: the seed's rubric, held-out accuracy, or a
/// weighted sum of their criteria.
public enum Rubric: Sendable, Hashable {
    /// The seed's rubric (docs/model.md). Maximum 1.5 + 2N + (N − 1) + 0.5, 241 for N = 80.
    case seed242
    /// Accuracy on held-out images with the teacher off and STDP frozen; fitness in [0, 1].
    case accuracy
    /// Σ weight × criterion over named criteria (``Rubric/criteria``).
    case weighted([WeightedCriterion])

    /// A criterion and its weight in a weighted rubric.
    public struct WeightedCriterion: Sendable, Hashable {
        public let criterion: String
        public let weight: Double
        public init(_ criterion: String, _ weight: Double) { self.criterion = criterion; self.weight = weight }
    }

    /// The seed rubric's components, each in points.
    public static let seedCriteria = ["initial_weight_check", "initial_voltage_check", "first_spike", "second_spike",
                                      "weight_checks", "voltage_checks", "completion"]
    /// The accuracy rubric's criteria, each a fraction of the test images.
    public static let accuracyCriteria = ["accuracy", "food_accuracy", "no_response"]
    /// Every criterion a weighted rubric may name.
    public static let criteria = seedCriteria + accuracyCriteria
    /// Names of the confusion-matrix components, `confusion_<true>_<predicted>` for 4 classes.
    public static let confusionNames = (0..<4).flatMap { t in (0..<4).map { p in "confusion_\(t)_\(p)" } }
    /// The class the accuracy rubric's binary score singles out (food).
    public static let targetClass = 3

    /// The rubric's name in experiment files and records.
    public var name: String {
        switch self {
        case .seed242: return "seed-242"
        case .accuracy: return "accuracy"
        case .weighted: return "weighted"
        }
    }

    /// Whether the protocol must run a held-out test phase for this rubric.
    public var needsTestPhase: Bool {
        switch self {
        case .seed242: return false
        case .accuracy: return true
        case .weighted(let ws): return ws.contains { Rubric.accuracyCriteria.contains($0.criterion) }
        }
    }

    /// The names of the components this rubric reports, in order.
    public var componentNames: [String] {
        switch self {
        case .seed242: return Rubric.seedCriteria
        case .accuracy: return Rubric.accuracyCriteria + Rubric.confusionNames
        case .weighted: return Rubric.seedCriteria + (needsTestPhase ? Rubric.accuracyCriteria + Rubric.confusionNames : [])
        }
    }

    /// The highest fitness possible with `trainingCount` training images.
    public func maximum(trainingCount n: Int) -> Double {
        switch self {
        case .seed242: return Rubric.seedMaxima(n).reduce(0, +)
        case .accuracy: return 1
        case .weighted(let ws):
            let seedMax = Dictionary(uniqueKeysWithValues: zip(Rubric.seedCriteria, Rubric.seedMaxima(n)))
            return ws.reduce(0) { sum, w in
                let top = seedMax[w.criterion] ?? 1
                return sum + max(w.weight * top, 0)
            }
        }
    }

    static func seedMaxima(_ n: Int) -> [Double] {
        [1, 0.5, Double(n), Double(n), 0.5 * Double(max(n - 1, 0)), 0.5 * Double(max(n - 1, 0)), 0.5]
    }

    /// The score of a trace: the fitness and the components (parallel to ``componentNames``).
    /// `readout` names each test image's class (``Readout``); the seed criteria ignore it.
    public func score(_ trace: ProtocolTrace, readout: Readout = .firstSpike) -> (fitness: Double, components: [Double]) {
        switch self {
        case .seed242:
            let c = Rubric.seedComponents(trace)
            return (c.reduce(0, +), c)
        case .accuracy:
            let c = Rubric.accuracyComponents(trace, readout: readout)
            return (c[0], c)
        case .weighted(let ws):
            var values = Rubric.seedComponents(trace)
            if needsTestPhase { values += Rubric.accuracyComponents(trace, readout: readout) }
            let named = Dictionary(uniqueKeysWithValues: zip(componentNames, values))
            let fitness = ws.reduce(0) { $0 + $1.weight * (named[$1.criterion] ?? 0) }
            return (fitness, values)
        }
    }

    /// The seed's check on a mean: it scores when the mean is non-zero and not NaN.
    @inlinable public static func passesCheck(_ mean: Double) -> Bool { mean != 0 && !mean.isNaN }

    /// The seed rubric's seven components, in points.
    public static func seedComponents(_ t: ProtocolTrace) -> [Double] {
        let n = t.training.count
        var first = 0.0, second = 0.0, weights = 0.0, volts = 0.0
        for (i, image) in t.training.enumerated() {
            if image.scoredSpikes.count > 0 && image.scoredSpikes[0].neuron == image.label { first += 1 }
            if image.scoredSpikes.count > 1 && image.scoredSpikes[1].neuron == image.label { second += 1 }
            if i < n - 1 {
                if passesCheck(image.meanWeightAfter) { weights += 0.5 }
                if passesCheck(image.meanKCVoltageAfter) { volts += 0.5 }
            }
        }
        return [passesCheck(t.initialMeanWeight) ? 1 : 0, passesCheck(t.initialMeanKCVoltage) ? 0.5 : 0,
                first, second, weights, volts, t.completed ? 0.5 : 0]
    }

    /// The accuracy rubric's components: accuracy, food-vs-distraction accuracy, the
    /// fraction with no DN spike, then the 4×4 confusion matrix in counts (rows: true class).
    /// A test image with no response (``Readout/prediction(_:)`` is nil: by default no DN
    /// spike in its stimulus window) counts as wrong in both accuracies and appears in no
    /// confusion cell. With no test images all are 0.
    public static func accuracyComponents(_ t: ProtocolTrace, readout: Readout = .firstSpike) -> [Double] {
        var confusion = [Double](repeating: 0, count: 16)
        var correct = 0.0, binary = 0.0, silent = 0.0
        for image in t.test {
            guard let predicted = readout.prediction(image) else { silent += 1; continue }
            if predicted == image.label { correct += 1 }
            if (predicted == targetClass) == (image.label == targetClass) { binary += 1 }
            if (0..<4).contains(image.label), (0..<4).contains(predicted) {
                confusion[image.label * 4 + predicted] += 1
            }
        }
        let n = Double(t.test.count)
        guard n > 0 else { return [0, 0, 0] + confusion }
        return [correct / n, binary / n, silent / n] + confusion
    }
}
