import Foundation
import RunFile

/// One line of `autoparam runs`: a run file found under a directory (docs/compare.md).
public struct CatalogueEntry: Sendable {
    /// Path relative to the directory searched.
    public var name: String
    public var path: String
    public var experimentName: String
    public var masterSeed: UInt64
    public var replicates: Int
    public var replicatesComplete: Int
    /// The best evaluation's fitness over every replicate (highest, ties to the earliest row).
    public var bestFitness: Double?
    /// The rubric and network of the recorded experiment (nil when its text does not parse).
    public var rubric: String?
    public var network: String?
    public var created: String
    /// Sum of the replicates' recorded wall-clock seconds (nil while none has finished).
    public var wallSeconds: Double?
    public var bytes: Int64
}

/// Every run file under a directory, with a line of facts each (`autoparam runs`).
public struct RunCatalogue: Sendable {
    public var directory: String
    public var entries: [CatalogueEntry]
    /// Files ending in `.h5` that are not readable run files, with the reason.
    public var skipped: [(path: String, reason: String)]

    /// Searches `directory` and its subdirectories for `*.h5` files (not `*.partial`), sorted by path.
    public init(directory: String) throws {
        self.directory = directory
        let fm = FileManager.default
        guard let walker = fm.enumerator(atPath: directory) else {
            throw RunFileError("cannot list '\(directory)'")
        }
        var names: [String] = []
        while let name = walker.nextObject() as? String {
            if name.hasSuffix(".h5") { names.append(name) }
        }
        var entries: [CatalogueEntry] = [], skipped: [(String, String)] = []
        for name in names.sorted() {
            let path = (directory as NSString).appendingPathComponent(name)
            do {
                let report = try RunReport.load(path: path)
                let bytes = (try? fm.attributesOfItem(atPath: path)[.size] as? NSNumber)?.int64Value ?? 0
                let walls = report.replicates.compactMap(\.wallSeconds)
                entries.append(CatalogueEntry(
                    name: name, path: path, experimentName: report.provenance.experimentName,
                    masterSeed: report.provenance.masterSeed, replicates: report.replicates.count,
                    replicatesComplete: report.replicates.filter { $0.status == .complete }.count,
                    bestFitness: report.overallBest?.fitness, rubric: report.experiment?.rubric.name,
                    network: Self.network(report), created: report.provenance.createdISO8601,
                    wallSeconds: walls.isEmpty ? nil : walls.reduce(0, +), bytes: bytes))
            } catch {
                skipped.append((path, "\(error)"))
            }
        }
        self.entries = entries
        self.skipped = skipped
    }

    /// The network the experiment builds: its `network:` key when it has one, else the
    /// mushroom body (the only network of files written before the key existed).
    static func network(_ report: RunReport) -> String {
        let text = report.provenance.resolvedExperiment.isEmpty ? report.provenance.experimentText : report.provenance.resolvedExperiment
        for line in text.split(separator: "\n") where line.hasPrefix("network:") {
            let value = line.dropFirst("network:".count).trimmingCharacters(in: .whitespaces)
            if !value.isEmpty && !value.hasPrefix("{") { return value }
            if let name = value.split(separator: ",").first?.split(separator: ":").last {
                return name.trimmingCharacters(in: CharacterSet(charactersIn: " {}\"'"))
            }
        }
        return "mushroom_body"
    }

    /// A size for people: "812 B", "3.4 MB".
    static func size(_ bytes: Int64) -> String {
        let units = ["B", "kB", "MB", "GB", "TB"]
        var value = Double(bytes), unit = 0
        while value >= 1000 && unit < units.count - 1 { value /= 1000; unit += 1 }
        return unit == 0 ? "\(bytes) B" : String(format: "%.1f %@", value, units[unit])
    }

    public func text() -> String {
        var table = TextTable(header: ["name", "experiment", "master seed", "complete/all", "best fitness", "rubric", "network",
                                       "created", "wall s", "size"],
                              alignments: [.left, .left, .right, .right, .right, .left, .left, .left, .right, .right])
        for e in entries {
            table.rows.append([e.name, e.experimentName, String(e.masterSeed), "\(e.replicatesComplete)/\(e.replicates)",
                               e.bestFitness.map(ReportFormat.fitness) ?? "-", e.rubric ?? "-", e.network ?? "-", e.created,
                               e.wallSeconds.map(ReportFormat.seconds) ?? "-", Self.size(e.bytes)])
        }
        return entries.isEmpty ? "no run files under \(directory)\n" : table.rendered()
    }

    public func json() -> JSONValue {
        .object([
            ("directory", .string(directory)),
            ("runs", .array(entries.map { e in
                .object([("name", .string(e.name)), ("path", .string(e.path)), ("experiment_name", .string(e.experimentName)),
                         ("master_seed", .uint(e.masterSeed)), ("replicates", .int(Int64(e.replicates))),
                         ("replicates_complete", .int(Int64(e.replicatesComplete))), ("best_fitness", .optional(e.bestFitness)),
                         ("rubric", e.rubric.map(JSONValue.string) ?? .null), ("network", e.network.map(JSONValue.string) ?? .null),
                         ("created", .string(e.created)), ("wall_seconds", .optional(e.wallSeconds)), ("bytes", .int(e.bytes))])
            })),
            ("skipped", .array(skipped.map { .object([("path", .string($0.path)), ("reason", .string($0.reason))]) })),
        ])
    }
}
