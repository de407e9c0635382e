import RunFile
/// The report as one self-contained HTML page: tables, inline SVG plots, the experiment file
/// and the provenance; no scripts, no styles or fonts fetched from anywhere.
public enum ReportPage {
    /// Ids of the plots the page can hold, in page order (docs/report.md).
    public static let plotIDs = [ReportPlots.fitnessTracesID, ReportPlots.fitnessMedianID, ReportPlots.finalBestID,
                                 ReportPlots.geneLineageID, ReportPlots.geneFitnessID, ReportPlots.spikeRasterID,
                                 ReportPlots.dnResponsesID]

    static let style = """
        body { font-family: "DejaVu Sans", Helvetica, Arial, sans-serif; margin: 24px 32px; color: #222; max-width: 1400px; }
        h1 { font-size: 22px; margin-bottom: 4px; }
        h2 { font-size: 18px; margin-top: 32px; border-bottom: 1px solid #ccc; padding-bottom: 4px; }
        table { border-collapse: collapse; margin: 8px 0 16px 0; font-size: 13px; }
        th, td { padding: 3px 10px; border-bottom: 1px solid #e4e4e4; text-align: right; vertical-align: top; }
        th { background: #f3f3f3; }
        td.text, th.text { text-align: left; }
        td.mono { font-family: "DejaVu Sans Mono", monospace; text-align: left; font-size: 12px; }
        .incomplete { background: #fff3cd; border: 1px solid #e0c060; padding: 8px 12px; }
        .note { color: #555; font-size: 13px; }
        figure { margin: 16px 0 24px 0; }
        figcaption { font-size: 13px; color: #444; max-width: 1100px; }
        pre { background: #f7f7f7; border: 1px solid #ddd; padding: 10px; font-size: 12px; overflow-x: auto; }
        svg { display: block; max-width: 100%; height: auto; }
        td { white-space: nowrap; }
        td.mono { white-space: normal; overflow-wrap: anywhere; min-width: 6em; }
        td.wrap { white-space: normal; overflow-wrap: break-word; }
        table { max-width: 100%; }
        """

    /// The DN heat map's caption: what a response in the outlined cell does and does not show.
    static func dnCaption(_ windows: ImageWindows) -> String {
        var caption = "Spikes of each DN in each image's stimulus window (the blank is not counted); the outlined cell of each image is its labelled DN. "
        caption += "During training the teacher current drives the labelled DN through the whole stimulus window, so a response in an outlined training cell shows teacher forcing, not learning."
        if let t = windows.testStart {
            caption += " Images from \(t) on (right of the violet line) are held-out tests with the teacher off and STDP frozen: a response in their outlined cells is what the network learned."
        } else {
            caption += " This run has no test phase (teacher off), so the map cannot show what was learned."
        }
        return caption
    }

    /// The page for `report`; `reader` supplies the data set and the best evaluation's spikes.
    public static func html(_ report: RunReport, reader: RunReader) throws -> String {
        let e = HTML.escape
        let p = report.provenance
        var out = """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>autoparam report: \(e(p.experimentName))</title>
            <style>
            \(style)
            </style>
            </head>
            <body>
            <h1>autoparam report: \(e(p.experimentName))</h1>
            <p class="note">run file <code>\(e(report.path))</code>; master seed \(p.masterSeed); written by autoparam \(e(p.toolVersion)) on \(e(p.createdISO8601)).</p>

            """
        let incomplete = report.incompleteLines
        if incomplete.isEmpty {
            out += "<p>All \(report.replicates.count) replicates are complete.</p>\n"
        } else {
            out += "<div class=\"incomplete\"><strong>This run is incomplete.</strong> Everything below covers committed tournaments only.<br>\n"
            out += incomplete.map(e).joined(separator: "<br>\n") + "</div>\n"
        }

        // Tables.
        out += "<h2>Replicates</h2>\n<table>\n<tr><th>replicate</th><th class=\"text\">status</th><th>evaluations</th><th>tournaments</th><th>best fitness</th><th>max</th><th>wall s</th><th>tournaments to 90 %</th><th class=\"text\">best genotype</th></tr>\n"
        for r in report.replicates {
            out += "<tr><td>\(r.replicate)</td><td class=\"text\">\(r.status.rawValue)</td><td>\(r.committedEvaluations)</td><td>\(r.committedTournaments)</td>"
            out += "<td>\(r.bestFitness.map(ReportFormat.fitness) ?? "-")</td><td>\(r.maxFitness.map(ReportFormat.fitness) ?? "-")</td>"
            out += "<td>\(r.wallSeconds.map(ReportFormat.seconds) ?? "-")</td><td>\(r.tournamentsTo90Percent.map(String.init) ?? "-")</td>"
            out += "<td class=\"mono\">\(e(r.best.map { report.genotypeText($0.genotype) } ?? "-"))</td></tr>\n"
        }
        out += "</table>\n"
        if let s = report.finalBest {
            out += "<p>Final best fitness over \(s.count) replicate\(s.count == 1 ? "" : "s"):</p>\n<table><tr><th>mean</th><th>sd</th><th>median</th><th>min</th><th>max</th><th>median tournaments to 90 %</th></tr>\n"
            out += "<tr><td>\(ReportFormat.fitness(s.mean))</td><td>\(s.standardDeviation.map(ReportFormat.fitness) ?? "-")</td><td>\(ReportFormat.fitness(s.median))</td>"
            out += "<td>\(ReportFormat.fitness(s.minimum))</td><td>\(ReportFormat.fitness(s.maximum))</td><td>\(report.tournamentsTo90PercentMedian.map(ReportFormat.count) ?? "-")</td></tr>\n</table>\n"
        }
        out += "<p>Genes of the final populations (\(report.finalGenotypeCount) genotypes: the latest checkpoint of \(report.finalPopulationReplicates) replicate\(report.finalPopulationReplicates == 1 ? "" : "s")):</p>\n"
        out += "<table>\n<tr><th class=\"text\">gene</th><th class=\"text\">prior</th><th>mean</th><th>sd</th><th>min</th><th>max</th></tr>\n"
        for (gene, description) in zip(report.genes, report.layout.genes) {
            let s = gene.statistics
            out += "<tr><td class=\"text\">\(e(gene.name))</td><td class=\"mono\">\(e(description.prior))</td>"
            out += "<td>\(s.map { ReportFormat.statistic($0.mean) } ?? "-")</td><td>\(s?.standardDeviation.map(ReportFormat.statistic) ?? "-")</td>"
            out += "<td>\(s.map { ReportFormat.statistic($0.minimum) } ?? "-")</td><td>\(s.map { ReportFormat.statistic($0.maximum) } ?? "-")</td></tr>\n"
        }
        out += "</table>\n"

        // Plots.
        func figure(_ svg: String, _ caption: String) -> String {
            "<figure>\n\(svg)\n<figcaption>\(e(caption))</figcaption>\n</figure>\n"
        }
        out += "<h2>Fitness</h2>\n"
        out += figure(ReportPlots.fitnessTraces(report), "Best (solid) and mean (dashed) stored fitness of each replicate's population after each committed tournament. x: tournaments completed; 0 is the initial population (tournaments are numbered from 0, so point n is the population after tournament n − 1). Replicates whose best traces coincide are offset by a pixel and named below the plot.")
        out += figure(ReportPlots.fitnessMedian(report), "Across replicates: the median of the best stored fitness after each tournament, with the interquartile range (25th to 75th percentile, dark band) and the min–max range (light band) of the replicates that reached that tournament.")
        out += figure(ReportPlots.finalBest(report), "Distribution of the final best fitness: one dot per replicate (strip plot); the vertical spread only separates the dots.")
        out += "<h2>Genes</h2>\n"
        out += figure(ReportPlots.geneLineage(report), "The best lineage: each gene's value in the best evaluation after n tournaments (the highest fitness among the evaluations so far, ties to the earliest row; the same best as in the tables, the JSON, export-genn and the notebooks), one step line per replicate. Genes whose values span three or more decades use a log axis.")
        out += figure(ReportPlots.geneFitness(report), "Every committed evaluation: gene value against fitness (filled: scored normally; hollow: invalid genotype or numerical failure). Hover over a dot for its replicate, row, gene value and fitness. Genes whose values span three or more decades use a log axis.")

        out += "<h2>Best evaluation</h2>\n"
        if let best = try BestEvaluation(report: report, reader: reader) {
            let status = RunReport.statusName(best.status)
            out += "<p>Replicate \(best.replicate), evaluation row \(best.row): fitness \(ReportFormat.fitness(best.fitness)) of \(ReportFormat.fitness(best.maxFitness)), status \(status)\(best.statusMessage.isEmpty ? "" : " (\(e(best.statusMessage)))").<br>\n"
            out += "<code>\(e(report.genotypeText(best.genotype)))</code></p>\n"
            let dataset = try reader.dataset()
            let windows = ImageWindows(layout: report.layout, dataset: dataset, experiment: report.experiment, genotype: best.genotype)
            if best.populationNames.isEmpty {
                out += "<p class=\"note\">Spikes were not recorded in this run (<code>record.spikes: none</code> or <code>record.evaluations: none</code>), so there is no spike raster and no DN response map.</p>\n"
            } else if best.status == 1 {
                out += "<p class=\"note\">The best evaluation was not simulated (invalid genotype), so it has no spikes to show.</p>\n"
            } else {
                out += figure(ReportPlots.spikeRaster(best, windows: windows, dt: report.layout.dtMilliseconds, steps: report.layout.stepsPerEvaluation),
                              "Every recorded spike of the best evaluation (\(best.populationNames.joined(separator: ", "))): neuron index against time. Shaded: each image's stimulus window; the number above it is the image's label.")
                if let windows, let counts = best.dnStimulusCounts(windows) {
                    out += figure(ReportPlots.dnResponses(best, windows: windows, counts: counts),
                                  best.populationNames.isEmpty ? "" : dnCaption(windows))
                } else if windows == nil {
                    out += "<p class=\"note\">The image windows cannot be worked out (steps per evaluation do not divide by the number of images), so there is no DN response map.</p>\n"
                } else {
                    out += "<p class=\"note\">DN spikes were not recorded in this run, so there is no DN response map.</p>\n"
                }
            }
        } else {
            out += "<p class=\"note\">No evaluation has been committed yet.</p>\n"
        }

        out += "<h2>Experiment file</h2>\n"
        out += "<p class=\"note\">As recorded in the run file (attribute <code>experiment_yaml</code>); <code>--set</code> overrides given to <code>autoparam run</code> are not part of it.</p>\n"
        out += "<pre>\(e(p.experimentText))</pre>\n"
        out += "<h2>Provenance</h2>\n<table>\n"
        let rows: [(String, String)] = [
            ("run file", report.path), ("format", "\(p.formatName) version \(p.formatVersion)"), ("tool version", p.toolVersion),
            ("created", p.createdISO8601), ("experiment", p.experimentName), ("master seed", String(p.masterSeed)),
            ("host", p.host), ("threads", String(p.threads)), ("time step", "\(ReportFormat.gene(report.layout.dtMilliseconds)) ms"),
            ("steps per evaluation", String(report.layout.stepsPerEvaluation)),
            ("fitness components", report.layout.componentNames.joined(separator: ", ")),
            ("recorded populations", report.layout.populationNames.isEmpty ? "none" : report.layout.populationNames.joined(separator: ", ")),
            ("replicate seeds", report.replicates.map { "\($0.replicate): \($0.seed)" }.joined(separator: ", ")),
        ]
        for (key, value) in rows { out += "<tr><th class=\"text\">\(e(key))</th><td class=\"text wrap\">\(e(value))</td></tr>\n" }
        out += "</table>\n</body>\n</html>\n"
        return out
    }
}
