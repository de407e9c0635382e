"""The `autoparam neuron` command against the independent float64 TraubMiles reference.

Contract of the command under test:
    autoparam neuron --model traubmiles --current NA --duration 200 --json
prints JSON with key "spike_times_ms": the time t = k*dt (ms) of every step k that emitted a spike.
The binary is $AUTOPARAM_BIN, or .build/release/autoparam under the repository root; the
comparison is skipped (with a message) when it does not exist. Float (simulator) and double
(reference) trajectories drift apart slowly, so spike times may differ by one step (0.1 ms).
"""
import io
import json
import math
import os
import subprocess
import sys
from contextlib import redirect_stdout
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
import traubmiles_reference as ref  # noqa: E402

REPO_ROOT = Path(__file__).resolve().parents[2]
CURRENTS = [0.0, 0.05, 0.1, 0.2, 0.5, 1.0, 2.0]
DURATION_MS = 200.0
DT_MS = 0.1


@pytest.fixture(scope="module")
def reference_spikes():
    """Reference spike times for every current, simulated together."""
    return dict(zip(CURRENTS, ref.spike_times(CURRENTS, DURATION_MS, DT_MS)))


def autoparam_binary():
    path = Path(os.environ.get("AUTOPARAM_BIN", REPO_ROOT / ".build" / "release" / "autoparam"))
    if not path.is_absolute():
        path = REPO_ROOT / path
    if not path.exists():
        pytest.skip(f"autoparam binary not found at {path}: build it (swift build -c release) "
                    "or set AUTOPARAM_BIN")
    return path


@pytest.mark.parametrize("current", CURRENTS)
def test_cli_spike_times_match_the_float64_reference(current, reference_spikes):
    binary = autoparam_binary()
    result = subprocess.run(
        [str(binary), "neuron", "--model", "traubmiles", "--current", repr(current),
         "--duration", "200", "--json"],
        capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, f"autoparam neuron failed ({result.returncode}): {result.stderr}"
    simulated = json.loads(result.stdout)["spike_times_ms"]
    expected = reference_spikes[current]
    assert len(simulated) == len(expected), (
        f"I = {current} nA: {len(simulated)} spikes, reference {len(expected)}\n"
        f"simulated {simulated}\nreference {expected}")
    for a, b in zip(simulated, expected):
        assert abs(a - b) <= DT_MS + 1e-9, f"I = {current} nA: spike at {a} ms, reference {b} ms"


# The reference itself, so that the comparison above rests on something checked.

def test_reference_is_silent_without_input_and_fires_at_about_180_hz_at_1_na(reference_spikes):
    assert reference_spikes[0.0] == []
    n = len(reference_spikes[1.0])
    assert 34 <= n <= 38, f"{n} spikes in 200 ms at 1 nA (docs/model.md: about 180 Hz)"
    assert len(reference_spikes[2.0]) > n > len(reference_spikes[0.5])


def test_reference_spike_times_are_steps_of_dt_in_increasing_order(reference_spikes):
    for current, times in reference_spikes.items():
        assert times == sorted(times)
        for t in times:
            assert abs(t / DT_MS - round(t / DT_MS)) < 1e-6, (current, t)
            assert 0 <= t < DURATION_MS


def test_rates_take_their_limits_at_the_removable_singularities():
    V = np.array([-52.0, -25.0, -50.0])
    a_m, b_m, _, _, a_n, _ = ref.rates(V)
    for value, limit in [(a_m[0], 1.28), (b_m[1], 1.4), (a_n[2], 0.16)]:
        assert math.isclose(value, limit, rel_tol=1e-14)
    # ... and the limits are the values the formulas approach.
    eps = 1e-6
    near = ref.rates(V + eps)
    assert math.isclose(near[0][0], 1.28, rel_tol=1e-5)
    assert math.isclose(near[1][1], 1.4, rel_tol=1e-5)
    assert math.isclose(near[4][2], 0.16, rel_tol=1e-5)


def test_rates_match_the_textbook_formulas_away_from_the_singularities():
    for v in [-80.0, -60.0, -40.0, 0.0, 30.0]:
        a_m, b_m, a_h, b_h, a_n, b_n = (float(r[0]) for r in ref.rates(np.array([v])))
        assert math.isclose(a_m, 0.32 * (-52 - v) / (math.exp((-52 - v) / 4) - 1), rel_tol=1e-12)
        assert math.isclose(b_m, 0.28 * (v + 25) / (math.exp((v + 25) / 5) - 1), rel_tol=1e-12)
        assert math.isclose(a_h, 0.128 * math.exp((-48 - v) / 18), rel_tol=1e-12)
        assert math.isclose(b_h, 4 / (math.exp((-25 - v) / 5) + 1), rel_tol=1e-12)
        assert math.isclose(a_n, 0.032 * (-50 - v) / (math.exp((-50 - v) / 5) - 1), rel_tol=1e-12)
        assert math.isclose(b_n, 0.5 * math.exp((-55 - v) / 40), rel_tol=1e-12)


def test_reference_rests_near_the_leak_equilibrium_without_input():
    state = {k: np.array([v]) for k, v in ref.INITIAL.items()}
    for _ in range(5000):
        state = ref.step(state, np.array([0.0]))
    assert -66.0 < float(state["V"][0]) < -58.0


def test_command_line_prints_the_json_contract():
    out = io.StringIO()
    with redirect_stdout(out):
        ref.main(["--current", "1", "--duration", "20"])
    data = json.loads(out.getvalue())
    assert data["spike_times_ms"] == ref.spike_times([1.0], 20.0)[0]
    assert len(data["spike_times_ms"]) >= 3
