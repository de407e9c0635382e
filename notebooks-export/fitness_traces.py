# ---
# jupyter:
#   jupytext:
#     formats: py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Fitness traces
#
# How the microbial GA's population improved, replicate by replicate, in one autoparam run file.
#
# * **Per replicate**: the best and the mean fitness of the population after each tournament
#   (tournament 0 is the initial population, before any tournament).
# * **Across replicates**: the median of the best fitness, with the interquartile band and the
#   range, after each tournament.
# * **Final best**: a table of each replicate's final best fitness (and the summary statistics
#   across replicates), also written as `final_best.csv`.
#
# Run it as a script (figures go to `<run>_figures/` beside the run file unless `--out` says
# otherwise):
#
#     python3 notebooks-export/fitness_traces.py runs/quickstart.h5 --out figures/
#
# or open it in Jupyter (`jupytext --to notebook`, or the jupytext extension) and set `RUN_FILE`.
#
# Only **committed** rows are read (the per-replicate commit counters), so the notebook works on
# a run that is still going or was killed: it shows everything up to the last commit.

# %%
import sys
from pathlib import Path

try:
    HERE = Path(__file__).resolve().parent
except NameError:  # inside Jupyter
    HERE = Path.cwd()
sys.path.insert(0, str(HERE))

from autoparam_run import (RunFile, output_folder, parse_arguments, save_figure,  # noqa: E402
                           use_agg_unless_interactive)

use_agg_unless_interactive()
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.ticker import MaxNLocator  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

# %% [markdown]
# ## The run file
# In Jupyter, set `RUN_FILE` (or the environment variable `AUTOPARAM_RUN`); as a script, the
# command line decides.

# %%
RUN_FILE = "runs/quickstart.h5"
args = parse_arguments("Plot the fitness traces of an autoparam run file.", RUN_FILE)
run = RunFile(args.run_file)
out = output_folder(args.run_file, args.out)
print(f"{run.path.name}: experiment '{run.experiment_name}', {len(run.replicates)} replicate(s)")
for r in run.replicates:
    e, t = run.committed[r]
    print(f"  replicate {r}: {run.status[r]}, {e} committed evaluations, {t} committed tournaments")

# %% [markdown]
# ## Traces per replicate
# Row 0 of each trace is the initial population; row *t* is the population after tournament *t*.
# Replicates with no committed evaluation yet are left out. The dotted line is the rubric's
# maximum fitness.

# %%
traces = {r: run.fitness_trace(r) for r in run.replicates}
traces = {r: t for r, t in traces.items() if len(t)}
evaluations = run.evaluations()
max_fitness = float(np.nanmax(evaluations["max_fitness"])) if len(evaluations) else np.nan

fig, ax = plt.subplots(figsize=(9, 5))
colours = plt.cm.tab10(np.linspace(0, 1, 10))
for k, (r, trace) in enumerate(traces.items()):
    c = colours[k % 10]
    ax.plot(trace["tournaments"], trace["best"], color=c, lw=1.8, label=f"replicate {r} best")
    ax.plot(trace["tournaments"], trace["mean"], color=c, lw=1.0, ls="--", alpha=0.8, label=f"replicate {r} mean")
if np.isfinite(max_fitness):
    ax.axhline(max_fitness, color="grey", ls=":", lw=1, label="maximum")
ax.set_xlabel("tournaments completed")
ax.xaxis.set_major_locator(MaxNLocator(integer=True))
ax.set_ylabel("fitness")
ax.set_title(f"{run.experiment_name}: best and mean population fitness per replicate")
if traces:
    ax.legend(fontsize=8, ncol=2 if len(traces) > 3 else 1, loc="lower right")
else:
    ax.text(0.5, 0.5, "no committed evaluations yet", ha="center", va="center", transform=ax.transAxes)
ax.grid(alpha=0.3)
save_figure(fig, out, "fitness_traces.png")

# %% [markdown]
# ## Median across replicates
# Replicates can have committed different numbers of tournaments (a run still going); each
# point uses the replicates that reached it.

# %%
length = max((len(t) for t in traces.values()), default=0)
best = np.full((len(traces), length), np.nan)
for i, trace in enumerate(traces.values()):
    best[i, :len(trace)] = trace["best"].to_numpy()
x = np.arange(length)
fig, ax = plt.subplots(figsize=(9, 5))
if length:
    counts = np.sum(np.isfinite(best), axis=0)
    median = np.nanmedian(best, axis=0)
    q25, q75 = np.nanpercentile(best, 25, axis=0), np.nanpercentile(best, 75, axis=0)
    low, high = np.nanmin(best, axis=0), np.nanmax(best, axis=0)
    ax.fill_between(x, low, high, color="tab:blue", alpha=0.12, label="range")
    ax.fill_between(x, q25, q75, color="tab:blue", alpha=0.3, label="interquartile range")
    ax.plot(x, median, color="tab:blue", lw=2, label=f"median of {len(traces)} replicate(s)")
    if np.isfinite(max_fitness):
        ax.axhline(max_fitness, color="grey", ls=":", lw=1, label="maximum")
    ax.legend(loc="lower right", fontsize=9)
else:
    ax.text(0.5, 0.5, "no committed evaluations yet", ha="center", va="center", transform=ax.transAxes)
ax.set_xlabel("tournaments completed")
ax.xaxis.set_major_locator(MaxNLocator(integer=True))
ax.set_ylabel("best fitness in the population")
ax.set_title(f"{run.experiment_name}: best fitness across replicates")
ax.grid(alpha=0.3)
save_figure(fig, out, "fitness_median.png")

# %% [markdown]
# ## Final best fitness
# For each replicate: its status, committed tournaments and evaluations, the best and mean
# population fitness after its last committed tournament, and the best evaluation ever
# recorded (with its row). Then the statistics of the final best across replicates.

# %%
rows = []
for r, trace in traces.items():
    ev = evaluations[evaluations["replicate"] == r]
    best_row = ev.loc[ev["fitness"].idxmax()] if len(ev) else None
    rows.append({
        "replicate": r,
        "status": run.status[r],
        "tournaments": run.committed_tournaments(r),
        "evaluations": run.committed_evaluations(r),
        "final_best": trace["best"].iloc[-1],
        "final_mean": trace["mean"].iloc[-1],
        "best_evaluation_row": int(best_row["row"]) if best_row is not None else -1,
        "best_evaluation_fitness": float(best_row["fitness"]) if best_row is not None else np.nan,
        "max_fitness": float(ev["max_fitness"].max()) if len(ev) else np.nan,
    })
table = pd.DataFrame(rows)
table.to_csv(out / "final_best.csv", index=False)
print(f"wrote {out / 'final_best.csv'}")
if len(table):
    finals = table["final_best"]
    summary = pd.DataFrame({"statistic": ["replicates", "median", "mean", "sd", "min", "max"],
                            "final_best": [len(finals), finals.median(), finals.mean(),
                                           finals.std(ddof=1) if len(finals) > 1 else np.nan,
                                           finals.min(), finals.max()]})
    with pd.option_context("display.width", 120, "display.max_columns", 20):
        print(table.to_string(index=False))
        print()
        print(summary.to_string(index=False))

# %% [markdown]
# The final best of each replicate as points, with the median across replicates.

# %%
fig, ax = plt.subplots(figsize=(6, 4))
if len(table):
    ax.scatter(table["replicate"], table["final_best"], s=50, color="tab:blue", zorder=3, label="final best")
    ax.scatter(table["replicate"], table["final_mean"], s=30, marker="s", color="tab:orange", zorder=3,
               label="final mean")
    ax.axhline(table["final_best"].median(), color="tab:blue", ls="--", lw=1, label="median final best")
    ax.set_xticks(table["replicate"])
    ax.legend(fontsize=8)
else:
    ax.text(0.5, 0.5, "no committed evaluations yet", ha="center", va="center", transform=ax.transAxes)
ax.set_xlabel("replicate")
ax.set_ylabel("fitness")
ax.set_title("final population fitness")
ax.grid(alpha=0.3)
save_figure(fig, out, "final_best.png")
run.close()
