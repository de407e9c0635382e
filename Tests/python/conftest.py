"""Shared fixtures for the Python checks: the autoparam binary and a small run file made with it.

`autoparam_bin`: the release binary, $AUTOPARAM_BIN or .build/release/autoparam under the
repository root (a relative $AUTOPARAM_BIN is taken from the repository root too). When it is
missing the tests that need it are skipped with a message, except under CI (CI=true), where a
missing binary is a failure: CI builds it first, so its absence means the build went wrong.

`run_file`: one small run of experiments/quickstart.yaml, made once per test session in a
temporary folder: 2 replicates, a population of 4, 3 tournaments, 8 embedded images, every spike
of every population and the final KC->DN weights recorded. It takes a few seconds.

`make_run`: makes further run files with other `--set` overrides (for tests that need a run
without some recording, say); each distinct set of overrides is run once per session.

A run that the binary aborts (killed by a signal) is retried twice with a warning, so that an
intermittent crash of the writer shows up as a warning here rather than failing every test that
merely needs a file; a run that exits with an error code fails at once.
"""
import os
import subprocess
import sys
import tarfile
import warnings
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
QUICKSTART = REPO_ROOT / "experiments" / "quickstart.yaml"

#: The overrides of the shared small run (`run_file`).
SMALL_RUN = (
    "replicates=2",
    "ga.population=4",
    "ga.tournaments=3",
    "dataset.count=8",
    # The seed's protocol, rubric and genes (the quickstart before it learned), which the export
    # tests' GeNN stand-in reproduces.
    "protocol.variant=seed",
    "protocol.stimulus_ms=25",
    "protocol.blank_ms=25",
    "rubric=seed-242",
    "genes={kc_count: {prior: {int_uniform: [50, 400]}}, "
    "stdp_tau: {prior: {product: [{int_uniform: [0, 99]}, {uniform: [0, 1]}]}, round: 4}, "
    "stdp_alpha: {prior: {quotient: [{uniform: [0, 1]}, {int_uniform: [1, 999999]}]}, round: 8}, "
    "w_max: {prior: {uniform: [0, 1]}, round: 4}, "
    "stdp_offset: {prior: {quotient: [{uniform: [0, 1]}, {int_uniform: [1, 999999]}]}, round: 8}, "
    "teacher: {prior: {product: [{uniform: [0, 1]}, {int_uniform: [1, 2]}]}, round: 2}}",
    "record.spikes=all",
    "record.evaluations=all",
    "record.weights=true",
)


def in_ci():
    return os.environ.get("CI", "").lower() == "true"


def binary_path():
    """Where the autoparam binary should be (it may not exist)."""
    path = Path(os.environ.get("AUTOPARAM_BIN", REPO_ROOT / ".build" / "release" / "autoparam"))
    return path if path.is_absolute() else REPO_ROOT / path


def missing(message):
    """Skip, or fail under CI, for a prerequisite that is not there."""
    if in_ci():
        pytest.fail(message + " (CI=true: the binary must have been built)")
    pytest.skip(message)


@pytest.fixture(scope="session")
def autoparam_bin():
    path = binary_path()
    if not path.is_file() or not os.access(path, os.X_OK):
        missing(f"autoparam binary not found at {path}: build it with `swift build -c release` "
                "or point AUTOPARAM_BIN at it")
    return path


def run_autoparam(binary, args, cwd=None, timeout=600):
    """Run the binary; returns the CompletedProcess (text mode), never raises on exit codes."""
    return subprocess.run([str(binary), *map(str, args)], cwd=cwd, capture_output=True, text=True,
                          timeout=timeout)


@pytest.fixture(scope="session")
def make_run(autoparam_bin, tmp_path_factory):
    """make_run(*overrides) -> Path of a run of quickstart.yaml with those `--set` overrides."""
    made = {}

    def make(*overrides):
        key = tuple(overrides)
        if key in made:
            return made[key]
        folder = tmp_path_factory.mktemp("run")
        output = folder / "run.h5"
        args = ["run", QUICKSTART, "--output", output, "--quiet"]
        for item in overrides:
            args += ["--set", item]
        for attempt in range(3):
            result = run_autoparam(autoparam_bin, args + (["--force"] if attempt else []), cwd=folder)
            if result.returncode >= 0:
                break
            # Killed by a signal (an abort in the binary, not a verdict on the experiment):
            # say so loudly, and try again so the tests that only need a file can run.
            warnings.warn(f"autoparam run crashed with signal {-result.returncode} (attempt {attempt + 1}): "
                          f"{result.stderr.strip().splitlines()[0] if result.stderr.strip() else 'no message'}")
        if result.returncode != 0 or not output.is_file():
            pytest.fail(f"autoparam {' '.join(map(str, args))} exited {result.returncode}\n"
                        f"stdout:\n{result.stdout}\nstderr:\n{result.stderr}")
        made[key] = output
        return output

    return make


@pytest.fixture(scope="session")
def run_file(make_run):
    """A small complete run file (see SMALL_RUN), shared by the whole session: do not modify it."""
    return make_run(*SMALL_RUN)


#: The prebuilt PyGeNN 5.4.0 (CPU backend) of the development tools folder beside the checkout;
#: the tests that run exported scripts on the real GeNN skip, saying so, without it.
PYGENN_ARCHIVE = REPO_ROOT.parent / "shared" / "tools" / "pygenn" / "pygenn-5.4.0-cp311-linux-x86_64-cpu.tar.gz"


@pytest.fixture(scope="session")
def pygenn_path(tmp_path_factory):
    if not PYGENN_ARCHIVE.is_file():
        pytest.skip(f"PyGeNN 5.4.0 not found at {PYGENN_ARCHIVE}")
    if sys.version_info[:2] != (3, 11):
        pytest.skip("the prebuilt PyGeNN is for CPython 3.11")
    for module in ("psutil", "deprecated", "numpy"):
        try:
            __import__(module)
        except ImportError:
            pytest.skip(f"PyGeNN needs the Python package {module}: python3 -m pip install psutil deprecated numpy")
    folder = tmp_path_factory.mktemp("pygenn")
    with tarfile.open(PYGENN_ARCHIVE) as archive:
        archive.extractall(folder)
    return folder
