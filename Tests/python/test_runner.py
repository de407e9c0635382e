"""The runner's promises, checked from outside with h5py: results do not depend on the
thread count, a different master seed changes them, a run killed with SIGKILL or stopped
with Ctrl-C resumes to exactly the datasets of an uninterrupted run, and an existing output
is never overwritten without --force."""
import json
import os
import signal
import subprocess
import time
from pathlib import Path

import h5py
import pytest

from runfile_compare import differences

ROOT = Path(__file__).resolve().parents[2]
BIN = os.environ.get("AUTOPARAM_BIN", str(ROOT / ".build" / "release" / "autoparam"))
EXPERIMENT = str(ROOT / "experiments" / "quickstart.yaml")
SMALL = ["--set", "dataset.count=8", "--set", "ga.population=4", "--set", "replicates=2",
         "--set", "genes.kc_count.prior={int_uniform: [20, 120]}"]


def require_binary():
    if not Path(BIN).exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"autoparam binary not found at {BIN}")
        pytest.skip(f"autoparam binary not found at {BIN}; build it with `swift build -c release`")


def run(out, *extra, tournaments=6, check=True):
    cmd = [BIN, "run", EXPERIMENT, "--output", str(out), "--quiet", *SMALL,
           "--set", f"ga.tournaments={tournaments}", *extra]
    result = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    if check:
        assert result.returncode == 0, result.stderr
    return result


def committed_tournaments(path):
    try:
        with h5py.File(path, "r", locking=False) as f:
            return sum(int(g.attrs["committed_tournaments"]) for g in f["replicates"].values())
    except Exception:
        return -1


def test_thread_count_does_not_change_any_dataset(tmp_path):
    require_binary()
    run(tmp_path / "one.h5", "--threads", "1")
    run(tmp_path / "two.h5", "--threads", "2")
    assert differences(tmp_path / "one.h5", tmp_path / "two.h5") == []


def test_another_master_seed_gives_other_genotypes_and_spikes(tmp_path):
    require_binary()
    run(tmp_path / "a.h5")
    run(tmp_path / "b.h5", "--set", "seed=2")
    found = differences(tmp_path / "a.h5", tmp_path / "b.h5")
    assert any("genotype" in d for d in found), found
    assert any("spikes/PN/steps" in d or "spikes/PN/ids" in d for d in found), found


@pytest.mark.parametrize("kill_after", [3, 12])
def test_a_run_killed_with_sigkill_resumes_to_the_uninterrupted_datasets(tmp_path, kill_after):
    require_binary()
    reference = tmp_path / "reference.h5"
    run(reference, tournaments=25)
    killed = tmp_path / "killed.h5"
    cmd = [BIN, "run", EXPERIMENT, "--output", str(killed), "--quiet", *SMALL, "--set", "ga.tournaments=25"]
    process = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 300
    while committed_tournaments(killed) < kill_after and process.poll() is None and time.time() < deadline:
        time.sleep(0.05)
    process.send_signal(signal.SIGKILL)
    process.wait()
    done = committed_tournaments(killed)
    assert 0 <= done < 50, f"the run should have been killed part-way, found {done} committed tournaments"
    # The killed file opens, and `inspect` reads it.
    inspect = subprocess.run([BIN, "inspect", str(killed)], capture_output=True, text=True)
    assert inspect.returncode == 0, inspect.stderr
    resumed = run(killed, "--resume", tournaments=25)
    assert "complete" in resumed.stdout
    assert differences(reference, killed) == []


def test_ctrl_c_stops_cleanly_and_says_how_to_resume(tmp_path):
    require_binary()
    reference = tmp_path / "reference.h5"
    run(reference, tournaments=25)
    stopped = tmp_path / "stopped.h5"
    cmd = [BIN, "run", EXPERIMENT, "--output", str(stopped), "--quiet", *SMALL, "--set", "ga.tournaments=25"]
    process = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    while committed_tournaments(stopped) < 4 and process.poll() is None:
        time.sleep(0.05)
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=300)
    assert process.returncode == 130, err
    assert "--resume" in err
    with h5py.File(stopped, "r") as f:
        statuses = {g.attrs["status"] if isinstance(g.attrs["status"], str) else g.attrs["status"].decode()
                    for g in f["replicates"].values()}
    assert statuses <= {"interrupted", "complete"}, statuses
    run(stopped, "--resume", tournaments=25)
    assert differences(reference, stopped) == []


def test_an_existing_output_is_not_overwritten_without_force(tmp_path):
    require_binary()
    out = tmp_path / "x.h5"
    run(out, tournaments=1)
    before = out.read_bytes()
    again = run(out, tournaments=1, check=False)
    assert again.returncode == 2
    assert "exists: add --force to overwrite it, or --resume to continue the run in it" in again.stderr
    assert out.read_bytes() == before
    assert run(out, "--force", tournaments=1).returncode == 0


def test_overrides_are_recorded_and_used_by_resume_and_export(tmp_path):
    require_binary()
    out = tmp_path / "o.h5"
    run(out, "--set", "model.ggn_kc_tau=21.5", tournaments=2)
    with h5py.File(out, "r") as f:
        resolved = f.attrs["experiment_resolved_yaml"]
        resolved = resolved.decode() if isinstance(resolved, bytes) else resolved
    assert "ggn_kc_tau: 21.5" in resolved
    script = subprocess.run([BIN, "export-genn", str(out)], capture_output=True, text=True)
    assert script.returncode == 0, script.stderr
    assert '"ggn_kc_tau": 21.5,' in script.stdout
    # Resuming with other overrides is refused: it would not continue the same experiment.
    other = run(out, "--resume", "--set", "model.ggn_kc_tau=20", tournaments=2, check=False)
    assert other.returncode == 2
    assert "the resolved experiment differs" in other.stderr


def test_one_replicate_on_one_two_and_three_threads_gives_the_same_file(tmp_path):
    """A lone replicate gives all its threads to each evaluation (split inside the
    simulation's steps): every dataset, every spike of every population included, is the same
    for 1, 2 and 3 threads."""
    require_binary()
    files = []
    for threads in (1, 2, 3):
        out = tmp_path / f"threads{threads}.h5"
        cmd = [BIN, "run", EXPERIMENT, "--output", str(out), "--quiet", "--threads", str(threads),
               "--set", "dataset.count=8", "--set", "ga.population=3", "--set", "replicates=1",
               "--set", "ga.tournaments=3", "--set", "genes.kc_count.prior={int_uniform: [250, 400]}"]
        result = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
        assert result.returncode == 0, result.stderr
        files.append(out)
    with h5py.File(files[0], "r", locking=False) as f:
        kc = [name for name in _datasets(f) if name.endswith("spikes/KC/ids")]
        assert kc and f[kc[0]].shape[0] > 100, "the KCs must fire for the test to mean anything"
    assert differences(files[0], files[1]) == []
    assert differences(files[0], files[2]) == []


def test_evaluate_prints_the_same_result_on_any_thread_count():
    require_binary()
    outputs = []
    for threads in (1, 2, 3):
        cmd = [BIN, "evaluate", "--genotype", "kc_count=300", "--count", "8", "--threads", str(threads), "--json"]
        result = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
        assert result.returncode == 0, result.stderr
        report = json.loads(result.stdout)
        report.pop("wall_seconds")
        outputs.append(report)
    assert outputs[1] == outputs[0]
    assert outputs[2] == outputs[0]


def _datasets(f):
    names = []
    f.visititems(lambda name, item: names.append(name) if isinstance(item, h5py.Dataset) else None)
    return names
