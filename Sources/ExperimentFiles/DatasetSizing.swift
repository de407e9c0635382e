import Datasets
import Foundation

/// The number of images a data set holds, found without loading it, so that an experiment's
/// `images` and `test_count` can be checked before anything runs.
enum DatasetSizing {
    /// Why a data file cannot be used, or nil if it is a readable regular file.
    static func fileProblem(_ path: String) -> String? {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            return "no file \"\(path)\" (relative paths start from the working directory)"
        }
        if isDirectory.boolValue { return "\"\(path)\" is a directory, not a file" }
        guard FileManager.default.isReadableFile(atPath: path) else { return "cannot read \"\(path)\"" }
        return nil
    }

    /// The image count of `source`: exact for the embedded generator (no images are made); for
    /// a CSV the number of non-blank lines; for IDX the count in the images header (inside the
    /// gzip stream of a compressed file). Nil when
    /// a file cannot be read (the loader reports malformed files when the run starts).
    static func imageCount(of source: DatasetSource) -> Int? {
        switch source {
        case .embedded(let count, _):
            return count
        case .csv(let path, _):
            guard fileProblem(path) == nil, let data = FileManager.default.contents(atPath: path) else { return nil }
            var rows = 0
            var blank = true
            for byte in data {
                if byte == UInt8(ascii: "\n") {
                    if !blank { rows += 1 }
                    blank = true
                } else if byte != UInt8(ascii: " ") && byte != UInt8(ascii: "\r") && byte != UInt8(ascii: "\t") {
                    blank = false
                }
            }
            return blank ? rows : rows + 1
        case .idx(let images, _):
            guard fileProblem(images) == nil, let data = FileManager.default.contents(atPath: images) else { return nil }
            var bytes = [UInt8](data)
            // MNIST is distributed gzip-compressed: the header is inside the stream.
            if Gzip.isCompressed(bytes) {
                guard let plain = try? Gzip.decompress(bytes, name: images) else { return nil }
                bytes = plain
            }
            guard bytes.count >= 8 else { return nil }
            return bytes[4...7].reduce(0) { $0 << 8 | Int($1) }
        }
    }
}
