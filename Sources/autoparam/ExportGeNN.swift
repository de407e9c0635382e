import ArgumentParser
import Analysis
import MushroomBodyModel
import Foundation

/// `autoparam export-genn`: a PyGeNN 5 script of one evaluated genotype of a run file.
struct ExportGeNN: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export-genn",
        abstract: "Write a PyGeNN 5 script that builds and runs the network of one evaluation of a run file.",
        discussion: """
            The script holds the evaluation's genotype (GENOTYPE) and every network parameter \
            (PARAMETERS): the run's experiment text with the genes applied. It builds the network \
            for GeNN 5, presents a dataset (the run file itself, or a CSV in the seed's format) and \
            prints the seed-242 score. Default: replicate 0, its best evaluation. See docs/export-genn.md.
              autoparam export-genn runs/quickstart.h5 > best_brain.py
              autoparam export-genn runs/quickstart.h5 --replicate 1 --evaluation 12 --weights --output brain.py
            """
    )

    @Argument(help: ArgumentHelp("The run file (.h5).", valueName: "run-file"))
    var runFile: String

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
        let weightsPath = output.map(Self.weightsPath(forScript:))
        let result: GeNNRunExport
        do {
            result = try GeNNRunExport.make(
                runFile: runFile, replicate: replicate,
                evaluation: evaluation.map(GeNNEvaluationChoice.row) ?? .best,
                weightsFile: weights ? weightsPath.map { URL(fileURLWithPath: $0).lastPathComponent } : nil,
                seedIndex: seedIndex)
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
