import ArgumentParser
import Analysis
import RunFile
import Foundation

/// `autoparam compare`: several run files side by side, with pairwise tests.
struct Compare: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Compare run files side by side: final best per run, pairwise Mann-Whitney U tests; --json, --csv, --html.",
        discussion: """
            Per run: replicates, the final best fitness (mean, sd, median, 95 % percentile \
            bootstrap interval of the mean: 10000 resamples, fixed seed), the median tournaments to \
            reach 90 % of the final best, and the recorded wall time. Per pair of runs: a two-sided \
            Mann-Whitney U test of the replicates' final best (exact p when a run has at most 8 \
            replicates and no value is tied, else the normal approximation with tie and continuity \
            correction) and the rank-biserial effect size. A replicate's final best is its best \
            evaluation: the highest fitness, ties to the earliest row. Reads committed tournaments \
            only, so runs still being written can be compared. See docs/compare.md. Examples:
              autoparam compare runs/harvey.h5 runs/seed-original.h5
              autoparam compare a.h5 b.h5 --label GA --label random --html compare.html --csv compare/
            """
    )

    @Argument(help: ArgumentHelp("The run files (HDF5) to compare.", valueName: "run-file"))
    var files: [String] = []

    @Option(name: .customLong("label"), help: ArgumentHelp("A name for each run, in the order of the files (default: the file name without .h5).", valueName: "name"))
    var labels: [String] = []

    @Flag(help: "Print one JSON object instead of the text tables.")
    var json = false

    @Option(help: ArgumentHelp("Also write runs.csv, final_best.csv, pairs.csv and traces.csv into this directory (created if needed).", valueName: "dir"))
    var csv: String?

    @Option(help: ArgumentHelp("Also write a self-contained HTML page with the tables and plots to this file.", valueName: "out.html"))
    var html: String?

    func validate() throws {
        if files.isEmpty { throw ValidationError("give at least one run file (two or more to compare)") }
        if !labels.isEmpty && labels.count != files.count {
            throw ValidationError("\(labels.count) --label for \(files.count) run files: give one label per file, or none")
        }
        if Set(labels).count != labels.count { throw ValidationError("--label values repeat: each run needs its own name") }
    }

    func run() throws {
        var reports: [RunReport] = []
        for file in files {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: file, isDirectory: &isDirectory) else { throw BadInput("\(file): no such run file") }
            guard !isDirectory.boolValue else { throw BadInput("\(file): is a directory, not a run file") }
            do {
                reports.append(try RunReport.load(path: file))
            } catch {
                throw BadInput("\(file): cannot be read as an autoparam run file: \(error)")
            }
        }
        let names = labels.isEmpty ? RunComparison.defaultLabels(files) : labels
        let comparison = RunComparison(runs: Array(zip(names, reports)).map { (label: $0.0, report: $0.1) })
        if let csv {
            do { try comparison.writeCSV(to: csv) } catch { throw BadInput("--csv \(csv): cannot write: \(error.localizedDescription)") }
        }
        if let html {
            do {
                try Data(ComparePage.html(comparison).utf8).write(to: URL(fileURLWithPath: html))
            } catch {
                throw BadInput("--html \(html): cannot write: \(error.localizedDescription)")
            }
        }
        if json {
            print(comparison.json().serialized())
        } else {
            print(comparison.text(), terminator: "")
            if let csv { print("\ncsv          \(csv)/runs.csv, final_best.csv, pairs.csv, traces.csv") }
            if let html { print(csv == nil ? "\nhtml         \(html)" : "html         \(html)") }
        }
    }
}
