import ArgumentParser
import Cluster
import ExperimentFiles
import MushroomBodyModel
import Runner
import Foundation

/// `autoparam run`: the user's main job.
struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run an experiment's seeded replicates and record everything to its HDF5 run file.",
        discussion: """
            Ctrl-C stops cleanly: the file is flushed after the last completed tournament and \
            `autoparam run FILE --resume` continues it. A run killed outright resumes the same way; \
            a resumed run ends with exactly the datasets of an uninterrupted one.
            """
    )

    @Argument(help: ArgumentHelp("The experiment file (YAML).", valueName: "file"))
    var file: String

    @Option(help: "Number of replicates (overrides the file's `replicates`).")
    var replicates: Int?

    @Option(help: "Threads, shared among the evaluations in flight; a lone evaluation gets them all (overrides the file's `threads`; 0 = all cores). Results do not depend on it.")
    var threads: Int?

    @Option(help: ArgumentHelp("The run file to write (overrides the file's `output`).", valueName: "path"))
    var output: String?

    @Option(help: ArgumentHelp("A CSV in the seed's format to use as the dataset.", valueName: "file"))
    var data: String?

    @Option(name: .customLong("set"), help: ArgumentHelp("Override a field of the file, e.g. --set ga.tournaments=20 (repeatable).", valueName: "path=value"))
    var overrides: [String] = []

    @Option(name: .customLong("replicates-only"), help: ArgumentHelp(
        "Run only these replicates, with the seeds they have in a full run: an inclusive range A..B or one index A. Default output: the experiment's with .replicates-A-B (or .replicates-A) before .h5.",
        valueName: "A..B"))
    var replicatesOnly: String?

    @Option(help: ArgumentHelp(
        "Run only shard i of n (counted from 0): replicates ⌊i·R/n⌋ ..< ⌊(i+1)·R/n⌋ of R. env/n reads i from SLURM_ARRAY_TASK_ID. Default output: the experiment's with .shard-i-of-n before .h5. Combine shards with `autoparam merge`.",
        valueName: "i/n"))
    var shard: String?

    @Flag(help: "Continue the run in the existing output file.")
    var resume = false

    @Flag(help: "Overwrite an existing output file.")
    var force = false

    @Flag(help: "No progress output.")
    var quiet = false

    @Flag(name: .customLong("allow-large"), help: "Accept a job beyond the size limits (docs/limits.md): images, population, replicates, KCs, steps, memory.")
    var allowLarge = false

    func validate() throws {
        if resume && force { throw ValidationError("--resume and --force contradict each other: choose one") }
        if let replicates, replicates < 1 { throw ValidationError("--replicates must be at least 1, found \(replicates)") }
        if let threads, threads < 0 { throw ValidationError("--threads must be 0 (all cores) or more, found \(threads)") }
        if replicatesOnly != nil && shard != nil {
            throw ValidationError("--replicates-only and --shard both choose replicates: give one")
        }
    }

    func run() throws {
        var sets = overrides
        if let replicates { sets.append("replicates=\(replicates)") }
        if let threads { sets.append("threads=\(threads)") }
        if let output { sets.append("output=\(output)") }
        var experiment: Experiment
        do {
            experiment = try ExperimentLoader.load(path: file, overrides: sets, dataPath: data, allowLarge: allowLarge)
        } catch {
            throw BadInput("\(error)")
        }
        // A shard: its replicates, and its own default output file.
        var spec: ShardSpec?
        var selected: [Int]?
        do {
            if let replicatesOnly { spec = try ShardSpec.parseRange(replicatesOnly) }
            if let shard { spec = try ShardSpec.parseShard(shard) }
            selected = try spec?.replicates(of: experiment.replicates)
        } catch let error as ShardError {
            throw BadInput(error.description)
        }
        if let spec, output == nil { experiment.output = spec.output(for: experiment.output) }
        let stop = StopSignal()
        stop.installHandlers { _ in
            FileHandle.standardError.write(Data("\nstopping after the tournaments in progress (the file stays consistent)…\n".utf8))
        }
        let summary: RunSummary
        do {
            summary = try ExperimentRunner.run(experiment, options: RunOptions(resume: resume, force: force, quiet: quiet, replicates: selected),
                                             stop: stop)
        } catch let error as RunnerError {
            switch error {
            case .outputExists, .nothingToResume, .resumeMismatch, .dataset, .locked, .unreadableRunFile:
                throw BadInput(error.description)
            case .replicateFailed, .createFailed: throw error
            }
        }
        print("run file     \(summary.output)")
        for (r, rep) in zip(summary.replicateIndices, summary.replicates) {
            print(String(format: "replicate %-3d %@  tournaments %d  best fitness %.3f", r, rep.outcome.rawValue.padding(toLength: 11, withPad: " ", startingAt: 0),
                         rep.tournaments, rep.bestFitness))
        }
        print(String(format: "wall time    %.1f s", summary.wallSeconds))
        if summary.interrupted {
            var resumeCommand = "autoparam run \(file) --resume"
            for s in overrides { resumeCommand += " --set '\(s)'" }
            if let replicates { resumeCommand += " --replicates \(replicates)" }
            if let threads { resumeCommand += " --threads \(threads)" }
            if let output { resumeCommand += " --output \(output)" }
            if let data { resumeCommand += " --data \(data)" }
            if allowLarge { resumeCommand += " --allow-large" }
            if let spec { resumeCommand += " " + spec.commandLine.joined(separator: " ") }
            printError("interrupted: the run file holds every completed tournament. Continue with:\n  \(resumeCommand)")
            throw ExitCode(130)
        }
    }
}
