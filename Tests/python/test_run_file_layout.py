"""Checks that a run file follows docs/hdf5-layout.md, using only h5py and numpy.

    AUTOPARAM_RUN_FILE=run.h5 python3 -m pytest Tests/python/test_run_file_layout.py

The file may be complete, still being written, or left by a killed writer: only committed rows
(the commit counters of each replicate) are checked against each other. Without
AUTOPARAM_RUN_FILE the session's small run (the `run_file` fixture of conftest.py) is checked.
"""
import os

import numpy as np
import pytest

h5py = pytest.importorskip("h5py")

PATH = os.environ.get("AUTOPARAM_RUN_FILE")

ROOT_ATTRS = {
    "format": str, "format_version": np.integer, "tool_version": str, "created": str,
    "experiment_name": str, "master_seed": np.unsignedinteger, "experiment_yaml": str, "host": str,
    "threads": np.integer, "dt_ms": np.floating, "steps_per_evaluation": np.integer,
    "replicate_count": np.integer, "records_weights": np.integer,
}
EVALUATION_DTYPES = {
    "fitness": "f8", "max_fitness": "f8", "status": "i4", "seed": "u8", "wall_seconds": "f8",
    "tournament": "i8", "slot": "i4",
}
TOURNAMENT_DTYPES = {
    "tournament": "i8", "a": "i4", "b": "i4", "winner": "i4", "loser": "i4", "evaluation_row": "i8",
    "best_fitness": "f8", "mean_fitness": "f8", "min_fitness": "f8",
}


def text(value):
    return value.decode() if isinstance(value, bytes) else str(value)


def texts(values):
    return [text(v) for v in values]


@pytest.fixture(scope="module")
def run(request):
    path = PATH or request.getfixturevalue("run_file")
    with h5py.File(path, "r") as f:  # a plain read-only open, also for killed files
        yield f


def replicates(f):
    return [f[f"replicates/{r:03d}"] for r in range(int(f.attrs["replicate_count"]))]


def test_root_attributes(run):
    for name, kind in ROOT_ATTRS.items():
        assert name in run.attrs, f"missing root attribute {name}"
        value = run.attrs[name]
        if kind is str:
            assert isinstance(value, (str, bytes)), f"{name} is not a string"
        else:
            assert np.issubdtype(np.asarray(value).dtype, kind), f"{name} has dtype {np.asarray(value).dtype}"
    assert text(run.attrs["format"]) == "autoparam-run"
    assert int(run.attrs["format_version"]) == 1
    assert float(run.attrs["dt_ms"]) > 0
    assert len(texts(run.attrs["populations"])) == len(set(texts(run.attrs["populations"])))
    assert sorted(run["replicates"].keys()) == [f"{r:03d}" for r in range(int(run.attrs["replicate_count"]))]


def test_dataset(run):
    images, labels = run["dataset/images"], run["dataset/labels"]
    assert images.dtype == np.uint8 and images.ndim == 2 and images.shape[1] == 784
    assert labels.dtype == np.int32 and labels.shape == (images.shape[0],)
    classes = texts(run["dataset"].attrs["class_names"])
    if labels.shape[0]:
        assert labels[:].min() >= 0 and labels[:].max() < len(classes)


def test_genes(run):
    for g in replicates(run):
        names = texts(g["genes/names"][:])
        assert len(texts(g["genes/priors"][:])) == len(names)
        assert g["genes/lower"].dtype == np.float64 and g["genes/lower"].shape == (len(names),)
        assert g["genes/upper"].dtype == np.float64 and g["genes/upper"].shape == (len(names),)
        assert texts(g["evaluations/genotype"].attrs["names"]) == names


def test_replicate_attributes(run):
    for g in replicates(run):
        assert text(g.attrs["status"]) in {"pending", "running", "complete", "failed", "interrupted"}
        assert np.asarray(g.attrs["seed"]).dtype == np.uint64
        assert int(g.attrs["committed_evaluations"]) >= 0
        assert int(g.attrs["committed_tournaments"]) >= 0
        assert int(g.attrs["committed_checkpoints"]) >= 0
        assert float(g.attrs["wall_seconds"]) >= 0


def test_evaluations(run):
    components = texts(run.attrs["components"])
    populations = texts(run.attrs["populations"])
    for g in replicates(run):
        E = int(g.attrs["committed_evaluations"])
        ev = g["evaluations"]
        G = g["genes/names"].shape[0]
        for name, dtype in EVALUATION_DTYPES.items():
            assert ev[name].dtype == np.dtype(dtype), f"{name}: {ev[name].dtype}"
            assert ev[name].ndim == 1 and ev[name].shape[0] >= E, f"{name} has fewer than {E} rows"
        assert ev["genotype"].dtype == np.float64 and ev["genotype"].shape[1:] == (G,)
        assert ev["components"].dtype == np.float64 and ev["components"].shape[1:] == (len(components),)
        assert texts(ev["components"].attrs["names"]) == components
        assert ev["population_sizes"].dtype == np.int32 and ev["population_sizes"].shape[1:] == (len(populations),)
        assert texts(ev["population_sizes"].attrs["names"]) == populations
        assert ev["status_message"].shape[0] >= E
        status = ev["status"][:E]
        assert np.isin(status, [0, 1, 2]).all()
        assert (ev["population_sizes"][:E] >= 0).all()
        assert (ev["tournament"][:E] >= -1).all()


def test_tournaments(run):
    for g in replicates(run):
        E, T = int(g.attrs["committed_evaluations"]), int(g.attrs["committed_tournaments"])
        tg = g["tournaments"]
        G = g["genes/names"].shape[0]
        for name, dtype in TOURNAMENT_DTYPES.items():
            assert tg[name].dtype == np.dtype(dtype) and tg[name].shape[0] >= T, name
        for name in ("crossover_mask", "mutated_genes"):
            assert tg[name].dtype == np.uint8 and tg[name].shape[1:] == (G,)
            assert np.isin(tg[name][:T], [0, 1]).all()
        rows = tg["evaluation_row"][:T]
        assert ((rows >= 0) & (rows < E)).all(), "a tournament points past the committed evaluations"
        a, b, winner, loser = (tg[n][:T] for n in ("a", "b", "winner", "loser"))
        assert ((winner == a) | (winner == b)).all() and ((loser == a) | (loser == b)).all()
        assert (tg["tournament"][:T] == np.arange(T)).all()


def test_spikes(run):
    steps_per_evaluation = int(run.attrs["steps_per_evaluation"])
    populations = texts(run.attrs["populations"])
    for g in replicates(run):
        E = int(g.attrs["committed_evaluations"])
        finished = g["evaluations/fitness"].shape[0] == E
        sizes = g["evaluations/population_sizes"][:E]
        for p, name in enumerate(populations):
            group = g[f"spikes/{name}"]
            assert float(group.attrs["dt_ms"]) == float(run.attrs["dt_ms"])
            index = group["index"]
            assert index.dtype == np.uint64 and index.shape[0] >= E + 1
            offsets = index[: E + 1].astype(np.int64)
            assert offsets[0] == 0
            assert (np.diff(offsets) >= 0).all(), f"{name}: index decreases"
            steps, ids = group["steps"], group["ids"]
            assert steps.dtype == np.uint32 and ids.dtype == np.uint32
            assert steps.shape[0] >= offsets[-1] and ids.shape[0] >= offsets[-1]
            if finished:
                assert steps.shape[0] == offsets[-1] == ids.shape[0], f"{name}: index does not end at the spike count"
            s, i = steps[: offsets[-1]], ids[: offsets[-1]]
            assert (s < steps_per_evaluation).all(), f"{name}: spike step beyond the evaluation"
            limits = np.repeat(sizes[:, p], np.diff(offsets))
            assert (i < limits).all(), f"{name}: neuron id beyond the population size"


def test_weights(run):
    if not int(run.attrs["records_weights"]):
        return
    populations = texts(run.attrs["populations"])
    for g in replicates(run):
        E = int(g.attrs["committed_evaluations"])
        assert text(g["weights"].attrs["shape"]) == "KC×DN row-major"
        offsets = g["weights/index"][: E + 1].astype(np.int64)
        assert offsets[0] == 0 and (np.diff(offsets) >= 0).all()
        assert g["weights/values"].dtype == np.float32 and g["weights/values"].shape[0] >= offsets[-1]
        if "KC" in populations and "DN" in populations:
            sizes = g["evaluations/population_sizes"][:E]
            kc, dn = sizes[:, populations.index("KC")], sizes[:, populations.index("DN")]
            lengths = np.diff(offsets)
            assert ((lengths == 0) | (lengths == kc.astype(np.int64) * dn)).all(), "weights are not KC×DN"


def test_checkpoint(run):
    for g in replicates(run):
        K = int(g.attrs["committed_checkpoints"])
        if K == 0:
            continue
        E, T = int(g.attrs["committed_evaluations"]), int(g.attrs["committed_tournaments"])
        cp = g["checkpoint"]
        G = g["genes/names"].shape[0]
        genotypes = cp["population_genotypes"]
        assert genotypes.dtype == np.float64 and genotypes.ndim == 3 and genotypes.shape[0] >= K and genotypes.shape[2] == G
        P = genotypes.shape[1]
        if "population_size" in run.attrs:
            assert P == int(run.attrs["population_size"])
        assert cp["population_fitness"].dtype == np.float64 and cp["population_fitness"].shape[1:] == (P,)
        rows = cp["population_evaluation_rows"]
        assert rows.dtype == np.int64 and rows.shape[1:] == (P,)
        assert ((rows[:K] >= 0) & (rows[:K] < E)).all(), "a checkpoint points past the committed evaluations"
        assert cp["rng_state"].dtype == np.uint64 and cp["rng_state"].shape[1:] == (4,)
        nxt = cp["next_tournament"][:K]
        assert (np.diff(nxt) >= 0).all() and 0 <= int(nxt[-1]) <= T
        for name in cp:
            assert cp[name].shape[0] >= K, f"checkpoint/{name} has fewer than {K} rows"
