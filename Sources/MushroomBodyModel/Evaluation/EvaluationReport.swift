import Foundation

/// Text and JSON renderings of an ``EvaluationResult`` for the command line.
public enum EvaluationReport {
    /// Human-readable summary, one fact per line.
    public static func text(_ r: EvaluationResult) -> String {
        var out = ""
        out += "fitness      \(number(r.fitness)) / \(number(r.maxFitness))\n"
        out += "status       \(r.status)\n"
        out += "components\n"
        let width = r.componentNames.map(\.count).max() ?? 0
        for (name, value) in zip(r.componentNames, r.components) {
            out += "  \(name.padding(toLength: width, withPad: " ", startingAt: 0))  \(number(value))\n"
        }
        out += "spikes       " + zip(r.populationNames, r.spikeCounts).map { "\($0) \($1)" }.joined(separator: ", ") + "\n"
        out += "neurons      " + zip(r.populationNames, r.populationSizes).map { "\($0) \($1)" }.joined(separator: ", ") + "\n"
        out += "steps        \(r.steps)\n"
        out += "wall time    \(String(format: "%.3f", r.wallSeconds)) s\n"
        return out
    }

    /// One JSON object with keys `fitness`, `max_fitness`, `components` (name → value),
    /// `status` ("ok", "invalid_genotype" or "numerical_failure"), `status_message`,
    /// `spike_counts` (population → count), `steps` and `wall_seconds`.
    public static func json(_ r: EvaluationResult) throws -> String {
        var object: [String: Any] = [:]
        object["fitness"] = jsonNumber(r.fitness)
        object["max_fitness"] = jsonNumber(r.maxFitness)
        object["components"] = Dictionary(uniqueKeysWithValues: zip(r.componentNames, r.components.map(jsonNumber)))
        object["status"] = r.status.name
        object["status_message"] = r.status.message
        object["spike_counts"] = Dictionary(uniqueKeysWithValues: zip(r.populationNames, r.spikeCounts))
        object["population_sizes"] = Dictionary(uniqueKeysWithValues: zip(r.populationNames, r.populationSizes))
        object["steps"] = r.steps
        object["wall_seconds"] = r.wallSeconds
        let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
        return String(decoding: data, as: UTF8.self)
    }

    /// JSON has no NaN: non-finite numbers become null.
    static func jsonNumber(_ x: Double) -> Any { x.isFinite ? x : NSNull() }

    public static func number(_ x: Double) -> String {
        if x == x.rounded(), abs(x) < 1e12 { return String(Int64(x)) }
        return String(format: "%.6g", x)
    }
}
