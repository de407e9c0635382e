import Foundation

/// `autoparam compare --html`: one self-contained page with the comparison's tables and two
/// inline SVG plots (docs/compare.md, "The HTML page"); no scripts, nothing fetched.
public enum ComparePage {
    /// Ids of the plots, in page order.
    public static let tracesID = "compare-traces"
    public static let finalBestID = "compare-final-best"
    public static let plotIDs = [tracesID, finalBestID]

    public static func html(_ comparison: RunComparison) -> String {
        let e = HTML.escape
        var out = """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>autoparam compare: \(e(comparison.runs.map(\.label).joined(separator: ", ")))</title>
            <style>
            \(ReportPage.style)
            </style>
            </head>
            <body>
            <h1>autoparam compare: \(comparison.runs.count) run\(comparison.runs.count == 1 ? "" : "s")</h1>

            """
        let incomplete = comparison.runs.flatMap { run in run.report.incompleteLines.map { "\(run.label): \($0)" } }
        if !incomplete.isEmpty {
            out += "<div class=\"incomplete\"><strong>Some runs are incomplete.</strong> Everything below covers committed tournaments only.<br>\n"
            out += incomplete.map(e).joined(separator: "<br>\n") + "</div>\n"
        }
        out += "<h2>Runs</h2>\n<table>\n<tr><th class=\"text\">run</th><th class=\"text\">file</th><th class=\"text\">experiment</th><th>master seed</th><th>replicates (complete)</th><th>mean</th><th>sd</th><th>median</th><th>95 % interval of the mean</th><th>tournaments to 90 % (median)</th><th>wall s (sum)</th></tr>\n"
        for (i, run) in comparison.runs.enumerated() {
            let s = run.statistics
            out += "<tr><td class=\"text wrap\"><span style=\"color:\(Palette.replicate(i))\">●</span> \(e(run.label))</td>"
            out += "<td class=\"mono\">\(e(run.report.path))</td><td class=\"text wrap\">\(e(run.report.provenance.experimentName))</td>"
            out += "<td>\(run.report.provenance.masterSeed)</td><td>\(run.finalBest.count) (\(run.completeCount)/\(run.replicateCount))</td>"
            out += "<td>\(s.map { ReportFormat.fitness($0.mean) } ?? "-")</td><td>\(s?.standardDeviation.map(ReportFormat.fitness) ?? "-")</td>"
            out += "<td>\(s.map { ReportFormat.fitness($0.median) } ?? "-")</td>"
            out += "<td>\(run.interval.map { "\(ReportFormat.fitness($0.lower))–\(ReportFormat.fitness($0.upper))" } ?? "-")</td>"
            out += "<td>\(run.tournamentsTo90PercentMedian.map(ReportFormat.count) ?? "-")</td><td>\(run.wallSecondsTotal.map(ReportFormat.seconds) ?? "-")</td></tr>\n"
        }
        out += "</table>\n"
        out += "<h2>Pairwise tests</h2>\n"
        if comparison.pairs.isEmpty {
            out += "<p class=\"note\">One run: nothing to compare.</p>\n"
        } else {
            out += "<table>\n<tr><th class=\"text\">first</th><th class=\"text\">second</th><th>n1</th><th>n2</th><th>U</th><th>p (two-sided)</th><th class=\"text\">method</th><th>rank-biserial r</th></tr>\n"
            for pair in comparison.pairs {
                out += "<tr><td class=\"text wrap\">\(e(comparison.runs[pair.first].label))</td><td class=\"text wrap\">\(e(comparison.runs[pair.second].label))</td>"
                if let t = pair.test {
                    out += "<td>\(t.n1)</td><td>\(t.n2)</td><td>\(ReportFormat.count(t.u))</td><td>\(RunComparison.pValue(t.p))</td>"
                    out += "<td class=\"text wrap\">\(t.method == .exact ? "exact" : "normal approximation (tie and continuity corrected)")</td><td>\(String(format: "%+.3f", t.rankBiserial))</td></tr>\n"
                } else {
                    out += "<td>-</td><td>-</td><td>-</td><td>-</td><td class=\"text\">a run has no final best</td><td>-</td></tr>\n"
                }
            }
            out += "</table>\n"
        }
        out += "<p class=\"note\">\(e(comparison.methodNote)).</p>\n"
        out += "<h2>Plots</h2>\n"
        out += "<figure>\n\(traces(comparison))\n<figcaption>\(e("Median over each run's replicates of the best fitness after n tournaments (line), with the interquartile range, 25th to 75th percentile (band of the same colour). x: tournaments completed, 0 = the initial population. Only replicates that reached n count at n."))</figcaption>\n</figure>\n"
        out += "<figure>\n\(finalBest(comparison))\n<figcaption>\(e("Final best fitness of every replicate, one row per run; the short vertical bar is the run's median. Hover over a dot for its replicate and value."))</figcaption>\n</figure>\n"
        out += "</body>\n</html>\n"
        return out
    }

    static func fitnessLabel(_ comparison: RunComparison) -> String {
        let rubrics = Set(comparison.runs.compactMap { $0.report.experiment?.rubric.name })
        return rubrics.count == 1 ? "best fitness (\(rubrics.first!) score)" : "best fitness (rubric score)"
    }

    /// Every run's median best trace with its interquartile band, on one axis.
    static func traces(_ comparison: RunComparison) -> String {
        var c = SVGCanvas(width: 960, height: 400)
        let maxT = max(1, comparison.runs.flatMap { $0.trace.map(\.tournaments) }.max() ?? 1)
        let values = comparison.runs.flatMap { $0.trace.flatMap { [$0.lowerQuartile, $0.upperQuartile, $0.median] } }
        let frame = PlotFrame(left: 80, top: 40, width: 620, height: 290,
                              x: Scale(lower: 0, upper: Double(maxT), to: 80, 700, integerTicks: true),
                              y: Scale(values: values, to: 330, 40, padding: 0.08))
        c.text("Median best fitness per run, with the interquartile band", 80, 22, size: 14, weight: "bold")
        frame.drawAxes(on: &c, xLabel: "tournaments completed (0 = initial population)", yLabel: fitnessLabel(comparison))
        for (i, run) in comparison.runs.enumerated() where !run.trace.isEmpty {
            let top = run.trace.map { (frame.x(Double($0.tournaments)), frame.y($0.upperQuartile)) }
            let bottom = run.trace.reversed().map { (frame.x(Double($0.tournaments)), frame.y($0.lowerQuartile)) }
            c.polygon(top + bottom, fill: Palette.replicate(i), opacity: 0.18)
        }
        // Lines after the bands, each dashed differently and with markers, so identical medians stay distinguishable.
        let dashes: [String?] = [nil, "7 4", "2 3", "10 3 2 3"]
        for (i, run) in comparison.runs.enumerated() where !run.trace.isEmpty {
            let colour = Palette.replicate(i)
            c.polyline(run.trace.map { (frame.x(Double($0.tournaments)), frame.y($0.median)) }, stroke: colour, width: 2,
                       dash: dashes[i % dashes.count])
            let step = max(1, run.trace.count / 12)
            for (k, p) in run.trace.enumerated() where k % step == 0 || k == run.trace.count - 1 {
                // Markers offset by run, so markers of equal medians do not hide each other.
                c.circle(frame.x(Double(p.tournaments)) + Double(i) * 2 - Double(comparison.runs.count - 1), frame.y(p.median),
                         r: 3, fill: colour, stroke: "#222",
                         tooltip: "\(run.label), after \(p.tournaments) tournaments: median \(ReportFormat.fitness(p.median)) (IQR \(ReportFormat.fitness(p.lowerQuartile))–\(ReportFormat.fitness(p.upperQuartile)), \(p.replicates) replicates)")
            }
        }
        ReportPlots.legend(on: &c, x: 720, y: 50, items: comparison.runs.enumerated().prefix(16).map { i, run in
            (Palette.replicate(i), String(run.label.prefix(28)), dashes[i % dashes.count], false)
        })
        if comparison.runs.allSatisfy({ $0.trace.isEmpty }) {
            c.text("no run has committed its initial population", 390, 185, size: 13, anchor: "middle")
        }
        return c.svg(id: tracesID, title: "Median best fitness per run",
                     description: "For each run, the median over its replicates of the best fitness after each number of tournaments, with the interquartile band.")
    }

    /// Final best per replicate per run: one row per run, a dot per replicate.
    static func finalBest(_ comparison: RunComparison) -> String {
        let rowHeight = 36.0
        let rows = max(1, comparison.runs.count)
        var c = SVGCanvas(width: 960, height: 110 + rowHeight * Double(rows))
        let values = comparison.runs.flatMap { $0.finalBest.map(\.fitness) }
        let top = 40.0, height = rowHeight * Double(rows)
        let frame = PlotFrame(left: 200, top: top, width: 600, height: height,
                              x: Scale(values: values, to: 200, 800, padding: 0.08),
                              y: Scale(lower: 0, upper: Double(rows), to: top + height, top))
        c.text("Final best fitness of each replicate, by run", 20, 22, size: 14, weight: "bold")
        frame.drawAxes(on: &c, xLabel: fitnessLabel(comparison), yLabel: "", yTicks: 0)
        for (i, run) in comparison.runs.enumerated() {
            let y = top + rowHeight * (Double(i) + 0.5)
            c.text(String(run.label.prefix(26)), 192, y + 4, size: 11, anchor: "end")
            if let median = run.statistics?.median {
                c.line(frame.x(median), y - 13, frame.x(median), y + 13, stroke: "#333", width: 2)
            }
            // Equal values are spread vertically so every dot stays visible.
            var seen: [Double: Int] = [:]
            for f in run.finalBest {
                let k = seen[f.fitness, default: 0]
                seen[f.fitness] = k + 1
                let offset = Double(k % 5) * 4 - 8
                c.circle(frame.x(f.fitness), y + offset, r: 4.5, fill: Palette.replicate(i), stroke: "#222", opacity: 0.8,
                         tooltip: "\(run.label), replicate \(f.replicate): \(ReportFormat.fitness(f.fitness))")
            }
        }
        return c.svg(id: finalBestID, title: "Final best fitness per replicate per run",
                     description: "One row per run; one dot per replicate at its final best fitness; the bar is the run's median.")
    }
}
