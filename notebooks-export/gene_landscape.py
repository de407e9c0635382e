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
# # Gene landscape
#
# Where in gene space the GA looked and what it found: every committed evaluation of every
# replicate, as a point; or of several run files pooled, coloured by run.
#
# * `gene_fitness.png`: fitness against each gene, one panel per gene, coloured by replicate.
#   Evaluations that did not simulate normally (status *invalid genotype* or *numerical failure*)
#   are drawn as crosses.
# * `gene_pairs.png`: every pair of genes, each evaluation a point coloured by its fitness (the
#   fittest drawn last, on top), to show interactions and the region the GA converged on.
# * `evaluations.csv`: the table behind both (one row per evaluation, genes and fitness).
#
#     python3 notebooks-export/gene_landscape.py runs/quickstart.h5 [--out DIR]
#     python3 notebooks-export/gene_landscape.py runs/a.h5 runs/b.h5 [--out DIR]
#
# * `gene_pairs_by_run.png` (several runs only): the gene pairs coloured by run.
#
# Genes whose values are all positive and span more than two decades (e.g. `stdp_alpha`) are
# drawn on a logarithmic axis. Only committed rows are read, so a running or killed run works.

# %%
import sys
from pathlib import Path

try:
    HERE = Path(__file__).resolve().parent
except NameError:  # inside Jupyter
    HERE = Path.cwd()
sys.path.insert(0, str(HERE))

from autoparam_run import (STATUS_NAMES, RunFile, output_folder, parse_arguments,  # noqa: E402
                           run_labels, save_figure, use_agg_unless_interactive)

use_agg_unless_interactive()
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

# %% [markdown]
# ## The run files
# One run file or several (a list in `RUN_FILE`, or several on the command line). With several,
# their evaluations are pooled and coloured by run instead of by replicate; a gene that only
# some runs evolve is plotted for those runs.

# %%
RUN_FILE = "runs/quickstart.h5"   # or a list of run files
args = parse_arguments("Plot fitness against the genes of every evaluation of one or more autoparam run files "
                       "(several: pooled, coloured by run).", RUN_FILE, many=True)
labels = run_labels(args.run_files)
runs = {label: RunFile(path) for label, path in zip(labels, args.run_files)}
several = len(runs) > 1
out = output_folder(args.run_files, args.out)
frames = []
genes = []
for label, run in runs.items():
    frame = run.evaluations()
    frame.insert(0, "run", label)
    frames.append(frame)
    genes += [g for g in run.gene_names if g in frame.columns and g not in genes]
evaluations = pd.concat([f for f in frames if len(f)] or frames[:1], ignore_index=True)
title = next(iter(runs.values())).experiment_name if not several else f"{len(runs)} runs"
for label, run in runs.items():
    print(f"{run.path.name}: {int((evaluations['run'] == label).sum())} committed evaluations in "
          f"{len(run.replicates)} replicate(s), genes: {', '.join(run.gene_names)}"
          + (f" (legend: {label})" if several else ""))
counts = evaluations["status"].map(lambda s: STATUS_NAMES.get(s, str(s))).value_counts()
for name, n in counts.items():
    print(f"  {name}: {n}")
columns = ["run", "replicate", "row", "tournament", "fitness", "max_fitness", "status"] + genes
evaluations.reindex(columns=columns).to_csv(out / "evaluations.csv", index=False)
print(f"wrote {out / 'evaluations.csv'}")

# %% [markdown]
# ## Axis scales
# A gene whose values are all positive and cover more than a factor of 100 is shown on a log axis.


# %%
def use_log(values):
    values = np.asarray(values, dtype=float)
    values = values[np.isfinite(values)]
    return len(values) > 1 and values.min() > 0 and values.max() / values.min() > 100


log_scale = {g: use_log(evaluations[g]) for g in genes}
print("log axes:", ", ".join(g for g, v in log_scale.items() if v) or "none")

# %% [markdown]
# ## Fitness against each gene

# %%
ok = evaluations["status"] == 0
colours = plt.cm.tab10(np.linspace(0, 1, 10))
columns_per_row = min(3, max(len(genes), 1))
rows = max(1, int(np.ceil(len(genes) / columns_per_row)))
fig, axes = plt.subplots(rows, columns_per_row, figsize=(4.2 * columns_per_row, 3.4 * rows), squeeze=False)
# The groups that get a colour: replicates of the one run, or whole runs when there are several.
if several:
    groups = [(label, evaluations["run"] == label) for label in runs]
else:
    only = next(iter(runs.values()))
    groups = [(f"replicate {r}", evaluations["replicate"] == r) for r in only.replicates]
for ax, gene in zip(axes.flat, genes):
    for k, (name, mine) in enumerate(groups):
        c = colours[k % 10]
        mine = mine & evaluations[gene].notna()
        ax.scatter(evaluations.loc[mine & ok, gene], evaluations.loc[mine & ok, "fitness"], s=18, color=c,
                   alpha=0.75, edgecolors="none", label=name)
        if (mine & ~ok).any():
            ax.scatter(evaluations.loc[mine & ~ok, gene], evaluations.loc[mine & ~ok, "fitness"], s=30, color=c,
                       marker="x", label=f"{name}, not ok")
    if log_scale[gene]:
        ax.set_xscale("log")
    ax.set_xlabel(gene)
    ax.set_ylabel("fitness")
    ax.grid(alpha=0.3)
for ax in list(axes.flat)[len(genes):]:
    ax.axis("off")
if genes:
    handles, names = axes.flat[0].get_legend_handles_labels()
    fig.legend(handles, names, loc="upper center", bbox_to_anchor=(0.5, 0.0), ncol=min(len(names), 6), fontsize=8,
               frameon=False)
else:
    axes.flat[0].text(0.5, 0.5, "no genes", ha="center", va="center")
fig.suptitle(f"{title}: fitness of every committed evaluation against each gene"
             + (", coloured by run" if several else ""))
fig.tight_layout()
save_figure(fig, out, "gene_fitness.png")

# %% [markdown]
# ## Gene pairs coloured by fitness
# Lower triangle: one panel per pair of genes. The colour scale is shared by every panel.

# %%
if len(genes) >= 2 and len(evaluations):
    n = len(genes)
    ordered = evaluations.sort_values("fitness", na_position="first")
    fitness = ordered["fitness"].to_numpy(dtype=float)
    finite = fitness[np.isfinite(fitness)]
    vmin, vmax = (finite.min(), finite.max()) if len(finite) else (0.0, 1.0)
    if vmin == vmax:
        vmin, vmax = vmin - 0.5, vmax + 0.5
    fig, axes = plt.subplots(n - 1, n - 1, figsize=(2.6 * (n - 1) + 1.5, 2.4 * (n - 1)), squeeze=False)
    points = None
    for i in range(1, n):
        for j in range(n - 1):
            ax = axes[i - 1, j]
            if j >= i:
                ax.axis("off")
                continue
            gx, gy = genes[j], genes[i]
            points = ax.scatter(ordered[gx], ordered[gy], c=fitness, cmap="viridis", vmin=vmin, vmax=vmax, s=14,
                                edgecolors="none")
            # Runs with different genes share no point on some pairs: a log axis needs data.
            both = evaluations[[gx, gy]].dropna()
            if log_scale[gx] and (both[gx] > 0).any():
                ax.set_xscale("log")
            if log_scale[gy] and (both[gy] > 0).any():
                ax.set_yscale("log")
            ax.tick_params(labelsize=7)
            if i == n - 1:
                ax.set_xlabel(gx, fontsize=9)
            else:
                ax.set_xticklabels([])
            if j == 0:
                ax.set_ylabel(gy, fontsize=9)
            else:
                ax.set_yticklabels([])
    fig.colorbar(points, ax=axes.ravel().tolist(), label="fitness", shrink=0.8)
    fig.suptitle(f"{title}: gene pairs of {len(evaluations)} evaluations, coloured by fitness")
    save_figure(fig, out, "gene_pairs.png")
else:
    print("fewer than two genes (or no evaluations): no gene-pair plot")

# %% [markdown]
# ## Gene pairs coloured by run
# Only with several runs: the same panels, each evaluation coloured by its run, to show where
# in gene space each run searched and converged.

# %%
if several and len(genes) >= 2 and len(evaluations):
    n = len(genes)
    fig, axes = plt.subplots(n - 1, n - 1, figsize=(2.6 * (n - 1) + 1.5, 2.4 * (n - 1)), squeeze=False)
    for i in range(1, n):
        for j in range(n - 1):
            ax = axes[i - 1, j]
            if j >= i:
                ax.axis("off")
                continue
            gx, gy = genes[j], genes[i]
            for k, label in enumerate(runs):
                mine = evaluations[evaluations["run"] == label]
                ax.scatter(mine[gx], mine[gy], s=12, color=colours[k % 10], alpha=0.7, edgecolors="none", label=label)
            # Runs with different genes share no point on some pairs: a log axis needs data.
            both = evaluations[[gx, gy]].dropna()
            if log_scale[gx] and (both[gx] > 0).any():
                ax.set_xscale("log")
            if log_scale[gy] and (both[gy] > 0).any():
                ax.set_yscale("log")
            ax.tick_params(labelsize=7)
            if i == n - 1:
                ax.set_xlabel(gx, fontsize=9)
            else:
                ax.set_xticklabels([])
            if j == 0:
                ax.set_ylabel(gy, fontsize=9)
            else:
                ax.set_yticklabels([])
    handles, names = axes[0, 0].get_legend_handles_labels()
    fig.legend(handles, names, loc="upper right", fontsize=8)
    fig.suptitle(f"{title}: gene pairs of {len(evaluations)} evaluations, coloured by run")
    save_figure(fig, out, "gene_pairs_by_run.png")
for run in runs.values():
    run.close()
