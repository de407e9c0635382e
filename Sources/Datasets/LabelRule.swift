/// Where the labels of a data set come from.
///
/// - ``rotation(_:)``: image *i* has label `pattern[i mod pattern.count]`. The original
///   study's seed CSV has no label column; its labels come by the rotation
///   ``seedRotationPattern`` = [0, 1, 3, 3, 0, 1, 2, 2] (``seedRotation``).
/// - ``column(index:)``: (CSV only) one column of each row is the label and the other 784 are
///   the pixels. `index` counts from 0 at the first column; a negative index counts from the
///   end, so −1 is the last column (785 columns in all: 0…784 or −785…−1).
/// - ``file(path:)``: a text file of integer labels, one per line or comma separated (or
///   both), exactly one per image. Relative paths are resolved against the current
///   directory, not the directory of the images. Blank lines are allowed only at the end.
///
/// Labels must lie in `0..<classCount` (4 classes unless the loader is told otherwise).
/// Integral floats such as `3.000000000000000000e+00` are accepted as labels.
public enum LabelRule: Sendable, Hashable {
    case rotation([Int])
    case column(index: Int)
    case file(path: String)

    /// The seed data set's label rotation: dull, unknown, food, food, dull, unknown, rubbish,
    /// rubbish.
    public static let seedRotationPattern = [0, 1, 3, 3, 0, 1, 2, 2]

    /// `.rotation(seedRotationPattern)`, the default everywhere.
    public static let seedRotation = LabelRule.rotation(seedRotationPattern)
}

extension LabelRule {
    /// The labels of `count` images by a rotation pattern, validated against `classCount`.
    static func labels(rotation pattern: [Int], count: Int, classCount: Int) throws -> [Int] {
        guard !pattern.isEmpty else { throw DatasetError.invalid("the label rotation is empty") }
        if let bad = pattern.first(where: { !(0..<classCount).contains($0) }) {
            throw DatasetError.invalid(
                "the label rotation \(pattern) has label \(bad), outside 0…\(classCount - 1)")
        }
        return (0..<count).map { pattern[$0 % pattern.count] }
    }

    /// The labels in a labels file (see ``LabelRule/file(path:)``).
    static func labels(file path: String, classCount: Int) throws -> [Int] {
        let bytes = try readFile(path)
        var labels: [Int] = []
        let content = try contentLines(of: bytes) { blank in
            DatasetError.badRow(file: path, row: blank, expected: labelExpectation(classCount: classCount),
                                found: "an empty line")
        }
        for (row, line) in content {
            var column = 0
            for field in fields(of: bytes, line: line) {
                column += 1
                labels.append(try parseLabel(
                    bytes, field, file: path, row: row, column: column, classCount: classCount))
            }
        }
        return labels
    }

    /// The labels for `count` images named `imagesSource` in error messages, by a rotation
    /// or a labels file (a label column is handled by the CSV loader itself).
    static func labels(
        for rule: LabelRule, count: Int, classCount: Int, imagesSource: String
    ) throws -> [Int] {
        switch rule {
        case let .rotation(pattern):
            return try labels(rotation: pattern, count: count, classCount: classCount)
        case let .file(path):
            let found = try labels(file: path, classCount: classCount)
            guard found.count == count else {
                throw DatasetError.countMismatch(
                    labelsFile: path, labels: found.count, images: count, imagesSource: imagesSource)
            }
            return found
        case .column:
            throw DatasetError.invalid(
                "a label column applies only to CSV files; use .rotation or .file here")
        }
    }
}
