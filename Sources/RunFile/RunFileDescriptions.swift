import HDF5

/// The units and description of every dataset of a run file: the one table the recorder
/// writes as each dataset's `units` and `description` attributes, so a file read without these
/// docs still says what each array holds (docs/hdf5-layout.md, "Self-description").
///
/// Keys are paths relative to the group that holds the dataset's kind: `dataset/…` below the
/// root, `evaluations/…`, `tournaments/…`, `genes/…`, `weights/…` and `checkpoint/…` below a
/// replicate, and `spikes/*/…` for every population's spike group (`*` stands for the
/// population name). A dataset added later needs one line here: the recorder refuses to create
/// a dataset that has no entry, and the tests walk whole files for the attributes.
///
/// Units follow the model's conventions (ms, mV, nA, µS); "1" means dimensionless (a count,
/// an index, a flag, a score in the rubric's points).
public enum RunFileDescriptions {
    /// Units and description of one dataset.
    public struct Entry: Sendable, Hashable {
        public var units: String
        public var description: String
    }

    /// Attribute names written on every dataset.
    public static let unitsAttribute = "units"
    public static let descriptionAttribute = "description"
    /// Attribute of `evaluations/status` naming each value: `value_names[v]` names status v.
    public static let valueNamesAttribute = "value_names"
    /// Names of the evaluation status codes, indexed by code (`EvaluationStatus` raw values).
    public static let statusNames = ["ok", "invalid_genotype", "numerical_failure"]

    private static func e(_ units: String, _ description: String) -> Entry { Entry(units: units, description: description) }

    /// Every dataset kind, by relative path.
    public static let table: [String: Entry] = [
        // /dataset
        "dataset/images": e("1", "pixel intensities 0-255 of each presented image, one 28x28 image per row, row-major"),
        "dataset/labels": e("1", "class index of each image, indexing the group's class_names attribute"),
        // genes/
        "genes/names": e("1", "gene names, in genotype order"),
        "genes/priors": e("1", "prior of each gene, as written in the experiment file"),
        "genes/lower": e("parameter units", "lower bound of each gene (-inf or NaN: none); the gene's unit is its parameter's (autoparam parameters)"),
        "genes/upper": e("parameter units", "upper bound of each gene (+inf or NaN: none); the gene's unit is its parameter's (autoparam parameters)"),
        // evaluations/
        "evaluations/genotype": e("parameter units", "gene values of each evaluation, columns in the order of attribute names; each column in its parameter's unit (autoparam parameters)"),
        "evaluations/fitness": e("1", "aggregate fitness of the evaluation in the rubric's points (higher is better); the best evaluation is the highest, ties to the earliest row"),
        "evaluations/max_fitness": e("1", "largest fitness the rubric can award, in the rubric's points"),
        "evaluations/components": e("1", "fitness components in the rubric's points, columns in the order of attribute names"),
        "evaluations/status": e("1", "outcome of the evaluation: 0 ok, 1 invalid_genotype (not simulated), 2 numerical_failure (state became NaN or infinite); attribute value_names names each value"),
        "evaluations/status_message": e("1", "detail of a non-ok status, empty when ok (UTF-8, NUL-padded, cut at 256 bytes)"),
        "evaluations/seed": e("1", "seed of the evaluation's random streams (from the seed tree)"),
        "evaluations/wall_seconds": e("s", "wall-clock time the evaluation took"),
        "evaluations/tournament": e("1", "0-based index of the tournament that produced the evaluation; -1 for the initial population"),
        "evaluations/slot": e("1", "population slot of the evaluated genotype"),
        "evaluations/population_sizes": e("1", "neurons in each recorded population in this evaluation, columns in the order of attribute names"),
        // tournaments/
        "tournaments/tournament": e("1", "0-based tournament index (equals the row); the initial population is not a tournament"),
        "tournaments/a": e("1", "first population slot drawn"),
        "tournaments/b": e("1", "second population slot drawn"),
        "tournaments/winner": e("1", "slot that won and kept its genotype (a or b)"),
        "tournaments/loser": e("1", "slot that lost and was overwritten (a or b)"),
        "tournaments/crossover_mask": e("1", "1 where the loser took the winner's gene, columns in gene order (attribute names)"),
        "tournaments/mutated_genes": e("1", "1 where the loser's gene was mutated, columns in gene order (attribute names)"),
        "tournaments/evaluation_row": e("1", "row of evaluations holding the loser's re-evaluation"),
        "tournaments/best_fitness": e("1", "best fitness in the population after this tournament, rubric points"),
        "tournaments/mean_fitness": e("1", "mean fitness of the population after this tournament, rubric points"),
        "tournaments/min_fitness": e("1", "minimum fitness in the population after this tournament, rubric points"),
        // spikes/<POP>/
        "spikes/*/steps": e("steps", "time step of each spike; time in ms = steps * dt_ms (attribute dt_ms)"),
        "spikes/*/ids": e("1", "index of the neuron that spiked, below population_sizes of its evaluation"),
        "spikes/*/index": e("1", "offsets: evaluation e's spikes are rows index[e] to index[e+1] (exclusive) of steps and ids"),
        // weights/
        "weights/values": e("µS", "final KC->DN weights (conductances) of all evaluations concatenated; a segment is KC x DN row-major"),
        "weights/index": e("1", "offsets: evaluation e's weights are rows index[e] to index[e+1] (exclusive) of values"),
        // seeds/ (runs with evaluation.seeds K > 1: row e·K + k is network k of evaluation e)
        "seeds/fitness": e("1", "fitness of each of the K networks of each evaluation (row e*K+k: network k of evaluation e), rubric points"),
        "seeds/components": e("1", "fitness components of each network, columns in the order of attribute names, rubric points"),
        "seeds/status": e("1", "outcome of each network: 0 ok, 1 invalid_genotype, 2 numerical_failure; attribute value_names names each value"),
        "seeds/status_message": e("1", "detail of a non-ok status of each network, empty when ok (UTF-8, NUL-padded, cut at 256 bytes)"),
        "seeds/seed": e("1", "seed of each network's random streams (network 0's is the evaluation's seed)"),
        "seeds/wall_seconds": e("s", "wall-clock time each network's evaluation took"),
        "seeds/spikes/*/steps": e("steps", "time step of each spike of each network; time in ms = steps * dt_ms"),
        "seeds/spikes/*/ids": e("1", "index of the neuron that spiked"),
        "seeds/spikes/*/index": e("1", "offsets: row r of seeds (network k of evaluation e, r = e*K+k) has spikes index[r] to index[r+1] (exclusive)"),
        // checkpoint/
        "checkpoint/population_genotypes": e("parameter units", "genotype of each population slot at the checkpoint, genes in gene order"),
        "checkpoint/population_fitness": e("1", "fitness of each population slot at the checkpoint, rubric points"),
        "checkpoint/population_evaluation_rows": e("1", "row of evaluations holding each slot's genotype"),
        "checkpoint/rng_state": e("1", "state of the replicate's GA generator (xoshiro256**, 4 words)"),
        "checkpoint/next_tournament": e("1", "0-based index of the next tournament to run"),
    ]

    /// The entry for a dataset at `path` (relative, as in ``table``; a population's name in
    /// `spikes/<POP>/…` is matched by `*`), nil when there is none.
    public static func entry(for path: String) -> Entry? {
        if let entry = table[path] { return entry }
        let parts = path.split(separator: "/", omittingEmptySubsequences: false)
        if parts.count == 3, parts[0] == "spikes" { return table["spikes/*/\(parts[2])"] }
        if parts.count == 4, parts[0] == "seeds", parts[1] == "spikes" { return table["seeds/spikes/*/\(parts[3])"] }
        return nil
    }

    /// Writes `units` and `description` on `dataset`, found by its relative `path`.
    /// Throws when the table has no entry for it (add one above).
    static func describe(_ dataset: HDF5Dataset, path: String) throws {
        guard let entry = entry(for: path) else {
            throw RunFileError("dataset '\(path)' has no units and description in RunFileDescriptions.table")
        }
        try dataset.setAttribute(unitsAttribute, entry.units)
        try dataset.setAttribute(descriptionAttribute, entry.description)
        if path == "\(RunFileNames.evaluations)/\(RunFileNames.status)" || path == "\(RunFileNames.seedEvaluations)/\(RunFileNames.status)" {
            try dataset.setAttribute(valueNamesAttribute, statusNames)
        }
    }
}
