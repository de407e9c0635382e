import Datasets
import Foundation
import XCTest

final class CSVImageLoaderTests: XCTestCase {
    /// A row of 784 grey values, all `value` except `overrides` (0-based column → text).
    private func row(_ value: String = "0", _ overrides: [Int: String] = [:], count: Int = 784) -> String {
        (0..<count).map { overrides[$0] ?? value }.joined(separator: ",")
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

    // MARK: - Reading

    func testRoundTripThroughATemporaryFile() throws {
        let set = EmbeddedDataset.generate(count: 24, seed: 8)
        let dir = try TemporaryDirectory()
        let scientific = try dir.write("images.csv", CSVImageLoader.encode(set))
        XCTAssertEqual(try CSVImageLoader.load(path: scientific), set)
        let integers = try dir.write("integers.csv", CSVImageLoader.encode(set, scientific: false))
        XCTAssertEqual(try CSVImageLoader.load(path: integers), set)
        XCTAssertEqual(try CSVImageLoader.load(data: Data(CSVImageLoader.encode(set).utf8), name: "x"), set)
    }

    func testTheSeedsScientificNotation() throws {
        var pixels = [UInt8](repeating: 0, count: 784)
        pixels[0] = 243; pixels[1] = 7; pixels[2] = 12; pixels[783] = 255
        let set = try LabelledImages(pixels: pixels, labels: [0])
        let text = CSVImageLoader.encode(set)
        XCTAssertTrue(text.hasPrefix(
            "2.430000000000000000e+02,7.000000000000000000e+00,1.200000000000000000e+01,0.000000000000000000e+00,"))
        XCTAssertTrue(text.hasSuffix(",2.550000000000000000e+02\n"))
        XCTAssertEqual(try CSVImageLoader.load(text: text, name: "seed.csv").pixels, pixels)
    }

    func testNumberNotations() throws {
        let notations = ["243", "2.43e2", "2.43E+02", "243.0", " 243 ", "+243", "2430e-1", "243.0000001",
                         "0x1.e6p7", "2.4300000000000000000000000000e+02"]
        for notation in notations {
            let set = try CSVImageLoader.load(text: row("0", [5: notation]), name: "n.csv")
            XCTAssertEqual(set.pixels[5], 243, notation)
        }
        for zero in ["0", "-0", "0.0", "-1e-7", "0e+00", "0.000000000000000000e+00"] {
            XCTAssertEqual(try CSVImageLoader.load(text: row(zero), name: "z.csv").pixels, [UInt8](repeating: 0, count: 784), zero)
        }
    }

    func testRowsLabelsAndLineEnds() throws {
        let text = row("1") + "\r\n" + row("2") + "\r\n" + row("3") + "\n\n  \n"
        let set = try CSVImageLoader.load(text: text, name: "crlf.csv")
        XCTAssertEqual(set.count, 3)
        XCTAssertEqual(set.labels, [0, 1, 3])
        XCTAssertEqual(set.image(2).first, 3)
        XCTAssertEqual(try CSVImageLoader.load(text: text, name: "r.csv", labels: .rotation([2])).labels, [2, 2, 2])
    }

    func testLabelColumnFirstOrLast() throws {
        let set = EmbeddedDataset.generate(count: 12, seed: 4)
        for (column, rule) in [(0, LabelRule.column(index: 0)), (-1, .column(index: -1)), (784, .column(index: 784)),
                               (100, .column(index: 100)), (-785, .column(index: 0))] {
            let text = CSVImageLoader.encode(set, labelColumn: column)
            XCTAssertEqual(try CSVImageLoader.load(text: text, name: "c.csv", labels: rule), set, "column \(column)")
        }
        // Labels in their own column need not follow any rotation.
        let shuffled = set.subset([3, 1, 4, 1, 5, 9, 2, 6])
        let text = CSVImageLoader.encode(shuffled, labelColumn: -1, scientific: false)
        XCTAssertTrue(text.hasSuffix(",\(shuffled.labels.last!)\n"))
        XCTAssertEqual(try CSVImageLoader.load(text: text, name: "c.csv", labels: .column(index: -1)), shuffled)
        // MNIST in CSV has 10 classes, label first.
        let mnistLike = "7," + row("0")
        XCTAssertEqual(try CSVImageLoader.load(text: mnistLike, name: "m.csv", labels: .column(index: 0), classCount: 10).labels, [7])
    }

    func testLabelsFile() throws {
        let dir = try TemporaryDirectory()
        let images = try dir.write("images.csv", [row("1"), row("2"), row("3"), row("4"), row("5")].joined(separator: "\n"))
        for (name, text) in [("lines.txt", "3\n2\n1\n0\n3\n"), ("commas.txt", "3,2,1,0,3"),
                             ("mixed.txt", "3, 2\n1,0\r\n3\n\n"), ("floats.txt", "3.000000000000000000e+00\n2\n1\n0\n3")] {
            let labels = try dir.write(name, text)
            XCTAssertEqual(try CSVImageLoader.load(path: images, labels: .file(path: labels)).labels, [3, 2, 1, 0, 3], name)
        }
    }

    // MARK: - Errors, each message pinned

    func testWrongNumberOfValues() {
        assertError(try CSVImageLoader.load(text: row() + "\n" + row(count: 783), name: "seed.csv"),
                    "seed.csv: row 2: expected 784 values, found 783")
        assertError(try CSVImageLoader.load(text: row(count: 785), name: "seed.csv"),
                    "seed.csv: row 1: expected 784 values, found 785")
        assertError(try CSVImageLoader.load(text: row(), name: "labelled.csv", labels: .column(index: 0)),
                    "labelled.csv: row 1: expected 785 values (784 grey values and a label), found 784")
        assertError(try CSVImageLoader.load(text: row() + "\n\n" + row(), name: "gap.csv"),
                    "gap.csv: row 2: expected 784 values, found 0")
    }

    func testValuesThatAreNotGreyLevels() {
        let cases: [(String, String)] = [
            ("abc", #"seed.csv: row 3, column 17: expected a grey value 0…255, found "abc""#),
            ("256", #"seed.csv: row 3, column 17: expected a grey value 0…255, found "256""#),
            ("-1", #"seed.csv: row 3, column 17: expected a grey value 0…255, found "-1""#),
            ("2.560000000000000000e+02", #"seed.csv: row 3, column 17: expected a grey value 0…255, found "2.560000000000000000e+02""#),
            ("nan", #"seed.csv: row 3, column 17: expected a grey value 0…255, found "nan""#),
            ("NaN", #"seed.csv: row 3, column 17: expected a grey value 0…255, found "NaN""#),
            ("inf", #"seed.csv: row 3, column 17: expected a grey value 0…255, found "inf""#),
            ("", #"seed.csv: row 3, column 17: expected a grey value 0…255, found """#),
            ("1e999", #"seed.csv: row 3, column 17: expected a grey value 0…255, found "1e999""#),
            ("12.5", #"seed.csv: row 3, column 17: expected a whole grey value 0…255, found "12.5""#),
            ("1.0001e+01", #"seed.csv: row 3, column 17: expected a whole grey value 0…255, found "1.0001e+01""#),
        ]
        for (value, message) in cases {
            let text = [row(), row(), row("0", [16: value])].joined(separator: "\n")
            assertError(try CSVImageLoader.load(text: text, name: "seed.csv"), message)
        }
        let long = String(repeating: "x", count: 60)
        assertError(try CSVImageLoader.load(text: row("0", [0: long]), name: "long.csv"),
                    "long.csv: row 1, column 1: expected a grey value 0…255, found \"\(String(repeating: "x", count: 40))…\"")
    }

    func testBadLabels() throws {
        assertError(try CSVImageLoader.load(text: row("0", [784: "4"], count: 785), name: "l.csv", labels: .column(index: -1)),
                    #"l.csv: row 1, column 785: expected a label 0…3, found "4""#)
        assertError(try CSVImageLoader.load(text: "1.5," + row(), name: "l.csv", labels: .column(index: 0)),
                    #"l.csv: row 1, column 1: expected a label 0…3, found "1.5""#)
        assertError(try CSVImageLoader.load(text: row(), name: "l.csv", labels: .column(index: 785)),
                    "label column 785 is outside a row of 785 values (0…784, or −785…−1 from the end)")
        assertError(try CSVImageLoader.load(text: row(), name: "l.csv", labels: .rotation([0, 1, 9])),
                    "the label rotation [0, 1, 9] has label 9, outside 0…3")

        let dir = try TemporaryDirectory()
        let bad = try dir.write("bad.txt", "0\n1,x\n")
        assertError(try CSVImageLoader.load(text: row() + "\n" + row() + "\n" + row(), name: "i.csv", labels: .file(path: bad)),
                    "\(bad): row 2, column 2: expected a label 0…3, found \"x\"")
        let gap = try dir.write("gap.txt", "0\n\n1\n")
        assertError(try CSVImageLoader.load(text: row() + "\n" + row(), name: "i.csv", labels: .file(path: gap)),
                    "\(gap): row 2: expected a label 0…3, found an empty line")
    }

    func testLabelsCountMismatch() throws {
        let dir = try TemporaryDirectory()
        let images = try dir.write("images.csv", [row(), row(), row()].joined(separator: "\n"))
        let labels = try dir.write("labels.txt", "0\n1\n")
        assertError(try CSVImageLoader.load(path: images, labels: .file(path: labels)),
                    "\(labels): expected 3 labels (one per image of \(images)), found 2")
        let tooMany = try dir.write("many.txt", "0,1,2,3")
        assertError(try CSVImageLoader.load(path: images, labels: .file(path: tooMany)),
                    "\(tooMany): expected 3 labels (one per image of \(images)), found 4")
    }

    func testMissingAndEmptyFiles() throws {
        let dir = try TemporaryDirectory()
        let missing = dir.file("missing.csv")
        assertError(try CSVImageLoader.load(path: missing), "\(missing): no such file")
        assertError(try CSVImageLoader.load(path: dir.path), "\(dir.path): is a directory, not a file")
        let images = try dir.write("images.csv", row())
        let missingLabels = dir.file("labels.txt")
        assertError(try CSVImageLoader.load(path: images, labels: .file(path: missingLabels)), "\(missingLabels): no such file")
        let empty = try dir.write("empty.csv", "\n\n")
        assertError(try CSVImageLoader.load(path: empty), "\(empty): expected at least one image, found none")
    }
}
