"""Checks a run file written by RunFileKillProbe (Tests/RunFileTestSupport/RunFileKillProbe.swift).

Every value the probe writes is a pure function of (replicate, row); this module recomputes
them and compares every committed row exactly. It is used by the kill tests after each SIGKILL.

    python3 runfile_probe_check.py RUN.h5          # prints "ok E T" (replicate 0) or the error

Exit status 0: every committed row checked. 3: h5py could not read a chunk because its
Fletcher-32 checksum failed: a tail chunk torn by the kill while HDF5 rewrote it in place
(about 1 kill in 130). h5py has no way to read such a chunk unchecked; autoparam's RunReader
does (the kill test checks every committed row with it first) and `run --resume` re-encodes
the chunk (docs/hdf5-layout.md, "Checksums and crash safety"). 1: anything else.
"""
import sys

import h5py
import numpy as np

POPULATION_SIZE = 8
POPULATIONS = ["PN", "KC", "DN", "GGN"]
GENES = 5


def as_str(value):
    return value.decode() if isinstance(value, bytes) else str(value)


def segments(counts):
    """For concatenated segments of the given lengths: (segment number, index within segment)."""
    counts = np.asarray(counts, dtype=np.int64)
    owner = np.repeat(np.arange(len(counts)), counts)
    starts = np.concatenate([[0], np.cumsum(counts)[:-1]]) if len(counts) else np.zeros(0, np.int64)
    local = np.arange(int(counts.sum())) - np.repeat(starts, counts)
    return owner, local


def check_replicate(f, replicate):
    """Checks every committed row of one replicate against the probe's formulas (vectorized)."""
    g = f[f"replicates/{replicate:03d}"]
    E = int(g.attrs["committed_evaluations"])
    T = int(g.attrs["committed_tournaments"])
    where = f"r{replicate}"
    # Probe invariant: every commit after the first adds one evaluation and one tournament.
    assert E == POPULATION_SIZE + T or (E == 0 and T == 0), f"{where}: E={E} T={T} inconsistent"
    ev = g["evaluations"]
    for name in ev:
        assert ev[name].shape[0] >= E, f"{where}: evaluations/{name} has {ev[name].shape[0]} rows < {E}"
    rows = np.arange(E)
    genes = np.arange(GENES)
    assert np.array_equal(ev["genotype"][:E], rows[:, None] + genes[None, :] / 10 + replicate * 1000), where + " genotype"
    assert np.array_equal(ev["fitness"][:E], rows * 0.5 + replicate), where + " fitness"
    assert np.array_equal(ev["components"][:E], np.stack([rows, np.full(E, replicate), np.full(E, -1)], 1).astype(float)), where + " components"
    assert np.array_equal(ev["status"][:E], rows % 3), where + " status"
    messages = [as_str(m) for m in ev["status_message"][:E]]
    assert messages == ["" if r % 3 == 0 else f"status of row {r}" for r in range(E)], where + " status_message"
    assert np.array_equal(ev["seed"][:E], rows.astype(np.uint64) * np.uint64(1_000_003) + np.uint64(replicate)), where + " seed"
    assert np.array_equal(ev["wall_seconds"][:E], rows / 1000), where + " wall_seconds"
    assert np.array_equal(ev["tournament"][:E], np.where(rows < POPULATION_SIZE, -1, rows - POPULATION_SIZE)), where + " tournament"
    assert np.array_equal(ev["slot"][:E], rows % POPULATION_SIZE), where + " slot"
    kc = 2000 + (rows * 37) % 500
    sizes = np.stack([np.full(E, 784), kc, np.full(E, 10), np.full(E, 1)], 1)
    assert np.array_equal(ev["population_sizes"][:E], sizes), where + " population_sizes"
    expected_counts = [rows * 37 % 5000, rows * 53 % 3000 + replicate, rows % 50, rows % 200]
    for p, name in enumerate(POPULATIONS):
        index = g[f"spikes/{name}/index"]
        assert index.shape[0] >= E + 1, f"{where}: spikes/{name}/index has fewer than {E + 1} rows"
        offsets = index[: E + 1].astype(np.int64)
        assert offsets[0] == 0 and np.array_equal(np.diff(offsets), expected_counts[p]), f"{where}: spikes/{name}/index"
        total = int(offsets[-1])
        assert g[f"spikes/{name}/steps"].shape[0] >= total, f"{where}: spikes/{name}/steps shorter than index"
        owner, local = segments(expected_counts[p])
        n = np.maximum(np.asarray(expected_counts[p])[owner], 1)
        steps = (local * 2000 // n).astype(np.uint32)
        ids = ((local * 31 + owner) % sizes[owner, p]).astype(np.uint32)
        assert np.array_equal(g[f"spikes/{name}/steps"][:total], steps), f"{where}: spikes/{name}/steps"
        assert np.array_equal(g[f"spikes/{name}/ids"][:total], ids), f"{where}: spikes/{name}/ids"
    lengths = np.where(rows % 4 == 3, 0, kc * 10)
    offsets = g["weights/index"][: E + 1].astype(np.int64)
    assert len(offsets) == E + 1 and offsets[0] == 0 and np.array_equal(np.diff(offsets), lengths), where + " weights/index"
    assert g["weights/values"].shape[0] >= offsets[-1], where + " weights/values shorter than index"
    # Weights are most of the data: compare the newest 64 evaluations and 64 others in full.
    sample = sorted(set(range(max(0, E - 64), E)) | set(np.random.default_rng(E).integers(0, max(E, 1), 64).tolist()))
    values = g["weights/values"]
    for row in (r for r in sample if r < E):
        k = np.arange(lengths[row])
        expected = np.float32(row) + (k % 1000).astype(np.float32) / np.float32(1000)
        assert np.array_equal(values[offsets[row]: offsets[row + 1]], expected), where + f" weights of evaluation {row}"
    tg = g["tournaments"]
    for name in tg:
        assert tg[name].shape[0] >= T, f"{where}: tournaments/{name} has fewer than {T} rows"
    t = np.arange(T)
    assert np.array_equal(tg["tournament"][:T], t), where + " tournaments/tournament"
    assert np.array_equal(tg["a"][:T], t % POPULATION_SIZE), where + " tournaments/a"
    assert np.array_equal(tg["loser"][:T], (t + 3) % POPULATION_SIZE), where + " tournaments/loser"
    assert np.array_equal(tg["evaluation_row"][:T], POPULATION_SIZE + t), where + " tournaments/evaluation_row"
    assert np.array_equal(tg["crossover_mask"][:T], (genes[None, :] + t[:, None]) % 2), where + " tournaments/crossover_mask"
    assert np.array_equal(tg["best_fitness"][:T], t.astype(float)), where + " tournaments/best_fitness"
    # One checkpoint per tournament step; checkpoint i holds next_tournament i + 1.
    K = int(g.attrs["committed_checkpoints"])
    assert K == T, f"{where}: {K} checkpoints for {T} tournaments"
    if K > 0:
        cp = g["checkpoint"]
        for name in cp:
            assert cp[name].shape[0] >= K, f"{where}: checkpoint/{name} has fewer than {K} rows"
        n = np.arange(1, K + 1)
        assert np.array_equal(cp["next_tournament"][:K], n), f"{where}: checkpoint next_tournament"
        slots = np.arange(POPULATION_SIZE)
        expected = n[:, None, None] * 100 + slots[None, :, None] * 10 + genes[None, None, :]
        assert np.array_equal(cp["population_genotypes"][:K], expected.astype(float)), f"{where}: checkpoint genotypes"
        assert np.array_equal(cp["rng_state"][:K], np.stack([n, np.full(K, replicate), np.full(K, 3), np.full(K, 4)], 1)), f"{where}: checkpoint rng_state"
    return E, T


def check_probe_file(path):
    """Opens `path` with a plain h5py.File(path, "r") and checks every committed row.

    Returns [(E, T) per replicate]; raises AssertionError (or an h5py error) on any problem."""
    with h5py.File(path, "r") as f:
        assert as_str(f.attrs["format"]) == "autoparam-run"
        return [check_replicate(f, r) for r in range(int(f.attrs["replicate_count"]))]


if __name__ == "__main__":
    try:
        counts = check_probe_file(sys.argv[1])
    except OSError as error:
        text = str(error).lower()
        if "filter" in text or "fletcher" in text or "checksum" in text:
            print(f"TORN {error}")
            sys.exit(3)
        print(f"FAIL {type(error).__name__}: {error}")
        sys.exit(1)
    except Exception as error:  # report any failure as one line
        print(f"FAIL {type(error).__name__}: {error}")
        sys.exit(1)
    print("ok " + " ".join(f"{e} {t}" for e, t in counts))
