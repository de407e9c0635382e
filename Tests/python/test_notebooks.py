"""The analysis notebooks in notebooks-export/ run as scripts on real run files.

Each notebook runs on the shared small run (`run_file`, conftest.py) and must write its PNG files,
none of them blank. Then the awkward cases: runs that did not record some populations, and a file
whose commit counters stop short of the rows present (a writer killed between appending and
committing), where only the committed rows may be used.
"""
import shutil
import subprocess
import sys
from pathlib import Path

import h5py
import numpy as np
import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = REPO_ROOT / "notebooks-export"
sys.path.insert(0, str(NOTEBOOKS))

from autoparam_run import RunFile  # noqa: E402

EXPECTED = {
    "fitness_traces.py": ["fitness_traces.png", "fitness_median.png", "final_best.png"],
    "spike_rasters.py": ["spike_raster.png", "dn_responses.png", "kc_sparseness.png"],
    "gene_landscape.py": ["gene_fitness.png", "gene_pairs.png"],
}


def run_notebook(name, run_file, out, *extra):
    result = subprocess.run([sys.executable, str(NOTEBOOKS / name), str(run_file), "--out", str(out), *extra],
                            capture_output=True, text=True, timeout=300, cwd=out.parent)
    assert result.returncode == 0, f"{name} failed:\nstdout:\n{result.stdout}\nstderr:\n{result.stderr}"
    return result.stdout


def assert_not_blank(path):
    import matplotlib.image
    image = matplotlib.image.imread(str(path))
    assert image.ndim == 3 and image.shape[0] > 50 and image.shape[1] > 50, f"{path.name}: shape {image.shape}"
    rgb = image[..., :3]
    if rgb.dtype != np.uint8:
        rgb = np.round(rgb * 255).astype(np.uint8)
    colours = np.unique(rgb.reshape(-1, 3), axis=0)
    assert len(colours) > 8, f"{path.name}: only {len(colours)} distinct colours"
    assert not np.all(rgb >= 250), f"{path.name}: all white"


@pytest.mark.parametrize("notebook", sorted(EXPECTED))
def test_notebook_writes_its_figures(notebook, run_file, tmp_path):
    out = tmp_path / "figures"
    run_notebook(notebook, run_file, out)
    for png in EXPECTED[notebook]:
        assert (out / png).is_file(), f"{notebook} did not write {png}"
        assert_not_blank(out / png)


def test_default_output_folder_is_beside_the_run_file(run_file, tmp_path):
    copy = tmp_path / "copy.h5"
    shutil.copyfile(run_file, copy)
    result = subprocess.run([sys.executable, str(NOTEBOOKS / "gene_landscape.py"), str(copy)],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "copy_figures" / "gene_fitness.png").is_file()


def test_spike_rasters_of_a_chosen_evaluation(run_file, tmp_path):
    out = tmp_path / "figures"
    stdout = run_notebook("spike_rasters.py", run_file, out, "--replicate", "1", "--evaluation", "2")
    assert "replicate 1, evaluation 2" in stdout
    assert (out / "spike_raster.png").is_file()


def test_spike_rasters_rejects_an_uncommitted_evaluation(run_file, tmp_path):
    result = subprocess.run([sys.executable, str(NOTEBOOKS / "spike_rasters.py"), str(run_file), "--out",
                             str(tmp_path), "--replicate", "0", "--evaluation", "999"],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode != 0
    assert "committed evaluations 0.." in result.stderr


def test_missing_populations_are_skipped(make_run, tmp_path):
    only_dn = make_run("replicates=1", "ga.population=2", "ga.tournaments=1", "dataset.count=8",
                       "record.spikes=[DN]")
    out = tmp_path / "dn_only"
    stdout = run_notebook("spike_rasters.py", only_dn, out)
    assert "not recorded in this run (skipped): PN, KC, GGN" in stdout
    assert "KC spikes not recorded" in stdout
    assert_not_blank(out / "spike_raster.png")
    assert_not_blank(out / "dn_responses.png")
    assert not (out / "kc_sparseness.png").exists()
    for notebook in ("fitness_traces.py", "gene_landscape.py"):
        run_notebook(notebook, only_dn, out)


def test_no_spikes_at_all(make_run, tmp_path):
    silent = make_run("replicates=1", "ga.population=2", "ga.tournaments=1", "dataset.count=8",
                      "record.spikes=none")
    out = tmp_path / "silent"
    stdout = run_notebook("spike_rasters.py", silent, out)
    assert "the run recorded no spikes" in stdout
    assert not (out / "spike_raster.png").exists()
    assert (out / "per_image.csv").is_file()


@pytest.fixture()
def killed_run(run_file, tmp_path):
    """A copy of the small run whose counters say less than its datasets hold: replicate 0
    committed only its first 3 evaluations (the initial population is 4, so no trace row is
    complete beyond them) and no tournament; replicate 1 committed nothing at all."""
    path = tmp_path / "killed.h5"
    shutil.copyfile(run_file, path)
    with h5py.File(path, "r+") as f:
        r0, r1 = f["replicates/000"], f["replicates/001"]
        assert r0["evaluations/fitness"].shape[0] > 3
        r0.attrs["committed_evaluations"] = np.int64(3)
        r0.attrs["committed_tournaments"] = np.int64(0)
        r1.attrs["committed_evaluations"] = np.int64(0)
        r1.attrs["committed_tournaments"] = np.int64(0)
        # Poison the uncommitted rows: a reader that uses them shows this fitness.
        fitness = r0["evaluations/fitness"]
        fitness[3:] = 1e9
    return path


def test_reader_stops_at_the_commit_counters(killed_run, run_file):
    with RunFile(killed_run) as run:
        assert run.committed == {0: (3, 0), 1: (0, 0)}
        evaluations = run.evaluations()
        assert list(evaluations["replicate"]) == [0, 0, 0]
        assert evaluations["fitness"].max() < 1e9
        assert len(run.tournaments(0)) == 0
        assert run.best_evaluation()[0] == 0
        with pytest.raises(IndexError):
            run.spikes(0, 3, "KC")
        with pytest.raises(IndexError):
            run.weights(1, 0)
    with h5py.File(run_file, "r", locking=False) as f, RunFile(run_file) as run:
        r = f["replicates/000"]
        n = int(r.attrs["committed_evaluations"])
        assert np.array_equal(run.evaluations(0)["fitness"].to_numpy(), r["evaluations/fitness"][:n])
        index = r["spikes/KC/index"][()]
        steps, ids = run.spikes(0, 1, "KC")
        assert np.array_equal(steps, r["spikes/KC/steps"][index[1]:index[2]])
        assert np.array_equal(ids, r["spikes/KC/ids"][index[1]:index[2]])
        weights = run.weights(0, 1)
        windex = r["weights/index"][()]
        assert np.array_equal(weights.reshape(-1), r["weights/values"][windex[1]:windex[2]])


@pytest.mark.parametrize("notebook", sorted(EXPECTED))
def test_notebooks_use_only_committed_rows(notebook, killed_run, tmp_path):
    out = tmp_path / "figures"
    stdout = run_notebook(notebook, killed_run, out)
    assert "1e+09" not in stdout and "1000000000" not in stdout
    if notebook == "fitness_traces.py":
        table = (out / "final_best.csv").read_text()
        assert "1000000000" not in table and "1e+09" not in table


def test_notebooks_are_jupytext_percent_files():
    jupytext = pytest.importorskip("jupytext")
    for name in EXPECTED:
        notebook = jupytext.read(NOTEBOOKS / name)
        kinds = [cell.cell_type for cell in notebook.cells]
        assert kinds.count("markdown") >= 3 and kinds.count("code") >= 3, f"{name}: {kinds}"
        assert notebook.metadata["jupytext"]["text_representation"]["format_name"] == "percent"
