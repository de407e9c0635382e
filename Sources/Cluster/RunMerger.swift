import Foundation
import RunFile
import Runner

/// How `autoparam merge` treats its output and missing replicates.
public struct MergeOptions: Sendable, Hashable {
    /// Overwrite an existing output file.
    public var force: Bool
    /// Refuse to merge when a replicate is in no part.
    public var strict: Bool

    public init(force: Bool = false, strict: Bool = false) {
        self.force = force
        self.strict = strict
    }
}

/// What a merge did.
public struct MergeSummary: Sendable, Hashable {
    /// One replicate of the merged file.
    public struct Replicate: Sendable, Hashable {
        public var index: Int
        /// The part it was copied from; nil when no part has it (it stays `pending`, empty).
        public var part: String?
        /// Its status in the merged file (as in its part).
        public var status: ReplicateStatus
        public var evaluations: Int
        public var tournaments: Int
    }

    public var output: String
    public var parts: [String]
    /// Every replicate of the run, in order.
    public var replicates: [Replicate]
    /// Replicates no part has.
    public var missing: [Int] { replicates.filter { $0.part == nil }.map(\.index) }
    /// Replicates copied from a part that did not finish them (running, interrupted, failed).
    public var incomplete: [Replicate] { replicates.filter { $0.part != nil && $0.status != .complete } }
}

/// Why `autoparam merge` refused; nothing was written.
public enum MergeError: Error, CustomStringConvertible, Equatable, Sendable {
    case outputExists(String)
    case outputIsPart(String)
    case unreadable(String, String)
    /// A part (first) is not from the same experiment as the first part (second): what differs.
    case differentExperiment(String, String, String)
    /// A replicate has rows (or a status other than pending) in two parts.
    case overlap(Int, String, String)
    /// `--strict` and these replicates are in no part.
    case missing([Int], of: Int)
    /// Another writer holds the output (see `RunFileLock`).
    case locked(String)

    public var description: String {
        switch self {
        case .outputExists(let path):
            return "output \(path) exists: add --force to overwrite it"
        case .outputIsPart(let path):
            return "output \(path) is also one of the parts: merge into another file"
        case .unreadable(let path, let why):
            return "\(path) cannot be merged: \(why)"
        case .differentExperiment(let part, let first, let what):
            return "\(part) is not from the same experiment as \(first): \(what)"
        case .overlap(let r, let a, let b):
            return "replicate \(r) is in both \(a) and \(b): each replicate must come from one part"
        case .locked(let why):
            return why
        case .missing(let replicates, let total):
            return "--strict: replicate\(replicates.count == 1 ? "" : "s") \(RunMerger.list(replicates)) of 0…\(total - 1) \(replicates.count == 1 ? "is" : "are") in no part"
        }
    }
}

/// Combines the run files of shards (`autoparam run --shard`) into one run file whose datasets
/// equal those of a single-machine run of the same experiment (provenance, host and timings aside).
///
/// The merged file is created with the first part's provenance, layout and image set; then each
/// replicate is copied from the part in which it is not pending: its committed evaluations (with
/// spikes and weights), tournaments, both checkpoint slots, status and wall time, re-appended
/// through `RunRecorder`. Parts are opened read-only and never modified. The output is written
/// to a temporary file beside it and renamed into place at the end, so a failed merge leaves no
/// output and `--force` replaces the old output only once the new one is complete.
///
/// A part left by a killed job merges like any other: its committed rows are copied and the
/// replicate keeps its status (`interrupted`, `running`; one the writer never marked, still
/// `pending` but with rows, becomes `running`: the writer died while it was), so
/// `autoparam run --resume` on the merged file finishes it.
public enum RunMerger {
    @discardableResult
    public static func merge(parts: [String], output: String, options: MergeOptions = .init()) throws -> MergeSummary {
        guard !parts.isEmpty else { throw MergeError.unreadable("(no parts)", "give at least one part") }
        let fm = FileManager.default
        // One writer per run file: the output's lock, before anything is written.
        let directory = (output as NSString).deletingLastPathComponent
        if !directory.isEmpty { try fm.createDirectory(atPath: directory, withIntermediateDirectories: true) }
        let lock: RunFileLock
        do {
            lock = try RunFileLock.acquire(for: output, purpose: "autoparam merge")
        } catch {
            throw MergeError.locked("\(error)")
        }
        defer { lock.release() }
        if fm.fileExists(atPath: output) {
            let target = canonical(output)
            if parts.contains(where: { canonical($0) == target }) { throw MergeError.outputIsPart(output) }
            if !options.force { throw MergeError.outputExists(output) }
        }

        // Open every part read-only and check that they belong together.
        var readers: [RunReader] = []
        defer { for reader in readers { try? reader.close() } }
        for path in parts {
            guard fm.fileExists(atPath: path) else { throw MergeError.unreadable(path, "no such file: check the path") }
            do {
                readers.append(try RunReader(path: path))
            } catch {
                let (what, todo) = RunFileProblem.explain(error, path: path)
                throw MergeError.unreadable(path, "\(what): \(todo)")
            }
        }
        let first = readers[0]
        let dataset = try first.dataset()
        for reader in readers.dropFirst() {
            if let what = try difference(reader, first, firstDataset: dataset) {
                throw MergeError.differentExperiment(reader.path, first.path, what)
            }
        }

        // Which part holds each replicate.
        let count = first.layout.replicateCount
        var source = [Int?](repeating: nil, count: count)
        var states = [RunReplicateState?](repeating: nil, count: count)
        for (p, reader) in readers.enumerated() {
            for r in 0..<count {
                let state = try reader.state(replicate: r)
                guard state.status != .pending || state.committedEvaluations > 0 || state.committedTournaments > 0 else { continue }
                if let other = source[r] { throw MergeError.overlap(r, readers[other].path, reader.path) }
                source[r] = p
                states[r] = state
            }
        }
        let missing = (0..<count).filter { source[$0] == nil }
        if options.strict && !missing.isEmpty { throw MergeError.missing(missing, of: count) }

        // Write the merged file beside the output, then move it into place.
        let temporary = (directory.isEmpty ? "" : directory + "/")
            + ".\((output as NSString).lastPathComponent).merging-\(ProcessInfo.processInfo.processIdentifier)"
        var summaries: [MergeSummary.Replicate] = []
        do {
            let seeds = try (0..<count).map { try first.state(replicate: $0).seed }
            let recorder = try RunRecorder.create(path: temporary, provenance: first.provenance, dataset: dataset,
                                                  layout: first.layout, replicateSeeds: seeds, overwrite: true)
            for r in 0..<count {
                guard let p = source[r], let state = states[r] else {
                    summaries.append(.init(index: r, part: nil, status: .pending, evaluations: 0, tournaments: 0))
                    continue
                }
                let status: ReplicateStatus
                do {
                    status = try copy(replicate: r, state: state, from: readers[p], to: recorder)
                } catch let error where RunFileProblem.isDamage(error) {
                    let (what, todo) = RunFileProblem.explain(error, path: readers[p].path)
                    throw MergeError.unreadable(readers[p].path, "replicate \(r): \(what): \(todo)")
                } catch let error as RunFileError {
                    throw MergeError.unreadable(readers[p].path, "replicate \(r): \(error.message): the part is damaged or was not written by autoparam run")
                }
                summaries.append(.init(index: r, part: readers[p].path, status: status,
                                       evaluations: state.committedEvaluations, tournaments: state.committedTournaments))
            }
            try recorder.finish()
            if rename(temporary, output) != 0 {
                throw RunFileError("cannot move the merged file into place at \(output): \(String(cString: strerror(errno)))")
            }
        } catch {
            try? fm.removeItem(atPath: temporary)
            throw error
        }
        return MergeSummary(output: output, parts: parts, replicates: summaries)
    }

    /// Copies one replicate's committed rows, checkpoint slots, status and wall time; returns
    /// the status it gets in the merged file.
    static func copy(replicate r: Int, state: RunReplicateState, from reader: RunReader, to recorder: RunRecorder) throws -> ReplicateStatus {
        for row in 0..<state.committedEvaluations {
            try recorder.appendEvaluation(replicate: r, try reader.evaluation(replicate: r, row: row))
            if row % 256 == 255 { try recorder.commit() }
        }
        for tournament in try reader.tournaments(replicate: r) {
            try recorder.appendTournament(replicate: r, tournament)
        }
        try recorder.commit()
        for checkpoint in try CheckpointHistory.read(path: reader.path, replicate: r) {
            try recorder.checkpoint(replicate: r, checkpoint)
            try recorder.commit()
        }
        let status: ReplicateStatus = state.status == .pending ? .running : state.status
        try recorder.setReplicateStatus(replicate: r, status: status, wallSeconds: state.wallSeconds)
        return status
    }

    /// What makes `part` a different experiment from `first`, or nil when they match.
    static func difference(_ part: RunReader, _ first: RunReader, firstDataset: RunDatasetRecord) throws -> String? {
        let a = part.provenance, b = first.provenance
        if a.formatName != b.formatName || a.formatVersion != b.formatVersion {
            return "format \(a.formatName) version \(a.formatVersion), not \(b.formatName) version \(b.formatVersion)"
        }
        if a.masterSeed != b.masterSeed { return "master seed \(a.masterSeed), not \(b.masterSeed)" }
        if a.experimentText != b.experimentText { return "the experiment file's text differs" }
        if ExperimentRunner.comparableExperiment(a.resolvedExperiment) != ExperimentRunner.comparableExperiment(b.resolvedExperiment) {
            return "the resolved experiment differs (different --set overrides)"
        }
        if part.layout.replicateCount != first.layout.replicateCount {
            return "\(part.layout.replicateCount) replicates, not \(first.layout.replicateCount)"
        }
        if part.layout != first.layout {
            return "the run's layout differs (genes, fitness components, recorded populations, weights, dt or steps per evaluation)"
        }
        if try part.dataset() != firstDataset { return "the image set differs" }
        return nil
    }

    /// "2, 3, 5".
    static func list(_ replicates: [Int]) -> String { replicates.map(String.init).joined(separator: ", ") }

    static func canonical(_ path: String) -> String {
        URL(fileURLWithPath: path).resolvingSymlinksInPath().standardizedFileURL.path
    }
}
