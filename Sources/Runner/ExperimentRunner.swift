import Datasets
import Evolution
import Foundation
import ExperimentFiles
import MushroomBodyModel
import RunFile

/// How `autoparam run` treats the output file and the terminal.
public struct RunOptions: Sendable {
    /// Continue the run in an existing output file.
    public var resume = false
    /// Overwrite an existing output file.
    public var force = false
    /// No progress output.
    public var quiet = false
    /// Run only these replicates (a shard), each with exactly the seeds it has in a full run;
    /// nil runs them all. The run file still has a group for every replicate; the others
    /// stay `pending` with no rows, for `autoparam merge` to combine shards.
    public var replicates: [Int]?

    public init(resume: Bool = false, force: Bool = false, quiet: Bool = false, replicates: [Int]? = nil) {
        self.resume = resume; self.force = force; self.quiet = quiet; self.replicates = replicates
    }
}

/// What a run did.
public struct RunSummary: Sendable {
    public struct Replicate: Sendable {
        public var outcome: ReplicateOutcome
        public var tournaments: Int
        public var bestFitness: Double
        public var wallSeconds: Double
    }
    public var output: String
    /// The replicates this run ran (all, or a shard's), in order.
    public var replicateIndices: [Int]
    public var replicates: [Replicate]
    public var wallSeconds: Double
    public var interrupted: Bool { replicates.contains { $0.outcome != .complete } }
}

/// Errors that stop a run before it starts, or while it runs.
public enum RunnerError: Error, CustomStringConvertible, Equatable {
    case outputExists(String)
    case nothingToResume(String)
    case resumeMismatch(String)
    case dataset(String)
    case replicateFailed(Int, String)
    /// Another writer holds the run file (or its lock cannot be taken): exit 2.
    case locked(String)
    /// The file to resume cannot be read as a run file, or is damaged: exit 2.
    case unreadableRunFile(String)
    /// Creating the run file failed while writing it (a full disk): exit 1.
    case createFailed(String, String)

    public var description: String {
        switch self {
        case .outputExists(let p):
            return "output \(p) exists: add --force to overwrite it, or --resume to continue the run in it"
        case .nothingToResume(let p):
            if FileManager.default.fileExists(atPath: p + ".partial") {
                return "--resume: no run file at \(p), only \(p).partial, left by a run stopped while it was creating the file (before its first commit, so nothing is lost): start the run again without --resume"
            }
            return "--resume: no run file at \(p): start the run without --resume"
        case .locked(let why): return why
        case .createFailed(let p, let why):
            return "cannot create the run file \(p): \(why); nothing was written at \(p): free space (or fix the cause) and run again"
        case .unreadableRunFile(let why): return why
        case .resumeMismatch(let why): return "--resume: the run file is from a different experiment: \(why)"
        case .dataset(let why): return "dataset: \(why)"
        case .replicateFailed(let r, let why):
            return "replicate \(r) failed: \(why)\nthe run file keeps every tournament committed before the failure: fix the cause and continue with --resume"
        }
    }
}

/// Runs an experiment's seeded replicates and records everything in its run file.
public enum ExperimentRunner {
    /// The training and test images of an experiment: the data set's images of
    /// `dataset.classes`, the first `imageCount` of them, `testCount` of them held out by
    /// `dataset.split` when the rubric has a test phase (``Experiment/splitImages(_:)``).
    public static func images(for experiment: Experiment) throws -> (all: LabelledImages, training: PresentedImages, test: PresentedImages?) {
        do {
            let images = try experiment.loadImages()
            let (training, test) = try experiment.splitImages(images)
            return (images, PresentedImages(training), test.map(PresentedImages.init))
        } catch { throw RunnerError.dataset("\(error)") }
    }

    /// Threads to use: the experiment's, or every core when it says 0.
    public static func threadCount(_ experiment: Experiment) -> Int {
        experiment.threads > 0 ? experiment.threads : ProcessInfo.processInfo.activeProcessorCount
    }

    /// Run (or resume) `experiment`. Replicates run concurrently, each on its own thread,
    /// sharing ``threadCount(_:)`` evaluation slots; results do not depend on the thread count.
    public static func run(_ experiment: Experiment, options: RunOptions = .init(), stop: StopSignal = StopSignal()) throws -> RunSummary {
        let started = Date()
        let selected = options.replicates ?? Array(0..<experiment.replicates)
        if let bad = selected.first(where: { !(0..<experiment.replicates).contains($0) }) {
            throw RunnerError.dataset("replicate \(bad) does not exist: the experiment has replicates 0…\(experiment.replicates - 1)")
        }
        let (all, training, test) = try images(for: experiment)
        let threads = threadCount(experiment)
        let path = experiment.output
        let fm = FileManager.default
        // One writer per run file: take the lock before anything is created or opened for writing.
        let directory = (path as NSString).deletingLastPathComponent
        if !directory.isEmpty && !options.resume {
            do { try fm.createDirectory(atPath: directory, withIntermediateDirectories: true) } catch {
                throw RunnerError.dataset("cannot create the folder \(directory) of the run file: \(error.localizedDescription)")
            }
        }
        let lock: RunFileLock
        do {
            lock = try RunFileLock.acquire(for: path, purpose: options.resume ? "autoparam run --resume" : "autoparam run") { warning in
                FileHandle.standardError.write(Data((warning + "\n").utf8))
            }
        } catch let error as RunFileLockError {
            if options.resume, case .cannot = error, !fm.fileExists(atPath: path) { throw RunnerError.nothingToResume(path) }
            throw RunnerError.locked(error.description)
        }
        defer { lock.release() }
        var resumePoints = [ReplicateResumePoint?](repeating: nil, count: experiment.replicates)
        var alreadyComplete = [Bool](repeating: false, count: experiment.replicates)
        let recorder: RunRecorder
        if options.resume {
            guard fm.fileExists(atPath: path) else { throw RunnerError.nothingToResume(path) }
            // Read-only until we know there is work to do: a refused or no-op resume leaves
            // the file's bytes untouched.
            let reader: RunReader
            do { reader = try RunReader(path: path) } catch {
                if let gap = RunRecorder.shortFileGap(path: path) {
                    throw RunnerError.unreadableRunFile(
                        "\(path) cannot be resumed: it ends \(gap) bytes before the space its writer had allocated: "
                        + "if the run stopped because the disk was full (or a write failed), only rows after its last commit are missing: "
                        + "free some space, run `h5clear --increment=0 \(path)` (from hdf5-tools; it lengthens the file) and resume again; "
                        + "if the file was copied, copy it again")
                }
                throw RunnerError.unreadableRunFile(RunFileProblem.describe(error, path: path, action: "resumed"))
            }
            try checkResumable(reader, experiment)
            do {
                for r in selected {
                    alreadyComplete[r] = try reader.state(replicate: r).status == .complete
                    resumePoints[r] = try resumePoint(reader, replicate: r)
                }
            } catch {
                throw RunnerError.unreadableRunFile(RunFileProblem.describe(error, path: path, action: "resumed"))
            }
            try reader.close()
            if selected.allSatisfy({ alreadyComplete[$0] }) {
                return try summary(path: path, selected: selected, started: started,
                                   outcomes: selected.map { _ in (.complete, 0) })
            }
            do { recorder = try RunRecorder.open(path: path) } catch {
                throw RunnerError.unreadableRunFile(RunFileProblem.describe(error, path: path, action: "resumed"))
            }
        } else {
            if fm.fileExists(atPath: path) && !options.force { throw RunnerError.outputExists(path) }
            do {
                recorder = try RunRecorder.create(
                    path: path, provenance: provenance(experiment, threads: threads),
                    dataset: RunDatasetRecord(images: all.pixels, labels: all.labels.map(Int32.init), imageCount: all.count,
                                              classNames: all.classNames),
                    layout: layout(experiment, training: training, test: test),
                    replicateSeeds: (0..<experiment.replicates).map { RunSeeds(master: experiment.seed).replicate($0).seed },
                    overwrite: options.force)
            } catch {
                // The half-made <path>.partial is of no use to anyone: do not leave it taking space.
                try? fm.removeItem(atPath: path + ".partial")
                throw RunnerError.createFailed(path, RunFileProblem.runtimeDescription(error))
            }
        }
        let writer = RunFileWriter(recorder)
        let pool = EvaluationPool(threads: threads)
        let progress = RunProgress(replicates: experiment.replicates, tournamentsPerReplicate: experiment.ga.tournaments,
                                   alreadyDone: resumePoints.map { $0?.nextTournament ?? 0 }, selected: selected,
                                   quiet: options.quiet)
        let outcomes = ResultBox<Result<RunSummary.Replicate, Error>>(count: experiment.replicates)
        let group = DispatchGroup()
        for r in selected {
            if alreadyComplete[r] {
                let point = resumePoints[r]
                outcomes.set(r, .success(.init(outcome: .complete, tournaments: point?.nextTournament ?? 0,
                                                bestFitness: point?.fitness.max() ?? .nan, wallSeconds: 0)))
                continue
            }
            let runner = ReplicateRunner(experiment: experiment, training: training, test: test, replicate: r,
                                         seeds: RunSeeds(master: experiment.seed), pool: pool, writer: writer, stop: stop,
                                         progress: progress)
            let point = resumePoints[r]
            group.enter()
            pool.clientStarted()
            let thread = Thread {
                defer { pool.clientFinished() }
                let clock = Date()
                let result: Result<RunSummary.Replicate, Error>
                do {
                    let outcome = try runner.run(resumingFrom: point)
                    let wall = Date().timeIntervalSince(clock)
                    try writer.setStatus(replicate: r, outcome == .complete ? .complete : .interrupted, wallSeconds: wall)
                    result = .success(.init(outcome: outcome, tournaments: 0, bestFitness: .nan, wallSeconds: wall))
                } catch {
                    try? writer.setStatus(replicate: r, .failed, wallSeconds: Date().timeIntervalSince(clock))
                    result = .failure(error)
                }
                outcomes.set(r, result)
                group.leave()
            }
            thread.stackSize = 8 << 20
            thread.start()
        }
        group.notify(queue: .global()) { writer.stopServing() }
        writer.serve()  // every HDF5 call happens here, on this thread, until all replicates are done
        progress.finish()
        try writer.finish()
        let results = outcomes.values(at: selected)
        var finished: [(ReplicateOutcome, Double)] = []
        for (r, result) in zip(selected, results) {
            switch result {
            case .success(let s): finished.append((s.outcome, s.wallSeconds))
            case .failure(let error): throw RunnerError.replicateFailed(r, RunFileProblem.runtimeDescription(error))
            }
        }
        return try summary(path: path, selected: selected, started: started, outcomes: finished)
    }

    /// The summary of a run, with the tournament counts and best fitness read from the file.
    static func summary(path: String, selected: [Int], started: Date, outcomes: [(ReplicateOutcome, Double)]) throws -> RunSummary {
        let reader = try RunReader(path: path)
        var replicates: [RunSummary.Replicate] = []
        for (r, (outcome, wall)) in zip(selected, outcomes) {
            replicates.append(.init(outcome: outcome, tournaments: try reader.committedTournaments(replicate: r),
                                    bestFitness: try reader.evaluations(replicate: r).fitness.max() ?? .nan,
                                    wallSeconds: wall))
        }
        try reader.close()
        return RunSummary(output: path, replicateIndices: selected, replicates: replicates, wallSeconds: Date().timeIntervalSince(started))
    }

    static func provenance(_ e: Experiment, threads: Int) -> RunProvenance {
        let formatter = ISO8601DateFormatter()
        return RunProvenance(toolVersion: AutoparamVersion.current, createdISO8601: formatter.string(from: Date()),
                             experimentName: e.name, masterSeed: e.seed, experimentText: e.sourceText,
                             resolvedExperiment: comparableExperiment(e.resolvedYAML()),
                             host: ProcessInfo.processInfo.hostName, threads: threads)
    }

    static func layout(_ e: Experiment, training: PresentedImages, test: PresentedImages?) -> RunLayout {
        let genes = e.genes.genes.map { g in
            GeneDescription(name: g.name, prior: g.prior.description, lower: g.range.lowerBound, upper: g.range.upperBound)
        }
        // Images shown per evaluation: the training images once per epoch, then the test images.
        let shown = (training.count * e.protocolSettings.epochs) + (test?.count ?? 0)
        let steps = e.stepsPerEvaluation(images: shown)
        return RunLayout(replicateCount: e.replicates, genes: genes, componentNames: e.rubric.componentNames,
                         populationNames: e.record.allEvaluations ? e.record.populations : [],
                         recordsWeights: e.record.finalWeights, dtMilliseconds: e.dtMs, stepsPerEvaluation: steps,
                         populationSize: e.ga.populationSize,
                         protocolDescription: protocolDescription(e, training: training, test: test),
                         seedCount: e.seedSettings.seeds, seedAggregate: e.seedSettings.aggregate.rawValue)
    }

    /// The timing and population sizes the run file records as root attributes (the
    /// evaluator's network: the seed's one PN per pixel, `kc_count` KCs, 4 DNs and 1 GGN, or
    /// GeNN's MNIST network's PNs, KCs, 1 GGN and one MBON per class).
    static func protocolDescription(_ e: Experiment, training: PresentedImages, test: PresentedImages?) -> RunProtocolDescription {
        let genes = Set(e.genes.genes.map(\.name))
        switch e.network {
        case .seed:
            return RunProtocolDescription(
                stimulusMilliseconds: Double(e.model.stimulusSteps) * e.model.dtMs,
                blankMilliseconds: Double(e.model.blankSteps) * e.model.dtMs,
                trainingImages: training.count, testImages: test?.count ?? 0, epochs: e.protocolSettings.epochs,
                networkPopulations: MushroomBody.populationNames,
                networkPopulationSizes: [training.pixelsPerImage, e.model.kcCount, 4, 1],
                variesWithGenes: ["kc_count", "stimulus_ms", "blank_ms", "dt"].filter(genes.contains))
        case .gennMNIST:
            let p = e.gennMNISTModel
            let classes = GeNNMNISTProtocol.classCount(listed: e.classes, labels: training.labels + (test?.labels ?? []))
            return RunProtocolDescription(
                stimulusMilliseconds: Double(p.presentSteps) * p.dtMs,
                blankMilliseconds: 0,
                trainingImages: training.count, testImages: test?.count ?? 0, epochs: e.protocolSettings.epochs,
                networkPopulations: GeNNMNISTNetwork.populationNames,
                networkPopulationSizes: [training.pixelsPerImage, p.kcCount, 1, classes],
                variesWithGenes: ["kc_count", "present_ms", "dt"].filter(genes.contains))
        }
    }

    static func checkResumable(_ reader: RunReader, _ e: Experiment) throws {
        let p = reader.provenance
        if p.masterSeed != e.seed { throw RunnerError.resumeMismatch("master seed \(p.masterSeed) in the file, \(e.seed) now") }
        if p.experimentText != e.sourceText { throw RunnerError.resumeMismatch("the experiment file's text has changed") }
        if !p.resolvedExperiment.isEmpty,
           comparableExperiment(p.resolvedExperiment) != comparableExperiment(e.resolvedYAML()) {
            throw RunnerError.resumeMismatch("the resolved experiment differs (give the same --set, --replicates and --data as the original run)")
        }
        if reader.layout.replicateCount != e.replicates {
            throw RunnerError.resumeMismatch("\(reader.layout.replicateCount) replicates in the file, \(e.replicates) now")
        }
    }

    /// A resolved experiment without what may change between a run and its resumption or its
    /// shards and does not change a result: comments, `threads` and `output`. This is the form
    /// recorded in run files, so that shards, resumed runs and runs on other thread counts
    /// carry the same text.
    public static func comparableExperiment(_ resolved: String) -> String {
        resolved.split(separator: "\n", omittingEmptySubsequences: false)
            .filter { !$0.hasPrefix("#") && !$0.hasPrefix("threads:") && !$0.hasPrefix("output:") }
            .joined(separator: "\n")
    }

    static func resumePoint(_ reader: RunReader, replicate r: Int) throws -> ReplicateResumePoint? {
        guard let c = try reader.checkpoint(replicate: r) else { return nil }
        let trace = try reader.tournaments(replicate: r).map(\.bestFitness)
        return ReplicateResumePoint(population: c.populationGenotypes.map(Genotype.init), fitness: c.populationFitness,
                                    evaluationRows: c.populationEvaluationRows.map(Int.init), rngState: c.rngState,
                                    nextTournament: Int(c.nextTournament), fitnessTrace: Array(trace.prefix(Int(c.nextTournament))))
    }
}
