/// A plain-text table: columns padded to their widest cell, two spaces apart, no trailing
/// spaces.
struct TextTable {
    enum Alignment { case left, right }
    var header: [String]
    var alignments: [Alignment]
    var rows: [[String]] = []
    /// Spaces before every line.
    var indent = 2

    func rendered() -> String {
        let all = [header] + rows
        let widths = header.indices.map { c in all.map { $0[c].count }.max() ?? 0 }
        return all.map { cells in
            var line = String(repeating: " ", count: indent)
            for (c, cell) in cells.enumerated() {
                let pad = String(repeating: " ", count: widths[c] - cell.count)
                line += c == 0 ? "" : "  "
                line += alignments[c] == .right ? pad + cell : cell + pad
            }
            while line.last == " " { line.removeLast() }
            return line + "\n"
        }.joined()
    }
}

extension RunReport {
    /// `name=value` pairs of a genotype, in gene order, values as ``ReportFormat/gene(_:)``.
    public func genotypeText(_ genotype: [Double]) -> String {
        zip(layout.genes, genotype).map { "\($0.name)=\(ReportFormat.gene($1))" }.joined(separator: " ")
    }

    /// The report for people (docs/report.md, "The text report").
    public func text() -> String {
        var out = "run file     \(path)\n"
        let p = provenance
        out += "experiment   \(p.experimentName), master seed \(p.masterSeed)\n"
        out += "written by   autoparam \(p.toolVersion), \(p.createdISO8601), host \(p.host), \(p.threads) threads\n"
        out += "genes        \(layout.genes.map(\.name).joined(separator: ", "))\n"
        out += "spikes       \(layout.populationNames.isEmpty ? "not recorded" : layout.populationNames.joined(separator: ", "))\n"
        let lines = incompleteLines
        if lines.isEmpty {
            out += "status       complete: \(replicates.count) of \(replicates.count) replicates\n"
        } else {
            for line in lines { out += line + "\n" }
            if expectedTournamentsFromText, let n = expectedTournaments {
                out += "(\(n) tournaments: ga.tournaments of the recorded experiment file; --set overrides of the run are not recorded)\n"
            }
            out += "(every number below covers committed tournaments only)\n"
        }

        out += "\nReplicates\n"
        var table = TextTable(header: ["replicate", "status", "evaluations", "tournaments", "best fitness (max)", "wall s", "best genotype"],
                              alignments: [.right, .left, .right, .right, .right, .right, .left])
        for r in replicates {
            let best = r.bestFitness.map { f in
                "\(ReportFormat.fitness(f)) (\(r.maxFitness.map(ReportFormat.fitness) ?? "-"))"
            } ?? "-"
            table.rows.append([String(r.replicate), r.status.rawValue, String(r.committedEvaluations), String(r.committedTournaments),
                               best, r.wallSeconds.map(ReportFormat.seconds) ?? "-", r.best.map { genotypeText($0.genotype) } ?? "-"])
        }
        out += table.rendered()

        out += "\nFinal best fitness over \(finalBest?.count ?? 0) replicate\(finalBest?.count == 1 ? "" : "s")\n"
        if let s = finalBest {
            var summary = TextTable(header: ["mean", "sd", "median", "min", "max"], alignments: Array(repeating: .right, count: 5))
            summary.rows.append([ReportFormat.fitness(s.mean), s.standardDeviation.map(ReportFormat.fitness) ?? "-",
                                 ReportFormat.fitness(s.median), ReportFormat.fitness(s.minimum), ReportFormat.fitness(s.maximum)])
            out += summary.rendered()
        } else {
            out += "  (no replicate has committed its initial population)\n"
        }
        out += "\nTournaments to reach 90 % of the final best\n"
        let reached = replicates.compactMap { r in r.tournamentsTo90Percent.map { "replicate \(r.replicate): \($0)" } }
        if reached.isEmpty {
            out += "  -\n"
        } else {
            out += "  " + reached.joined(separator: ", ")
            out += "; median \(tournamentsTo90PercentMedian.map(ReportFormat.count) ?? "-")\n"
        }

        out += "\nGenes of the final populations (\(finalGenotypeCount) genotypes, latest checkpoint of \(finalPopulationReplicates) replicate\(finalPopulationReplicates == 1 ? "" : "s"))\n"
        var geneTable = TextTable(header: ["gene", "mean", "sd", "min", "max"], alignments: [.left, .right, .right, .right, .right])
        for gene in genes {
            if let s = gene.statistics {
                geneTable.rows.append([gene.name, ReportFormat.statistic(s.mean), s.standardDeviation.map(ReportFormat.statistic) ?? "-",
                                       ReportFormat.statistic(s.minimum), ReportFormat.statistic(s.maximum)])
            } else {
                geneTable.rows.append([gene.name, "-", "-", "-", "-"])
            }
        }
        out += geneTable.rendered()
        return out
    }
}
