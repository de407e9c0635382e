import ArgumentParser
import ExperimentFiles
import Datasets

/// Options choosing the images: the embedded generator by default, or a file.
struct DataOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Images: a CSV in the seed's format (784 grey values per row), or IDX images with --labels.", valueName: "file"))
    var data: String?

    @Option(help: ArgumentHelp("Labels: an IDX labels file for IDX images, or a labels file (one integer per line) for a CSV. Without it a CSV is labelled by the seed's rotation [0,1,3,3,0,1,2,2].", valueName: "file"))
    var labels: String?

    @Option(help: "Number of embedded images when no --data is given.")
    var count: Int = 80

    @Option(name: .customLong("dataset-seed"), help: "Seed of the embedded image generator.")
    var datasetSeed: UInt64 = 1

    func validate() throws {
        guard count >= 1 else { throw ValidationError("--count must be at least 1, found \(count)") }
    }

    /// The source these options name.
    var source: DatasetSource {
        guard let data else { return .embedded(count: count, seed: datasetSeed) }
        if Self.looksLikeIDX(data) {
            return .idx(imagesPath: data, labelsPath: labels ?? "")
        }
        return .csv(path: data, labels: labels.map { .file(path: $0) } ?? .seedRotation)
    }

    static func looksLikeIDX(_ path: String) -> Bool {
        let lower = path.lowercased()
        return lower.hasSuffix("ubyte") || lower.hasSuffix(".idx") || lower.contains("idx3")
    }

    /// Load the images, turning loader errors into bad-input errors (exit code 2).
    func load(classCount: Int = 4) throws -> LabelledImages {
        if let data, Self.looksLikeIDX(data), labels == nil {
            throw BadInput("--data \(data) looks like an IDX images file: give its labels with --labels FILE")
        }
        do { return try source.load(classCount: classCount) } catch { throw BadInput("\(error)") }
    }
}
