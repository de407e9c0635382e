#!/usr/bin/env python3
"""An independent float64 re-derivation of GeNN 4's TraubMiles neuron (docs/model.md).

One or more neurons from GeNN's initial state (V -60 mV, m 0.0529324, h 0.3176767,
n 0.5961207), each under a constant current (nA), time step dt (0.1 ms), `substeps` forward-Euler
substeps per step (25: TraubMiles, 1: TraubMilesFast, n: TraubMilesNStep). A spike is emitted at
step k, time t = k*dt, when V >= 0 after the step's update and V < 0 before it (GeNN's
auto-refractory rule).

Command line:
    traubmiles_reference.py --current 0.5 --duration 200 [--dt 0.1] [--substeps 25]
prints JSON: {"model": "traubmiles", "current_na": ..., "duration_ms": ..., "dt_ms": ...,
"substeps": ..., "spike_times_ms": [...]}.
"""
import argparse
import json
import sys

import numpy as np

G_NA, E_NA, G_K, E_K, G_L, E_L, C = 7.15, 50.0, 1.43, -95.0, 0.02672, -63.563, 0.143
INITIAL = {"V": -60.0, "m": 0.0529324, "h": 0.3176767, "n": 0.5961207}


def _ratio(x, scale, limit):
    """x / (exp(x / scale) - 1), with its limit `limit` where x == 0 (coefficients applied by caller)."""
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        q = x / np.expm1(x / scale)
    return np.where(x == 0.0, limit, q)


def rates(V):
    """The six gate rates (1/ms) at membrane potential V (mV), as arrays."""
    with np.errstate(over="ignore"):
        # alpha_m = 0.32 (-52 - V) / (exp((-52 - V)/4) - 1), limit 1.28 at V = -52
        alpha_m = 0.32 * _ratio(-52.0 - V, 4.0, 4.0)
        # beta_m = 0.28 (V + 25) / (exp((V + 25)/5) - 1), limit 1.4 at V = -25
        beta_m = 0.28 * _ratio(V + 25.0, 5.0, 5.0)
        alpha_h = 0.128 * np.exp((-48.0 - V) / 18.0)
        beta_h = 4.0 / (np.exp((-25.0 - V) / 5.0) + 1.0)
        # alpha_n = 0.032 (-50 - V) / (exp((-50 - V)/5) - 1), limit 0.16 at V = -50
        alpha_n = 0.032 * _ratio(-50.0 - V, 5.0, 5.0)
        beta_n = 0.5 * np.exp((-55.0 - V) / 40.0)
    return alpha_m, beta_m, alpha_h, beta_h, alpha_n, beta_n


def step(state, current, dt=0.1, substeps=25):
    """Advance the state dict of arrays V, m, h, n by one time step under `current` (nA)."""
    V, m, h, n = state["V"], state["m"], state["h"], state["n"]
    mdt = dt / substeps
    with np.errstate(all="ignore"):
        for _ in range(substeps):
            i_mem = -(m ** 3 * h * G_NA * (V - E_NA) + n ** 4 * G_K * (V - E_K) + G_L * (V - E_L) - current)
            a_m, b_m, a_h, b_h, a_n, b_n = rates(V)
            m = m + (a_m * (1.0 - m) - b_m * m) * mdt
            h = h + (a_h * (1.0 - h) - b_h * h) * mdt
            n = n + (a_n * (1.0 - n) - b_n * n) * mdt
            V = V + i_mem / C * mdt
    return {"V": V, "m": m, "h": h, "n": n}


def spike_times(currents, duration_ms, dt=0.1, substeps=25):
    """Spike times (ms) of one neuron per current, simulated together; a list of lists."""
    currents = np.asarray(currents, dtype=np.float64)
    steps = int(round(duration_ms / dt))
    state = {k: np.full(currents.shape, v, dtype=np.float64) for k, v in INITIAL.items()}
    spikes = [[] for _ in range(currents.size)]
    for k in range(steps):
        above_before = state["V"] >= 0.0
        state = step(state, currents, dt, substeps)
        emitted = (state["V"] >= 0.0) & ~above_before
        for i in np.flatnonzero(emitted):
            spikes[i].append(round(k * dt, 9))
    return spikes


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--current", type=float, required=True, help="constant current, nA")
    parser.add_argument("--duration", type=float, default=200.0, help="simulated time, ms")
    parser.add_argument("--dt", type=float, default=0.1, help="time step, ms")
    parser.add_argument("--substeps", type=int, default=25, help="Euler substeps per step")
    args = parser.parse_args(argv)
    times = spike_times([args.current], args.duration, args.dt, args.substeps)[0]
    json.dump({"model": "traubmiles", "current_na": args.current, "duration_ms": args.duration,
               "dt_ms": args.dt, "substeps": args.substeps, "spike_times_ms": times}, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
