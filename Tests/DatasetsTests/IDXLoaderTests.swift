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
        assertError(try load([0x1F, 0x8B, 0x08, 0x00] + goodImages, goodLabels),
                    "images.idx: expected IDX magic 0x00000803 (images: unsigned bytes, 3 dimensions), found a gzip-compressed file (decompress it first)")
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
