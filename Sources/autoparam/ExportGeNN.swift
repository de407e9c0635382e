import ArgumentParser
import Analysis
import MushroomBodyModel
import Foundation
import Randomness
import RunFile
import ExperimentFiles

/// `autoparam export-genn`: a PyGeNN 5 script of one evaluated genotype of a run file.
struct ExportGeNN: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export-genn",
        abstract: "Write a PyGeNN 5 script that builds and runs the network of one evaluation of a run file.",
        discussion: """
            The script holds the evaluation's genotype (GENOTYPE) and every network parameter \
            (PARAMETERS): the run's experiment text with the genes applied. It builds the network \
            for GeNN 5, presents a dataset (the run file itself, or a CSV in the seed's format) and \
            prints the seed-242 score. Default: replicate 0, its best evaluation (the highest fitness, ties to \
            the earliest row, as in autoparam report and compare). See docs/export-genn.md.
              autoparam export-genn runs/quickstart.h5 > best_brain.py
              autoparam export-genn runs/quickstart.h5 --replicate 1 --evaluation 12 --weights --output brain.py
            GeNN's MNIST mushroom body for a genotype (no run file): the script trains and tests it on \
            the images, which are written beside it as .npy with autoparam's PN→KC wiring, and prints \
            the held-out accuracy:
              autoparam export-genn --network genn-mnist --genotype kc_count=2000 --data IMAGES --labels LABELS \\
                --test-count 800 --output mnist_mb.py
            """
    )

    @Argument(help: ArgumentHelp("The run file (.h5); not with --network genn-mnist.", valueName: "run-file"))
    var runFile: String?

    @Option(help: "genn-mnist: export GeNN's MNIST mushroom body for --genotype instead of an evaluation of a run file.")
    var network: NetworkKind?

    @Option(help: ArgumentHelp("genn-mnist: comma-separated name=value pairs.", valueName: "name=value,..."))
    var genotype: String = ""

    @OptionGroup var data: DataOptions

    @Option(name: .customLong("test-count"), help: "genn-mnist: held-out test images (the last ones). Default: a fifth of the images.")
    var testCount: Int?

    @Option(help: "genn-mnist: passes over the training images.")
    var epochs: Int = 1

    @Option(help: "genn-mnist: the seed of autoparam's PN→KC wiring, written beside the script (as `evaluate --seed`).")
    var seed: UInt64 = 1

    @Flag(name: .customLong("genn-wiring"), help: "genn-mnist: let GeNN draw the PN→KC wiring instead of writing autoparam's.")
    var gennWiring = false

    @Option(help: "Replicate to export from.")
    var replicate: Int = 0

    @Option(help: "Row of the evaluation in the replicate's `evaluations` (default: the best).")
    var evaluation: Int?

    @Flag(help: "Export the best evaluation of the replicate (the default).")
    var best = false

    @Option(name: .customLong("seed-index"), help: "Which of the evaluation's K networks (evaluation.seeds) the script names: its seed and own fitness.")
    var seedIndex: Int = 0

    @Flag(help: "Also write the KC→DN weights learned in that evaluation as a .npy beside the script (needs --output and a run that recorded weights).")
    var weights = false

    @Option(help: ArgumentHelp("Write the script here instead of standard output.", valueName: "file"))
    var output: String?

    func validate() throws {
        if network == .gennMNIST {
            if runFile != nil { throw ValidationError("--network genn-mnist exports a genotype, not a run file: leave out \(runFile!)") }
            if output == nil { throw ValidationError("--network genn-mnist needs --output: the images, labels and wiring are written beside the script") }
            if epochs < 1 { throw ValidationError("--epochs must be at least 1, found \(epochs)") }
            return
        }
        if runFile == nil { throw ValidationError("missing the run file (or --network genn-mnist with --genotype)") }
        if best && evaluation != nil { throw ValidationError("--best and --evaluation contradict each other: choose one") }
        if weights && output == nil {
            throw ValidationError("--weights needs --output: the weights are written beside the script, as <script name>_kc_dn_weights.npy")
        }
    }

    /// The weights file beside `script`: `brain.py` → `brain_kc_dn_weights.npy`.
    static func weightsPath(forScript script: String) -> String {
        let url = URL(fileURLWithPath: script)
        let stem = url.deletingPathExtension().lastPathComponent
        return url.deletingLastPathComponent().appendingPathComponent("\(stem)_kc_dn_weights.npy").path
    }

    func run() throws {
        if network == .gennMNIST { return try exportGeNNMNIST() }
        let runFile = self.runFile!
        let weightsPath = output.map(Self.weightsPath(forScript:))
        let result: GeNNRunExport
        do {
            result = try readingRunFile(runFile) { try GeNNRunExport.make(
                runFile: runFile, replicate: replicate,
                evaluation: evaluation.map(GeNNEvaluationChoice.row) ?? .best,
                weightsFile: weights ? weightsPath.map { URL(fileURLWithPath: $0).lastPathComponent } : nil,
                seedIndex: seedIndex) }
        } catch let error as GeNNExportError {
            throw BadInput(error.message)
        }
        for warning in result.warnings { printError("warning: \(warning)") }
        let script = result.export.script
        guard let output else {
            print(script, terminator: "")
            return
        }
        do {
            let url = URL(fileURLWithPath: output)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(script.utf8).write(to: url)
        } catch {
            throw BadInput("cannot write \(output): \(error.localizedDescription)")
        }
        printError("wrote \(output) (replicate \(result.replicate), evaluation \(result.evaluation), fitness \(format(result.fitness)))")
        if weights, let weightsPath, let data = result.weightsNPY {
            do {
                try data.write(to: URL(fileURLWithPath: weightsPath))
            } catch {
                throw BadInput("cannot write \(weightsPath): \(error.localizedDescription)")
            }
            printError("wrote \(weightsPath) (\(result.kcCount) KCs × \(GeNNRunExport.dnCount) DNs, float32)")
        }
    }
}

extension ExportGeNN {
    /// `--network genn-mnist`: the script and, beside it, the images, labels and PN→KC wiring.
    func exportGeNNMNIST() throws {
        let parameters: GeNNMNISTParameters
        let pairs: [(String, Double)]
        do {
            pairs = try GenotypeText.parse(genotype)
            parameters = try GeNNMNISTParameters().setting(pairs)
        } catch { throw BadInput("--genotype: \(error)") }
        let problems = parameters.problems()
        guard problems.isEmpty else { throw BadInput("--genotype: \(problems.joined(separator: "; "))") }
        // genn-mnist: one MBON per class: the --classes list (relabelled 0…k−1), else up to the
        // highest label.
        let all = PresentedImages(try data.load(classCount: 256, maximumClasses: nil))
        let classes = GeNNMNISTProtocol.classCount(listed: try data.classList(maximum: nil), labels: all.labels)
        guard all.count >= 2 else { throw BadInput("only \(all.count) image: the export needs training and test images") }
        let k = testCount ?? max(1, all.count / 5)
        guard k >= 1, k < all.count else {
            throw BadInput("--test-count must be between 1 and \(all.count - 1) for \(all.count) images, found \(k)")
        }
        let output = self.output!
        let names = GeNNMNISTExport.companionNames(forScript: output)
        var connectivity: Data?
        if !gennWiring {
            let body = GeNNMNISTNetwork(parameters: parameters, pnCount: all.pixelsPerImage, classCount: classes, seed: SeedTree(seed))
            connectivity = GeNNMNISTExport.connectivityNPY(rowStart: body.pnKCRows.rowStart, targets: body.pnKCRows.targets)
        }
        let export = GeNNMNISTExport(
            parameters: parameters, genotype: pairs, classCount: classes, epochs: epochs, trainCount: all.count - k, testCount: k,
            imagesFile: names.images, labelsFile: names.labels, connectivityFile: connectivity == nil ? nil : names.connectivity,
            provenance: ["exported by autoparam \(AutoparamVersion.current): export-genn --network genn-mnist",
                         "genotype \(GenotypeText.format(pairs)); \(all.count - k) training + \(k) test images, \(classes) classes, \(epochs) epoch(s)",
                         gennWiring ? "PN->KC wiring: GeNN's FixedNumberPreWithReplacement" : "PN->KC wiring: autoparam's for evaluation seed \(seed)"])
        let url = URL(fileURLWithPath: output)
        let dir = url.deletingLastPathComponent()
        do {
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            try Data(export.script.utf8).write(to: url)
            try GeNNMNISTExport.imagesNPY(all).write(to: dir.appendingPathComponent(names.images))
            try GeNNMNISTExport.int32NPY(all.labels.map(Int32.init), shape: [all.count]).write(to: dir.appendingPathComponent(names.labels))
            if let connectivity { try connectivity.write(to: dir.appendingPathComponent(names.connectivity)) }
        } catch {
            throw BadInput("cannot write beside \(output): \(error.localizedDescription)")
        }
        printError("wrote \(output) (genn-mnist, \(all.count - k) training + \(k) test images) with \(names.images), \(names.labels)"
                   + (connectivity == nil ? "" : ", \(names.connectivity)"))
    }
}
