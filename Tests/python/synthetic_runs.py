"""Minimal run files written with h5py, for tests that need chosen fitness values.

`write_run(path, finals)` makes a file in the layout of docs/hdf5-layout.md (format version 1)
with one replicate per value of `finals`: each replicate has an initial population of one
evaluation with that fitness and no tournament, so its final best is that value. It holds only
what `RunReader` needs (one gene, one component, DN spikes), so that `autoparam compare` can
be tested on many samples without running the network.
"""
import h5py
import numpy as np


def _strings(values):
    return np.array(values, dtype=h5py.string_dtype())


def write_run(path, finals, name="synthetic", seed=1, status="complete", wall_seconds=1.0):
    finals = list(finals)
    with h5py.File(path, "w") as f:
        a = f.attrs
        a["format"] = "autoparam-run"
        a["format_version"] = np.int64(1)
        a["tool_version"] = "synthetic"
        a["created"] = "2026-01-01T00:00:00Z"
        a["experiment_name"] = name
        a["master_seed"] = np.uint64(seed)
        a["experiment_yaml"] = f"name: {name}\n"
        a["experiment_resolved_yaml"] = ""
        a["host"] = "test"
        a["threads"] = np.int64(1)
        a["dt_ms"] = 0.1
        a["steps_per_evaluation"] = np.int64(10)
        a["replicate_count"] = np.int64(len(finals))
        a["populations"] = _strings(["DN"])
        a["components"] = _strings(["score"])
        a["records_weights"] = np.int64(0)
        d = f.create_group("dataset")
        d.create_dataset("images", data=np.zeros((0, 784), np.uint8))
        d.create_dataset("labels", data=np.zeros(0, np.int32))
        d.attrs["class_names"] = _strings(["a"])
        for r, value in enumerate(finals):
            g = f.create_group(f"replicates/{r:03d}")
            g.attrs["committed_evaluations"] = np.int64(1)
            g.attrs["committed_tournaments"] = np.int64(0)
            g.attrs["committed_checkpoints"] = np.int64(0)
            g.attrs["seed"] = np.uint64(100 + r)
            g.attrs.create("status", status.encode(), dtype=h5py.string_dtype("utf-8", 16))
            g.attrs["wall_seconds"] = float(wall_seconds)
            genes = g.create_group("genes")
            genes.create_dataset("names", data=_strings(["w_max"]))
            genes.create_dataset("priors", data=_strings(["uniform(0, 1)"]))
            genes.create_dataset("lower", data=np.array([0.0]))
            genes.create_dataset("upper", data=np.array([1.0]))
            e = g.create_group("evaluations")
            e.create_dataset("genotype", data=np.array([[0.5]]))
            e.create_dataset("fitness", data=np.array([float(value)]))
            e.create_dataset("max_fitness", data=np.array([1000.0]))
            e.create_dataset("components", data=np.array([[float(value)]]))
            e.create_dataset("status", data=np.array([0], np.int32))
            e.create_dataset("status_message", data=np.array([b""], dtype=h5py.string_dtype("utf-8", 256)))
            e.create_dataset("seed", data=np.array([7], np.uint64))
            e.create_dataset("wall_seconds", data=np.array([0.1]))
            e.create_dataset("tournament", data=np.array([-1], np.int64))
            e.create_dataset("slot", data=np.array([0], np.int32))
            e.create_dataset("population_sizes", data=np.array([[4]], np.int32))
            t = g.create_group("tournaments")
            for column, dtype in [("tournament", np.int64), ("a", np.int32), ("b", np.int32), ("winner", np.int32),
                                  ("loser", np.int32), ("evaluation_row", np.int64), ("best_fitness", np.float64),
                                  ("mean_fitness", np.float64), ("min_fitness", np.float64)]:
                t.create_dataset(column, shape=(0,), maxshape=(None,), dtype=dtype, chunks=(16,))
            for column in ("crossover_mask", "mutated_genes"):
                t.create_dataset(column, shape=(0, 1), maxshape=(None, 1), dtype=np.uint8, chunks=(16, 1))
            s = g.create_group("spikes/DN")
            s.create_dataset("steps", shape=(0,), maxshape=(None,), dtype=np.uint32, chunks=(16,))
            s.create_dataset("ids", shape=(0,), maxshape=(None,), dtype=np.uint32, chunks=(16,))
            s.create_dataset("index", data=np.zeros(2, np.uint64))
    return path
