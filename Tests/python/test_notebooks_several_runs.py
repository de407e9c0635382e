"""fitness_traces.py and gene_landscape.py plot several run files together.

Two different runs (the shared small run and one with another master seed and fewer recorded
populations) go in one command line: the figures must be written and not blank, the CSV tables
must hold the rows of both runs labelled by run, and the legend must name both runs (checked
through the printed labels). One file keeps working as before (test_notebooks.py).
"""
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from test_notebooks import NOTEBOOKS, assert_not_blank

sys.path.insert(0, str(NOTEBOOKS))
from autoparam_run import RunFile, output_folder, run_labels  # noqa: E402


@pytest.fixture(scope="module")
def other_run(make_run):
    return make_run("seed=5", "replicates=2", "ga.population=4", "ga.tournaments=5", "dataset.count=8",
                    "record.spikes=[DN]")


def run_script(name, files, out):
    result = subprocess.run([sys.executable, str(NOTEBOOKS / name), *map(str, files), "--out", str(out)],
                            capture_output=True, text=True, timeout=300, cwd=out.parent)
    assert result.returncode == 0, f"{name} failed:\nstdout:\n{result.stdout}\nstderr:\n{result.stderr}"
    return result.stdout


def committed_rows(path):
    with RunFile(path) as run:
        return len(run.evaluations()), sum(1 for r in run.replicates if run.committed[r][0])


def test_fitness_traces_of_two_runs(run_file, other_run, tmp_path):
    out = tmp_path / "figures"
    stdout = run_script("fitness_traces.py", [run_file, other_run], out)
    labels = run_labels([run_file, other_run])
    assert len(set(labels)) == 2
    for label in labels:
        assert f"(legend: {label})" in stdout
    for png in ("fitness_traces.png", "fitness_median.png", "final_best.png"):
        assert_not_blank(out / png)
    table = pd.read_csv(out / "final_best.csv")
    assert list(table["run"].unique()) == labels
    for label, path in zip(labels, [run_file, other_run]):
        assert (table["run"] == label).sum() == committed_rows(path)[1]


def test_gene_landscape_of_two_runs(run_file, other_run, tmp_path):
    out = tmp_path / "figures"
    run_script("gene_landscape.py", [run_file, other_run], out)
    for png in ("gene_fitness.png", "gene_pairs.png", "gene_pairs_by_run.png"):
        assert_not_blank(out / png)
    table = pd.read_csv(out / "evaluations.csv")
    labels = run_labels([run_file, other_run])
    for label, path in zip(labels, [run_file, other_run]):
        assert (table["run"] == label).sum() == committed_rows(path)[0]


def test_one_run_writes_no_by_run_figure(run_file, tmp_path):
    out = tmp_path / "figures"
    stdout = run_script("gene_landscape.py", [run_file], out)
    assert "legend:" not in stdout
    assert (out / "gene_pairs.png").is_file() and not (out / "gene_pairs_by_run.png").exists()


def test_default_folder_for_several_runs(tmp_path):
    a, b = tmp_path / "a.h5", tmp_path / "sub" / "b.h5"
    assert output_folder([a, b]) == tmp_path / "a+b_figures"
    assert output_folder([a]) == tmp_path / "a_figures"
    assert run_labels([tmp_path / "x" / "run.h5", tmp_path / "y" / "run.h5"]) == ["x/run", "y/run"]
