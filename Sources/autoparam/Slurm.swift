import ArgumentParser
import Cluster
import ExperimentFiles
import Foundation

/// `autoparam slurm`: write (and optionally submit) the Slurm jobs of a sharded run.
struct Slurm: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write an sbatch array job that runs an experiment's replicates in shards, and a merge job after it.",
        discussion: """
            Array task i runs `autoparam run FILE --shard env/N` (shard i of N, i from \
            SLURM_ARRAY_TASK_ID) into OUTPUT-DIR/parts/NAME.shard-i-of-N.h5; the merge job \
            (--dependency=afterok on the array) combines them into OUTPUT-DIR/NAME.h5. A task whose \
            part file exists resumes it, so re-submitting a killed task (sbatch --array=i \
            OUTPUT-DIR/array.sbatch) continues where it stopped. The scripts call this autoparam \
            binary by its absolute path. See docs/cluster.md. Example:
              autoparam slurm experiments/seed-original.yaml --replicates 20 --per-job 2 --time 12:00:00 --submit
            """
    )

    @Argument(help: ArgumentHelp("The experiment file (YAML).", valueName: "file"))
    var file: String

    @Option(help: "Number of replicates (overrides the file's `replicates`).")
    var replicates: Int?

    @Option(name: .customLong("per-job"), help: "At most this many replicates per array task.")
    var perJob = 1

    @Option(help: "Slurm partition (sbatch --partition).")
    var partition: String?

    @Option(help: ArgumentHelp("Time limit of each array task (sbatch --time), e.g. 12:00:00 or 1-00:00:00.", valueName: "HH:MM:SS"))
    var time: String?

    @Option(name: .customLong("cpus-per-task"), help: "CPUs of each array task (sbatch --cpus-per-task); also its --threads.")
    var cpusPerTask: Int?

    @Option(help: ArgumentHelp("Memory of each array task (sbatch --mem), e.g. 4G.", valueName: "M"))
    var mem: String?

    @Option(name: .customLong("output-dir"), help: ArgumentHelp(
        "Where the scripts, parts, logs and merged file go (default: the experiment's output without .h5, plus -slurm).",
        valueName: "dir"))
    var outputDir: String?

    @Option(help: ArgumentHelp("A CSV in the seed's format to use as the dataset.", valueName: "file"))
    var data: String?

    @Option(name: .customLong("set"), help: ArgumentHelp("Override a field of the file, e.g. --set ga.tournaments=20 (repeatable).", valueName: "path=value"))
    var overrides: [String] = []

    @Flag(help: "Submit both jobs with sbatch and print their ids.")
    var submit = false

    func validate() throws {
        if let replicates, replicates < 1 { throw ValidationError("--replicates must be at least 1, found \(replicates)") }
        if perJob < 1 { throw ValidationError("--per-job must be at least 1, found \(perJob)") }
        if let cpusPerTask, cpusPerTask < 1 { throw ValidationError("--cpus-per-task must be at least 1, found \(cpusPerTask)") }
        if let time, time.range(of: #"^([0-9]+-)?[0-9]+(:[0-9]+){0,2}$"#, options: .regularExpression) == nil {
            throw ValidationError("--time \(time): expected a Slurm time limit such as 30, 12:00:00 or 2-00:00:00")
        }
        if let mem, mem.range(of: #"^[0-9]+[KMGTkmgt]?$"#, options: .regularExpression) == nil {
            throw ValidationError("--mem \(mem): expected a Slurm memory size such as 4000, 500M or 4G")
        }
        if let partition, partition.isEmpty || partition.contains(where: { $0.isWhitespace }) {
            throw ValidationError("--partition '\(partition)': expected a partition name")
        }
    }

    func run() throws {
        let fm = FileManager.default
        let cwd = fm.currentDirectoryPath
        var sets = overrides
        if let replicates { sets.append("replicates=\(replicates)") }
        let experiment: Experiment
        do {
            experiment = try ExperimentLoader.load(path: file, overrides: sets, dataPath: data.map { absolute($0, cwd) })
        } catch {
            throw BadInput("\(error)")
        }
        var runArguments: [String] = []
        if let replicates { runArguments += ["--replicates", "\(replicates)"] }
        if let cpusPerTask { runArguments += ["--threads", "\(cpusPerTask)"] }
        if let data { runArguments += ["--data", absolute(data, cwd)] }
        for item in overrides { runArguments += ["--set", item] }

        let defaultDirectory = (experiment.output.hasSuffix(".h5") ? String(experiment.output.dropLast(3)) : experiment.output) + "-slurm"
        let job = SlurmJob(
            executable: Self.executablePath(), experimentFile: absolute(file, cwd), workingDirectory: cwd,
            experimentName: experiment.name, replicates: experiment.replicates, perJob: perJob,
            directory: absolute(outputDir ?? defaultDirectory, cwd), runArguments: runArguments,
            partition: partition, time: time, cpusPerTask: cpusPerTask, memory: mem)
        let generatedBy = (["autoparam"] + CommandLine.arguments.dropFirst()).map(shellQuote).joined(separator: " ")
        try job.write(generatedBy: generatedBy)

        let n = job.shards
        print("array script \(job.arrayScriptPath)   (\(n) task\(n == 1 ? "" : "s"): \(experiment.replicates) replicates, at most \(perJob) per task)")
        print("merge script \(job.mergeScriptPath)")
        print("parts        \(job.partsDirectory)/\(job.partPath(shard: 0).split(separator: "/").last!.replacingOccurrences(of: ".shard-0-", with: ".shard-i-"))")
        print("logs         \(job.logsDirectory)/")
        print("merged file  \(job.mergedOutput)")
        guard submit else {
            print("submit with:")
            print("  array=$(sbatch --parsable \(shellQuote(job.arrayScriptPath)))")
            print("  sbatch --dependency=afterok:${array%%;*} \(shellQuote(job.mergeScriptPath))")
            return
        }
        let arrayID = try Self.sbatch([job.arrayScriptPath])
        print("array job    \(arrayID)")
        let mergeID = try Self.sbatch(["--dependency=afterok:\(arrayID)", job.mergeScriptPath])
        print("merge job    \(mergeID)")
    }

    /// `path` made absolute against `cwd`.
    func absolute(_ path: String, _ cwd: String) -> String {
        let full = path.hasPrefix("/") ? path : cwd + "/" + path
        return (full as NSString).standardizingPath
    }

    /// This autoparam binary's absolute path: `CommandLine.arguments[0]`, made absolute against
    /// the working directory when it has a "/", else found on PATH.
    static func executablePath() -> String {
        let fm = FileManager.default
        let argument = CommandLine.arguments[0]
        if argument.contains("/") {
            let full = argument.hasPrefix("/") ? argument : fm.currentDirectoryPath + "/" + argument
            return (full as NSString).standardizingPath
        }
        for folder in (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":") {
            let candidate = String(folder) + "/" + argument
            if fm.isExecutableFile(atPath: candidate) {
                let full = candidate.hasPrefix("/") ? candidate : fm.currentDirectoryPath + "/" + candidate
                return (full as NSString).standardizingPath
            }
        }
        return Bundle.main.executablePath ?? argument
    }

    /// Runs `sbatch --parsable ARGS` and returns the job id it prints.
    static func sbatch(_ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["sbatch", "--parsable"] + arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        do {
            try process.run()
        } catch {
            throw SubmitFailure("cannot run sbatch: \(error)")
        }
        let stdout = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            let why = stderr.trimmingCharacters(in: .whitespacesAndNewlines)
            throw SubmitFailure("sbatch \(arguments.joined(separator: " ")) failed (exit \(process.terminationStatus))\(why.isEmpty ? "" : ": " + why)")
        }
        // --parsable prints "jobid" or "jobid;cluster".
        let id = stdout.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: ";").first.map(String.init) ?? ""
        guard !id.isEmpty, id.allSatisfy(\.isNumber) else {
            throw SubmitFailure("sbatch printed no job id: '\(stdout.trimmingCharacters(in: .whitespacesAndNewlines))'")
        }
        return id
    }
}

/// sbatch failed: exit 1 (the scripts were written; submit them by hand).
struct SubmitFailure: Error, CustomStringConvertible {
    let message: String
    init(_ message: String) { self.message = message }
    var description: String { message + " (the scripts are written: submit them with sbatch by hand)" }
}
