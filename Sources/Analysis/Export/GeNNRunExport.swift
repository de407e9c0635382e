import ExperimentFiles
import Foundation
import MushroomBodyModel
import RunFile

/// A problem with what was asked of the export (the run file, the replicate, the evaluation,
/// the weights): the command line reports it and exits 2.
public struct GeNNExportError: Error, Sendable, Hashable, CustomStringConvertible {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// Which evaluation of a replicate to export.
public enum GeNNEvaluationChoice: Sendable, Hashable {
    /// The committed evaluation with the highest fitness (the first on ties).
    case best
    /// The committed evaluation in this row of `evaluations`.
    case row(Int)
}

/// One evaluation of a run file, ready to write as a PyGeNN script (`autoparam export-genn`).
///
/// The genotype's parameters are the run's experiment (the experiment file's text stored in
/// the run file, parsed again) with the evaluation's gene values applied under the run's gene
/// names. `--set` overrides given to `autoparam run` are not stored in the run file; the ones
/// that show in the file's layout (genes, dt, steps per evaluation) are detected and reported
/// in ``warnings``; others (say `--set model.pn_kc_weight=…`) cannot be, and the script then
/// holds the experiment file's values.
public struct GeNNRunExport: Sendable {
    /// The script generator, filled in.
    public var export: GeNNExport
    public var replicate: Int
    /// Row in the replicate's `evaluations`.
    public var evaluation: Int
    public var fitness: Double
    /// Kenyon cells of the genotype.
    public var kcCount: Int
    /// Learned KC→DN weights (row-major KC × 4) when the export was asked to include them.
    public var weights: [Float]?
    /// What the export could not reproduce exactly (also written into the script's header).
    public var warnings: [String]

    /// Output neurons of every network autoparam builds.
    public static let dnCount = 4

    /// Reads `path` and prepares the export of one committed evaluation.
    ///
    /// - Parameter weightsFile: the `.npy` file name (relative to the script) the script will
    ///   load the learned weights from; nil exports no weights. When given, the run must have
    ///   recorded weights for that evaluation.
    /// - Throws: ``GeNNExportError`` for a missing or unreadable file, a replicate or row out
    ///   of range (naming the valid range), or weights that were not recorded.
    /// - Parameter seedIndex: which of the K networks of the evaluation (`evaluation.seeds`)
    ///   the script's provenance names (its seed and its own fitness); 0 by default.
    public static func make(runFile path: String, replicate: Int = 0, evaluation choice: GeNNEvaluationChoice = .best,
                            weightsFile: String? = nil, seedIndex: Int = 0) throws -> GeNNRunExport {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue else {
            throw GeNNExportError("no run file at \(path)")
        }
        let reader: RunReader
        do {
            reader = try RunReader(path: path)
        } catch {
            throw GeNNExportError(RunFileProblem.describe(error, path: path))
        }
        defer { try? reader.close() }
        let layout = reader.layout
        let replicates = layout.replicateCount
        guard (0..<replicates).contains(replicate) else {
            throw GeNNExportError("--replicate \(replicate) is out of range: the run has "
                                  + (replicates == 1 ? "only replicate 0" : "replicates 0…\(replicates - 1)"))
        }
        let committed = try reader.committedEvaluations(replicate: replicate)
        guard committed > 0 else {
            throw GeNNExportError("replicate \(replicate) has no committed evaluations yet: nothing to export")
        }
        let table = try reader.evaluations(replicate: replicate)
        let seedCount = layout.seedCount
        guard (0..<seedCount).contains(seedIndex) else {
            throw GeNNExportError("--seed-index \(seedIndex) is out of range: the run evaluates each genotype on "
                                  + (seedCount == 1 ? "one network (seed index 0 only)" : "\(seedCount) networks (seed indices 0…\(seedCount - 1))"))
        }
        let row: Int
        switch choice {
        case .row(let e):
            guard (0..<committed).contains(e) else {
                throw GeNNExportError("--evaluation \(e) is out of range: replicate \(replicate) has committed evaluations "
                                      + (committed == 1 ? "0 only" : "0…\(committed - 1)"))
            }
            row = e
        case .best:
            row = bestRow(table.fitness)
        }

        // The experiment: the resolved one the run recorded (overrides applied), or, in files
        // written before that was recorded, the experiment file's text.
        let provenance = reader.provenance
        let experiment: Experiment
        do {
            let text = provenance.resolvedExperiment.isEmpty ? provenance.experimentText : provenance.resolvedExperiment
            experiment = try ExperimentLoader.parse(text: text, fileName: "\(provenance.experimentName).yaml", checkFiles: false)
        } catch {
            throw GeNNExportError("the experiment text stored in \(path) no longer parses, so its parameters are unknown:\n\(error)")
        }
        if experiment.network != .seed {
            let genes = zip(layout.genes.map(\.name), table.genotypes[row]).map { ($0, $1) }
            throw GeNNExportError("\(path) evolved the \(experiment.network.rawValue) network: export its evaluation \(row) with "
                                  + "autoparam export-genn --network \(experiment.network.rawValue) --genotype \(GenotypeText.format(genes)) "
                                  + "--data IMAGES --labels LABELS --test-count N --output SCRIPT.py")
        }
        var warnings: [String] = []
        let geneNames = layout.genes.map(\.name)
        if geneNames != experiment.genes.names {
            warnings.append("the run's genes (\(geneNames.joined(separator: ", "))) differ from the experiment text's "
                            + "(\(experiment.genes.names.joined(separator: ", "))): this run file holds no resolved experiment, so `--set` overrides are unknown"
                            + "; the script uses the run's genes")
        }
        var parameters = experiment.model
        if let dt = parameters["dt"], dt != layout.dtMilliseconds {
            warnings.append("the run's dt (\(format(layout.dtMilliseconds)) ms) differs from the experiment text's "
                            + "(\(format(dt)) ms): the script uses the run's")
            parameters = try parameters.setting("dt", to: layout.dtMilliseconds)
        }
        let images = try reader.dataset().imageCount
        let testImages = experiment.rubric.needsTestPhase ? experiment.testCount : 0
        let shown = (images - testImages) * experiment.protocolSettings.epochs + testImages
        let steps = shown * (parameters.stimulusSteps + parameters.blankSteps)
        if steps != layout.stepsPerEvaluation {
            warnings.append("the run took \(layout.stepsPerEvaluation) steps per evaluation of \(images) images, but the "
                            + "experiment text's stimulus_ms and blank_ms give \(steps): they were probably overridden with "
                            + "`--set`, which this run file does not record; the script uses the text's")
        }
        let genotype = table.genotypes[row]
        for (name, value) in zip(geneNames, genotype) {
            do {
                parameters = try parameters.setting(name, to: value)
            } catch {
                throw GeNNExportError("gene \(name) of the run is not a parameter of the network: \(error)")
            }
        }
        let protocolSettings = experiment.protocolSettings
        if protocolSettings.epochs != 1 || protocolSettings.order != .file || protocolSettings.resetBetweenImages {
            warnings.append("the run's protocol (epochs \(protocolSettings.epochs), order \(protocolSettings.order.rawValue), "
                            + "reset_between_images \(protocolSettings.resetBetweenImages)) is not reproduced: the script shows "
                            + "each image once, in order, without resets")
        }
        if experiment.rubric != .seed242 {
            warnings.append("the run's rubric is \(experiment.rubric.name); the script computes the seed-242 score only "
                            + "(no held-out test phase)")
        }

        let kcCount = parameters.kcCount
        var weights: [Float]?
        if weightsFile != nil {
            guard seedIndex == 0 else {
                throw GeNNExportError("weights are recorded for seed index 0 only (the first of the \(seedCount) networks); "
                                      + "export --seed-index \(seedIndex) without --weights")
            }
            guard layout.recordsWeights else {
                throw GeNNExportError("the run did not record weights (record.weights: false), so there are none to export; "
                                      + "run the experiment with --set record.weights=true, or export without --weights")
            }
            guard let values = try reader.finalWeights(replicate: replicate, evaluation: row) else {
                throw GeNNExportError("evaluation \(row) of replicate \(replicate) stored no weights "
                                      + "(status \(statusName(table.status[row]))\(kcCount == 0 ? ", no Kenyon cells" : ""))")
            }
            guard values.count == kcCount * dnCount else {
                throw GeNNExportError("evaluation \(row) of replicate \(replicate) stored \(values.count) weights, "
                                      + "expected \(kcCount) KCs × \(dnCount) DNs")
            }
            weights = values
        }

        let fileName = path.split(separator: "/").last.map(String.init) ?? path
        let source: [(String, String)] = [
            ("run_file", fileName),
            ("experiment", provenance.experimentName),
            ("run_created", provenance.createdISO8601),
            ("run_written_by", "autoparam \(provenance.toolVersion)"),
            ("replicate", String(replicate)),
            ("evaluation", String(row)),
            ("tournament", String(table.tournaments[row])),
            ("slot", String(table.slots[row])),
            ("evaluation_seed", String(try reader.seed(replicate: replicate, evaluation: row, seedIndex: seedIndex))),
            ("fitness", GeNNExport.python(table.fitness[row])),
            ("max_fitness", GeNNExport.python(table.maxFitness[row])),
            ("status", statusName(table.status[row])),
            ("exported_by", "autoparam \(AutoparamVersion.current) export-genn"),
        ] + (seedCount > 1 ? [
            ("seed_index", "\(seedIndex) of \(seedCount) networks (fitness above: their \(layout.seedAggregate))"),
            ("seed_fitness", GeNNExport.python(try reader.seedEvaluations(replicate: replicate, row: row)[seedIndex].fitness)),
        ] : [])
        var notes = warnings
        if weightsFile != nil {
            notes.append("the KC->DN weights start from those learned in the recorded evaluation; STDP goes on "
                         + "learning unless --frozen")
        }
        let export = GeNNExport(provenance: source, genotype: Array(zip(geneNames, genotype)), parameters: parameters,
                                variant: experiment.variant, rubricName: experiment.rubric.name, weightsFile: weightsFile,
                                notes: notes)
        return GeNNRunExport(export: export, replicate: replicate, evaluation: row, fitness: table.fitness[row],
                             kcCount: kcCount, weights: weights, warnings: warnings)
    }

    /// The `.npy` bytes of ``weights`` (KC × 4 float32), nil without weights.
    public var weightsNPY: Data? {
        weights.map { NPYFile.float32($0, shape: [kcCount, Self.dnCount]) }
    }

    /// The best evaluation row as everywhere else (``RunReport/bestRow(_:)``): the highest
    /// fitness, the earliest row on ties; NaN never wins (row 0 if all are NaN).
    static func bestRow(_ fitness: [Double]) -> Int {
        RunReport.bestRow(fitness) ?? 0
    }

    static func statusName(_ code: Int32) -> String {
        switch code {
        case 0: return "ok"
        case 1: return "invalid_genotype"
        case 2: return "numerical_failure"
        default: return "code \(code)"
        }
    }
}
