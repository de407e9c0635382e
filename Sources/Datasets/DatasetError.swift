/// Everything that can go wrong while building, generating or loading a labelled image set.
///
/// Every case renders (through ``description``) as one line that names the file (or the
/// name given in its place), the place in it (1-based row and column for text files, the
/// 1-based image number for IDX labels), what was expected and what was found, for example
///
///     seed.csv: row 3, column 17: expected a grey value 0…255, found "abc"
///     seed.csv: row 5: expected 784 values, found 783
///     labels.txt: expected 80 labels (one per image of seed.csv), found 79
///     train-images.idx: expected 28×28 images, found 32×32
public enum DatasetError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The file does not exist, is a directory, or cannot be read.
    case unreadable(file: String, reason: String)
    /// One value of a text file, at a 1-based row (line) and column (field).
    case badValue(file: String, row: Int, column: Int, expected: String, found: String)
    /// A whole row of a text file (wrong number of values, a blank line inside the file).
    case badRow(file: String, row: Int, expected: String, found: String)
    /// The file as a whole: an IDX header, magic number, dimensions or size, or no images.
    case badFile(file: String, expected: String, found: String)
    /// One label of an IDX labels file, by 1-based image number.
    case badLabel(file: String, image: Int, expected: String, found: String)
    /// A label source that does not give exactly one label per image.
    case countMismatch(labelsFile: String, labels: Int, images: Int, imagesSource: String)
    /// Arguments that cannot describe a data set: an empty label rotation, a label column
    /// outside the row, pixels and labels of different lengths, and the like.
    case invalid(String)

    public var description: String {
        switch self {
        case let .unreadable(file, reason):
            return "\(file): \(reason)"
        case let .badValue(file, row, column, expected, found):
            return "\(file): row \(row), column \(column): expected \(expected), found \"\(found)\""
        case let .badRow(file, row, expected, found):
            return "\(file): row \(row): expected \(expected), found \(found)"
        case let .badFile(file, expected, found):
            return "\(file): expected \(expected), found \(found)"
        case let .badLabel(file, image, expected, found):
            return "\(file): label of image \(image): expected \(expected), found \(found)"
        case let .countMismatch(labelsFile, labels, images, imagesSource):
            return "\(labelsFile): expected \(images) labels (one per image of \(imagesSource)), found \(labels)"
        case let .invalid(message):
            return message
        }
    }
}

/// "a label 0…3" for four classes.
func labelExpectation(classCount: Int) -> String {
    classCount == 1 ? "a label 0" : "a label 0…\(classCount - 1)"
}
