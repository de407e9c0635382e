import Foundation
import XCTest

/// Where the development data lie: `../shared/data` beside the repository (never committed).
enum LearningSupport {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let mnistFolder = packageRoot.appendingPathComponent("../shared/data/mnist-4k").standardized
    static let mnistImages = mnistFolder.appendingPathComponent("mnist-4k-images-idx3-ubyte.gz").path
    static let mnistLabels = mnistFolder.appendingPathComponent("mnist-4k-labels-idx1-ubyte.gz").path

    /// The MNIST subset's paths, or a skip saying how to get them.
    static func mnist() throws -> (images: String, labels: String) {
        guard FileManager.default.fileExists(atPath: mnistImages), FileManager.default.fileExists(atPath: mnistLabels) else {
            throw XCTSkip("the MNIST subset is not at \(mnistFolder.path) (4000 digits, gzip IDX; not in the repository)")
        }
        return (mnistImages, mnistLabels)
    }

    /// Whether the experiments' relative path data/mnist-4k resolves from the working directory.
    static var mnistAvailableFromWorkingDirectory: Bool {
        FileManager.default.fileExists(atPath: "data/mnist-4k/mnist-4k-images-idx3-ubyte.gz")
    }

    static func scratch(_ name: String) throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("learning-\(name)-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url.path
    }
}
