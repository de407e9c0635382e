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
# # Spike rasters of one evaluation
#
# What the network did during one evaluation of an autoparam run: by default the **best**
# evaluation of the whole run (highest fitness over every replicate's committed rows), or the one
# chosen with `--replicate R [--evaluation E]` (`--replicate` alone: that replicate's best).
#
# * `spike_raster.png`: every recorded spike of each recorded population (PN, KC, DN, GGN: whatever
#   the run's `record.spikes` kept), with each image's stimulus window shaded in its label's
#   colour and the label written above it.
# * `dn_responses.png`: per image, how many spikes each output neuron (DN *d* stands for class *d*)
#   fired during the stimulus and during the blank that follows; the labelled DN is outlined.
# * `kc_sparseness.png`: per image, the fraction of Kenyon cells that fired at least once during
#   the image's stimulus window (the mushroom body's coding sparseness).
# * `per_image.csv`: the numbers behind the last two.
#
#     python3 notebooks-export/spike_rasters.py runs/quickstart.h5 [--replicate 0] [--evaluation 5] [--out DIR]
#
# Populations the run did not record are skipped with a note. Only committed rows are read, so a
# run still being written (or a killed one) works: the choice is among its committed evaluations.

# %%
import sys
from pathlib import Path

try:
    HERE = Path(__file__).resolve().parent
except NameError:  # inside Jupyter
    HERE = Path.cwd()
sys.path.insert(0, str(HERE))

from autoparam_run import (STATUS_NAMES, RunFile, output_folder, parse_arguments,  # noqa: E402
                           save_figure, use_agg_unless_interactive)

use_agg_unless_interactive()
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from matplotlib.patches import Patch, Rectangle  # noqa: E402

# %% [markdown]
# ## The run file and the evaluation

# %%
RUN_FILE = "runs/quickstart.h5"


def extra_arguments(parser):
    parser.add_argument("--replicate", type=int, help="replicate (default: the one holding the best evaluation: highest fitness, ties to the lower replicate, then the earliest row)")
    parser.add_argument("--evaluation", type=int, help="evaluation row in that replicate (default: its best: highest fitness, ties to the earliest row)")


args = parse_arguments("Spike rasters, DN responses and KC sparseness of one evaluation.", RUN_FILE,
                       extra_arguments)
run = RunFile(args.run_file)
out = output_folder(args.run_file, args.out)

if args.evaluation is not None and args.replicate is None:
    args.replicate = run.replicates[0]
if args.replicate is not None and args.replicate not in run.replicates:
    raise SystemExit(f"--replicate {args.replicate}: the run has replicates {run.replicates}")
if args.evaluation is not None:
    replicate, evaluation = args.replicate, args.evaluation
    committed = run.committed_evaluations(replicate)
    if not 0 <= evaluation < committed:
        raise SystemExit(f"--evaluation {evaluation}: replicate {replicate} has committed evaluations 0..{committed - 1}")
else:
    chosen = run.best_evaluation(args.replicate)
    if chosen is None:
        raise SystemExit("the run file has no committed evaluation yet: nothing to plot")
    replicate, evaluation = chosen

row = run.evaluations(replicate).iloc[evaluation]
protocol = run.protocol()
S, W, N, dt = protocol["stimulus_steps"], protocol["window_steps"], protocol["images"], protocol["dt"]
labels = run.labels[:N]
classes = run.class_names
genes = ", ".join(f"{g}={row[g]:.6g}" for g in run.gene_names)
print(f"replicate {replicate}, evaluation {evaluation}: fitness {row['fitness']:.6g} of {row['max_fitness']:.6g}, "
      f"status {STATUS_NAMES.get(int(row['status']), row['status'])}, tournament {int(row['tournament'])}")
print(f"genotype: {genes}")
print(f"protocol: {N} images, {S} stimulus + {protocol['blank_steps']} blank steps each, dt {dt} ms "
      f"({protocol['stimulus_source']})")
print(f"recorded populations: {', '.join(run.populations) or 'none'}")

# %% [markdown]
# ## Spike raster
# Shaded bands: the stimulus half of each image window, in the colour of the image's label; the
# unshaded half is the blank. The label's name is written above each window.

# %%
class_colours = plt.cm.Set2(np.arange(max(len(classes), 4)) % 8)
order = [p for p in ["PN", "KC", "DN", "GGN"] if run.has_spikes(p)] + \
        [p for p in run.populations if p not in ("PN", "KC", "DN", "GGN")]
spikes = {p: run.spikes(replicate, evaluation, p) for p in order}
sizes = {p: run.population_size(replicate, evaluation, p) for p in order}
missing = [p for p in ["PN", "KC", "DN", "GGN"] if not run.has_spikes(p)]
if missing:
    print(f"not recorded in this run (skipped): {', '.join(missing)}")


def shade_windows(ax):
    for i in range(N):
        start = i * W * dt
        ax.axvspan(start, start + S * dt, color=class_colours[labels[i] % len(class_colours)], alpha=0.25, lw=0)
        ax.axvline(start, color="grey", lw=0.3, alpha=0.6)


if order:
    heights = [{"PN": 3, "KC": 3, "DN": 1.2, "GGN": 0.7}.get(p, 1) for p in order]
    fig, axes = plt.subplots(len(order), 1, figsize=(13, 1.6 + 1.4 * sum(heights)), sharex=True,
                             gridspec_kw={"height_ratios": heights})
    axes = np.atleast_1d(axes)
    for ax, p in zip(axes, order):
        steps, ids = spikes[p]
        shade_windows(ax)
        ax.scatter(steps * dt, ids, s=2 if p in ("PN", "KC") else 8, marker="|" if p in ("DN", "GGN") else ".",
                   color="black", linewidths=0.8, rasterized=True)
        n = sizes[p] or 0
        ax.set_ylim(-0.5, max(n, 1) - 0.5)
        ax.set_ylabel(f"{p}\n({n} neurons)")
        if p == "DN":
            ax.set_yticks(range(n))
            ax.set_yticklabels([f"{d} {classes[d]}" if d < len(classes) else str(d) for d in range(n)], fontsize=7)
        ax.text(1.002, 0.5, f"{len(steps)} spikes", transform=ax.transAxes, fontsize=8, va="center")
    axes[-1].set_xlim(0, N * W * dt)
    axes[-1].set_xlabel("time (ms)")
    for i in range(N):
        axes[0].text((i * W + S / 2) * dt, 1.01, classes[labels[i]] if labels[i] < len(classes) else str(labels[i]),
                     transform=axes[0].get_xaxis_transform(), rotation=90 if N > 12 else 0,
                     ha="center", va="bottom", fontsize=7)
    handles = [Patch(color=class_colours[c], alpha=0.5, label=f"stimulus: {classes[c]}") for c in range(len(classes))]
    fig.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, 0.0), ncol=len(handles), fontsize=8,
               frameon=False)
    fig.suptitle(f"{run.experiment_name}: replicate {replicate}, evaluation {evaluation}, "
                 f"fitness {row['fitness']:.4g} / {row['max_fitness']:.4g}")
    save_figure(fig, out, "spike_raster.png")
else:
    print("the run recorded no spikes (record.spikes: none or record.evaluations: none): no raster")

# %% [markdown]
# ## DN responses per image
# Spike counts of each DN during each image's stimulus (top) and the blank after it (bottom).
# The outlined cell is the DN of the image's label: the teacher drives that one up and the
# others down during training images. (Under the seed protocol only stimulus spikes score.)

# %%
per_image = pd.DataFrame({"image": np.arange(N), "label": labels,
                          "class": [classes[c] if c < len(classes) else str(c) for c in labels]})
if run.has_spikes("DN"):
    steps, ids = spikes["DN"]
    n_dn = sizes["DN"] or 4
    image = steps // W
    in_stimulus = (steps % W) < S
    stim_counts = np.zeros((n_dn, N), dtype=int)
    blank_counts = np.zeros((n_dn, N), dtype=int)
    np.add.at(stim_counts, (ids[in_stimulus], image[in_stimulus]), 1)
    np.add.at(blank_counts, (ids[~in_stimulus], image[~in_stimulus]), 1)
    for d in range(n_dn):
        per_image[f"DN{d}_stimulus_spikes"] = stim_counts[d]
        per_image[f"DN{d}_blank_spikes"] = blank_counts[d]
    fig, axes = plt.subplots(2, 1, figsize=(max(7, 0.35 * N + 2), 5.5), sharex=True)
    for ax, counts, title in zip(axes, (stim_counts, blank_counts), ("stimulus", "blank")):
        im = ax.imshow(counts, aspect="auto", cmap="magma", interpolation="nearest")
        for i in range(N):
            if labels[i] < n_dn:
                ax.add_patch(Rectangle((i - 0.5, labels[i] - 0.5), 1, 1, fill=False, edgecolor="cyan", lw=1.5))
        ax.set_yticks(range(n_dn))
        ax.set_yticklabels([classes[d] if d < len(classes) else str(d) for d in range(n_dn)], fontsize=8)
        ax.set_ylabel(f"DN ({title})")
        fig.colorbar(im, ax=ax, label="spikes")
    axes[-1].set_xlabel("image")
    axes[0].set_title(f"DN spike counts per image (outlined: the label's DN); replicate {replicate}, evaluation {evaluation}")
    save_figure(fig, out, "dn_responses.png")
else:
    print("DN spikes not recorded: no DN responses")

# %% [markdown]
# ## KC sparseness per image
# The fraction of Kenyon cells that spiked at least once during each image's stimulus window.
# Sparse coding in the mushroom body means a small fraction (a few percent to a few tens of
# percent); the GGN's feedback inhibition keeps it down.

# %%
if run.has_spikes("KC"):
    steps, ids = spikes["KC"]
    kc_count = sizes["KC"] or 0
    image = steps // W
    in_stimulus = (steps % W) < S
    fraction = np.full(N, np.nan)
    if kc_count > 0:
        active = pd.DataFrame({"image": image[in_stimulus], "id": ids[in_stimulus]}).drop_duplicates()
        counts = active.groupby("image")["id"].size().reindex(range(N), fill_value=0).to_numpy()
        fraction = counts / kc_count
    per_image["kc_active_fraction"] = fraction
    fig, ax = plt.subplots(figsize=(max(7, 0.35 * N + 2), 4))
    ax.bar(np.arange(N), np.nan_to_num(fraction), color=[class_colours[c % len(class_colours)] for c in labels],
           edgecolor="black", lw=0.4)
    if kc_count > 0:
        ax.axhline(np.nanmean(fraction), color="black", ls="--", lw=1, label=f"mean {np.nanmean(fraction):.3f}")
        ax.legend(handles=[Patch(color=class_colours[c], label=classes[c]) for c in range(len(classes))]
                  + ax.get_legend_handles_labels()[0], fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1.0))
    else:
        ax.text(0.5, 0.5, "this evaluation has no Kenyon cells", ha="center", va="center", transform=ax.transAxes)
    ax.set_xlim(-0.6, N - 0.4)
    ax.set_xlabel("image")
    ax.set_ylabel("fraction of KCs active")
    ax.set_title(f"KC sparseness during each stimulus ({kc_count} KCs); replicate {replicate}, evaluation {evaluation}")
    ax.grid(alpha=0.3, axis="y")
    save_figure(fig, out, "kc_sparseness.png")
else:
    print("KC spikes not recorded: no KC sparseness")

# %%
per_image.to_csv(out / "per_image.csv", index=False)
print(f"wrote {out / 'per_image.csv'}")
run.close()
