import Datasets
import MushroomBodyModel

/// Where an experiment's images come from.
public enum DatasetSource: Sendable, Hashable {
    /// The embedded generator: `count` images from `seed`, labels by the seed's rotation.
    case embedded(count: Int, seed: UInt64)
    /// A CSV file in the seed's format (784 grey values per row), with a label rule.
    case csv(path: String, labels: LabelRule)
    /// IDX (MNIST format) image and label files.
    case idx(imagesPath: String, labelsPath: String)

    /// The default: 80 embedded images (the size of the seed's dataset) from seed 1.
    public static let defaultEmbedded = DatasetSource.embedded(count: 80, seed: 1)

    /// Load the images, whose labels must lie in `0..<classCount` (the seed network's 4 DNs by
    /// default; 10 for the GeNN MNIST network's digits).
    ///
    /// - Throws: `DatasetError` with the file, row and column of a malformed input.
    public func load(classCount: Int = 4) throws -> LabelledImages {
        switch self {
        case let .embedded(count, seed): return EmbeddedDataset.generate(count: count, seed: seed)
        case let .csv(path, labels): return try CSVImageLoader.load(path: path, labels: labels, classCount: classCount)
        case let .idx(images, labels): return try IDXLoader.load(imagesPath: images, labelsPath: labels, classCount: classCount)
        }
    }

    /// Short description for logs and records.
    public var summary: String {
        switch self {
        case let .embedded(count, seed): return "embedded generator (\(count) images, seed \(seed))"
        case let .csv(path, _): return "CSV \(path)"
        case let .idx(images, labels): return "IDX \(images) + \(labels)"
        }
    }
}

extension PresentedImages {
    /// The images of a loaded data set, in order.
    public init(_ images: LabelledImages) {
        self.init(pixels: images.pixels, labels: images.labels, pixelsPerImage: LabelledImages.pixelsPerImage)
    }
}
