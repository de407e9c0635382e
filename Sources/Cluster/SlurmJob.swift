import Foundation

/// The Slurm jobs of a sharded run (`autoparam slurm`, docs/cluster.md): an array job with one
/// task per shard, each running `autoparam run --shard env/N` into its own part file, and a merge
/// job that depends on the array (`--dependency=afterok:<array job id>`).
///
/// Every path in the scripts is absolute, fixed when they are generated: the autoparam binary,
/// the experiment file, the working directory (`--chdir`), the parts, the logs and the merged file.
///
/// Files under ``directory``:
/// - `array.sbatch`, `merge.sbatch`: the scripts;
/// - `parts/<name>.shard-i-of-N.h5`: shard i's run file;
/// - `logs/shard-<i>-<array job id>.out`, `logs/merge-<job id>.out`: their output;
/// - `<name>.h5`: the merged run file (``mergedOutput``).
public struct SlurmJob: Sendable, Hashable {
    /// The autoparam executable (absolute).
    public var executable: String
    /// The experiment file (absolute).
    public var experimentFile: String
    /// The directory the jobs run in (absolute): relative paths in the experiment mean what
    /// they meant when the scripts were generated.
    public var workingDirectory: String
    /// The experiment's name (job names, file names).
    public var experimentName: String
    /// Replicates of the run.
    public var replicates: Int
    /// At most this many replicates per array task.
    public var perJob: Int
    /// Where scripts, parts, logs and the merged file go (absolute).
    public var directory: String
    /// Extra arguments of every `autoparam run`: `--replicates`, `--threads`, `--data`, `--set`.
    public var runArguments: [String]
    public var partition: String?
    /// Time limit of each task, as sbatch takes it (HH:MM:SS, D-HH:MM:SS, minutes…).
    public var time: String?
    public var cpusPerTask: Int?
    /// Memory per node, as sbatch's `--mem` takes it (4G, 500M…).
    public var memory: String?

    public init(executable: String, experimentFile: String, workingDirectory: String, experimentName: String,
                replicates: Int, perJob: Int, directory: String, runArguments: [String] = [],
                partition: String? = nil, time: String? = nil, cpusPerTask: Int? = nil, memory: String? = nil) {
        self.executable = executable
        self.experimentFile = experimentFile
        self.workingDirectory = workingDirectory
        self.experimentName = experimentName
        self.replicates = replicates
        self.perJob = perJob
        self.directory = directory
        self.runArguments = runArguments
        self.partition = partition
        self.time = time
        self.cpusPerTask = cpusPerTask
        self.memory = memory
    }

    /// Array tasks (= shards): ⌈replicates / perJob⌉. Task i runs shard i of them, replicates
    /// ⌊i·R/N⌋ ..< ⌊(i+1)·R/N⌋: at most `perJob` each.
    public var shards: Int { (replicates + perJob - 1) / perJob }

    public var arrayScriptPath: String { directory + "/array.sbatch" }
    public var mergeScriptPath: String { directory + "/merge.sbatch" }
    public var partsDirectory: String { directory + "/parts" }
    public var logsDirectory: String { directory + "/logs" }
    /// The merged run file.
    public var mergedOutput: String { directory + "/" + fileName + ".h5" }

    /// Shard i's run file.
    public func partPath(shard i: Int) -> String {
        partsDirectory + "/" + fileName + ShardSpec.shard(index: i, count: shards).outputSuffix + ".h5"
    }

    /// The experiment name made safe for a file name.
    var fileName: String {
        let safe = experimentName.map { c -> Character in
            c.isLetter || c.isNumber || c == "-" || c == "_" || c == "." ? c : "_"
        }
        let name = String(safe)
        return name.isEmpty || name.hasPrefix(".") ? "run" + name : name
    }

    var jobName: String { "autoparam-" + fileName }

    private func header(jobName: String, log: String, array: String?, cpus: Int?) -> [String] {
        var lines = ["#SBATCH --job-name=\(jobName)"]
        if let array { lines.append("#SBATCH --array=\(array)") }
        lines.append("#SBATCH --output=\(log)")
        lines.append("#SBATCH --chdir=\(workingDirectory)")
        if let partition { lines.append("#SBATCH --partition=\(partition)") }
        if let time { lines.append("#SBATCH --time=\(time)") }
        if let cpus { lines.append("#SBATCH --cpus-per-task=\(cpus)") }
        if let memory { lines.append("#SBATCH --mem=\(memory)") }
        return lines
    }

    /// The array job: task i runs shard i into its part file, resuming the file when it exists.
    /// `generatedBy` is the command line that made it (a comment).
    public func arrayScript(generatedBy: String = "") -> String {
        let n = shards
        let run = ([shellQuote(executable), "run", shellQuote(experimentFile), "--shard", "env/\(n)",
                    "--output", "\"$part\"", "--quiet", "${resume:+--resume}"]
                   + runArguments.map(shellQuote)).joined(separator: " ")
        var lines = [
            "#!/bin/bash",
            "# autoparam: array job of experiment \(experimentName): \(replicates) replicate\(replicates == 1 ? "" : "s") in \(n) shard\(n == 1 ? "" : "s") of at most \(perJob).",
        ]
        if !generatedBy.isEmpty { lines.append("# Generated by: \(generatedBy)") }
        lines += [
            "#",
            "# Array task i runs shard i of \(n) (autoparam run --shard env/\(n) reads i from SLURM_ARRAY_TASK_ID):",
            "# replicates floor(i*\(replicates)/\(n)) ..< floor((i+1)*\(replicates)/\(n)), into",
            "# \(partsDirectory)/\(fileName).shard-i-of-\(n).h5.",
            "# A task whose part file exists resumes it (--resume): re-submit a killed or timed-out task with",
            "#   sbatch --array=i \(arrayScriptPath)",
            "# and it continues from its last completed tournament.",
        ]
        lines += header(jobName: jobName, log: "\(logsDirectory)/shard-%a-%A.out", array: "0-\(n - 1)", cpus: cpusPerTask)
        lines += [
            "set -euo pipefail",
            ": \"${SLURM_ARRAY_TASK_ID:?submit this script with sbatch: it is an array job}\"",
            "part=\(shellQuote(partsDirectory + "/" + fileName + ".shard-"))\"${SLURM_ARRAY_TASK_ID}\"\(shellQuote("-of-\(n).h5"))",
            "resume=",
            "if [ -e \"$part\" ]; then resume=1; echo \"resuming $part\"; fi",
            "exec \(run)",
            "",
        ]
        return lines.joined(separator: "\n")
    }

    /// The merge job: combines every part into ``mergedOutput`` (`--force --strict`).
    public func mergeScript(generatedBy: String = "") -> String {
        let parts = (0..<shards).map { shellQuote(partPath(shard: $0)) }
        var lines = [
            "#!/bin/bash",
            "# autoparam: merge job of experiment \(experimentName): combines the \(shards) part file\(shards == 1 ? "" : "s") of the array job into",
            "# \(mergedOutput). Submitted with --dependency=afterok:<array job id>, it runs once every",
            "# array task has succeeded. Run it again (sbatch or bash) after re-submitting a failed task.",
        ]
        if !generatedBy.isEmpty { lines.append("# Generated by: \(generatedBy)") }
        lines += header(jobName: jobName + "-merge", log: "\(logsDirectory)/merge-%j.out", array: nil, cpus: 1)
        lines += [
            "set -euo pipefail",
            "exec \(shellQuote(executable)) merge \\",
        ]
        lines += parts.map { "    \($0) \\" }
        lines += ["    --output \(shellQuote(mergedOutput)) --force --strict", ""]
        return lines.joined(separator: "\n")
    }

    /// Writes both scripts (executable) and creates the parts and logs directories.
    public func write(generatedBy: String = "") throws {
        let fm = FileManager.default
        for folder in [directory, partsDirectory, logsDirectory] {
            try fm.createDirectory(atPath: folder, withIntermediateDirectories: true)
        }
        for (path, text) in [(arrayScriptPath, arrayScript(generatedBy: generatedBy)),
                             (mergeScriptPath, mergeScript(generatedBy: generatedBy))] {
            try replacingWrite(text, toFile: path, permissions: 0o755)
        }
    }
}

/// `text` as one word for bash: unchanged when it is only safe characters, else single-quoted.
public func shellQuote(_ text: String) -> String {
    let safe = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./=:,+@%")
    if !text.isEmpty && text.allSatisfy({ safe.contains($0) }) { return text }
    return "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
}
