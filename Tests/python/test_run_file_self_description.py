"""A run file explains itself (docs/hdf5-layout.md, "Self-description"): every dataset carries
`units` and `description`, the status codes are named, and the protocol's timing and the
network's sizes are attributes. Walks whole files with h5py's visititems, so a dataset added
later without a line in RunFileDescriptions.table fails here (the recorder refuses it too).
Also checks that every tool names the same best evaluation (docs/report.md, "Definitions").
"""
import json

import h5py
import numpy as np
import pytest

from conftest import run_autoparam


def text(value):
    return value.decode() if isinstance(value, bytes) else str(value)


def datasets_without_description(path):
    missing = []

    def visit(name, obj):
        if isinstance(obj, h5py.Dataset):
            for attribute in ("units", "description"):
                if attribute not in obj.attrs or not text(obj.attrs[attribute]).strip():
                    missing.append(f"{name}: no {attribute}")

    with h5py.File(path, "r") as f:
        f.visititems(visit)
    return missing


@pytest.mark.parametrize("overrides", [
    (),  # the shared small run: all spikes, weights, checkpoints
    ("replicates=1", "ga.population=4", "ga.tournaments=1", "dataset.count=8", "record.spikes=none"),
    # K = 2 networks per genotype: the seeds/ group with every network's results and spikes
    ("replicates=1", "ga.population=3", "ga.tournaments=1", "dataset.count=8", "evaluation.seeds=2"),
])
def test_every_dataset_has_units_and_a_description(make_run, run_file, overrides):
    path = make_run(*overrides) if overrides else run_file
    with h5py.File(path, "r") as f:
        count = []
        f.visititems(lambda name, obj: count.append(name) if isinstance(obj, h5py.Dataset) else None)
    assert len(count) > 20
    if "evaluation.seeds=2" in overrides:
        assert any(name.startswith("replicates/000/seeds/") for name in count), count
    assert datasets_without_description(path) == []


def test_status_values_are_named(run_file):
    with h5py.File(run_file, "r") as f:
        status = f["replicates/000/evaluations/status"]
        assert [text(n) for n in status.attrs["value_names"]] == ["ok", "invalid_genotype", "numerical_failure"]
        assert text(f["replicates/000/evaluations/wall_seconds"].attrs["units"]) == "s"
        assert text(f["replicates/000/spikes/KC/steps"].attrs["units"]) == "steps"


def test_protocol_timing_and_population_sizes_are_attributes(run_file):
    with h5py.File(run_file, "r") as f:
        a = f.attrs
        dt = float(a["dt_ms"])
        stimulus, blank = float(a["stimulus_ms"]), float(a["blank_ms"])
        images = int(a["images_per_evaluation"])
        assert images == int(a["training_images"]) + int(a["test_images"]) == 8
        assert images * round((stimulus + blank) / dt) == int(a["steps_per_evaluation"])
        sizes = dict(zip([text(n) for n in a["network_populations"]], map(int, a["network_population_sizes"])))
        assert sizes["PN"] == 784 and sizes["DN"] == 4 and sizes["GGN"] == 1 and sizes["KC"] > 0
        varying = [text(n) for n in a["varies_with_genes"]]
        assert "kc_count" in varying  # quickstart evolves kc_count
        for population in ("PN", "DN", "GGN"):
            group = f[f"replicates/000/spikes/{population}"]
            assert int(group.attrs["size"]) == sizes[population]
            recorded = [text(n) for n in a["populations"]].index(population)
            sizes_recorded = f["replicates/000/evaluations/population_sizes"][:, recorded]
            assert (sizes_recorded == sizes[population]).all()


def test_every_tool_names_the_same_best_evaluation(autoparam_bin, run_file, tmp_path):
    with h5py.File(run_file, "r") as f:
        expected = []
        for r in range(int(f.attrs["replicate_count"])):
            g = f[f"replicates/{r:03d}"]
            fitness = g["evaluations/fitness"][:int(g.attrs["committed_evaluations"])]
            fitness = np.where(np.isnan(fitness), -np.inf, fitness)
            expected.append(int(np.flatnonzero(fitness == fitness.max())[0]))  # earliest of the maxima
    report = json.loads(run_autoparam(autoparam_bin, ["report", run_file, "--json"]).stdout)
    assert [r["best_evaluation_row"] for r in report["replicates"]] == expected
    script = tmp_path / "best.py"
    result = run_autoparam(autoparam_bin, ["export-genn", run_file, "--best", "--output", script])
    assert result.returncode == 0, result.stderr
    assert f"replicate 0, evaluation {expected[0]}," in result.stderr, result.stderr
    import sys
    from pathlib import Path
    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "notebooks-export"))
    from autoparam_run import RunFile
    run = RunFile(run_file)
    assert run.best_evaluation(0) == (0, expected[0])
    overall = max(range(len(expected)), key=lambda r: (run.evaluations(r)["fitness"].max(), -r))
    assert run.best_evaluation() == (overall, expected[overall])
