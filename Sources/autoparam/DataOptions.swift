import ArgumentParser
import ExperimentFiles
import Datasets

/// Options choosing the images: the embedded generator by default, or a file.
struct DataOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Images: a CSV in the seed's format (784 grey values per row), or IDX images with --labels.", valueName: "file"))
    var data: String?

    @Option(help: ArgumentHelp("Labels: an IDX labels file for IDX images, or a labels file (one integer per line) for a CSV. Without it a CSV is labelled by the seed's rotation [0,1,3,3,0,1,2,2].", valueName: "file"))
    var labels: String?

    @Option(help: "Number of embedded images when no --data is given (default 80); with --data, use only the first N images of the file (after --classes).")
    var count: Int?

    @Option(help: ArgumentHelp("Keep only the images with these labels, relabelled 0…k−1 in this order (one output neuron each: at most 4 for the seed network, any number for genn-mnist).", valueName: "labels"))
    var classes: String?

    @Option(name: .customLong("dataset-seed"), help: "Seed of the embedded image generator.")
    var datasetSeed: UInt64 = 1

    func validate() throws {
        if let count, count < 1 { throw ValidationError("--count must be at least 1, found \(count)") }
        _ = try classList(maximum: nil)
    }

    /// `--classes 0,1,2,3` as labels, or nil; at most `maximum` of them (the network's output
    /// neurons; nil: no limit).
    func classList(maximum: Int? = 4) throws -> [Int]? {
        guard let classes else { return nil }
        var labels: [Int] = []
        for item in classes.split(separator: ",", omittingEmptySubsequences: false) {
            let text = item.trimmingCharacters(in: .whitespaces)
            guard let label = Int(text), label >= 0 else {
                throw ValidationError("--classes: expected labels (whole numbers ≥ 0) separated by commas, such as 0,1,2,3, found \"\(text)\"")
            }
            guard !labels.contains(label) else { throw ValidationError("--classes: class \(label) is listed twice") }
            labels.append(label)
        }
        if let maximum, labels.count > maximum {
            throw ValidationError("--classes: the network has \(maximum) output neurons (DNs), one per class, but \(labels.count) classes are listed")
        }
        return labels
    }

    /// The source these options name.
    var source: DatasetSource {
        guard let data else { return .embedded(count: count ?? 80, seed: datasetSeed) }
        if Self.looksLikeIDX(data) {
            return .idx(imagesPath: data, labelsPath: labels ?? "")
        }
        return .csv(path: data, labels: labels.map { .file(path: $0) } ?? .seedRotation)
    }

    static func looksLikeIDX(_ path: String) -> Bool {
        let lower = path.lowercased()
        return lower.hasSuffix("ubyte") || lower.hasSuffix(".idx") || lower.contains("idx3")
    }

    /// Load the images (of `--classes`, the first `--count` of a file), turning loader errors
    /// into bad-input errors (exit code 2). Without `--classes`, labels must lie in
    /// `0..<classCount`; `maximumClasses` is the most classes the network can take (nil: any).
    func load(classCount: Int = 4, maximumClasses: Int? = 4) throws -> LabelledImages {
        if let data, Self.looksLikeIDX(data), labels == nil {
            throw BadInput("--data \(data) looks like an IDX images file: give its labels with --labels FILE")
        }
        do {
            var images = try source.load(keepingClasses: try classList(maximum: maximumClasses), classCount: classCount)
            if data != nil, let count { images = try images.first(count) }
            return images
        } catch let error as ValidationError {
            throw BadInput(error.message)
        } catch { throw BadInput("\(error)") }
    }
}
