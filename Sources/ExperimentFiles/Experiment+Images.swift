import Datasets
import MushroomBodyModel

extension DatasetSource {
    /// Load the images, keeping only `classes` (relabelled 0…k−1 in that order) when given.
    /// IDX labels may then be any byte (MNIST's 0…9); without `classes` they must lie in
    /// `0..<classCount` (the seed network's 4 DNs by default).
    ///
    /// - Throws: `DatasetError`, for a class with no images too (naming the labels present).
    public func load(keepingClasses classes: [Int]?, classCount: Int = 4) throws -> LabelledImages {
        guard let classes else { return try load(classCount: classCount) }
        switch self {
        case let .idx(images, labels):
            let all = try IDXLoader.load(imagesPath: images, labelsPath: labels, classCount: 256)
            return try all.keeping(classes: classes)
        default:
            return try load(classCount: 256).keeping(classes: classes)
        }
    }
}

extension Experiment {
    /// The output neurons (DNs) of the seed's network: the most classes it can tell apart.
    public static let outputNeuronCount = 4

    /// The images the protocol uses, in order: the data set, then `dataset.classes`, then
    /// the first `protocol.images`.
    ///
    /// - Throws: `DatasetError` from the loader or the class selection.
    public func loadImages() throws -> LabelledImages {
        var images = try dataset.load(keepingClasses: classes, classCount: network.maximumClasses ?? 256)
        if let n = imageCount, n < images.count { images = try images.first(n) }
        return images
    }

    /// The training and test images of `images` (from ``loadImages()``): the test images set
    /// aside by ``split`` (``testCount`` of them), each part in file order. Without a test
    /// phase every image trains.
    ///
    /// - Throws: `DatasetError` when the split is impossible (a stratified split whose test
    ///   count is not a multiple of the classes, or a class too small for its share).
    public func splitImages(_ images: LabelledImages) throws -> (training: LabelledImages, test: LabelledImages?) {
        guard rubric.needsTestPhase else { return (images, nil) }
        let (train, test) = try images.splitIndices(testCount: testCount, rule: split)
        return (images.subset(train), images.subset(test))
    }
}
