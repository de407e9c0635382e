import Foundation

/// Reads (and writes) images in the seed data set's CSV format.
///
/// One image per row, 784 comma-separated grey values, row-major 28×28, no header. Values
/// may be integers (`243`) or floats in any notation `Double` reads (the seed writes
/// `2.430000000000000000e+02`). Each value must be finite, in 0…255 and within 10⁻⁶ of a
/// whole number, to which it is rounded; anything else is an error (12.5 is not silently
/// rounded). Spaces around values, "\r\n" line ends and blank lines at the end are allowed;
/// a blank line before another row is an error.
///
/// With ``LabelRule/column(index:)`` each row has 785 values, one of them the label;
/// otherwise labels come by rotation (the seed's, by default) or from a labels file.
///
/// Errors are ``DatasetError``s naming the file, the 1-based row and column, what was
/// expected and what was found:
///
///     seed.csv: row 3, column 17: expected a grey value 0…255, found "abc"
///     seed.csv: row 5: expected 784 values, found 783
public enum CSVImageLoader {
    /// The images in the CSV file at `path`, labelled by `labels`.
    public static func load(
        path: String, labels: LabelRule = .seedRotation, classCount: Int = 4
    ) throws -> LabelledImages {
        try load(bytes: try readFile(path), name: path, labels: labels, classCount: classCount)
    }

    /// The images in CSV `data`; `name` stands for the file in error messages.
    public static func load(
        data: Data, name: String, labels: LabelRule = .seedRotation, classCount: Int = 4
    ) throws -> LabelledImages {
        try load(bytes: [UInt8](data), name: name, labels: labels, classCount: classCount)
    }

    /// The images in CSV `text`; `name` stands for the file in error messages.
    public static func load(
        text: String, name: String, labels: LabelRule = .seedRotation, classCount: Int = 4
    ) throws -> LabelledImages {
        try load(bytes: Array(text.utf8), name: name, labels: labels, classCount: classCount)
    }

    static func load(bytes: [UInt8], name: String, labels rule: LabelRule, classCount: Int) throws -> LabelledImages {
        guard classCount >= 1 else { throw DatasetError.invalid("classCount must be at least 1, found \(classCount)") }
        let perImage = LabelledImages.pixelsPerImage
        var labelColumn: Int? = nil
        if case let .column(index) = rule {
            let columns = perImage + 1
            guard (-columns..<columns).contains(index) else {
                throw DatasetError.invalid(
                    "label column \(index) is outside a row of \(columns) values (0…\(columns - 1), or −\(columns)…−1 from the end)")
            }
            labelColumn = index >= 0 ? index : columns + index
        }
        let expectedValues = labelColumn == nil ? "\(perImage) values" : "\(perImage + 1) values (784 grey values and a label)"
        let columns = perImage + (labelColumn == nil ? 0 : 1)

        var pixels: [UInt8] = []
        var columnLabels: [Int] = []
        let content = try contentLines(of: bytes) { blank in
            DatasetError.badRow(file: name, row: blank, expected: expectedValues, found: "0")
        }
        for (row, line) in content {
            let rowFields = fields(of: bytes, line: line)
            guard rowFields.count == columns else {
                throw DatasetError.badRow(file: name, row: row, expected: expectedValues, found: "\(rowFields.count)")
            }
            pixels.reserveCapacity(pixels.count + perImage)
            for (column, field) in rowFields.enumerated() {
                if column == labelColumn {
                    columnLabels.append(try parseLabel(
                        bytes, field, file: name, row: row, column: column + 1, classCount: classCount))
                } else {
                    pixels.append(try parseGrey(bytes, field, file: name, row: row, column: column + 1))
                }
            }
        }
        let count = pixels.count / perImage
        guard count > 0 else { throw DatasetError.badFile(file: name, expected: "at least one image", found: "none") }
        let labels = labelColumn == nil
            ? try LabelRule.labels(for: rule, count: count, classCount: classCount, imagesSource: name)
            : columnLabels
        return try LabelledImages(pixels: pixels, labels: labels, classNames: LabelledImages.classNames(count: classCount))
    }

    /// The images as CSV text in the seed's format: one row per image, values comma
    /// separated, each line ending in "\n". With `scientific` (the default) every value is
    /// written as the seed writes it (`2.430000000000000000e+02`), otherwise as a plain
    /// integer. With a `labelColumn` (as in ``LabelRule/column(index:)``: 0…784, or −785…−1
    /// from the end) each row has 785 values, the label at that column.
    ///
    /// - Precondition: `labelColumn`, if given, is within a row of 785 values.
    public static func encode(_ images: LabelledImages, labelColumn: Int? = nil, scientific: Bool = true) -> String {
        let columns = LabelledImages.pixelsPerImage + 1
        let column = labelColumn.map { index -> Int in
            precondition((-columns..<columns).contains(index), "label column \(index) is outside 0…\(columns - 1)")
            return index >= 0 ? index : columns + index
        }
        func format(_ value: Int) -> String { scientific ? seedNotation(value) : String(value) }
        let grey = (0...255).map { format($0) }
        var text = ""
        for i in 0..<images.count {
            var values = images.image(i).map { grey[Int($0)] }
            if let column { values.insert(format(images.labels[i]), at: column) }
            text += values.joined(separator: ",")
            text += "\n"
        }
        return text
    }

    /// A non-negative integer as numpy's `savetxt` writes it by default (`%.18e`):
    /// 243 → "2.430000000000000000e+02".
    static func seedNotation(_ value: Int) -> String {
        let digits = Array(String(value))
        let fraction = String(digits.dropFirst()) + String(repeating: "0", count: 18 - (digits.count - 1))
        let exponent = digits.count - 1
        return "\(digits[0]).\(fraction)e+\(exponent < 10 ? "0" : "")\(exponent)"
    }
}
