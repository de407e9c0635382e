import Foundation
import RunFile

/// Median best fitness across one run's replicates after n tournaments, with its quartiles.
public struct TracePoint: Sendable, Hashable {
    /// Tournaments completed (0: the initial population).
    public var tournaments: Int
    public var median: Double
    public var lowerQuartile: Double
    public var upperQuartile: Double
    /// Replicates that have reached this point.
    public var replicates: Int
}

/// What `autoparam compare` says about one run file (docs/compare.md).
public struct ComparedRun: Sendable {
    /// The name the run goes by in tables and plots (`--label`, else the file name without `.h5`).
    public var label: String
    public var report: RunReport
    /// Final best fitness of each replicate that has committed its initial population, in
    /// replicate order (the replicate's best evaluation: highest fitness, ties to the earliest row).
    public var finalBest: [(replicate: Int, fitness: Double)]
    public var statistics: SummaryStatistics?
    /// Percentile bootstrap interval of the mean final best.
    public var interval: BootstrapInterval?
    /// Median over replicates of the tournaments completed when the best reached 90 % of its final value.
    public var tournamentsTo90PercentMedian: Double?
    /// Recorded wall-clock seconds: the sum and the median over replicates that recorded one
    /// (running and pending replicates have none yet).
    public var wallSecondsTotal: Double?
    public var wallSecondsMedian: Double?
    /// Median best-fitness trace with its interquartile band.
    public var trace: [TracePoint]

    public init(label: String, report: RunReport, resamples: Int = BootstrapInterval.defaultResamples,
                seed: UInt64 = BootstrapInterval.defaultSeed) {
        self.label = label
        self.report = report
        finalBest = report.replicates.compactMap { r in r.bestFitness.map { (r.replicate, $0) } }
        statistics = SummaryStatistics(finalBest.map(\.fitness))
        interval = BootstrapInterval(finalBest.map(\.fitness), resamples: resamples, seed: seed)
        tournamentsTo90PercentMedian = report.tournamentsTo90PercentMedian
        let walls = report.replicates.compactMap(\.wallSeconds)
        wallSecondsTotal = walls.isEmpty ? nil : walls.reduce(0, +)
        wallSecondsMedian = SummaryStatistics(walls)?.median
        let traces = report.replicates.map(\.trace).filter { !$0.isEmpty }
        let longest = traces.map(\.count).max() ?? 0
        trace = (0..<longest).compactMap { t in
            let v = traces.filter { $0.count > t }.map { $0[t].best }.filter { !$0.isNaN }.sorted()
            guard !v.isEmpty else { return nil }
            return TracePoint(tournaments: t, median: SummaryStatistics.quantile(sorted: v, 0.5),
                              lowerQuartile: SummaryStatistics.quantile(sorted: v, 0.25),
                              upperQuartile: SummaryStatistics.quantile(sorted: v, 0.75), replicates: v.count)
        }
    }

    /// Replicates in the file, and how many are complete.
    public var replicateCount: Int { report.replicates.count }
    public var completeCount: Int { report.replicates.filter { $0.status == .complete }.count }
}

/// One pairwise test of two runs' final best fitness.
public struct RunPairTest: Sendable, Hashable {
    /// Indexes of the two runs in ``RunComparison/runs``; the test's first sample is `first`.
    public var first: Int
    public var second: Int
    /// Nil when either run has no replicate with a final best.
    public var test: MannWhitneyU?
}

/// Several run files side by side: per run the final best and its statistics, pairwise
/// Mann–Whitney U tests, and the median traces (docs/compare.md).
public struct RunComparison: Sendable {
    public var runs: [ComparedRun]
    public var pairs: [RunPairTest]
    /// Bootstrap settings used for every run's interval.
    public var resamples: Int
    public var seed: UInt64

    public init(runs labelled: [(label: String, report: RunReport)], resamples: Int = BootstrapInterval.defaultResamples,
                seed: UInt64 = BootstrapInterval.defaultSeed) {
        self.resamples = resamples
        self.seed = seed
        runs = labelled.map { ComparedRun(label: $0.label, report: $0.report, resamples: resamples, seed: seed) }
        var pairs: [RunPairTest] = []
        for i in runs.indices {
            for j in runs.indices where j > i {
                pairs.append(RunPairTest(first: i, second: j,
                                         test: MannWhitneyU(runs[i].finalBest.map(\.fitness), runs[j].finalBest.map(\.fitness))))
            }
        }
        self.pairs = pairs
    }

    /// Default labels for `paths`: each file's name without `.h5`; when two would be equal,
    /// the path as given instead.
    public static func defaultLabels(_ paths: [String]) -> [String] {
        let stems = paths.map { path -> String in
            let name = URL(fileURLWithPath: path).lastPathComponent
            return name.hasSuffix(".h5") ? String(name.dropLast(3)) : name
        }
        return stems.enumerated().map { i, stem in stems.filter { $0 == stem }.count > 1 ? paths[i] : stem }
    }

    /// A statement of how the numbers were computed, for the text, JSON and HTML.
    public var methodNote: String {
        "final best = each replicate's best evaluation (highest fitness, ties to the earliest row); "
            + "95 % interval: percentile bootstrap of the mean, \(resamples) resamples, seed \(seed); "
            + "pairwise two-sided Mann-Whitney U of the replicates' final best: exact p when a run has at most "
            + "\(MannWhitneyU.exactLimit) replicates and no value is tied, else the normal approximation with tie "
            + "and continuity correction; effect size: rank-biserial r = 2U/(n1 n2) - 1 (positive: the first run is higher)"
    }

    // MARK: - Text

    /// The comparison for people.
    public func text() -> String {
        var out = ""
        for run in runs {
            for line in run.report.incompleteLines { out += "\(run.label): \(line)\n" }
        }
        if !out.isEmpty { out += "(every number below covers committed tournaments only)\n\n" }
        out += "Runs\n"
        var table = TextTable(header: ["run", "file", "experiment", "replicates", "mean", "sd", "median", "95 % interval",
                                       "tournaments to 90 %", "wall s"],
                              alignments: [.left, .left, .left, .right, .right, .right, .right, .right, .right, .right])
        for run in runs {
            let s = run.statistics
            table.rows.append([
                run.label, run.report.path, run.report.provenance.experimentName,
                "\(run.finalBest.count) (\(run.completeCount)/\(run.replicateCount) complete)",
                s.map { ReportFormat.fitness($0.mean) } ?? "-", s?.standardDeviation.map(ReportFormat.fitness) ?? "-",
                s.map { ReportFormat.fitness($0.median) } ?? "-",
                run.interval.map { "\(ReportFormat.fitness($0.lower))–\(ReportFormat.fitness($0.upper))" } ?? "-",
                run.tournamentsTo90PercentMedian.map(ReportFormat.count) ?? "-",
                run.wallSecondsTotal.map(ReportFormat.seconds) ?? "-",
            ])
        }
        out += table.rendered()
        out += "\nPairwise: two-sided Mann-Whitney U of the final best\n"
        if pairs.isEmpty {
            out += "  (one run: nothing to compare)\n"
        } else {
            var pairTable = TextTable(header: ["first", "second", "n1", "n2", "U", "p", "method", "rank-biserial r"],
                                      alignments: [.left, .left, .right, .right, .right, .right, .left, .right])
            for pair in pairs {
                let a = runs[pair.first].label, b = runs[pair.second].label
                if let t = pair.test {
                    pairTable.rows.append([a, b, String(t.n1), String(t.n2), ReportFormat.count(t.u), Self.pValue(t.p),
                                           t.method == .exact ? "exact" : "normal approx.", String(format: "%+.3f", t.rankBiserial)])
                } else {
                    pairTable.rows.append([a, b, "-", "-", "-", "-", "no final best", "-"])
                }
            }
            out += pairTable.rendered()
        }
        out += "\n" + Self.wrap(methodNote, width: 96).map { "  " + $0 }.joined(separator: "\n") + "\n"
        out += "  wall s: the replicates' recorded wall-clock seconds, summed (- while none has finished)\n"
        return out
    }

    /// A p-value with 4 significant digits ("0.1000", "3.142e-05").
    public static func pValue(_ p: Double) -> String {
        p >= 1e-4 ? String(format: "%.4f", p) : String(format: "%.3e", p)
    }

    static func wrap(_ text: String, width: Int) -> [String] {
        var lines: [String] = [], line = ""
        for word in text.split(separator: " ") {
            if !line.isEmpty && line.count + 1 + word.count > width { lines.append(line); line = "" }
            line += (line.isEmpty ? "" : " ") + word
        }
        if !line.isEmpty { lines.append(line) }
        return lines
    }

    // MARK: - JSON

    /// The comparison as one JSON object (docs/compare.md, "JSON").
    public func json() -> JSONValue {
        func statistics(_ s: SummaryStatistics?) -> JSONValue {
            guard let s else { return .null }
            return .object([("count", .int(Int64(s.count))), ("mean", .number(s.mean)), ("sd", .optional(s.standardDeviation)),
                            ("median", .number(s.median)), ("min", .number(s.minimum)), ("max", .number(s.maximum))])
        }
        let runsJSON: JSONValue = .array(runs.map { run in
            .object([
                ("label", .string(run.label)),
                ("run_file", .string(run.report.path)),
                ("experiment_name", .string(run.report.provenance.experimentName)),
                ("master_seed", .uint(run.report.provenance.masterSeed)),
                ("rubric", run.report.experiment.map { .string($0.rubric.name) } ?? .null),
                ("replicates", .int(Int64(run.replicateCount))),
                ("replicates_complete", .int(Int64(run.completeCount))),
                ("complete", .bool(run.report.isComplete)),
                ("incomplete", .array(run.report.incompleteLines.map(JSONValue.string))),
                ("final_best", .array(run.finalBest.map { .object([("replicate", .int(Int64($0.replicate))), ("fitness", .number($0.fitness))]) })),
                ("final_best_statistics", statistics(run.statistics)),
                ("final_best_mean_interval", run.interval.map { i in
                    .object([("level", .number(i.level)), ("lower", .number(i.lower)), ("upper", .number(i.upper))])
                } ?? .null),
                ("tournaments_to_90_percent_median", .optional(run.tournamentsTo90PercentMedian)),
                ("wall_seconds_total", .optional(run.wallSecondsTotal)),
                ("wall_seconds_median", .optional(run.wallSecondsMedian)),
                ("median_best_trace", .array(run.trace.map { p in
                    .object([("tournaments", .int(Int64(p.tournaments))), ("median", .number(p.median)),
                             ("q25", .number(p.lowerQuartile)), ("q75", .number(p.upperQuartile)),
                             ("replicates", .int(Int64(p.replicates)))])
                })),
            ])
        })
        let pairsJSON: JSONValue = .array(pairs.map { pair in
            var members: [(String, JSONValue)] = [("first", .string(runs[pair.first].label)), ("second", .string(runs[pair.second].label))]
            if let t = pair.test {
                members += [("n1", .int(Int64(t.n1))), ("n2", .int(Int64(t.n2))), ("u", .number(t.u)), ("p", .number(t.p)),
                            ("method", .string(t.method.rawValue)), ("ties", .bool(t.hasTies)), ("z", .optional(t.z)),
                            ("rank_biserial", .number(t.rankBiserial)), ("common_language", .number(t.commonLanguage))]
            } else {
                members += [("n1", .null), ("n2", .null), ("u", .null), ("p", .null), ("method", .null), ("ties", .null),
                            ("z", .null), ("rank_biserial", .null), ("common_language", .null)]
            }
            return .object(members)
        })
        return .object([
            ("runs", runsJSON),
            ("pairs", pairsJSON),
            ("bootstrap", .object([("statistic", .string("mean")), ("method", .string("percentile")),
                                   ("resamples", .int(Int64(resamples))), ("seed", .uint(seed)),
                                   ("level", .number(BootstrapInterval.defaultLevel))])),
            ("test", .object([("name", .string("Mann-Whitney U")), ("alternative", .string("two-sided")),
                              ("exact_when", .string("min(n1, n2) <= \(MannWhitneyU.exactLimit) and no ties")),
                              ("otherwise", .string("normal approximation with tie correction and continuity correction")),
                              ("effect_size", .string("rank_biserial = 2 U / (n1 n2) - 1; u is U of the first run"))])),
            ("best_evaluation", .string("highest fitness, ties to the earliest row")),
        ])
    }

    // MARK: - CSV

    /// `runs.csv`, `final_best.csv`, `pairs.csv` and `traces.csv` (docs/compare.md, "CSV files").
    public func csvFiles() -> [(name: String, text: String)] {
        var runsCSV = CSV.line(["label", "run_file", "experiment_name", "master_seed", "replicates", "replicates_complete",
                                "final_best_count", "mean", "sd", "median", "min", "max", "interval_lower", "interval_upper",
                                "tournaments_to_90_percent_median", "wall_seconds_total", "wall_seconds_median"])
        var finals = CSV.line(["label", "replicate", "final_best"])
        var traces = CSV.line(["label", "tournaments", "median", "q25", "q75", "replicates"])
        for run in runs {
            let s = run.statistics
            func n(_ x: Double?) -> String { x.map(CSV.number) ?? "" }
            runsCSV += CSV.line([run.label, run.report.path, run.report.provenance.experimentName,
                                 String(run.report.provenance.masterSeed), String(run.replicateCount), String(run.completeCount),
                                 String(run.finalBest.count), n(s?.mean), n(s?.standardDeviation), n(s?.median), n(s?.minimum),
                                 n(s?.maximum), n(run.interval?.lower), n(run.interval?.upper),
                                 n(run.tournamentsTo90PercentMedian), n(run.wallSecondsTotal), n(run.wallSecondsMedian)])
            for f in run.finalBest { finals += CSV.line([run.label, String(f.replicate), CSV.number(f.fitness)]) }
            for p in run.trace {
                traces += CSV.line([run.label, String(p.tournaments), CSV.number(p.median), CSV.number(p.lowerQuartile),
                                    CSV.number(p.upperQuartile), String(p.replicates)])
            }
        }
        var pairsCSV = CSV.line(["first", "second", "n1", "n2", "u", "p", "method", "ties", "z", "rank_biserial", "common_language"])
        for pair in pairs {
            let cells: [String]
            if let t = pair.test {
                cells = [String(t.n1), String(t.n2), CSV.number(t.u), CSV.number(t.p), t.method.rawValue, t.hasTies ? "true" : "false",
                         t.z.map(CSV.number) ?? "", CSV.number(t.rankBiserial), CSV.number(t.commonLanguage)]
            } else {
                cells = Array(repeating: "", count: 9)
            }
            pairsCSV += CSV.line([runs[pair.first].label, runs[pair.second].label] + cells)
        }
        return [("runs.csv", runsCSV), ("final_best.csv", finals), ("pairs.csv", pairsCSV), ("traces.csv", traces)]
    }

    /// Writes ``csvFiles()`` into `directory` (created if needed) and returns their paths.
    @discardableResult
    public func writeCSV(to directory: String) throws -> [String] {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let base = URL(fileURLWithPath: directory)
        return try csvFiles().map { name, text in
            let url = base.appendingPathComponent(name)
            try Data(text.utf8).write(to: url)
            return url.path
        }
    }
}
