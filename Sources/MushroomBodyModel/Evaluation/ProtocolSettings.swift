/// How the images are presented and read out, independent of the network that sees them:
/// `protocol.epochs`, `order`, `readout` and `reset_between_images` (docs/model.md,
/// "Training protocol"). Any network driven through ``PresentationSchedule`` uses the same
/// settings.
public struct ProtocolSettings: Sendable, Hashable {
    /// The order of the training images within an epoch.
    public enum Order: String, Sendable, Hashable, CaseIterable {
        /// File order, every epoch.
        case file
        /// A fresh uniform permutation each epoch, drawn from the evaluation's seed
        /// (see ``PresentationSchedule``).
        case shuffled
    }

    /// Times the training images are shown before the test images; at least 1, default 1.
    public var epochs: Int
    /// The training order within each epoch; default file order.
    public var order: Order
    /// How a test image's response names a class (the accuracy criteria); default the first
    /// DN spike.
    public var readout: Readout
    /// Whether every state variable and synaptic input returns to its initial value before
    /// each image (the weights are kept); default false, the seed's behaviour.
    public var resetBetweenImages: Bool

    public init(epochs: Int = 1, order: Order = .file, readout: Readout = .firstSpike, resetBetweenImages: Bool = false) {
        self.epochs = epochs; self.order = order; self.readout = readout; self.resetBetweenImages = resetBetweenImages
    }

    /// The seed's protocol: one epoch in file order, first-spike readout, no reset.
    public static let seed = ProtocolSettings()
}

/// How a test image's DN response names a class.
public enum Readout: String, Sendable, Hashable, CaseIterable {
    /// The first DN to spike in the image's stimulus window (ties to the lower index); no
    /// spike is no response.
    case firstSpike = "first_spike"
    /// The DN with the most spikes in the image's scored window (the stimulus under the seed
    /// variant, stimulus and blank under the corrected one); a tie for the most, or no spike
    /// at all, is no response.
    case spikeCount = "spike_count"

    /// The class this readout names for one presentation, or nil for no response.
    public func prediction(_ image: ProtocolTrace.ImagePresentation) -> Int? {
        switch self {
        case .firstSpike:
            return image.firstStimulusSpike?.neuron
        case .spikeCount:
            var counts: [Int: Int] = [:]
            for spike in image.scoredSpikes { counts[spike.neuron, default: 0] += 1 }
            guard let most = counts.values.max() else { return nil }
            let leaders = counts.filter { $0.value == most }
            return leaders.count == 1 ? leaders.first!.key : nil
        }
    }
}
