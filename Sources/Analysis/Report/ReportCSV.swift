import Foundation

extension RunReport {
    /// Names of the status codes stored in `evaluations/status`.
    public static func statusName(_ code: Int32) -> String {
        switch code {
        case 0: return "ok"
        case 1: return "invalid_genotype"
        case 2: return "numerical_failure"
        default: return "status_\(code)"
        }
    }

    /// Gene names whose bits are set in a per-gene 0/1 mask, joined by "+" ("" for none).
    public func geneNames(mask: [UInt8]) -> String {
        zip(layout.genes, mask).filter { $1 != 0 }.map(\.0.name).joined(separator: "+")
    }

    /// The text of `evaluations.csv` (docs/report.md, "CSV files"): a header, then one row per
    /// committed evaluation of every replicate, replicate by replicate, row by row; the last
    /// columns are the evaluation's spike count in each recorded population (`spikes_KC`, …).
    public func evaluationsCSV() -> String {
        var out = CSV.line(["replicate", "row", "tournament", "slot", "fitness", "max_fitness", "status", "status_message",
                            "seed", "wall_seconds"] + layout.genes.map(\.name) + layout.componentNames
                           + layout.populationNames.map { "spikes_\($0)" })
        for (r, table) in evaluations.enumerated() {
            for e in 0..<table.count {
                var cells = [String(r), String(e), String(table.tournaments[e]), String(table.slots[e]),
                             CSV.number(table.fitness[e]), CSV.number(table.maxFitness[e]), Self.statusName(table.status[e]),
                             table.statusMessages[e], String(table.seeds[e]), CSV.number(table.wallSeconds[e])]
                cells += table.genotypes[e].map(CSV.number)
                cells += table.components[e].map(CSV.number)
                cells += spikeCounts[r].map { String($0[e]) }
                out += CSV.line(cells)
            }
        }
        return out
    }

    /// The text of `tournaments.csv`: a header, then one row per committed tournament of every
    /// replicate. The masks are written twice: as 0/1 strings in gene order, prefixed with "m"
    /// so that spreadsheets and pandas keep them as text ("m011010"), and as gene names.
    public func tournamentsCSV() -> String {
        var out = CSV.line(["replicate", "tournament", "a", "b", "winner", "loser", "evaluation_row", "best_fitness",
                            "mean_fitness", "min_fitness", "crossover_mask", "mutation_mask", "crossover_genes", "mutated_genes"])
        for (r, played) in tournaments.enumerated() {
            for t in played {
                out += CSV.line([String(r), String(t.index), String(t.a), String(t.b), String(t.winner), String(t.loser),
                                 String(t.evaluationRow), CSV.number(t.bestFitness), CSV.number(t.meanFitness),
                                 CSV.number(t.minFitness), CSV.mask(t.crossoverMask), CSV.mask(t.mutatedGenes),
                                 geneNames(mask: t.crossoverMask), geneNames(mask: t.mutatedGenes)])
            }
        }
        return out
    }

    /// Writes `evaluations.csv` and `tournaments.csv` into `directory` (created if needed) and
    /// returns their paths.
    @discardableResult
    public func writeCSV(to directory: String) throws -> [String] {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let base = URL(fileURLWithPath: directory)
        var written: [String] = []
        for (name, text) in [("evaluations.csv", evaluationsCSV()), ("tournaments.csv", tournamentsCSV())] {
            let url = base.appendingPathComponent(name)
            try Data(text.utf8).write(to: url)
            written.append(url.path)
        }
        return written
    }
}

/// RFC 4180 CSV: comma separated, "\n" line ends, a cell quoted when it holds a comma, a
/// quote or a line break.
enum CSV {
    static func line(_ cells: [String]) -> String { cells.map(cell).joined(separator: ",") + "\n" }

    static func cell(_ s: String) -> String {
        guard s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return s }
        return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// A number as ``ReportFormat/exact(_:)``; an empty cell for NaN and infinities.
    static func number(_ x: Double) -> String { ReportFormat.exact(x) ?? "" }

    /// "m" then one 0/1 character per gene.
    static func mask(_ bits: [UInt8]) -> String { "m" + bits.map { $0 != 0 ? "1" : "0" }.joined() }
}
