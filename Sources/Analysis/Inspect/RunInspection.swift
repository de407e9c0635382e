import Foundation
import MushroomBodyModel
import RunFile

/// A summary of a run file for `autoparam inspect`: provenance, layout, and per replicate its
/// status, committed evaluations and tournaments, best fitness, evaluation statuses and the
/// spikes recorded. Reads only committed rows, so it works on the file of a killed or running
/// writer.
public enum RunInspection {
    /// The summary as text, one fact per line.
    public static func summary(path: String) throws -> String {
        let reader = try RunReader(path: path)
        defer { try? reader.close() }
        let p = reader.provenance, l = reader.layout
        var out = ""
        func line(_ key: String, _ value: String) { out += key.padding(toLength: 14, withPad: " ", startingAt: 0) + value + "\n" }
        let bytes = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.int64Value ?? 0
        line("file", "\(path) (\(byteCount(bytes)))")
        line("format", "\(p.formatName) \(p.formatVersion), written by autoparam \(p.toolVersion)")
        line("experiment", "\(p.experimentName), master seed \(p.masterSeed)")
        line("created", "\(p.createdISO8601) on \(p.host), \(p.threads) threads")
        let dataset = try reader.dataset()
        line("dataset", "\(dataset.imageCount) images, classes \(dataset.classNames.joined(separator: ", "))")
        line("genes", l.genes.map(\.name).joined(separator: ", "))
        line("components", l.componentNames.joined(separator: ", "))
        line("spikes", l.populationNames.isEmpty ? "not recorded" : l.populationNames.joined(separator: ", ")
             + String(format: " (dt %g ms, %d steps per evaluation)", l.dtMilliseconds, l.stepsPerEvaluation))
        line("weights", l.recordsWeights ? "final KC→DN weights recorded" : "not recorded")
        line("replicates", "\(l.replicateCount)")
        var incomplete: [String] = []
        for r in 0..<l.replicateCount {
            let state = try reader.state(replicate: r)
            let table = try reader.evaluations(replicate: r)
            let best = table.fitness.filter { !$0.isNaN }.max()
            let counts = [0, 1, 2].map { code in table.status.filter { $0 == Int32(code) }.count }
            var spikeTotals: [String] = []
            for name in l.populationNames {
                var n = 0
                for e in 0..<table.count { n += try reader.spikes(replicate: r, evaluation: e, population: name).count }
                spikeTotals.append("\(name) \(n)")
            }
            out += String(format: "  %03d  ", r) + state.status.rawValue.padding(toLength: 12, withPad: " ", startingAt: 0)
                + "evaluations \(state.committedEvaluations), tournaments \(state.committedTournaments), best fitness "
                + (best.map { String(format: "%g", $0) } ?? "-") + "\n"
            out += "       statuses: ok \(counts[0]), invalid genotype \(counts[1]), numerical failure \(counts[2])"
                + (spikeTotals.isEmpty ? "" : "; spikes " + spikeTotals.joined(separator: ", ")) + "\n"
            if state.status != .complete && state.status != .pending { incomplete.append("\(r) (\(state.status.rawValue))") }
        }
        if !incomplete.isEmpty {
            out += "incomplete    replicates \(incomplete.joined(separator: ", ")): only committed tournaments are shown; "
                + "continue with `autoparam run EXPERIMENT --resume`\n"
        }
        return out
    }

    static func byteCount(_ n: Int64) -> String {
        let units = ["B", "KiB", "MiB", "GiB"]
        var x = Double(n), u = 0
        while x >= 1024 && u < units.count - 1 { x /= 1024; u += 1 }
        return u == 0 ? "\(n) B" : String(format: "%.1f %@", x, units[u])
    }
}
