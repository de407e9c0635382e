import Foundation

/// Reads (and writes) images in the IDX format of MNIST.
///
/// Two files, each either plain or gzip-compressed as MNIST's `.gz` downloads are (told by
/// the content, the gzip magic bytes `1F 8B`, not by the name; see ``Gzip`` for multi-member
/// files, corrupt or truncated ones, and the limit of 256 MiB decompressed per file). Once
/// decompressed:
///
/// - images: big-endian UInt32 magic `0x00000803` (unsigned bytes, 3 dimensions), then the
///   image count, rows and columns as big-endian UInt32s (rows and columns must be 28), then
///   count × 28 × 28 bytes, row-major;
/// - labels: big-endian UInt32 magic `0x00000801` (unsigned bytes, 1 dimension), then the
///   count, then one byte per image, each in `0..<classCount` (4 unless told otherwise;
///   MNIST itself has 10).
///
/// Both files must hold exactly what their headers promise (no more, no less) and the same
/// number of images (at least one). Errors are ``DatasetError``s naming the file:
///
///     train-images.idx: expected IDX magic 0x00000803 (images: unsigned bytes, 3 dimensions), found 0x00000801
///     train-images.idx: expected 28×28 images, found 32×32
///     train-images.idx: expected 7856 bytes (a 16-byte header and 10 images of 784 bytes), found 5000 (truncated)
///     train-labels.idx: expected 10 labels (one per image of train-images.idx), found 9
///     train-labels.idx: label of image 4: expected a label 0…3, found 7
///     train-images.gz: expected a complete gzip stream, found the end of the file after 812 bytes (truncated)
public enum IDXLoader {
    /// The magic number of an IDX file of unsigned bytes in 3 dimensions (images).
    public static let imagesMagic: UInt32 = 0x0000_0803
    /// The magic number of an IDX file of unsigned bytes in 1 dimension (labels).
    public static let labelsMagic: UInt32 = 0x0000_0801

    /// The images and labels in two IDX files.
    public static func load(imagesPath: String, labelsPath: String, classCount: Int = 4) throws -> LabelledImages {
        try load(
            imagesData: Data(try readFile(imagesPath)), imagesName: imagesPath,
            labelsData: Data(try readFile(labelsPath)), labelsName: labelsPath, classCount: classCount)
    }

    /// The images and labels in two IDX files' contents, each plain or gzip-compressed; the
    /// names stand for the files in error messages.
    public static func load(
        imagesData: Data, imagesName: String, labelsData: Data, labelsName: String, classCount: Int = 4
    ) throws -> LabelledImages {
        guard classCount >= 1, classCount <= 256 else {
            throw DatasetError.invalid("classCount must be 1…256 for byte labels, found \(classCount)")
        }
        let images = try decompressed(imagesData, name: imagesName)
        let labels = try decompressed(labelsData, name: labelsName)
        let perImage = LabelledImages.pixelsPerImage

        try checkMagic(images, name: imagesName, magic: imagesMagic, what: "images: unsigned bytes, 3 dimensions")
        guard images.count >= 16 else {
            throw DatasetError.badFile(
                file: imagesName, expected: "a 16-byte IDX images header", found: "\(images.count) bytes (truncated)")
        }
        let count = Int(bigEndianWord(images, at: 4))
        let rows = Int(bigEndianWord(images, at: 8))
        let columns = Int(bigEndianWord(images, at: 12))
        guard rows == LabelledImages.height, columns == LabelledImages.width else {
            throw DatasetError.badFile(file: imagesName, expected: "28×28 images", found: "\(rows)×\(columns)")
        }
        guard count > 0 else { throw DatasetError.badFile(file: imagesName, expected: "at least one image", found: "none") }
        try checkSize(
            images, name: imagesName, expected: 16 + count * perImage,
            layout: "a 16-byte header and \(count) images of \(perImage) bytes")

        try checkMagic(labels, name: labelsName, magic: labelsMagic, what: "labels: unsigned bytes, 1 dimension")
        guard labels.count >= 8 else {
            throw DatasetError.badFile(
                file: labelsName, expected: "an 8-byte IDX labels header", found: "\(labels.count) bytes (truncated)")
        }
        let labelCount = Int(bigEndianWord(labels, at: 4))
        guard labelCount == count else {
            throw DatasetError.countMismatch(
                labelsFile: labelsName, labels: labelCount, images: count, imagesSource: imagesName)
        }
        try checkSize(labels, name: labelsName, expected: 8 + count, layout: "an 8-byte header and \(count) labels")
        let labelValues = labels[8...].map(Int.init)
        if let i = labelValues.firstIndex(where: { $0 >= classCount }) {
            throw DatasetError.badLabel(
                file: labelsName, image: i + 1, expected: labelExpectation(classCount: classCount),
                found: "\(labelValues[i])")
        }
        return try LabelledImages(
            pixels: Array(images[16...]), labels: labelValues,
            classNames: LabelledImages.classNames(count: classCount))
    }

    /// The images and labels as the contents of an IDX images file and an IDX labels file.
    ///
    /// - Precondition: every label fits in a byte (0…255).
    public static func encode(_ set: LabelledImages) -> (images: Data, labels: Data) {
        var images = Data()
        images.reserveCapacity(16 + set.pixels.count)
        for word in [imagesMagic, UInt32(set.count), UInt32(LabelledImages.height), UInt32(LabelledImages.width)] {
            appendBigEndian(word, to: &images)
        }
        images.append(contentsOf: set.pixels)
        var labels = Data()
        appendBigEndian(labelsMagic, to: &labels)
        appendBigEndian(UInt32(set.count), to: &labels)
        labels.append(contentsOf: set.labels.map { label -> UInt8 in
            precondition((0...255).contains(label), "label \(label) does not fit in a byte")
            return UInt8(label)
        })
        return (images, labels)
    }

    /// The bytes of `data`, decompressed first when they are gzip.
    private static func decompressed(_ data: Data, name: String) throws -> [UInt8] {
        Gzip.isCompressed(data) ? try Gzip.decompress([UInt8](data), name: name) : [UInt8](data)
    }

    private static func appendBigEndian(_ word: UInt32, to data: inout Data) {
        data.append(contentsOf: [UInt8(word >> 24), UInt8((word >> 16) & 0xFF), UInt8((word >> 8) & 0xFF), UInt8(word & 0xFF)])
    }

    private static func bigEndianWord(_ bytes: [UInt8], at offset: Int) -> UInt32 {
        bytes[offset..<(offset + 4)].reduce(0) { $0 << 8 | UInt32($1) }
    }

    private static func hex(_ word: UInt32) -> String {
        let digits = String(word, radix: 16, uppercase: true)
        return "0x" + String(repeating: "0", count: 8 - digits.count) + digits
    }

    private static func checkMagic(_ bytes: [UInt8], name: String, magic: UInt32, what: String) throws {
        let expected = "IDX magic \(hex(magic)) (\(what))"
        guard bytes.count >= 4 else {
            throw DatasetError.badFile(file: name, expected: expected, found: "\(bytes.count) bytes (truncated)")
        }
        let found = bigEndianWord(bytes, at: 0)
        guard found == magic else { throw DatasetError.badFile(file: name, expected: expected, found: hex(found)) }
    }

    private static func checkSize(_ bytes: [UInt8], name: String, expected: Int, layout: String) throws {
        guard bytes.count != expected else { return }
        let why = bytes.count < expected ? "truncated" : "extra bytes after the end"
        throw DatasetError.badFile(
            file: name, expected: "\(expected) bytes (\(layout))", found: "\(bytes.count) (\(why))")
    }
}
