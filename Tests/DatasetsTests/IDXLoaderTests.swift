import Datasets
import Foundation
import XCTest

final class IDXLoaderTests: XCTestCase {
    private func bigEndian(_ words: [UInt32]) -> [UInt8] {
        words.flatMap { [UInt8($0 >> 24), UInt8(($0 >> 16) & 0xFF), UInt8(($0 >> 8) & 0xFF), UInt8($0 & 0xFF)] }
    }

    /// Loads hand-made file contents, names "images.idx" and "labels.idx".
    private func load(_ images: [UInt8], _ labels: [UInt8], classCount: Int = 4) throws -> LabelledImages {
        try IDXLoader.load(imagesData: Data(images), imagesName: "images.idx",
                           labelsData: Data(labels), labelsName: "labels.idx", classCount: classCount)
    }

    private func assertError(
        _ expression: @autoclosure () throws -> LabelledImages, _ message: String,
        file: StaticString = #filePath, line: UInt = #line
    ) {
        XCTAssertThrowsError(try expression(), file: file, line: line) { error in
            XCTAssertTrue(error is DatasetError, "\(type(of: error))", file: file, line: line)
            XCTAssertEqual("\(error)", message, file: file, line: line)
        }
    }

    private let twoImages = (0..<(2 * 784)).map { UInt8($0 % 256) }
    private var goodImages: [UInt8] { bigEndian([0x803, 2, 28, 28]) + twoImages }
    private let goodLabels: [UInt8] = [0, 0, 8, 1, 0, 0, 0, 2, 3, 1]

    func testRoundTripThroughTemporaryFiles() throws {
        let set = EmbeddedDataset.generate(count: 30, seed: 6)
        let (images, labels) = IDXLoader.encode(set)
        let dir = try TemporaryDirectory()
        let imagesPath = try dir.write("train-images-idx3-ubyte", images)
        let labelsPath = try dir.write("train-labels-idx1-ubyte", labels)
        XCTAssertEqual(try IDXLoader.load(imagesPath: imagesPath, labelsPath: labelsPath), set)
    }

    /// MNIST's `.gz` files: each file gzip-compressed (by the gzip command) loads to the same
    /// pixels and labels as the plain file, told by content, not name; the two may be mixed.
    func testGzipCompressedFilesLoadAsThePlainOnes() throws {
        let set = EmbeddedDataset.generate(count: 120, seed: 8)
        let (images, labels) = IDXLoader.encode(set)
        let dir = try TemporaryDirectory()
        let imagesGz = try GzipCommand.compress(images, name: "images-idx3-ubyte", in: dir)
        let labelsGz = try GzipCommand.compress(labels, name: "labels-idx1-ubyte", in: dir)
        let plain = try IDXLoader.load(imagesPath: dir.file("images-idx3-ubyte"), labelsPath: dir.file("labels-idx1-ubyte"))
        XCTAssertEqual(plain, set)
        let compressed = try IDXLoader.load(
            imagesPath: dir.file("images-idx3-ubyte.gz"), labelsPath: dir.file("labels-idx1-ubyte.gz"))
        XCTAssertEqual(compressed.pixels, plain.pixels)
        XCTAssertEqual(compressed.labels, plain.labels)
        XCTAssertEqual(compressed, plain)
        // A compressed file under a plain name, and a plain one beside a compressed one.
        let renamed = try dir.write("images.idx", imagesGz)
        XCTAssertEqual(try IDXLoader.load(imagesPath: renamed, labelsPath: dir.file("labels-idx1-ubyte")), set)
        XCTAssertEqual(try load([UInt8](images), [UInt8](labelsGz)), set)
        // A truncated .gz names its file; so does a compressed file with the wrong content.
        let cut = try dir.write("cut.gz", imagesGz.prefix(imagesGz.count / 2))
        assertError(try IDXLoader.load(imagesPath: cut, labelsPath: dir.file("labels-idx1-ubyte.gz")),
                    "\(cut): expected a complete gzip stream, found the end of the file after \(imagesGz.count / 2) bytes (truncated)")
        assertError(try load([UInt8](labelsGz), [UInt8](labelsGz)),
                    "images.idx: expected IDX magic 0x00000803 (images: unsigned bytes, 3 dimensions), found 0x00000801")
    }

    func testTheByteLayout() throws {
        let set = try load(goodImages, goodLabels)
        XCTAssertEqual(set.count, 2)
        XCTAssertEqual(set.labels, [3, 1])
        XCTAssertEqual(set.pixels, twoImages)
        let (images, labels) = IDXLoader.encode(set)
        XCTAssertEqual([UInt8](images), goodImages)
        XCTAssertEqual([UInt8](labels), goodLabels)
        XCTAssertEqual(IDXLoader.imagesMagic, 0x0000_0803)
        XCTAssertEqual(IDXLoader.labelsMagic, 0x0000_0801)
    }

    func testMoreClasses() throws {
        let labels: [UInt8] = [0, 0, 8, 1, 0, 0, 0, 2, 9, 7]
        let set = try load(goodImages, labels, classCount: 10)
        XCTAssertEqual(set.labels, [9, 7])
        XCTAssertEqual(set.classCount, 10)
        assertError(try load(goodImages, labels), "labels.idx: label of image 1: expected a label 0…3, found 9")
    }

    func testWrongMagic() {
        assertError(try load(goodLabels, goodLabels),
                    "images.idx: expected IDX magic 0x00000803 (images: unsigned bytes, 3 dimensions), found 0x00000801")
        assertError(try load(goodImages, goodImages),
                    "labels.idx: expected IDX magic 0x00000801 (labels: unsigned bytes, 1 dimension), found 0x00000803")
        assertError(try load(bigEndian([0x0D03, 2, 28, 28]) + twoImages, goodLabels),
                    "images.idx: expected IDX magic 0x00000803 (images: unsigned bytes, 3 dimensions), found 0x00000D03")
        // Gzip magic bytes make it a gzip file, here a corrupt one (flag bits zlib rejects).
        assertError(try load([0x1F, 0x8B, 0x08, 0xE0] + goodImages, goodLabels),
                    "images.idx: expected a valid gzip stream, found corrupt data near compressed byte 4 (zlib: unknown header flags set)")
    }

    func testTruncatedAndOversizedFiles() {
        assertError(try load([0, 0, 8], goodLabels),
                    "images.idx: expected IDX magic 0x00000803 (images: unsigned bytes, 3 dimensions), found 3 bytes (truncated)")
        assertError(try load(bigEndian([0x803, 2, 28]), goodLabels),
                    "images.idx: expected a 16-byte IDX images header, found 12 bytes (truncated)")
        assertError(try load(Array(goodImages.dropLast()), goodLabels),
                    "images.idx: expected 1584 bytes (a 16-byte header and 2 images of 784 bytes), found 1583 (truncated)")
        assertError(try load(goodImages + [0], goodLabels),
                    "images.idx: expected 1584 bytes (a 16-byte header and 2 images of 784 bytes), found 1585 (extra bytes after the end)")
        assertError(try load(goodImages, Array(goodLabels.dropLast())),
                    "labels.idx: expected 10 bytes (an 8-byte header and 2 labels), found 9 (truncated)")
        assertError(try load(goodImages, Array(goodLabels.prefix(6))),
                    "labels.idx: expected an 8-byte IDX labels header, found 6 bytes (truncated)")
    }

    func testWrongDimensionsAndCounts() {
        assertError(try load(bigEndian([0x803, 2, 32, 32]) + twoImages, goodLabels),
                    "images.idx: expected 28×28 images, found 32×32")
        assertError(try load(bigEndian([0x803, 2, 28, 27]) + twoImages, goodLabels),
                    "images.idx: expected 28×28 images, found 28×27")
        assertError(try load(goodImages, bigEndian([0x801, 3]) + [0, 1, 2]),
                    "labels.idx: expected 2 labels (one per image of images.idx), found 3")
        assertError(try load(bigEndian([0x803, 0, 28, 28]), bigEndian([0x801, 0])),
                    "images.idx: expected at least one image, found none")
    }

    func testMissingFiles() throws {
        let dir = try TemporaryDirectory()
        let (images, labels) = IDXLoader.encode(EmbeddedDataset.generate(count: 2, seed: 1))
        let imagesPath = try dir.write("images.idx", images)
        let labelsPath = try dir.write("labels.idx", labels)
        let missing = dir.file("nothing.idx")
        assertError(try IDXLoader.load(imagesPath: missing, labelsPath: labelsPath), "\(missing): no such file")
        assertError(try IDXLoader.load(imagesPath: imagesPath, labelsPath: missing), "\(missing): no such file")
    }
}
