/// A DN spike: the step it was emitted in and the DN's index (= the class it stands for).
public struct DNSpike: Sendable, Hashable, Codable {
    public let step: Int
    public let neuron: Int
    public init(step: Int, neuron: Int) { self.step = step; self.neuron = neuron }
}

/// Everything a rubric looks at in one evaluation's run; rubrics are pure functions of it,
/// so they can be checked on crafted traces.
public struct ProtocolTrace: Sendable, Hashable {
    /// What happened during one image's presentation (stimulus and blank).
    public struct ImagePresentation: Sendable, Hashable {
        /// The image's label (the class of the DN the teacher drives).
        public var label: Int
        /// DN spikes inside the rubric's window (the stimulus only under the seed variant,
        /// stimulus and blank under the corrected one), ordered by (step, neuron).
        public var scoredSpikes: [DNSpike]
        /// The first DN spike of the stimulus window (ties to the lower index), or nil.
        public var firstStimulusSpike: DNSpike?
        /// Mean KC→DN weight at the end of the image's window (NaN for no synapses).
        public var meanWeightAfter: Double
        /// Mean KC membrane potential at the end of the image's window, mV (NaN for no KCs).
        public var meanKCVoltageAfter: Double

        public init(label: Int, scoredSpikes: [DNSpike], firstStimulusSpike: DNSpike? = nil,
                    meanWeightAfter: Double = .nan, meanKCVoltageAfter: Double = .nan) {
            self.label = label; self.scoredSpikes = scoredSpikes; self.firstStimulusSpike = firstStimulusSpike
            self.meanWeightAfter = meanWeightAfter; self.meanKCVoltageAfter = meanKCVoltageAfter
        }
    }

    /// Mean KC→DN weight before the first step (NaN for no synapses).
    public var initialMeanWeight: Double
    /// Mean KC membrane potential before the first step, mV (NaN for no KCs).
    public var initialMeanKCVoltage: Double
    /// The training images, in presentation order (teacher on, STDP on).
    public var training: [ImagePresentation]
    /// The held-out images (teacher off, STDP frozen); empty when the rubric has no test.
    public var test: [ImagePresentation]
    /// Whether the protocol ran to its end.
    public var completed: Bool

    public init(initialMeanWeight: Double, initialMeanKCVoltage: Double, training: [ImagePresentation],
                test: [ImagePresentation] = [], completed: Bool) {
        self.initialMeanWeight = initialMeanWeight; self.initialMeanKCVoltage = initialMeanKCVoltage
        self.training = training; self.test = test; self.completed = completed
    }
}
