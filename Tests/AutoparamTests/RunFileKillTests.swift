import RunFile
import RunFileTestSupport
import Foundation
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// SIGKILLs a writer (RunFileKillProbe in a child process) at random moments and checks the file
/// after each kill: RunReader and a plain `h5py.File(path, "r")` open it, every committed row is
/// exactly what the writer wrote, every acknowledged commit is there, and nothing beyond the
/// commit counters is claimed. The writer resumes the same file after each kill, so recovery
/// (`RunRecorder.open`) is killed too. Before each kill the running file is also read live.
///
/// Set AUTOPARAM_KILL_TEST_KILLS to change the number of kills (default 12).
final class RunFileKillTests: XCTestCase {
    func testKilledWriterLeavesConsistentFile() throws {
        #if os(Linux)
        let executable = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")
        let kills = ProcessInfo.processInfo.environment["AUTOPARAM_KILL_TEST_KILLS"].flatMap(Int.init) ?? 12
        let directory = try RunFileDirectory()
        let path = directory.path("killed.h5")
        let python = PythonChecker()
        var generator = SystemRandomNumberGenerator()
        var lastAcknowledged = (evaluations: 0, tournaments: 0)
        var killsAfterCommits = 0
        for kill in 0..<kills {
            let child = Process()
            child.executableURL = URL(fileURLWithPath: executable)
            child.arguments = ["AutoparamTests.RunFileKillProbeChild/testProbeChild"]
            child.environment = ProcessInfo.processInfo.environment.merging(
                ["AUTOPARAM_KILL_PROBE_PATH": path, "AUTOPARAM_KILL_PROBE_PROFILE": "production"]) { $1 }
            let output = Pipe()
            child.standardOutput = output
            child.standardError = FileHandle.nullDevice
            try child.run()
            let delay = Double.random(in: 0.05...0.35, using: &generator)
            usleep(UInt32(delay * 500_000))
            // Halfway, read the live file like a monitoring tool would.
            if FileManager.default.fileExists(atPath: path) {
                try checkLive(path, kill: kill)
            }
            usleep(UInt32(delay * 500_000))
            Glibc.kill(child.processIdentifier, SIGKILL)
            child.waitUntilExit()
            let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            XCTAssertEqual(child.terminationReason, .uncaughtSignal, "kill \(kill): the writer stopped by itself:\n\(text.suffix(600))")
            let acknowledged = text.split(separator: "\n").filter { $0.hasPrefix("commit ") }.last.map {
                let fields = $0.split(separator: " ")
                return (evaluations: Int(fields[1]) ?? 0, tournaments: Int(fields[2]) ?? 0)
            }
            if let acknowledged {
                lastAcknowledged = acknowledged
                killsAfterCommits += 1
            }
            guard FileManager.default.fileExists(atPath: path) else {
                // Killed while creating: only `<path>.partial` may exist, never a broken file.
                XCTAssertEqual(lastAcknowledged.evaluations, 0, "kill \(kill): acknowledged commits but no file")
                continue
            }
            let counts = try checkWithReader(path, kill: kill)
            XCTAssertGreaterThanOrEqual(counts.evaluations, lastAcknowledged.evaluations, "kill \(kill): lost an acknowledged commit")
            XCTAssertGreaterThanOrEqual(counts.tournaments, lastAcknowledged.tournaments, "kill \(kill): lost an acknowledged commit")
            if let failure = python.check(path) {
                XCTFail("kill \(kill) after \(Int(delay * 1000)) ms: h5py check failed: \(failure)")
            }
        }
        XCTAssertGreaterThan(killsAfterCommits, kills / 2, "too few kills landed after the writer had started committing")
        if let skipped = python.unavailable { print("RunFileKillTests: h5py checks skipped: \(skipped)") }
        #else
        throw XCTSkip("the kill test needs Linux (/proc/self/exe and the XCTest runner)")
        #endif
    }

    /// Reads a file while the writer is running: RunReader's snapshot must match what the probe
    /// wrote (it retries reads that race a flush). The counters are read from one object header
    /// that the writer may be rewriting at that moment, so they may come from two adjacent
    /// commits; every value read must still be exactly what was written.
    private func checkLive(_ path: String, kill: Int) throws {
        let reader = try RunReader(path: path)
        defer { try? reader.close() }
        let probe = RunFileKillProbe.self
        let state = try reader.state(replicate: 0)
        let e = state.committedEvaluations, t = state.committedTournaments
        if e > 0 {
            XCTAssertEqual(try reader.evaluation(replicate: 0, row: e - 1), probe.expectedEvaluation(replicate: 0, row: e - 1),
                           "kill \(kill): live read of evaluation \(e - 1)")
        }
        XCTAssertEqual(try reader.fitnessTrace(replicate: 0).best, (0..<t).map(Double.init), "kill \(kill): live fitness trace")
        if let checkpoint = state.checkpoint {
            let n = Int(checkpoint.nextTournament)
            XCTAssertLessThanOrEqual(abs(n - t), 1, "kill \(kill): live checkpoint \(n) for \(t) tournaments")
            XCTAssertEqual(checkpoint, probe.expectedCheckpoint(replicate: 0, tournaments: n), "kill \(kill): live checkpoint")
        }
    }

    /// Checks every committed row with RunReader against the probe's formulas; returns the
    /// committed counts of replicate 0.
    private func checkWithReader(_ path: String, kill: Int) throws -> (evaluations: Int, tournaments: Int) {
        let reader = try RunReader(path: path)
        defer { try? reader.close() }
        let probe = RunFileKillProbe.self
        var counts = (evaluations: 0, tournaments: 0)
        for replicate in 0..<probe.layout.replicateCount {
            let state = try reader.state(replicate: replicate)
            let e = state.committedEvaluations, t = state.committedTournaments
            if replicate == 0 { counts = (e, t) }
            XCTAssertTrue(e == probe.populationSize + t || (e == 0 && t == 0), "kill \(kill): r\(replicate) E=\(e) T=\(t)")
            // Every committed evaluation exactly as written (spot-check the last 40 rows in full).
            let table = try reader.evaluations(replicate: replicate)
            XCTAssertEqual(table.fitness, (0..<e).map { probe.expectedEvaluation(replicate: replicate, row: $0).fitness })
            for row in max(0, e - 40)..<e {
                XCTAssertEqual(try reader.evaluation(replicate: replicate, row: row),
                               probe.expectedEvaluation(replicate: replicate, row: row), "kill \(kill): r\(replicate) row \(row)")
            }
            XCTAssertEqual(try reader.tournaments(replicate: replicate),
                           (0..<t).map { probe.expectedTournament(replicate: replicate, index: $0) }, "kill \(kill)")
            XCTAssertEqual(state.checkpoint, t > 0 ? probe.expectedCheckpoint(replicate: replicate, tournaments: t) : nil,
                           "kill \(kill): r\(replicate) checkpoint")
        }
        return counts
    }
}

/// Runs Tests/python/runfile_probe_check.py (plain `h5py.File(path, "r")`), if python3 with h5py
/// and numpy is available.
struct PythonChecker {
    let script: String
    let unavailable: String?

    init() {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        script = root.appendingPathComponent("Tests/python/runfile_probe_check.py").path
        let probe = PythonChecker.run(["python3", "-c", "import h5py, numpy"])
        unavailable = probe.status == 0 ? nil : "python3 with h5py and numpy not found (\(probe.output.prefix(200)))"
    }

    /// nil when the file passes (or python is unavailable), else the checker's message. Exit
    /// status 3 (h5py met a tail chunk torn by the kill, which h5py cannot read unchecked) also
    /// passes: the caller has already read every committed row with RunReader, which reads
    /// that chunk's rows unchecked and the rest checked.
    func check(_ path: String) -> String? {
        guard unavailable == nil else { return nil }
        let result = PythonChecker.run(["python3", script, path])
        return result.status == 0 || result.status == 3 ? nil : result.output
    }

    static func run(_ arguments: [String], environment: [String: String] = [:]) -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        do { try process.run() } catch { return (127, "\(error)") }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}
