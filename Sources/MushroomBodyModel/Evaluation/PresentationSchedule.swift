/// Which image is shown when: the training images `epochs` times (in file order or freshly
/// shuffled each epoch), then the test images once, in file order.
///
/// The schedule knows no network: ``run(on:training:test:)`` drives any
/// ``PresentationTarget`` (the seed's mushroom body, or another network) through it, setting
/// the teacher for each training image, turning the teacher off and freezing plasticity for
/// the test phase, and resetting the state before each image when asked.
public struct PresentationSchedule: Sendable, Hashable {
    /// One showing of one image.
    public struct Presentation: Sendable, Hashable {
        /// Index into the training images (training phase) or the test images (test phase).
        public var index: Int
        /// 0-based epoch of a training presentation; 0 for a test presentation.
        public var epoch: Int
        public init(index: Int, epoch: Int) { self.index = index; self.epoch = epoch }
    }

    /// The training presentations in order: `epochs × trainingCount` of them.
    public let training: [Presentation]
    /// The test presentations in order (file order).
    public let test: [Presentation]
    /// The settings the schedule was made from.
    public let settings: ProtocolSettings

    /// The schedule for `trainingCount` training and `testCount` test images.
    ///
    /// Randomness: only `order: shuffled` draws, one Fisher–Yates shuffle per epoch in epoch
    /// order: for i from n−1 down to 1, j = `rng.next() % (i + 1)` (bias below n / 2⁶⁴), swap
    /// i and j. With file order nothing is drawn.
    ///
    /// - Precondition: `settings.epochs >= 1`, counts ≥ 0.
    public init(trainingCount: Int, testCount: Int, settings: ProtocolSettings, using rng: inout some RandomNumberGenerator) {
        precondition(settings.epochs >= 1 && trainingCount >= 0 && testCount >= 0, "invalid schedule")
        self.settings = settings
        var training: [Presentation] = []
        training.reserveCapacity(trainingCount * settings.epochs)
        for epoch in 0..<settings.epochs {
            var order = Array(0..<trainingCount)
            if settings.order == .shuffled, trainingCount > 1 {
                for i in stride(from: trainingCount - 1, to: 0, by: -1) {
                    let j = Int(rng.next() % UInt64(i + 1))
                    order.swapAt(i, j)
                }
            }
            training += order.map { Presentation(index: $0, epoch: epoch) }
        }
        self.training = training
        test = (0..<testCount).map { Presentation(index: $0, epoch: 0) }
    }

    /// Show every image of the schedule to `target`: the training presentations with the
    /// teacher on for each image's label and plasticity on, then (if there are test images)
    /// the test presentations with the teacher off and plasticity frozen. With
    /// ``ProtocolSettings/resetBetweenImages`` the target's state is reset before every image.
    ///
    /// - Returns: what each presentation left, in order (training, then test).
    public func run<Target: PresentationTarget>(on target: Target, training trainingImages: PresentedImages,
                                                test testImages: PresentedImages)
        -> (training: [ProtocolTrace.ImagePresentation], test: [ProtocolTrace.ImagePresentation]) {
        var trained: [ProtocolTrace.ImagePresentation] = [], tested: [ProtocolTrace.ImagePresentation] = []
        trained.reserveCapacity(training.count)
        target.setPlastic(true)
        for p in training {
            if settings.resetBetweenImages { target.resetState() }
            let label = trainingImages.labels[p.index]
            target.setTeacher(label: label)
            trained.append(target.present(trainingImages.image(p.index), label: label))
        }
        if !test.isEmpty {
            target.setTeacher(label: nil)
            target.setPlastic(false)
            for p in test {
                if settings.resetBetweenImages { target.resetState() }
                tested.append(target.present(testImages.image(p.index), label: testImages.labels[p.index]))
            }
        }
        return (trained, tested)
    }
}

/// A network a ``PresentationSchedule`` can drive: a teacher, plasticity that can be frozen,
/// a state that can be reset, and the showing of one image (its stimulus and blank).
public protocol PresentationTarget: AnyObject {
    /// Teacher on for `label` (nil: off).
    func setTeacher(label: Int?)
    /// Plasticity on or frozen.
    func setPlastic(_ on: Bool)
    /// Every state variable and synaptic input back to its initial value; weights kept.
    func resetState()
    /// Show one image (stimulus, then blank) and report what happened.
    func present(_ pixels: ArraySlice<UInt8>, label: Int) -> ProtocolTrace.ImagePresentation
}
