import Foundation
import XCTest

/// `autoparam run --shard/--replicates-only`, `autoparam merge` and `autoparam slurm` as a user
/// runs them: files, exit codes, messages; the generated Slurm scripts run by bash (as array
/// tasks would be, without Slurm); a shard killed with SIGKILL merged and resumed.
///
/// Dataset-level equality is checked with Tests/slurm/compare_runs.py when python3 has h5py
/// (the AutoparamTests Cluster tests check it in Swift).
final class MergeCommandTests: CLITestCase {
    /// The tiny experiment: quickstart, 2 replicates of population 4, 2 tournaments, 8 images.
    static let sets = ["--set", "ga.population=4", "--set", "ga.tournaments=2", "--set", "dataset.count=8", "--set", "replicates=2", "--quiet"]

    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// Runs `executable arguments` in `directory` and waits.
    @discardableResult
    static func execute(_ executable: URL, _ arguments: [String], in directory: String, environment: [String: String] = [:]) throws -> Result {
        let r = try run(executable, arguments, in: URL(fileURLWithPath: directory), environment: environment)
        return Result(status: r.status, stdout: r.stdout, stderr: r.stderr)
    }

    static func autoparam(_ arguments: [String], in directory: String, environment: [String: String] = [:]) throws -> Result {
        guard let binary else { throw XCTSkip("no autoparam binary: build it, or set AUTOPARAM_BIN") }
        return try execute(binary, arguments, in: directory, environment: environment)
    }

    /// Whether python3 with h5py is here, for Tests/slurm/compare_runs.py.
    static let hasH5py: Bool = {
        (try? execute(URL(fileURLWithPath: "/usr/bin/env"), ["python3", "-c", "import h5py, numpy"], in: "/"))?.status == 0
    }()

    /// Asserts that two run files hold the same datasets (timings and provenance aside).
    static func assertSameRun(_ expected: String, _ actual: String, in directory: String, file: StaticString = #filePath, line: UInt = #line) throws {
        guard hasH5py else { return }
        let script = packageRoot.appendingPathComponent("Tests/slurm/compare_runs.py").path
        let r = try execute(URL(fileURLWithPath: "/usr/bin/env"), ["python3", script, expected, actual], in: directory)
        XCTAssertEqual(r.status, 0, r.stdout + r.stderr, file: file, line: line)
    }

    // MARK: - Shared runs (made once)

    /// A work folder with exp.yaml (quickstart) and the runs every test uses: the full run, shard
    /// 0/2, shard env/2 with SLURM_ARRAY_TASK_ID=1, and --replicates-only 1.
    nonisolated(unsafe) static var shared: Swift.Result<String, Error>?

    static func work() throws -> String {
        if let shared { return try shared.get() }
        let made = Swift.Result<String, Error> {
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent("merge-cli-\(UUID().uuidString.prefix(8))").path
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            let text = try String(contentsOf: packageRoot.appendingPathComponent("experiments/quickstart.yaml"), encoding: .utf8)
            try text.replacingOccurrences(of: "output: runs/quickstart.h5", with: "output: runs/exp.h5")
                .write(toFile: dir + "/exp.yaml", atomically: false, encoding: .utf8)
            for (arguments, env) in [([], [:]), (["--shard", "0/2"], [:]), (["--shard", "env/2"], ["SLURM_ARRAY_TASK_ID": "1"]),
                                     (["--replicates-only", "1"], [:])] as [([String], [String: String])] {
                let r = try autoparam(["run", "exp.yaml"] + arguments + sets, in: dir, environment: env)
                guard r.status == 0 else { throw NSError(domain: "run \(arguments) failed: \(r.stderr)", code: Int(r.status)) }
            }
            return dir
        }
        shared = made
        return try made.get()
    }

    override class func tearDown() {
        if case .success(let dir)? = shared { try? FileManager.default.removeItem(atPath: dir) }
        shared = nil
        super.tearDown()
    }

    func exists(_ path: String, in dir: String) -> Bool { FileManager.default.fileExists(atPath: dir + "/" + path) }

    func bytes(_ paths: [String], in dir: String) -> [Data?] { paths.map { FileManager.default.contents(atPath: dir + "/" + $0) } }

    // MARK: - Shards

    func testShardsWriteTheirOwnFilesAndMergeIntoTheFullRun() throws {
        let dir = try Self.work()
        for name in ["runs/exp.h5", "runs/exp.shard-0-of-2.h5", "runs/exp.shard-1-of-2.h5", "runs/exp.replicates-1.h5"] {
            XCTAssertTrue(exists(name, in: dir), name)
        }
        let parts = ["runs/exp.shard-0-of-2.h5", "runs/exp.shard-1-of-2.h5"]
        let before = bytes(parts, in: dir)
        let r = try Self.autoparam(["merge"] + parts + ["--output", "merged/all.h5"], in: dir)
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(r.stderr, "")
        XCTAssertEqual(r.stdout, """
            run file     merged/all.h5
            replicate 0   complete    tournaments 2  from runs/exp.shard-0-of-2.h5
            replicate 1   complete    tournaments 2  from runs/exp.shard-1-of-2.h5

            """)
        XCTAssertEqual(bytes(parts, in: dir), before, "merge modified its inputs")
        try Self.assertSameRun(dir + "/runs/exp.h5", dir + "/merged/all.h5", in: dir)
        // A replicate run on its own (--replicates-only) is the same replicate.
        let again = try Self.autoparam(["merge", "runs/exp.replicates-1.h5", "runs/exp.shard-0-of-2.h5", "--output", "merged/again.h5", "--strict"], in: dir)
        XCTAssertEqual(again.status, 0, again.stderr)
        try Self.assertSameRun(dir + "/runs/exp.h5", dir + "/merged/again.h5", in: dir)
    }

    func testBadShardFlagsAreBadInput() throws {
        let dir = try Self.work()
        var r = try Self.autoparam(["run", "exp.yaml", "--shard", "2/2", "--output", "no.h5"] + Self.sets, in: dir)
        XCTAssertEqual(r.status, 2)
        XCTAssertEqual(r.stderr, "error: --shard 2/2: shard 2 does not exist: shards of 2 are numbered 0…1\n")
        r = try Self.autoparam(["run", "exp.yaml", "--shard", "env/2", "--output", "no.h5"] + Self.sets, in: dir)
        XCTAssertEqual(r.status, 2)
        XCTAssertEqual(r.stderr, "error: --shard env/2: SLURM_ARRAY_TASK_ID is not set (it is set in Slurm array tasks); give the shard index instead, such as --shard 0/2\n")
        r = try Self.autoparam(["run", "exp.yaml", "--replicates-only", "1..2", "--output", "no.h5"] + Self.sets, in: dir)
        XCTAssertEqual(r.status, 2)
        XCTAssertEqual(r.stderr, "error: --replicates-only: replicates 1..2 do not exist: the experiment has replicates 0…1\n")
        r = try Self.autoparam(["run", "exp.yaml", "--replicates-only", "1", "--shard", "0/2", "--output", "no.h5"] + Self.sets, in: dir)
        XCTAssertEqual(r.status, 2)
        XCTAssertTrue(r.stderr.contains("--replicates-only and --shard both choose replicates: give one"), r.stderr)
        XCTAssertFalse(exists("no.h5", in: dir))
    }

    // MARK: - Merge refusals and reports

    func testMergeRefusesAnExistingOutput() throws {
        let dir = try Self.work()
        try Data("keep".utf8).write(to: URL(fileURLWithPath: dir + "/taken.h5"))
        let r = try Self.autoparam(["merge", "runs/exp.shard-0-of-2.h5", "runs/exp.shard-1-of-2.h5", "--output", "taken.h5"], in: dir)
        XCTAssertEqual(r.status, 2)
        XCTAssertEqual(r.stdout, "")
        XCTAssertEqual(r.stderr, "error: output taken.h5 exists: add --force to overwrite it\n")
        XCTAssertEqual(FileManager.default.contents(atPath: dir + "/taken.h5"), Data("keep".utf8))
        let forced = try Self.autoparam(["merge", "runs/exp.shard-0-of-2.h5", "runs/exp.shard-1-of-2.h5", "--output", "taken.h5", "--force"], in: dir)
        XCTAssertEqual(forced.status, 0, forced.stderr)
        try Self.assertSameRun(dir + "/runs/exp.h5", dir + "/taken.h5", in: dir)
    }

    func testMergeRefusesOverlappingReplicates() throws {
        let dir = try Self.work()
        let r = try Self.autoparam(["merge", "runs/exp.shard-0-of-2.h5", "runs/exp.h5", "--output", "overlap.h5"], in: dir)
        XCTAssertEqual(r.status, 2)
        XCTAssertEqual(r.stderr, "error: replicate 0 is in both runs/exp.shard-0-of-2.h5 and runs/exp.h5: each replicate must come from one part\n")
        XCTAssertFalse(exists("overlap.h5", in: dir))
    }

    func testMergeRefusesPartsOfAnotherSeedOrExperiment() throws {
        let dir = try Self.work()
        var r = try Self.autoparam(["run", "exp.yaml", "--shard", "1/2", "--set", "seed=2", "--output", "other-seed.h5"] + Self.sets, in: dir)
        XCTAssertEqual(r.status, 0, r.stderr)
        let parts = ["runs/exp.shard-0-of-2.h5", "other-seed.h5"]
        let before = bytes(parts, in: dir)
        r = try Self.autoparam(["merge"] + parts + ["--output", "bad.h5"], in: dir)
        XCTAssertEqual(r.status, 2)
        XCTAssertEqual(r.stderr, "error: other-seed.h5 is not from the same experiment as runs/exp.shard-0-of-2.h5: master seed 2, not 1\n")

        let text = try String(contentsOfFile: dir + "/exp.yaml", encoding: .utf8)
        try (text + "# edited\n").write(toFile: dir + "/edited.yaml", atomically: false, encoding: .utf8)
        r = try Self.autoparam(["run", "edited.yaml", "--shard", "1/2", "--output", "edited.h5"] + Self.sets, in: dir)
        XCTAssertEqual(r.status, 0, r.stderr)
        r = try Self.autoparam(["merge", "runs/exp.shard-0-of-2.h5", "edited.h5", "--output", "bad.h5"], in: dir)
        XCTAssertEqual(r.status, 2)
        XCTAssertEqual(r.stderr, "error: edited.h5 is not from the same experiment as runs/exp.shard-0-of-2.h5: the experiment file's text differs\n")
        XCTAssertFalse(exists("bad.h5", in: dir))
        XCTAssertEqual(bytes(parts, in: dir), before)
    }

    func testMissingReplicatesAreListedAndAnErrorWithStrict() throws {
        let dir = try Self.work()
        var r = try Self.autoparam(["merge", "runs/exp.shard-1-of-2.h5", "--output", "half.h5"], in: dir)
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(r.stdout, """
            run file     half.h5
            replicate 0   missing
            replicate 1   complete    tournaments 2  from runs/exp.shard-1-of-2.h5

            """)
        XCTAssertEqual(r.stderr, "missing: replicate 0 is in no part and stays pending in half.h5\n")
        r = try Self.autoparam(["merge", "runs/exp.shard-1-of-2.h5", "--output", "strict.h5", "--strict"], in: dir)
        XCTAssertEqual(r.status, 2)
        XCTAssertEqual(r.stderr, "error: --strict: replicate 0 of 0…1 is in no part\n")
        XCTAssertFalse(exists("strict.h5", in: dir))
        // The half file is a part like any other.
        r = try Self.autoparam(["merge", "half.h5", "runs/exp.shard-0-of-2.h5", "--output", "whole.h5", "--strict"], in: dir)
        XCTAssertEqual(r.status, 0, r.stderr)
        try Self.assertSameRun(dir + "/runs/exp.h5", dir + "/whole.h5", in: dir)
    }

    // MARK: - Slurm scripts, run by bash as array tasks

    func testTheSlurmScriptsRunShardsResumeAndMerge() throws {
        let dir = try Self.work()
        guard let binary = Self.binary else { throw XCTSkip("no autoparam binary") }
        var r = try Self.autoparam(["slurm", "exp.yaml", "--per-job", "1", "--output-dir", "sl", "--time", "00:10:00"] + Self.sets.filter { $0 != "--quiet" }, in: dir)
        XCTAssertEqual(r.status, 0, r.stderr)
        let sl = dir + "/sl"
        // Files are named after the experiment (quickstart), not its file.
        let lines = r.stdout.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.first, "array script \(sl)/array.sbatch   (2 tasks: 2 replicates, at most 1 per task)")
        XCTAssertTrue(lines.contains("merge script \(sl)/merge.sbatch"), r.stdout)
        XCTAssertTrue(lines.contains("parts        \(sl)/parts/quickstart.shard-i-of-2.h5"), r.stdout)
        XCTAssertTrue(lines.contains("merged file  \(sl)/quickstart.h5"), r.stdout)
        let script = try String(contentsOfFile: sl + "/array.sbatch", encoding: .utf8)
        // The binary by its absolute path, and the experiment too.
        let exec = script.split(separator: "\n").first { $0.hasPrefix("exec ") }.map(String.init) ?? ""
        let called = exec.dropFirst("exec ".count).split(separator: " ").first.map(String.init) ?? ""
        XCTAssertTrue(called.hasPrefix("/") && FileManager.default.isExecutableFile(atPath: called), exec)
        XCTAssertEqual(URL(fileURLWithPath: called).resolvingSymlinksInPath(), binary.resolvingSymlinksInPath())
        XCTAssertTrue(exec.contains(" run \(dir)/exp.yaml --shard env/2 --output \"$part\" --quiet ${resume:+--resume}"), exec)
        XCTAssertTrue(script.contains("#SBATCH --time=00:10:00"), script)

        let bash = URL(fileURLWithPath: "/bin/bash")
        for task in ["0", "1"] {
            r = try Self.execute(bash, [sl + "/array.sbatch"], in: dir, environment: ["SLURM_ARRAY_TASK_ID": task])
            XCTAssertEqual(r.status, 0, r.stdout + r.stderr)
            XCTAssertTrue(r.stdout.contains("run file     \(sl)/parts/quickstart.shard-\(task)-of-2.h5"), r.stdout)
        }
        // Re-running a task resumes its part (here complete: nothing left to do).
        let part = sl + "/parts/quickstart.shard-1-of-2.h5"
        let before = FileManager.default.contents(atPath: part)
        r = try Self.execute(bash, [sl + "/array.sbatch"], in: dir, environment: ["SLURM_ARRAY_TASK_ID": "1"])
        XCTAssertEqual(r.status, 0, r.stdout + r.stderr)
        XCTAssertTrue(r.stdout.hasPrefix("resuming \(part)\n"), r.stdout)
        XCTAssertTrue(r.stdout.contains("replicate 1   complete"), r.stdout)
        XCTAssertNotNil(before)
        // Without the array task id the script refuses to run.
        r = try Self.execute(bash, [sl + "/array.sbatch"], in: dir)
        XCTAssertNotEqual(r.status, 0)
        XCTAssertTrue(r.stderr.contains("submit this script with sbatch: it is an array job"), r.stderr)

        r = try Self.execute(bash, [sl + "/merge.sbatch"], in: dir)
        XCTAssertEqual(r.status, 0, r.stdout + r.stderr)
        try Self.assertSameRun(dir + "/runs/exp.h5", sl + "/quickstart.h5", in: dir)
    }

    func testSlurmRejectsBadResourceFlags() throws {
        let dir = try Self.work()
        for (flag, message) in [(["--per-job", "0"], "--per-job must be at least 1, found 0"),
                                (["--time", "soon"], "--time soon: expected a Slurm time limit such as 30, 12:00:00 or 2-00:00:00"),
                                (["--mem", "lots"], "--mem lots: expected a Slurm memory size such as 4000, 500M or 4G")] {
            let r = try Self.autoparam(["slurm", "exp.yaml", "--output-dir", "never"] + flag, in: dir)
            XCTAssertEqual(r.status, 2, flag.joined(separator: " "))
            XCTAssertTrue(r.stderr.contains(message), r.stderr)
        }
        XCTAssertFalse(exists("never", in: dir))
    }

    // MARK: - A killed shard

    /// A shard killed with SIGKILL merges with its committed tournaments and status running;
    /// `autoparam run --resume` on the merged file then gives the uninterrupted run.
    func testAKilledShardMergesAndTheMergedFileResumesToTheFullRun() throws {
        let dir = try Self.work()
        guard let binary = Self.binary else { throw XCTSkip("no autoparam binary") }
        let long = ["--set", "ga.population=4", "--set", "ga.tournaments=24", "--set", "dataset.count=8", "--set", "replicates=1", "--quiet"]
        var r = try Self.autoparam(["run", "exp.yaml", "--output", "long-full.h5"] + long, in: dir)
        XCTAssertEqual(r.status, 0, r.stderr)

        let process = Process()
        process.executableURL = binary
        process.arguments = ["run", "exp.yaml", "--replicates-only", "0", "--output", "killed.h5"] + long
        process.currentDirectoryURL = URL(fileURLWithPath: dir)
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        // Watch the live file (merge only reads it) until two tournaments are committed.
        var committed = 0
        let deadline = Date().addingTimeInterval(120)
        while committed < 2 && process.isRunning && Date() < deadline {
            Thread.sleep(forTimeInterval: 0.2)
            guard exists("killed.h5", in: dir) else { continue }
            let probe = try Self.autoparam(["merge", "killed.h5", "--output", "probe.h5", "--force"], in: dir)
            if let line = probe.stdout.split(separator: "\n").first(where: { $0.hasPrefix("replicate 0 ") }),
               let range = line.range(of: #"tournaments [0-9]+"#, options: .regularExpression) {
                committed = Int(line[range].dropFirst("tournaments ".count)) ?? 0
            }
        }
        XCTAssertTrue(process.isRunning, "the run finished before it could be killed")
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        XCTAssertEqual(process.terminationReason, .uncaughtSignal)

        r = try Self.autoparam(["merge", "killed.h5", "--output", "killed-merged.h5"], in: dir)
        XCTAssertEqual(r.status, 0, r.stderr)
        let line = r.stdout.split(separator: "\n").map(String.init).first { $0.hasPrefix("replicate 0 ") } ?? ""
        XCTAssertTrue(line.hasPrefix("replicate 0   running     tournaments "), r.stdout)
        let tournaments = Int(line.split(separator: " ").dropFirst(4).first ?? "") ?? -1
        XCTAssertGreaterThanOrEqual(tournaments, 2, r.stdout)
        XCTAssertLessThan(tournaments, 24, r.stdout)
        XCTAssertEqual(r.stderr, "incomplete: 0 (running, \(tournaments) tournaments); `autoparam run EXPERIMENT --resume --output killed-merged.h5` finishes it\n")

        r = try Self.autoparam(["run", "exp.yaml", "--resume", "--output", "killed-merged.h5"] + long, in: dir)
        XCTAssertEqual(r.status, 0, r.stderr)
        try Self.assertSameRun(dir + "/long-full.h5", dir + "/killed-merged.h5", in: dir)
    }
}
