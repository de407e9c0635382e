/// A set of labelled 28×28 grey images.
///
/// Pixels are bytes 0…255, image after image, each image row-major (row 0 first, column 0
/// first within a row): pixel (row r, column c) of image i is `pixels[i*784 + r*28 + c]`.
/// Labels are class indices into ``classNames``; by default the four classes of the study:
/// 0 dull (an empty frame border), 1 unknown (a small dot), 2 rubbish (a hollow outline),
/// 3 food (a filled blob) — food is the target class, the others are distractions.
public struct LabelledImages: Sendable, Equatable, CustomStringConvertible {
    /// Image width in pixels (columns): 28.
    public static let width = 28
    /// Image height in pixels (rows): 28.
    public static let height = 28
    /// Pixels per image: 784.
    public static let pixelsPerImage = width * height
    /// The study's classes, by label: dull, unknown, rubbish, food.
    public static let defaultClassNames = ["dull", "unknown", "rubbish", "food"]

    /// Image width in pixels: 28.
    public var width: Int { Self.width }
    /// Image height in pixels: 28.
    public var height: Int { Self.height }

    /// `count × 784` grey values, image after image, each image row-major.
    public let pixels: [UInt8]
    /// One class index per image, each in `0..<classCount`.
    public let labels: [Int]
    /// The name of each class, by label.
    public let classNames: [String]

    /// The number of images.
    public var count: Int { labels.count }
    /// The number of classes (`classNames.count`).
    public var classCount: Int { classNames.count }

    /// A data set, validated: `pixels.count == labels.count × 784`, at least one class, and
    /// every label in `0..<classNames.count`; otherwise ``DatasetError/invalid(_:)``.
    public init(
        pixels: [UInt8], labels: [Int], classNames: [String] = LabelledImages.defaultClassNames
    ) throws {
        guard !classNames.isEmpty else { throw DatasetError.invalid("a data set needs at least one class") }
        guard pixels.count == labels.count * Self.pixelsPerImage else {
            throw DatasetError.invalid(
                "expected \(labels.count) × 784 = \(labels.count * Self.pixelsPerImage) pixels for \(labels.count) labels, found \(pixels.count)")
        }
        if let i = labels.firstIndex(where: { !(0..<classNames.count).contains($0) }) {
            throw DatasetError.invalid(
                "label of image \(i + 1): expected \(labelExpectation(classCount: classNames.count)), found \(labels[i])")
        }
        self.init(unchecked: pixels, labels: labels, classNames: classNames)
    }

    private init(unchecked pixels: [UInt8], labels: [Int], classNames: [String]) {
        self.pixels = pixels
        self.labels = labels
        self.classNames = classNames
    }

    /// Class names for `count` classes: the study's four when `count` is 4, otherwise
    /// "class 0", "class 1", ….
    public static func classNames(count: Int) -> [String] {
        count == defaultClassNames.count ? defaultClassNames : (0..<count).map { "class \($0)" }
    }

    /// The 784 pixels of image `index` (0-based), row-major.
    ///
    /// - Precondition: `0 <= index < count`.
    public func image(_ index: Int) -> ArraySlice<UInt8> {
        precondition(labels.indices.contains(index), "image \(index) is outside 0..<\(count)")
        return pixels[(index * Self.pixelsPerImage)..<((index + 1) * Self.pixelsPerImage)]
    }

    /// The images at `indices`, in that order (a range, an array, any sequence; repeats allowed).
    ///
    /// - Precondition: every index is in `0..<count`.
    public func subset<Indices: Sequence>(_ indices: Indices) -> LabelledImages where Indices.Element == Int {
        var newPixels: [UInt8] = []
        var newLabels: [Int] = []
        newPixels.reserveCapacity(indices.underestimatedCount * Self.pixelsPerImage)
        for index in indices {
            newPixels.append(contentsOf: image(index))
            newLabels.append(labels[index])
        }
        return LabelledImages(unchecked: newPixels, labels: newLabels, classNames: classNames)
    }

    /// The set split in two, keeping order: `train` is the first `count − testCount` images and
    /// `test` the last `testCount`. (With the seed rotation of period 8, a `testCount` that is
    /// a multiple of 8 keeps the class balance of both halves.)
    ///
    /// - Precondition: `0 <= testCount <= count`.
    public func split(testCount: Int) -> (train: LabelledImages, test: LabelledImages) {
        precondition((0...count).contains(testCount), "testCount \(testCount) is outside 0…\(count)")
        let boundary = count - testCount
        return (subset(0..<boundary), subset(boundary..<count))
    }

    /// How many images each class has, by label.
    public var classCounts: [Int] {
        var counts = [Int](repeating: 0, count: classCount)
        for label in labels { counts[label] += 1 }
        return counts
    }

    /// "80 images of 28×28 in 4 classes: dull 20, unknown 20, rubbish 20, food 20".
    public var description: String {
        let perClass = zip(classNames, classCounts).map { "\($0) \($1)" }.joined(separator: ", ")
        return "\(count) images of \(width)×\(height) in \(classCount) classes: \(perClass)"
    }

    /// Image `index` as ASCII art: 28 lines of 28 characters (see ``asciiArt(pixels:)``),
    /// after a line naming the image and its class.
    public func asciiArt(_ index: Int) -> String {
        "image \(index): \(classNames[labels[index]]) (\(labels[index]))\n" + Self.asciiArt(pixels: image(index))
    }

    /// 784 row-major pixels as ASCII art, for debugging: one line per row, one character per
    /// pixel, darkest to brightest " .:-=+*#%@" (a space is exactly 0; any non-zero value
    /// shows at least "."), each line ending in a newline.
    public static func asciiArt<Pixels: Collection>(pixels: Pixels) -> String where Pixels.Element == UInt8 {
        let ramp = Array(" .:-=+*#%@")
        var art = ""
        for (i, value) in pixels.enumerated() {
            art.append(value == 0 ? ramp[0] : ramp[1 + (Int(value) - 1) * (ramp.count - 1) / 255])
            if i % width == width - 1 { art.append("\n") }
        }
        return art
    }
}
