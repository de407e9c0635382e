/// A JSON value whose objects keep their key order, so `--json` output is stable and reads
/// in the order docs/report.md lists the keys.
public indirect enum JSONValue: Sendable, Hashable {
    case null
    case bool(Bool)
    case int(Int64)
    case uint(UInt64)
    /// Written with Swift's shortest round-trip text; NaN and infinities become null.
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([(String, JSONValue)])

    public static func == (a: JSONValue, b: JSONValue) -> Bool { a.serialized() == b.serialized() }
    public func hash(into hasher: inout Hasher) { hasher.combine(serialized()) }

    static func optional(_ x: Double?) -> JSONValue { x.map(JSONValue.number) ?? .null }
    static func optional(_ x: Int?) -> JSONValue { x.map { .int(Int64($0)) } ?? .null }

    /// Compact JSON text on one line.
    public func serialized() -> String {
        var out = ""
        write(to: &out)
        return out
    }

    private func write(to out: inout String) {
        switch self {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .int(let i): out += String(i)
        case .uint(let u): out += String(u)
        case .number(let x): out += ReportFormat.exact(x) ?? "null"
        case .string(let s): JSONValue.quote(s, into: &out)
        case .array(let items):
            out += "["
            for (i, item) in items.enumerated() {
                if i > 0 { out += "," }
                item.write(to: &out)
            }
            out += "]"
        case .object(let members):
            out += "{"
            for (i, (key, value)) in members.enumerated() {
                if i > 0 { out += "," }
                JSONValue.quote(key, into: &out)
                out += ":"
                value.write(to: &out)
            }
            out += "}"
        }
    }

    private static func quote(_ s: String, into out: inout String) {
        out += "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case let c where c.value < 0x20:
                let hex = String(c.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        out += "\""
    }
}

extension RunReport {
    /// The report as one JSON object (docs/report.md, "JSON").
    public func json() -> JSONValue {
        let p = provenance
        let provenanceJSON: JSONValue = .object([
            ("format", .string(p.formatName)), ("format_version", .int(Int64(p.formatVersion))),
            ("tool_version", .string(p.toolVersion)), ("created", .string(p.createdISO8601)),
            ("experiment_name", .string(p.experimentName)), ("master_seed", .uint(p.masterSeed)),
            ("host", .string(p.host)), ("threads", .int(Int64(p.threads))),
            ("experiment_yaml", .string(p.experimentText)),
        ])
        let layoutJSON: JSONValue = .object([
            ("genes", .array(layout.genes.map { g in
                .object([("name", .string(g.name)), ("prior", .string(g.prior)),
                         ("lower", .optional(g.lower)), ("upper", .optional(g.upper))])
            })),
            ("components", .array(layout.componentNames.map(JSONValue.string))),
            ("populations", .array(layout.populationNames.map(JSONValue.string))),
            ("dt_ms", .number(layout.dtMilliseconds)),
            ("steps_per_evaluation", .int(Int64(layout.stepsPerEvaluation))),
        ])
        func genotype(_ values: [Double]) -> JSONValue {
            .object(zip(layout.genes, values).map { ($0.name, .number($1)) })
        }
        let replicatesJSON: JSONValue = .array(replicates.map { r in
            .object([
                ("replicate", .int(Int64(r.replicate))), ("status", .string(r.status.rawValue)),
                ("recorded_status", .string(r.recordedStatus.rawValue)), ("seed", .uint(r.seed)),
                ("evaluations", .int(Int64(r.committedEvaluations))), ("tournaments", .int(Int64(r.committedTournaments))),
                ("best_fitness", .optional(r.bestFitness)), ("max_fitness", .optional(r.maxFitness)),
                ("best_evaluation_row", .optional(r.best?.row)), ("best_slot", .optional(r.best?.slot)),
                ("best_genotype", r.best.map { genotype($0.genotype) } ?? .null),
                ("wall_seconds", .optional(r.wallSeconds)), ("evaluation_seconds", .number(r.evaluationSeconds)),
                ("tournaments_to_90_percent", .optional(r.tournamentsTo90Percent)),
                ("best_fitness_trace", .array(r.trace.map { .number($0.best) })),
                ("mean_fitness_trace", .array(r.trace.map { .number($0.mean) })),
            ])
        })
        func statistics(_ s: SummaryStatistics?, median: Bool) -> JSONValue {
            guard let s else { return .null }
            var members: [(String, JSONValue)] = [("count", .int(Int64(s.count))), ("mean", .number(s.mean)),
                                                  ("sd", .optional(s.standardDeviation))]
            if median { members.append(("median", .number(s.median))) }
            members += [("min", .number(s.minimum)), ("max", .number(s.maximum))]
            return .object(members)
        }
        return .object([
            ("run_file", .string(path)),
            ("complete", .bool(isComplete)),
            ("incomplete", .array(incompleteLines.map(JSONValue.string))),
            ("expected_tournaments", .optional(expectedTournaments)),
            ("expected_tournaments_source", expectedTournaments == nil ? .null
                : .string(expectedTournamentsFromText ? "experiment_text" : "complete_replicate")),
            ("provenance", provenanceJSON),
            ("layout", layoutJSON),
            ("replicates", replicatesJSON),
            ("final_best_fitness", statistics(finalBest, median: true)),
            ("tournaments_to_90_percent", .object([
                ("per_replicate", .array(replicates.map { .optional($0.tournamentsTo90Percent) })),
                ("median", .optional(tournamentsTo90PercentMedian)),
            ])),
            ("final_population", .object([
                ("genotypes", .int(Int64(finalGenotypeCount))),
                ("replicates", .int(Int64(finalPopulationReplicates))),
                ("genes", .array(genes.map { g in
                    var members: [(String, JSONValue)] = [("name", .string(g.name))]
                    if case .object(let stats) = statistics(g.statistics, median: false) { members += stats } else {
                        members += [("count", .int(0)), ("mean", .null), ("sd", .null), ("min", .null), ("max", .null)]
                    }
                    return .object(members)
                })),
            ])),
        ])
    }
}
