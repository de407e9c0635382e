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
# How the microbial GA's population improved, replicate by replicate, in one autoparam run file,
# or in several plotted together (one colour per run) to compare them.
#
# * **Per replicate**: the best and the mean fitness of the population after each tournament
#   against tournaments completed (0 is the initial population; tournaments themselves are
#   numbered from 0, so point n is the population after tournament n - 1).
# * **Across replicates**: the median of the best fitness, with the interquartile band and the
#   range, after each tournament.
# * **Final best**: a table of each replicate's final best fitness (and the summary statistics
#   across replicates), also written as `final_best.csv`.
#
# Run it as a script (figures go to `<run>_figures/` beside the run file unless `--out` says
# otherwise):
#
#     python3 notebooks-export/fitness_traces.py runs/quickstart.h5 --out figures/
#     python3 notebooks-export/fitness_traces.py runs/a.h5 runs/b.h5 --out compare/
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

from autoparam_run import (RunFile, output_folder, parse_arguments, run_labels, save_figure,  # noqa: E402
                           use_agg_unless_interactive)

use_agg_unless_interactive()
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.ticker import MaxNLocator  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

# %% [markdown]
# ## The run files
# In Jupyter, set `RUN_FILE` (or the environment variable `AUTOPARAM_RUN`); as a script, the
# command line decides. One run file or several: with several, every figure shows them together,
# one colour per run (named in the legend by its file name), so runs of different experiments
# or settings can be compared.

# %%
RUN_FILE = "runs/quickstart.h5"   # or a list of run files
args = parse_arguments("Plot the fitness traces of one or more autoparam run files (several: together, one "
                       "colour per run).", RUN_FILE, many=True)
labels = run_labels(args.run_files)
runs = {label: RunFile(path) for label, path in zip(labels, args.run_files)}
several = len(runs) > 1
out = output_folder(args.run_files, args.out)
for label, run in runs.items():
    print(f"{run.path.name}: experiment '{run.experiment_name}', {len(run.replicates)} replicate(s)"
          + (f" (legend: {label})" if several else ""))
    for r in run.replicates:
        e, t = run.committed[r]
        print(f"  replicate {r}: {run.status[r]}, {e} committed evaluations, {t} committed tournaments")
title = (next(iter(runs.values())).experiment_name if not several else f"{len(runs)} runs")

# %% [markdown]
# ## Traces per replicate
# Row 0 of each trace is the initial population; row *t* is the population after tournament *t*.
# Replicates with no committed evaluation yet are left out. The dotted line is the rubric's
# maximum fitness. One run: a colour per replicate, best solid and mean dashed. Several runs: a
# colour per run, each replicate's best as a line of its run's colour (the mean is left out to
# keep the figure readable).

# %%
traces = {}       # (run label, replicate) -> trace
for label, run in runs.items():
    for r in run.replicates:
        trace = run.fitness_trace(r)
        if len(trace):
            traces[(label, r)] = trace
evaluations = {label: run.evaluations() for label, run in runs.items()}
maxima = [float(np.nanmax(ev["max_fitness"])) for ev in evaluations.values() if len(ev)]
max_fitness = max(maxima) if maxima else np.nan
colours = plt.cm.tab10(np.linspace(0, 1, 10))
run_colour = {label: colours[k % 10] for k, label in enumerate(runs)}

fig, ax = plt.subplots(figsize=(9, 5))
labelled = set()
for k, ((label, r), trace) in enumerate(traces.items()):
    if several:
        c = run_colour[label]
        ax.plot(trace["tournaments"], trace["best"], color=c, lw=1.4, alpha=0.85,
                label=None if label in labelled else f"{label} (best, {len(runs[label].replicates)} replicate(s))")
        labelled.add(label)
    else:
        c = colours[k % 10]
        ax.plot(trace["tournaments"], trace["best"], color=c, lw=1.8, label=f"replicate {r} best")
        ax.plot(trace["tournaments"], trace["mean"], color=c, lw=1.0, ls="--", alpha=0.8, label=f"replicate {r} mean")
if np.isfinite(max_fitness):
    ax.axhline(max_fitness, color="grey", ls=":", lw=1, label="maximum")
ax.set_xlabel("tournaments completed")
ax.xaxis.set_major_locator(MaxNLocator(integer=True))
ax.set_ylabel("fitness")
ax.set_title(f"{title}: best and mean population fitness per replicate" if not several
             else f"{title}: best population fitness of every replicate, by run")
if traces:
    ax.legend(fontsize=8, ncol=2 if len(traces) > 3 and not several else 1, loc="lower right")
else:
    ax.text(0.5, 0.5, "no committed evaluations yet", ha="center", va="center", transform=ax.transAxes)
ax.grid(alpha=0.3)
save_figure(fig, out, "fitness_traces.png")

# %% [markdown]
# ## Median across replicates
# Replicates can have committed different numbers of tournaments (a run still going); each
# point uses the replicates that reached it. Several runs: one median, band and range per run.

# %%
fig, ax = plt.subplots(figsize=(9, 5))
drawn = False
for label in runs:
    mine = [t for (run_label, _), t in traces.items() if run_label == label]
    length = max((len(t) for t in mine), default=0)
    if not length:
        continue
    best = np.full((len(mine), length), np.nan)
    for i, trace in enumerate(mine):
        best[i, :len(trace)] = trace["best"].to_numpy()
    x = np.arange(length)
    c = run_colour[label] if several else "tab:blue"
    prefix = f"{label}: " if several else ""
    median = np.nanmedian(best, axis=0)
    q25, q75 = np.nanpercentile(best, 25, axis=0), np.nanpercentile(best, 75, axis=0)
    low, high = np.nanmin(best, axis=0), np.nanmax(best, axis=0)
    ax.fill_between(x, low, high, color=c, alpha=0.12, label=None if several else "range")
    ax.fill_between(x, q25, q75, color=c, alpha=0.3, label=None if several else "interquartile range")
    ax.plot(x, median, color=c, lw=2, label=f"{prefix}median of {len(mine)} replicate(s)")
    drawn = True
if drawn:
    if np.isfinite(max_fitness):
        ax.axhline(max_fitness, color="grey", ls=":", lw=1, label="maximum")
    ax.legend(loc="lower right", fontsize=9)
else:
    ax.text(0.5, 0.5, "no committed evaluations yet", ha="center", va="center", transform=ax.transAxes)
ax.set_xlabel("tournaments completed")
ax.xaxis.set_major_locator(MaxNLocator(integer=True))
ax.set_ylabel("best fitness in the population")
ax.set_title(f"{title}: best fitness across replicates" + (" (bands: interquartile range and range)" if several else ""))
ax.grid(alpha=0.3)
save_figure(fig, out, "fitness_median.png")

# %% [markdown]
# ## Final best fitness
# For each replicate (of each run): its status, committed tournaments and evaluations, the best
# and mean population fitness after its last committed tournament, and the best evaluation ever
# recorded (with its row): the highest fitness, ties to the earliest row, as in every autoparam
# command. Then the statistics of the final best across replicates (per run).

# %%
rows = []
for (label, r), trace in traces.items():
    run, ev = runs[label], evaluations[label]
    ev = ev[ev["replicate"] == r]
    best_row = ev.loc[ev["fitness"].idxmax()] if len(ev) else None
    rows.append({
        "run": label,
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
table = pd.DataFrame(rows, columns=["run", "replicate", "status", "tournaments", "evaluations", "final_best",
                                    "final_mean", "best_evaluation_row", "best_evaluation_fitness", "max_fitness"])
table.to_csv(out / "final_best.csv", index=False)
print(f"wrote {out / 'final_best.csv'}")
if len(table):
    summary = table.groupby("run", sort=False)["final_best"].agg(
        replicates="count", median="median", mean="mean", sd=lambda v: v.std(ddof=1) if len(v) > 1 else np.nan,
        min="min", max="max").reset_index()
    with pd.option_context("display.width", 120, "display.max_columns", 20):
        print(table.to_string(index=False))
        print()
        print(summary.to_string(index=False))

# %% [markdown]
# The final best of each replicate as points, with the median across replicates (several runs:
# one colour per run, the runs side by side on the x axis).

# %%
fig, ax = plt.subplots(figsize=(6 if not several else 4 + 2 * len(runs), 4))
if len(table):
    offset = 0
    ticks, names = [], []
    for label in runs:
        mine = table[table["run"] == label]
        if not len(mine):
            continue
        x = mine["replicate"].to_numpy() + offset
        c = run_colour[label] if several else "tab:blue"
        ax.scatter(x, mine["final_best"], s=50, color=c, zorder=3, label=f"{label}: final best" if several else "final best")
        ax.scatter(x, mine["final_mean"], s=30, marker="s", color=c if several else "tab:orange", alpha=0.6 if several else 1,
                   zorder=3, label=f"{label}: final mean" if several else "final mean")
        ax.hlines(mine["final_best"].median(), x.min() - 0.3, x.max() + 0.3, color=c, ls="--", lw=1,
                  label=f"{label}: median final best" if several else "median final best")
        ticks += list(x)
        names += [f"{r}" for r in mine["replicate"]]
        offset = x.max() + 2
    ax.set_xticks(ticks)
    ax.set_xticklabels(names)
    ax.legend(fontsize=8)
else:
    ax.text(0.5, 0.5, "no committed evaluations yet", ha="center", va="center", transform=ax.transAxes)
ax.set_xlabel("replicate" + (" (grouped by run)" if several else ""))
ax.set_ylabel("fitness")
ax.set_title("final population fitness")
ax.grid(alpha=0.3)
save_figure(fig, out, "final_best.png")
for run in runs.values():
    run.close()
