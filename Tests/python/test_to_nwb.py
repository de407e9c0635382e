"""notebooks-export/to_nwb.py writes one evaluation as an NWB file that holds every spike.

The shared small run (conftest.py: every population recorded) is converted, read back with
pynwb, and every spike (population, neuron id, time) is compared with the run file's ragged
arrays; the genotype, the provenance and the start time must be there too, and pynwb's
validator must report nothing.
"""
import json
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import h5py
import numpy as np
import pytest

pynwb = pytest.importorskip("pynwb")

REPO_ROOT = Path(__file__).resolve().parents[2]
TO_NWB = REPO_ROOT / "notebooks-export" / "to_nwb.py"


def text(value):
    return value.decode() if isinstance(value, bytes) else str(value)


def convert(run_file, output, *which):
    result = subprocess.run([sys.executable, str(TO_NWB), str(run_file), *which, "--output", str(output)],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, f"to_nwb.py failed:\nstdout:\n{result.stdout}\nstderr:\n{result.stderr}"
    return result.stdout


def run_file_spikes(run_file, replicate, row):
    """{(population, neuron, time in s)} and the population sizes, straight from the HDF5 file."""
    spikes, sizes = [], {}
    with h5py.File(run_file, "r") as f:
        dt_s = float(f.attrs["dt_ms"]) / 1000
        populations = [text(p) for p in f.attrs["populations"]]
        r = f[f"replicates/{replicate:03d}"]
        assert row < int(r.attrs["committed_evaluations"])
        size_row = r["evaluations/population_sizes"][row]
        for p, population in enumerate(populations):
            sizes[population] = int(size_row[p])
            g = r[f"spikes/{population}"]
            lo, hi = int(g["index"][row]), int(g["index"][row + 1])
            for step, neuron in zip(g["steps"][lo:hi], g["ids"][lo:hi]):
                spikes.append((population, int(neuron), float(step) * dt_s))
    return sorted(spikes), sizes


@pytest.mark.parametrize("replicate, row", [(0, 1), (1, 5)])
def test_every_spike_round_trips(run_file, tmp_path, replicate, row):
    output = tmp_path / "eval.nwb"
    stdout = convert(run_file, output, "--evaluation", f"{replicate}/{row}")
    assert f"replicate {replicate}, evaluation {row}" in stdout
    expected, sizes = run_file_spikes(run_file, replicate, row)
    assert len(expected) > 0, "the evaluation has no spikes: the comparison would prove nothing"

    with pynwb.NWBHDF5IO(str(output), "r") as io:
        nwb = io.read()
        units = nwb.units.to_dataframe()
        assert nwb.electrodes is None
        # One row per neuron of every population, in population order, neurons in order.
        for population, size in sizes.items():
            mine = units[units["population"] == population]
            assert list(mine["neuron_id"]) == list(range(size)), population
        assert len(units) == sum(sizes.values())
        got = sorted((p, int(n), float(t)) for p, n, times in
                     zip(units["population"], units["neuron_id"], units["spike_times"]) for t in times)
        assert len(got) == len(expected)
        for (p1, n1, t1), (p2, n2, t2) in zip(got, expected):
            assert (p1, n1) == (p2, n2)
            assert t1 == pytest.approx(t2, abs=1e-12)


def test_metadata_genotype_and_provenance(run_file, tmp_path):
    output = tmp_path / "eval.nwb"
    convert(run_file, output, "--evaluation", "0/2")
    with h5py.File(run_file, "r") as f:
        attrs = dict(f.attrs)
        r = f["replicates/000/evaluations"]
        genes = [text(g) for g in r["genotype"].attrs["names"]]
        genotype = dict(zip(genes, (float(v) for v in r["genotype"][2])))
        fitness = float(r["fitness"][2])
    with pynwb.NWBHDF5IO(str(output), "r") as io:
        nwb = io.read()
        created = datetime.fromisoformat(text(attrs["created"]).replace("Z", "+00:00"))
        assert nwb.session_start_time == created
        table = nwb.processing["autoparam"]["genotype"].to_dataframe()
        assert dict(zip(table["gene"], table["value"])) == genotype
        notes = json.loads(nwb.notes)
        assert notes["genotype"] == genotype
        provenance = notes["provenance"]
        assert provenance["tool_version"] == text(attrs["tool_version"])
        assert provenance["master_seed"] == int(attrs["master_seed"])
        assert provenance["experiment_name"] == text(attrs["experiment_name"])
        assert provenance["created"] == text(attrs["created"])
        stored = nwb.processing["autoparam"]["provenance"].to_dataframe()
        assert json.loads(dict(zip(stored["attribute"], stored["value"]))["master_seed"]) == int(attrs["master_seed"])
        evaluation = nwb.processing["autoparam"]["evaluation"].to_dataframe()
        assert float(evaluation["fitness"].iloc[0]) == fitness
        assert text(attrs["experiment_name"]) in nwb.experiment_description
        trials = nwb.trials.to_dataframe()
        assert len(trials) == len(f_labels(run_file))
        assert list(trials["label"]) == f_labels(run_file)


def f_labels(run_file):
    with h5py.File(run_file, "r") as f:
        return [int(x) for x in f["dataset/labels"][()]]


def test_pynwb_validator_finds_no_errors(run_file, tmp_path):
    output = tmp_path / "best.nwb"
    convert(run_file, output, "--best")
    errors = pynwb.validate(path=str(output))
    assert not errors, f"pynwb.validate: {errors}"
    # The command-line validator too (pynwb 3/4: the `pynwb-validate` script, module pynwb.validation_cli).
    result = subprocess.run([sys.executable, "-m", "pynwb.validation_cli", str(output)], capture_output=True,
                            text=True, timeout=300)
    assert result.returncode == 0 and "no errors found" in result.stdout, \
        f"python -m pynwb.validation_cli:\n{result.stdout}\n{result.stderr}"


def test_only_some_populations_recorded(make_run, tmp_path):
    only_dn = make_run("replicates=1", "ga.population=2", "ga.tournaments=1", "dataset.count=8",
                       "record.spikes=[DN]")
    output = tmp_path / "dn.nwb"
    convert(only_dn, output, "--evaluation", "0/0")
    expected, sizes = run_file_spikes(only_dn, 0, 0)
    with pynwb.NWBHDF5IO(str(output), "r") as io:
        units = io.read().units.to_dataframe()
        assert set(units["population"]) == {"DN"} and len(units) == sizes["DN"]
        assert sum(len(t) for t in units["spike_times"]) == len(expected)


def test_uncommitted_evaluation_is_refused(run_file, tmp_path):
    result = subprocess.run([sys.executable, str(TO_NWB), str(run_file), "--evaluation", "0/999", "--output",
                             str(tmp_path / "x.nwb")], capture_output=True, text=True, timeout=300)
    assert result.returncode != 0
    assert "not committed" in result.stderr
    assert not (tmp_path / "x.nwb").exists()
