import Foundation
import MushroomBodyModel

/// The report's plots, each one `<svg>` with an id, a `<title>` and labelled axes
/// (docs/report.md, "The HTML page").
enum ReportPlots {
    /// Ids of the plots, in page order.
    static let fitnessTracesID = "fitness-traces"
    static let fitnessMedianID = "fitness-median"
    static let finalBestID = "final-best"
    static let geneLineageID = "gene-lineage"
    static let geneFitnessID = "gene-fitness"
    static let spikeRasterID = "spike-raster"
    static let dnResponsesID = "dn-responses"

    /// "fitness (seed-242 points)" or "fitness" when the rubric is unknown.
    static func fitnessLabel(_ report: RunReport) -> String {
        if let rubric = report.experiment?.rubric.name { return "fitness (\(rubric) score)" }
        return "fitness (rubric score)"
    }

    /// "kc_count" or "stdp_tau (ms)": a gene's name with its model unit when it has one.
    static func geneLabel(_ name: String) -> String {
        guard let i = MushroomBodyParameters.index[name] else { return name }
        let unit = MushroomBodyParameters.definitions[i].unit
        return unit == "1" ? name : "\(name) (\(unit))"
    }

    static func legend(on canvas: inout SVGCanvas, x: Double, y: Double, items: [(colour: String, label: String, dash: String?, band: Bool)]) {
        for (i, item) in items.enumerated() {
            let yy = y + Double(i) * 18
            if item.band {
                canvas.rect(x, yy - 6, 22, 10, fill: item.colour)
            } else {
                canvas.line(x, yy - 1, x + 22, yy - 1, stroke: item.colour, width: 2, dash: item.dash)
            }
            canvas.text(item.label, x + 28, yy + 3, size: 11)
        }
    }

    // MARK: - Fitness

    /// Best (solid) and mean (dashed) stored fitness of each replicate's population after each
    /// tournament (0: the initial population).
    static func fitnessTraces(_ report: RunReport) -> String {
        var c = SVGCanvas(width: 960, height: 380)
        let traces = report.replicates.filter { !$0.trace.isEmpty }
        let maxT = max(1, traces.map { $0.trace.count - 1 }.max() ?? 1)
        let values = traces.flatMap { $0.trace.flatMap { [$0.best, $0.mean] } }
        let frame = PlotFrame(left: 80, top: 40, width: 640, height: 280,
                              x: Scale(lower: 0, upper: Double(maxT), to: 80, 720, integerTicks: true), y: Scale(values: values, to: 320, 40, padding: 0.08))
        c.text("Fitness per replicate: best and mean of the population after each tournament", 80, 22, size: 14, weight: "bold")
        frame.drawAxes(on: &c, xLabel: "tournaments completed (0 = initial population)", yLabel: fitnessLabel(report))
        // Replicates whose best traces are identical would hide each other: each line is offset
        // by a pixel per replicate and the coinciding groups are named under the plot.
        let offset = { (i: Int) in (Double(i) - Double(traces.count - 1) / 2) * 1.5 }
        for (i, r) in traces.enumerated() {
            let colour = Palette.replicate(r.replicate)
            c.polyline(r.trace.enumerated().map { (frame.x(Double($0)), frame.y($1.mean) + offset(i)) }, stroke: colour, width: 1.2, dash: "5 3")
            c.polyline(r.trace.enumerated().map { (frame.x(Double($0)), frame.y($1.best) + offset(i)) }, stroke: colour, width: 2)
            let last = r.trace.count - 1
            c.circle(frame.x(Double(last)), frame.y(r.trace[last].best) + offset(i), r: 3.5, fill: colour, stroke: "#222",
                     tooltip: "replicate \(r.replicate): best \(ReportFormat.fitness(r.trace[last].best)) after \(last) tournaments")
        }
        let groups = Dictionary(grouping: traces, by: { $0.trace.map(\.best) }).values
            .filter { $0.count > 1 }.map { $0.map(\.replicate).sorted() }.sorted { $0[0] < $1[0] }
        if !groups.isEmpty {
            let text = groups.map { "replicates " + $0.map(String.init).joined(separator: ", ") }.joined(separator: "; ")
            c.text("identical best traces (drawn 1.5 px apart): \(text)", 80, 370, size: 10, fill: "#555")
        }
        var items: [(String, String, String?, Bool)] = [("#333", "best", nil, false), ("#333", "mean", "5 3", false)]
        for r in traces.prefix(14) { items.append((Palette.replicate(r.replicate), "replicate \(r.replicate)", nil, false)) }
        if traces.count > 14 { items.append(("#ffffff", "… \(traces.count - 14) more", nil, true)) }
        legend(on: &c, x: 740, y: 50, items: items.map { ($0.0, $0.1, $0.2, $0.3) })
        if traces.isEmpty { c.text("no replicate has committed its initial population", 400, 180, size: 13, anchor: "middle") }
        return c.svg(id: fitnessTracesID, title: "Fitness traces per replicate",
                     description: "Best (solid) and mean (dashed) stored fitness of each replicate's population after each committed tournament.")
    }

    /// Median over replicates of the best stored fitness after each tournament, with the
    /// interquartile range (dark band) and the min–max range (light band) of the replicates
    /// that have reached that tournament.
    static func fitnessMedian(_ report: RunReport) -> String {
        var c = SVGCanvas(width: 960, height: 380)
        let traces = report.replicates.filter { !$0.trace.isEmpty }.map(\.trace)
        let maxT = max(1, traces.map { $0.count - 1 }.max() ?? 1)
        var rows: [(t: Int, median: Double, q1: Double, q3: Double, lo: Double, hi: Double, n: Int)] = []
        for t in 0...maxT {
            let v = traces.filter { $0.count > t }.map { $0[t].best }.filter { !$0.isNaN }.sorted()
            guard !v.isEmpty else { continue }
            rows.append((t, SummaryStatistics.quantile(sorted: v, 0.5), SummaryStatistics.quantile(sorted: v, 0.25),
                         SummaryStatistics.quantile(sorted: v, 0.75), v.first!, v.last!, v.count))
        }
        let frame = PlotFrame(left: 80, top: 40, width: 640, height: 280,
                              x: Scale(lower: 0, upper: Double(maxT), to: 80, 720, integerTicks: true),
                              y: Scale(values: rows.flatMap { [$0.lo, $0.hi] }, to: 320, 40, padding: 0.08))
        c.text("Best fitness across \(traces.count) replicate\(traces.count == 1 ? "" : "s"): median, interquartile range and min–max", 80, 22, size: 14, weight: "bold")
        frame.drawAxes(on: &c, xLabel: "tournaments completed (0 = initial population)", yLabel: fitnessLabel(report))
        func band(_ lower: KeyPath<(t: Int, median: Double, q1: Double, q3: Double, lo: Double, hi: Double, n: Int), Double>,
                  _ upper: KeyPath<(t: Int, median: Double, q1: Double, q3: Double, lo: Double, hi: Double, n: Int), Double>,
                  fill: String) {
            let top = rows.map { (frame.x(Double($0.t)), frame.y($0[keyPath: upper])) }
            let bottom = rows.reversed().map { (frame.x(Double($0.t)), frame.y($0[keyPath: lower])) }
            c.polygon(top + bottom, fill: fill)
        }
        band(\.lo, \.hi, fill: "#c6dbef")
        band(\.q1, \.q3, fill: "#6baed6")
        c.polyline(rows.map { (frame.x(Double($0.t)), frame.y($0.median)) }, stroke: "#08306b", width: 2.2)
        legend(on: &c, x: 740, y: 50, items: [("#08306b", "median of best", nil, false), ("#6baed6", "interquartile range", nil, true),
                                              ("#c6dbef", "min–max", nil, true)])
        if let first = rows.first, let last = rows.last, first.n != last.n {
            c.text("replicates counted: \(first.n) at t = 0, \(last.n) at t = \(last.t) (incomplete replicates drop out)", 740, 130, size: 10, fill: "#555")
        }
        return c.svg(id: fitnessMedianID, title: "Median best fitness across replicates",
                     description: "Median over replicates of the best stored fitness after each tournament; dark band: interquartile range (25th–75th percentile), light band: min–max.")
    }

    /// One dot per replicate at its final best fitness; the dashed line is the median.
    static func finalBest(_ report: RunReport) -> String {
        var c = SVGCanvas(width: 960, height: 200)
        let done = report.replicates.filter { $0.bestFitness != nil }
        let values = done.compactMap(\.bestFitness)
        let frame = PlotFrame(left: 80, top: 40, width: 640, height: 100,
                              x: Scale(values: values, to: 80, 720, padding: 0.08), y: Scale(lower: 0, upper: 1, to: 140, 40))
        c.text("Final best fitness of each replicate (strip plot, \(done.count) replicate\(done.count == 1 ? "" : "s"))", 80, 22, size: 14, weight: "bold")
        frame.drawAxes(on: &c, xLabel: fitnessLabel(report), yLabel: "", yTicks: 0, grid: true)
        if let s = report.finalBest {
            let x = frame.x(s.median)
            c.line(x, frame.top, x, frame.bottom, stroke: "#555", width: 1.2, dash: "4 3")
            let onTheLeft = x > frame.left + frame.width / 2
            c.text("median \(ReportFormat.fitness(s.median))", onTheLeft ? x - 4 : x + 4, frame.top + 12, size: 10,
                   anchor: onTheLeft ? "end" : "start", fill: "#555")
        }
        // Dots first, then every label on top of them with a white halo, so no later dot hides
        // an earlier label. Replicates are spread over rows by index, so equal values stay apart.
        let rowsUsed = min(max(done.count, 1), 5)
        func place(_ i: Int) -> (Double, Double) {
            let r = done[i]
            return (frame.x(r.bestFitness!), frame.y(0.15 + 0.7 * (Double(i % rowsUsed) + 0.5) / Double(rowsUsed)))
        }
        for (i, r) in done.enumerated() {
            let (x, y) = place(i)
            c.circle(x, y, r: 6, fill: Palette.replicate(r.replicate), stroke: "#222", opacity: 0.85,
                     tooltip: "replicate \(r.replicate): \(ReportFormat.fitness(r.bestFitness!))")
        }
        if done.count <= 24 {
            for (i, r) in done.enumerated() {
                let (x, y) = place(i)
                c.text("\(r.replicate)", x + 9, y + 4, size: 10, anchor: "start", fill: "#111", halo: true)
            }
        }
        legend(on: &c, x: 740, y: 50, items: [("#555", "median", "4 3", false)])
        c.text("dot label: replicate", 740, 76, size: 11)
        return c.svg(id: finalBestID, title: "Final best fitness distribution",
                     description: "Strip plot: one dot per replicate at its final best fitness, labelled with the replicate to its right; the vertical position only separates dots.")
    }

    // MARK: - Genes

    /// A grid of small panels, one per gene.
    static func genePanels(_ report: RunReport, id: String, title: String, heading: String, description: String,
                           draw: (inout SVGCanvas, Int, Double, Double) -> Void) -> String {
        let genes = report.layout.genes.count
        let columns = 3, cellW = 320.0, cellH = 250.0
        let rows = max(1, (genes + columns - 1) / columns)
        var c = SVGCanvas(width: cellW * Double(columns), height: 40 + cellH * Double(rows))
        c.text(heading, 20, 22, size: 14, weight: "bold")
        for g in 0..<genes {
            let x0 = Double(g % columns) * cellW, y0 = 40 + Double(g / columns) * cellH
            draw(&c, g, x0, y0)
        }
        return c.svg(id: id, title: title, description: description)
    }

    /// All values of gene `g` over every committed evaluation (for a shared axis choice).
    static func geneValues(_ report: RunReport, _ g: Int) -> [Double] {
        report.evaluations.flatMap { $0.genotypes.map { $0[g] } }
    }

    /// Each gene's value in the best slot after each tournament, one step line per replicate.
    static func geneLineage(_ report: RunReport) -> String {
        genePanels(report, id: geneLineageID, title: "Genes along the best lineage",
                   heading: "Genes of the best evaluation after each tournament (one line per replicate)",
                   description: "For each gene: its value in the best evaluation after each number of tournaments (highest fitness so far, ties to the earliest row); a log axis where the gene spans three or more decades.") { c, g, x0, y0 in
            let all = geneValues(report, g)
            let maxT = max(1, report.replicates.map { $0.lineage.count - 1 }.max() ?? 1)
            let frame = PlotFrame(left: x0 + 70, top: y0 + 26, width: 230, height: 160,
                                  x: Scale(lower: 0, upper: Double(maxT), to: x0 + 70, x0 + 300, integerTicks: true),
                                  y: Scale(values: report.replicates.flatMap { $0.lineage.map { $0.genotype[g] } },
                                           to: y0 + 186, y0 + 26, preferLog: Scale.wantsLog(all)))
            let name = report.layout.genes[g].name
            c.text(name, x0 + 185, y0 + 16, size: 12, anchor: "middle", weight: "bold")
            frame.drawAxes(on: &c, xLabel: "tournaments completed", yLabel: geneLabel(name), xTicks: 4, yTicks: 4, fontSize: 10)
            // One hoverable dot where each replicate's best changes (and at its start).
            for r in report.replicates where !r.lineage.isEmpty {
                var points: [(Double, Double)] = []
                for (t, p) in r.lineage.enumerated() {
                    let y = frame.y(p.genotype[g])
                    if t > 0 { points.append((frame.x(Double(t)), points.last!.1)) }
                    points.append((frame.x(Double(t)), y))
                }
                if r.lineage.count == 1 {
                    c.circle(points[0].0, points[0].1, r: 3, fill: Palette.replicate(r.replicate),
                             tooltip: "replicate \(r.replicate), initial population: \(name) = \(ReportFormat.gene(r.lineage[0].genotype[g]))")
                }
                c.polyline(points, stroke: Palette.replicate(r.replicate), width: 1.6)
                for (t, p) in r.lineage.enumerated() where r.lineage.count > 1 && (t == 0 || p.row != r.lineage[t - 1].row) {
                    c.circle(frame.x(Double(t)), frame.y(p.genotype[g]), r: 2.5, fill: Palette.replicate(r.replicate),
                             tooltip: "replicate \(r.replicate), after \(t) tournaments: row \(p.row), \(name) = \(ReportFormat.gene(p.genotype[g])), fitness \(ReportFormat.fitness(p.fitness))")
                }
            }
        }
    }

    /// Each gene against fitness over every committed evaluation (hollow: not scored normally).
    static func geneFitness(_ report: RunReport) -> String {
        let fitness = report.evaluations.flatMap(\.fitness)
        return genePanels(report, id: geneFitnessID, title: "Genes against fitness",
                          heading: "Fitness against each gene over all \(fitness.count) evaluations (colour: replicate; hollow: invalid or numerical failure)",
                          description: "Scatter of every committed evaluation: gene value against fitness; a log axis where the gene spans three or more decades.") { c, g, x0, y0 in
            let all = geneValues(report, g)
            let frame = PlotFrame(left: x0 + 70, top: y0 + 26, width: 230, height: 160,
                                  x: Scale(values: all, to: x0 + 70, x0 + 300, preferLog: Scale.wantsLog(all)),
                                  y: Scale(values: fitness, to: y0 + 186, y0 + 26))
            let name = report.layout.genes[g].name
            c.text(name, x0 + 185, y0 + 16, size: 12, anchor: "middle", weight: "bold")
            frame.drawAxes(on: &c, xLabel: geneLabel(name), yLabel: "fitness", xTicks: 4, yTicks: 4, fontSize: 10)
            for (r, table) in report.evaluations.enumerated() {
                let colour = Palette.replicate(r)
                for e in 0..<table.count where table.fitness[e].isFinite && table.genotypes[e][g].isFinite {
                    let x = frame.x(table.genotypes[e][g]), y = frame.y(table.fitness[e])
                    let tip = "replicate \(r), row \(e): \(name) = \(ReportFormat.gene(table.genotypes[e][g])), fitness \(ReportFormat.fitness(table.fitness[e]))"
                        + (table.status[e] == 0 ? "" : " (\(RunReport.statusName(table.status[e])))")
                    if table.status[e] == 0 {
                        c.circle(x, y, r: 2.6, fill: colour, opacity: 0.6, tooltip: tip)
                    } else {
                        c.circle(x, y, r: 2.6, fill: "none", stroke: colour, tooltip: tip)
                    }
                }
            }
        }
    }
}
