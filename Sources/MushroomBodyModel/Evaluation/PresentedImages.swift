/// The images one evaluation presents, in order, with their labels.
///
/// Pixels are grey values 0…255, row-major, `pixelsPerImage` per image (784 for 28×28).
public struct PresentedImages: Sendable, Hashable {
    public let pixels: [UInt8]
    public let labels: [Int]
    public let pixelsPerImage: Int

    /// - Precondition: `pixels.count == labels.count * pixelsPerImage`.
    public init(pixels: [UInt8], labels: [Int], pixelsPerImage: Int = 784) {
        precondition(pixels.count == labels.count * pixelsPerImage, "pixels must hold labels.count images")
        self.pixels = pixels; self.labels = labels; self.pixelsPerImage = pixelsPerImage
    }

    public var count: Int { labels.count }

    /// The pixels of image `i`.
    public func image(_ i: Int) -> ArraySlice<UInt8> { pixels[(i * pixelsPerImage)..<((i + 1) * pixelsPerImage)] }

    /// The images at `indices`, in that order.
    public func subset(_ indices: some Sequence<Int>) -> PresentedImages {
        var p: [UInt8] = [], l: [Int] = []
        for i in indices { p += image(i); l.append(labels[i]) }
        return PresentedImages(pixels: p, labels: l, pixelsPerImage: pixelsPerImage)
    }

    /// The last `testCount` images as the test set and the rest, in order, as training.
    public func split(testCount: Int) -> (training: PresentedImages, test: PresentedImages) {
        let k = max(0, min(testCount, count))
        return (subset(0..<(count - k)), subset((count - k)..<count))
    }
}
