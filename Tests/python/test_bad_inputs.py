"""A corpus of bad inputs, as a hostile user would give them: experiment files, run files and
command lines. Each case states the exit code and a part of the message it must get, and every
case checks that no file in its folder changed (bytes, names) and that nothing was left in the
temporary folder. One error style (docs/errors.md): exit 2 for bad input, with the path, what
is wrong and what to do; never "error: Error:", never an HDF5 stack (HDF5-DIAG) by default.
"""
import fcntl
import hashlib
import os
import shutil
import subprocess
from pathlib import Path

import h5py
import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[2]
BIN = os.environ.get("AUTOPARAM_BIN", str(ROOT / ".build" / "release" / "autoparam"))
QUICKSTART = ROOT / "experiments" / "quickstart.yaml"
TINY = ["--set", "dataset.count=8", "--set", "ga.population=4", "--set", "ga.tournaments=2",
        "--set", "replicates=1", "--set", "genes.kc_count.prior={int_uniform: [20, 60]}"]


def require_binary():
    if not Path(BIN).exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"autoparam binary not found at {BIN}")
        pytest.skip(f"autoparam binary not found at {BIN}; build it with `swift build -c release`")


def snapshot(folder):
    """Name → sha256 of every file under `folder`."""
    out = {}
    for path in sorted(Path(folder).rglob("*")):
        if path.is_file():
            out[str(path.relative_to(folder))] = hashlib.sha256(path.read_bytes()).hexdigest()
    return out


@pytest.fixture(scope="module")
def good_run(tmp_path_factory):
    """A small complete run file, made once."""
    require_binary()
    folder = tmp_path_factory.mktemp("good")
    out = folder / "run.h5"
    result = subprocess.run([BIN, "run", str(QUICKSTART), "--output", str(out), "--quiet", *TINY],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    return out


def nested_flow(depth):
    return "name: x\nmodel: " + "[" * depth + "]" * depth + "\n"


def nested_block(depth):
    lines = ["name: x", "model:"]
    for level in range(1, depth + 1):
        lines.append("  " * level + f"k{level}:")
    return "\n".join(lines) + " 1\n"


def flip_spike_bytes(path):
    """Flips 64 bytes inside the first chunk of KC spike steps (as the issue did)."""
    with h5py.File(path, "r") as f:
        info = f["replicates/000/spikes/KC/steps"].id.get_chunk_info(0)
    with open(path, "r+b") as handle:
        handle.seek(info.byte_offset + 64)
        data = bytearray(handle.read(64))
        handle.seek(info.byte_offset + 64)
        handle.write(bytes(b ^ 0xFF for b in data))


def truncate_half(path):
    size = path.stat().st_size
    with open(path, "r+b") as handle:
        handle.truncate(size // 2)


def unrelated_hdf5(path):
    with h5py.File(path, "w") as f:
        f["x"] = np.arange(10)


# Setups: name -> function(folder, good_run) that makes the inputs of a case in `folder`.
def _copy_run(name):
    def make(folder, good):
        shutil.copy(good, folder / name)
    return make


def _yaml(text, name="bad.yaml"):
    def make(folder, good):
        (folder / name).write_text(text) if isinstance(text, str) else (folder / name).write_bytes(text)
    return make


def _run_file(kind):
    def make(folder, good):
        target = folder / "run.h5"
        if kind == "directory":
            target.mkdir()
        elif kind == "text":
            target.write_text("not hdf5\n" * 100)
        elif kind == "empty":
            target.write_bytes(b"")
        elif kind == "truncated":
            shutil.copy(good, target)
            truncate_half(target)
        elif kind == "unrelated":
            unrelated_hdf5(target)
        elif kind == "corrupt":
            shutil.copy(good, target)
            flip_spike_bytes(target)
        elif kind == "partial":
            shutil.copy(good, folder / "run.h5.partial")
        elif kind == "good":
            shutil.copy(good, target)
    return make


Q = str(QUICKSTART)
# (id, setup, arguments, exit code, text the message must contain)
CASES = [
    # --- experiment files ---------------------------------------------------------------
    ("yaml-list-root-validate", _yaml("- a\n- b\n"), ["validate", "bad.yaml"], 2, "expected a mapping"),
    ("yaml-list-root-run-with-set", _yaml("- a\n"), ["run", "bad.yaml", "--set", "ga.tournaments=1", "--output", "o.h5"], 2, "expected a mapping"),
    ("yaml-list-root-run-with-output", _yaml("- a\n"), ["run", "bad.yaml", "--output", "o.h5"], 2, "expected a mapping"),
    ("yaml-scalar-root-run", _yaml("hello\n"), ["run", "bad.yaml", "--set", "seed=2", "--output", "o.h5"], 2, "expected a mapping"),
    ("yaml-5000-nested-brackets", _yaml(nested_flow(5000)), ["validate", "bad.yaml"], 2, "nested more than 64 levels"),
    ("yaml-5000-nested-brackets-run", _yaml(nested_flow(5000)), ["run", "bad.yaml", "--output", "o.h5"], 2, "nested more than 64 levels"),
    ("yaml-100-nested-blocks", _yaml(nested_block(100)), ["validate", "bad.yaml"], 2, "nested more than 64 levels"),
    ("yaml-too-large", _yaml("name: x\n" + "# padding\n" * 120_000), ["validate", "bad.yaml"], 2, "more than the limit of 1048576"),
    ("yaml-syntax", _yaml("name: [x\n"), ["validate", "bad.yaml"], 2, "invalid YAML"),
    ("yaml-not-utf8", _yaml(b"name: \xff\xfe\n"), ["validate", "bad.yaml"], 2, "not UTF-8"),
    ("yaml-missing", None, ["validate", "missing.yaml"], 2, "no such experiment file"),
    ("yaml-directory", lambda f, g: (f / "d.yaml").mkdir(), ["validate", "d.yaml"], 2, "is a directory"),
    ("yaml-unknown-key", _yaml("name: x\nbogus: 1\n"), ["validate", "bad.yaml"], 2, "bogus"),
    ("set-count-1e8-validate", None, ["validate", Q, "--set", "dataset.count=100000000"], 2, "beyond the limit of 1000000"),
    ("set-count-1e8-run", None, ["run", Q, "--set", "dataset.count=100000000", "--output", "o.h5"], 2, "beyond the limit"),
    ("set-population-1e8", None, ["validate", Q, "--set", "ga.population=100000000"], 2, "beyond the hard limit"),
    ("set-population-1e8-allow-large", None, ["validate", Q, "--set", "ga.population=100000000", "--allow-large"], 2, "hard limit"),
    ("set-population-20000", None, ["validate", Q, "--set", "ga.population=20000"], 2, "add --allow-large"),
    ("set-stimulus-1e12", None, ["run", Q, "--set", "protocol.stimulus_ms=1e12", "--output", "o.h5"], 2, "steps"),
    ("set-dt-1e-9", None, ["run", Q, "--set", "protocol.dt=1e-9", "--output", "o.h5"], 2, "steps"),
    ("set-kc-gene-50000", None, ["validate", Q, "--set", "genes.kc_count.prior={int_uniform: [50, 50000]}"], 2, "kc_count 50000 is beyond the limit"),
    ("set-replicates-20000", None, ["validate", Q, "--set", "replicates=20000"], 2, "20000 replicates is beyond"),
    ("set-not-path-value", None, ["validate", Q, "--set", "ga.tournaments"], 2, "expected PATH=VALUE"),
    # --- evaluate ---------------------------------------------------------------------------
    ("genotype-nan", None, ["evaluate", "--genotype", "kc_count=nan"], 2, "kc_count"),
    ("genotype-inf", None, ["evaluate", "--genotype", "w_max=inf"], 2, "w_max"),
    ("genotype-negative-kc", None, ["evaluate", "--genotype", "kc_count=-1"], 2, "kc_count"),
    ("genotype-kc-1e8", None, ["evaluate", "--genotype", "kc_count=1e8"], 2, "kc_count"),
    ("genotype-kc-fraction", None, ["evaluate", "--genotype", "kc_count=800.5"], 2, "kc_count"),
    ("genotype-probability", None, ["evaluate", "--genotype", "pn_kc_probability=1.5"], 2, "pn_kc_probability"),
    ("genotype-dt-0", None, ["evaluate", "--genotype", "dt=0"], 2, "dt"),
    ("genotype-duplicate", None, ["evaluate", "--genotype", "w_max=0.4,w_max=0"], 2, "w_max is given more than once"),
    ("genotype-empty", None, ["evaluate", "--genotype", ""], 2, "--genotype is empty"),
    ("genotype-empty-item", None, ["evaluate", "--genotype", "w_max=0.4,,teacher=1"], 2, "is empty: remove the extra comma"),
    ("genotype-unknown", None, ["evaluate", "--genotype", "bogus=1"], 2, "bogus"),
    ("genotype-not-pair", None, ["evaluate", "--genotype", "w_max"], 2, "expected name=value"),
    ("genotype-dt-1e-9", None, ["evaluate", "--genotype", "dt=1e-9"], 2, "steps"),
    ("genotype-stimulus-1e12", None, ["evaluate", "--genotype", "stimulus_ms=1e12"], 2, "steps"),
    ("evaluate-count-1e8", None, ["evaluate", "--count", "100000000"], 2, "beyond the limit of 1000000"),
    ("evaluate-count-negative", None, ["evaluate", "--count", "-5"], 2, "--count must be at least 1"),
    ("evaluate-seed-negative", None, ["evaluate", "--seed", "-1"], 2, "seed"),
    # --- neuron -----------------------------------------------------------------------------
    ("neuron-duration-negative", None, ["neuron", "--current", "1", "--duration", "-5"], 2, "--duration must be a number of ms ≥ 0, found -5"),
    ("neuron-duration-1e12", None, ["neuron", "--current", "1", "--duration", "1e12"], 2, "beyond the limit of 100000000"),
    ("neuron-dt-1e-12", None, ["neuron", "--current", "1", "--duration", "10", "--dt", "1e-12"], 2, "beyond the limit"),
    ("neuron-dt-negative", None, ["neuron", "--current", "1", "--duration", "10", "--dt", "-0.1"], 2, "--dt must be a number of ms > 0"),
    ("neuron-substeps-1e9", None, ["neuron", "--current", "1", "--duration", "10", "--model", "traubmiles-nstep", "--substeps", "1000000000"], 2, "between 1 and 1000"),
    ("neuron-substeps-0", None, ["neuron", "--current", "1", "--duration", "10", "--substeps", "0"], 2, "between 1 and 1000"),
    ("neuron-current-nan", None, ["neuron", "--current", "nan", "--duration", "10"], 2, "--current must be a finite"),
    ("neuron-current-negative-inf", None, ["neuron", "--current", "-inf", "--duration", "10"], 2, "--current must be a finite"),
    # --- run: command line and output ---------------------------------------------------------
    ("run-threads-negative", None, ["run", Q, "--threads", "-1", "--output", "o.h5"], 2, "--threads must be 0 (all cores) or more, found -1"),
    ("run-replicates-negative", None, ["run", Q, "--replicates", "-1", "--output", "o.h5"], 2, "--replicates must be at least 1, found -1"),
    ("run-resume-and-force", None, ["run", Q, "--resume", "--force", "--output", "o.h5"], 2, "contradict"),
    ("run-shard-beyond", None, ["run", Q, "--shard", "5/4", "--output", "o.h5"], 2, "shard"),
    ("run-output-exists", _run_file("good"), ["run", Q, "--output", "run.h5"] + TINY, 2, "exists: add --force"),
    ("run-resume-no-file", None, ["run", Q, "--resume", "--output", "run.h5"] + TINY, 2, "no run file at run.h5"),
    ("run-resume-partial", _run_file("partial"), ["run", Q, "--resume", "--output", "run.h5"] + TINY, 2, "run.h5.partial"),
    ("run-resume-directory", _run_file("directory"), ["run", Q, "--resume", "--output", "run.h5"] + TINY, 2, "run.h5 cannot be resumed: it is a directory"),
    ("run-resume-text", _run_file("text"), ["run", Q, "--resume", "--output", "run.h5"] + TINY, 2, "run.h5 cannot be resumed: it is not an HDF5 file"),
    ("run-resume-empty", _run_file("empty"), ["run", Q, "--resume", "--output", "run.h5"] + TINY, 2, "run.h5 cannot be resumed"),
    ("run-resume-truncated", _run_file("truncated"), ["run", Q, "--resume", "--output", "run.h5"] + TINY, 2, "run.h5 cannot be resumed"),
    ("run-resume-unrelated", _run_file("unrelated"), ["run", Q, "--resume", "--output", "run.h5"] + TINY, 2, "not an autoparam run file"),
    ("run-resume-other-seed", _run_file("good"), ["run", Q, "--resume", "--output", "run.h5", "--set", "seed=9"] + TINY, 2, "different experiment"),
    ("run-resume-complete-is-noop", _run_file("good"), ["run", Q, "--resume", "--output", "run.h5", "--quiet"] + TINY, 0, ""),
]

READERS = [
    ("inspect", ["inspect", "run.h5"]),
    ("inspect-verify", ["inspect", "--verify", "run.h5"]),
    ("report", ["report", "run.h5"]),
    ("report-json", ["report", "--json", "run.h5"]),
    ("export-genn", ["export-genn", "run.h5"]),
    ("merge", ["merge", "run.h5", "--output", "merged.h5"]),
]
for kind, text in [("directory", "it is a directory"), ("text", "it is not an HDF5 file"),
                   ("truncated", "cannot be"), ("unrelated", "not an autoparam run file"),
                   ("empty", "cannot be")]:
    for name, args in READERS:
        CASES.append((f"{name}-{kind}", _run_file(kind), args, 2, text))
CASES.append(("inspect-verify-corrupt", _run_file("corrupt"), ["inspect", "--verify", "run.h5"], 2, "checksum mismatch"))
CASES.append(("merge-corrupt", _run_file("corrupt"), ["merge", "run.h5", "--output", "merged.h5"], 2, "run.h5 cannot be merged: replicate 0: the file is damaged"))
CASES.append(("missing-run-file-inspect", None, ["inspect", "nothing.h5"], 2, "nothing.h5 cannot be read: no such file"))
CASES.append(("missing-run-file-report", None, ["report", "nothing.h5"], 2, "nothing.h5 cannot be read: no such file"))


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_bad_input_is_refused_cleanly_and_changes_nothing(case, tmp_path, good_run):
    name, setup, args, code, text = case
    work = tmp_path / "work"
    work.mkdir()
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    if setup:
        setup(work, good_run)
    before = snapshot(work)
    env = dict(os.environ, TMPDIR=str(temporary))
    result = subprocess.run([BIN, *args], cwd=work, capture_output=True, text=True, timeout=120, env=env)
    where = f"{name}: exit {result.returncode}\nstdout: {result.stdout[-2000:]}\nstderr: {result.stderr[-2000:]}"
    assert result.returncode == code, where
    assert text in result.stderr, where
    assert "Error:" not in result.stderr and "HDF5-DIAG" not in result.stderr, where
    if code == 2:
        assert result.stderr.startswith("error: "), where
    assert snapshot(work) == before, f"{name} changed files\n{where}"
    assert list(temporary.iterdir()) == [], f"{name} left files in the temporary folder"


def test_corpus_has_at_least_sixty_cases():
    assert len(CASES) >= 60


def test_verbose_prints_the_hdf5_stack(tmp_path, good_run):
    require_binary()
    target = tmp_path / "run.h5"
    shutil.copy(good_run, target)
    flip_spike_bytes(target)
    plain = subprocess.run([BIN, "inspect", "--verify", str(target)], capture_output=True, text=True)
    verbose = subprocess.run([BIN, "--verbose", "inspect", "--verify", str(target)], capture_output=True, text=True)
    assert plain.returncode == verbose.returncode == 2
    assert "/replicates/000/spikes/KC/steps" in plain.stdout + plain.stderr
    assert "HDF5 error stack" not in plain.stderr
    assert "HDF5 error stack" in verbose.stderr, verbose.stderr


def test_a_writer_refuses_while_another_holds_the_lock(tmp_path, good_run):
    require_binary()
    target = tmp_path / "run.h5"
    shutil.copy(good_run, target)
    before = snapshot(tmp_path)
    with open(str(target) + ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        lock.write("process 4242 on somewhere (autoparam run, since now)\n")
        lock.flush()
        for extra in (["--resume"], ["--force"]):
            result = subprocess.run([BIN, "run", Q, "--output", str(target), "--quiet", *TINY, *extra],
                                    capture_output=True, text=True, timeout=120)
            assert result.returncode == 2, result.stderr
            assert "is being written by another autoparam (process 4242 on somewhere" in result.stderr, result.stderr
        merged = subprocess.run([BIN, "merge", str(good_run), "--output", str(target), "--force"],
                                capture_output=True, text=True, timeout=120)
        assert merged.returncode == 2 and "being written by another autoparam" in merged.stderr, merged.stderr
        # Readers neither wait nor write.
        reader = subprocess.run([BIN, "inspect", str(target)], capture_output=True, text=True, timeout=60)
        assert reader.returncode == 0, reader.stderr
    after = snapshot(tmp_path)
    after.pop("run.h5.lock", None)
    before.pop("run.h5.lock", None)
    assert after == before


def test_two_writers_started_together_never_mix(tmp_path):
    """Two `run --force` with different seeds on one output: one is refused (exit 2) or they
    run one after the other; the file always holds exactly one run's data."""
    require_binary()
    target = tmp_path / "run.h5"
    for trial in range(4):
        runs = [subprocess.Popen([BIN, "run", Q, "--output", str(target), "--quiet", "--force", *TINY,
                                  "--set", f"seed={seed}"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                for seed in (1, 2)]
        outcomes = [(p.wait(timeout=300), p.stderr.read()) for p in runs]
        codes = sorted(code for code, _ in outcomes)
        assert codes in ([0, 0], [0, 2]), outcomes
        for code, err in outcomes:
            if code == 2:
                assert "is being written by another autoparam" in err, err
        with h5py.File(target, "r") as f:
            seed = int(f.attrs["master_seed"])
            resolved = f.attrs["experiment_resolved_yaml"]
            resolved = resolved.decode() if isinstance(resolved, bytes) else resolved
            assert f"seed: {seed}" in resolved
        assert not Path(str(target) + ".lock").exists()
