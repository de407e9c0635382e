"""Read an autoparam run file (HDF5) with h5py, numpy and pandas: committed rows only.

The analysis notebooks in this folder import this module; it can be used on its own too::

    from autoparam_run import RunFile
    with RunFile("runs/quickstart.h5") as run:
        evaluations = run.evaluations()          # every committed evaluation, all replicates
        steps, ids = run.spikes(0, 5, "KC")      # replicate 0, evaluation row 5

Committed rows. The writer appends rows and then *commits* them by rewriting two counters
on each replicate group, ``committed_evaluations`` and ``committed_tournaments``; rows past
the counters are work in progress (or left behind by a killed writer) and may be incomplete.
Everything here reads the counters once, when the file is opened, and stops there, so the
module works on a finished run, a run still being written and a killed one alike. Open the
file again to see later commits.

The layout (see the project's docs/hdf5-layout.md; the recorder's code is the reference):

- root attributes: format "autoparam-run", format_version, experiment_name, experiment_yaml
  (the experiment file's text), dt_ms, steps_per_evaluation, replicate_count, populations
  (the recorded ones, e.g. PN KC DN GGN), components (fitness components), records_weights
- /dataset/images (N x 784 uint8), /dataset/labels (N), attribute class_names
- /replicates/NNN/ attributes seed, status, committed_evaluations, committed_tournaments
  - evaluations/: genotype (E x G, attribute names), fitness, max_fitness, components (E x C),
    status (0 ok, 1 invalid genotype, 2 numerical failure), status_message, seed,
    wall_seconds, tournament (-1 for the initial population), slot, population_sizes (E x P)
  - tournaments/: tournament, a, b, winner, loser, crossover_mask, mutated_genes,
    evaluation_row, best_fitness, mean_fitness, min_fitness
  - spikes/<POP>/: steps, ids, index (E+1 offsets: evaluation e owns rows index[e]:index[e+1])
  - weights/: values (float32, concatenated KC x DN row-major), index (E+1 offsets)
"""
import builtins
import re
import sys
import time
from pathlib import Path

import h5py
import numpy as np
import pandas as pd

STATUS_NAMES = {0: "ok", 1: "invalid genotype", 2: "numerical failure"}
#: Output neurons (one per class) in every network autoparam builds.
DN_COUNT = 4


def _text(value):
    """An HDF5 string (bytes or str) as str."""
    return value.decode("utf-8") if isinstance(value, bytes) else str(value)


def _texts(values):
    return [_text(v) for v in np.atleast_1d(values)]


def open_hdf5(path):
    """Open read-only without HDF5's file lock, so a running writer is never blocked."""
    try:
        return h5py.File(path, "r", locking=False)
    except (TypeError, ValueError):  # h5py or HDF5 too old for the locking argument
        return h5py.File(path, "r")


class RunFile:
    """A snapshot of a run file's committed rows (see the module's documentation)."""

    def __init__(self, path):
        self.path = Path(path)
        if not self.path.is_file():
            raise FileNotFoundError(f"no run file at {self.path}")
        self.file = open_hdf5(self.path)
        try:
            self._read(self._load_header)
        except Exception:
            self.file.close()
            raise

    def _load_header(self, f):
        attrs = f.attrs
        if _text(attrs.get("format", b"")) != "autoparam-run":
            raise ValueError(f"{self.path} is not an autoparam run file (root attribute 'format')")
        self.format_version = int(attrs["format_version"])
        self.experiment_name = _text(attrs.get("experiment_name", ""))
        self.experiment_text = _text(attrs.get("experiment_yaml", ""))
        self.dt = float(attrs["dt_ms"])
        self.steps_per_evaluation = int(attrs["steps_per_evaluation"])
        self.populations = _texts(attrs.get("populations", []))
        self.component_names = _texts(attrs.get("components", []))
        self.records_weights = bool(int(attrs.get("records_weights", 0)))
        group = f["replicates"]
        self.replicates = sorted(int(name) for name in group.keys())
        #: Replicate -> (committed evaluations, committed tournaments), read once at open.
        self.committed = {}
        self.status = {}
        for r in self.replicates:
            g = group[f"{r:03d}"]
            self.committed[r] = (int(g.attrs["committed_evaluations"]), int(g.attrs["committed_tournaments"]))
            self.status[r] = _text(g.attrs.get("status", "unknown"))
        first = group[f"{self.replicates[0]:03d}"] if self.replicates else None
        self.gene_names = _texts(first["genes/names"][()]) if first is not None else []
        dataset = f["dataset"]
        self.images = dataset["images"][()]
        self.labels = dataset["labels"][()].astype(int)
        self.class_names = _texts(dataset.attrs.get("class_names", [])) or [str(c) for c in range(DN_COUNT)]

    # -- reading a file that is being written ------------------------------------------

    def _read(self, read):
        """`read(file)`, reopening the file and trying again when HDF5 fails. A writer that is
        still running moves the end of the file after we opened it, and HDF5 refuses to read
        data written past the end it saw at open ("addr overflow"); a fresh open sees it.
        Committed rows never change, so the snapshot of the counters stays valid."""
        for attempt in range(6):
            try:
                return read(self.file)
            except (OSError, KeyError, RuntimeError):
                if attempt == 5:
                    raise
                time.sleep(0.05 * (attempt + 1))
                try:
                    self.file.close()
                except Exception:
                    pass
                self.file = open_hdf5(self.path)

    # -- context manager ----------------------------------------------------------------

    def close(self):
        self.file.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    # -- replicates ---------------------------------------------------------------------

    def _group(self, replicate):
        """Checks that the replicate exists (its group name is f"{replicate:03d}")."""
        if replicate not in self.committed:
            raise KeyError(f"replicate {replicate} does not exist (replicates {self.replicates})")

    def committed_evaluations(self, replicate):
        return self.committed[replicate][0]

    def committed_tournaments(self, replicate):
        return self.committed[replicate][1]

    # -- tables -------------------------------------------------------------------------

    def evaluations(self, replicate=None):
        """Committed evaluations as a DataFrame, one row each: replicate, row, fitness, max_fitness,
        status, status_message, tournament, slot, seed, wall_seconds, one column per gene, one
        `component:<name>` column per fitness component and one `size:<POP>` column per recorded
        population. `replicate=None` concatenates every replicate."""
        if replicate is None:
            frames = [self.evaluations(r) for r in self.replicates]
            frames = [f for f in frames if len(f)]
            return pd.concat(frames, ignore_index=True) if frames else self.evaluations(self.replicates[0]).iloc[0:0]
        self._group(replicate)
        return self._read(lambda f: self._evaluations(f, replicate))

    def _evaluations(self, f, replicate):
        g = f["replicates"][f"{replicate:03d}"]["evaluations"]
        n = self.committed_evaluations(replicate)
        frame = pd.DataFrame({
            "replicate": np.full(n, replicate, dtype=int),
            "row": np.arange(n),
            "fitness": g["fitness"][:n],
            "max_fitness": g["max_fitness"][:n],
            "status": g["status"][:n].astype(int),
            "status_message": _texts(g["status_message"][:n]) if n else [],
            "tournament": g["tournament"][:n].astype(int),
            "slot": g["slot"][:n].astype(int),
            "seed": g["seed"][:n],
            "wall_seconds": g["wall_seconds"][:n],
        })
        genotype = g["genotype"][:n]
        for j, name in enumerate(_texts(g["genotype"].attrs.get("names", self.gene_names))):
            frame[name] = genotype[:, j]
        components = g["components"][:n]
        for j, name in enumerate(_texts(g["components"].attrs.get("names", self.component_names))):
            frame[f"component:{name}"] = components[:, j]
        sizes = g["population_sizes"][:n]
        for j, name in enumerate(_texts(g["population_sizes"].attrs.get("names", self.populations))):
            frame[f"size:{name}"] = sizes[:, j].astype(int)
        return frame

    def tournaments(self, replicate):
        """Committed tournaments of a replicate as a DataFrame (one row each)."""
        self._group(replicate)
        n = self.committed_tournaments(replicate)
        columns = ["tournament", "a", "b", "winner", "loser", "evaluation_row",
                   "best_fitness", "mean_fitness", "min_fitness"]

        def read(f):
            g = f["replicates"][f"{replicate:03d}"]["tournaments"]
            return pd.DataFrame({c: g[c][:n] for c in columns})
        return self._read(read)

    def fitness_trace(self, replicate):
        """Best and mean population fitness after 0, 1, 2, ... tournaments: a DataFrame with
        columns tournaments, best, mean, min. `tournaments` counts tournaments completed: row 0
        is the initial population (its committed evaluations with tournament -1), row n the
        population after n tournaments, i.e. after tournament n - 1 (tournaments are numbered
        from 0 in the file, as everywhere in autoparam)."""
        evaluations = self.evaluations(replicate)
        initial = evaluations[evaluations["tournament"] < 0]["fitness"].to_numpy()
        t = self.tournaments(replicate)
        rows = []
        if len(initial):
            rows.append((0, np.nanmax(initial), np.nanmean(initial), np.nanmin(initial)))
        for k, row in enumerate(t.itertuples(index=False)):
            rows.append((k + 1, row.best_fitness, row.mean_fitness, row.min_fitness))
        return pd.DataFrame(rows, columns=["tournaments", "best", "mean", "min"])

    def best_evaluation(self, replicate=None):
        """(replicate, row) of the best evaluation, or None: the highest committed fitness, ties
        to the lower replicate, then the earliest row (NaN never wins). The one definition every
        autoparam command uses (report, export-genn --best, compare; docs/report.md)."""
        evaluations = self.evaluations(replicate)
        evaluations = evaluations[np.isfinite(evaluations["fitness"])]
        if not len(evaluations):
            return None
        best = evaluations.loc[evaluations["fitness"].idxmax()]
        return int(best["replicate"]), int(best["row"])

    # -- spikes and weights -------------------------------------------------------------

    def _check_row(self, replicate, evaluation):
        n = self.committed_evaluations(replicate)
        if not 0 <= evaluation < n:
            raise IndexError(f"evaluation {evaluation} of replicate {replicate} is not committed "
                             f"(committed rows 0..{n - 1})" if n else f"replicate {replicate} has no committed evaluations")

    def has_spikes(self, population):
        return population in self.populations

    def spikes(self, replicate, evaluation, population):
        """(steps, ids) of one population in one evaluation, or None if it was not recorded."""
        if population not in self.populations:
            return None
        self._check_row(replicate, evaluation)

        def read(f):
            g = f["replicates"][f"{replicate:03d}"]["spikes"][population]
            start, end = (int(x) for x in g["index"][evaluation:evaluation + 2])
            return g["steps"][start:end].astype(np.int64), g["ids"][start:end].astype(np.int64)
        return self._read(read)

    def population_size(self, replicate, evaluation, population):
        """Neurons in a recorded population in one evaluation, or None if not recorded."""
        if population not in self.populations:
            return None
        self._check_row(replicate, evaluation)

        def read(f):
            g = f["replicates"][f"{replicate:03d}"]["evaluations/population_sizes"]
            names = _texts(g.attrs.get("names", self.populations))
            return int(g[evaluation][names.index(population)])
        return self._read(read)

    def weights(self, replicate, evaluation):
        """Final KC->DN weights of an evaluation as a (KC, 4) float32 array, or None when the run
        does not record weights or the evaluation stored none."""
        if not self.records_weights:
            return None
        self._check_row(replicate, evaluation)

        def read(f):
            g = f["replicates"][f"{replicate:03d}"]["weights"]
            start, end = (int(x) for x in g["index"][evaluation:evaluation + 2])
            if end <= start:
                return None
            return g["values"][start:end].reshape(-1, DN_COUNT)
        return self._read(read)

    # -- protocol -----------------------------------------------------------------------

    def protocol(self):
        """The presentation schedule: a dict with images (presented per evaluation),
        window_steps (one image and its blank), stimulus_steps, blank_steps, dt, and
        stimulus_source saying where the stimulus length came from."""
        images = len(self.images)
        window = self.steps_per_evaluation // images if images else 0
        stimulus_ms, blank_ms = _protocol_durations(self.experiment_text)
        stimulus = int(round(stimulus_ms / self.dt))
        blank = int(round(blank_ms / self.dt))
        source = "experiment file"
        if stimulus + blank != window:
            # The file's durations were overridden at run time (--set is not recorded): keep the
            # window the file's step count implies and assume the default even split.
            stimulus, blank, source = window // 2, window - window // 2, "assumed half of each window"
        return {"images": images, "window_steps": window, "stimulus_steps": stimulus,
                "blank_steps": blank, "dt": self.dt, "stimulus_source": source}


def _protocol_durations(text, default=(25.0, 25.0)):
    """(stimulus_ms, blank_ms) from an experiment file's text; the defaults where absent."""
    stimulus, blank = default
    try:
        import yaml  # optional: PyYAML
        protocol = (yaml.safe_load(text) or {}).get("protocol") or {}
        return float(protocol.get("stimulus_ms", stimulus)), float(protocol.get("blank_ms", blank))
    except Exception:
        pass
    # Without PyYAML: look inside the `protocol:` block (block or flow style).
    block = re.search(r"^protocol:(.*?)(?=^\S|\Z)", text, re.S | re.M)
    if block:
        for key in ("stimulus_ms", "blank_ms"):
            found = re.search(rf"\b{key}\s*:\s*([-+0-9.eE]+)", block.group(1))
            if found:
                if key == "stimulus_ms":
                    stimulus = float(found.group(1))
                else:
                    blank = float(found.group(1))
    return stimulus, blank


# -- helpers shared by the notebooks ----------------------------------------------------

def in_notebook():
    """True inside Jupyter/IPython (figures are shown), False as a plain script (Agg)."""
    return "ipykernel" in sys.modules or hasattr(builtins, "__IPYTHON__")


def parse_arguments(description, default_run_file=None, extra=None, argv=None, many=False):
    """The notebook's arguments: from the command line as a script; inside Jupyter, the run
    file is `default_run_file` (set it in the notebook or with $AUTOPARAM_RUN).

    With `many=True` the notebook takes one or more run files: `args.run_files` lists them
    (in Jupyter, $AUTOPARAM_RUN may name several, separated by os.pathsep, and
    `default_run_file` may be a list), and `args.run_file` is the first."""
    import argparse
    import os
    parser = argparse.ArgumentParser(description=description)
    if many:
        parser.add_argument("run_files", nargs="+", metavar="run_file",
                            help="one or more autoparam run files (.h5), plotted together")
    else:
        parser.add_argument("run_file", help="the autoparam run file (.h5)")
    parser.add_argument("--out", help="folder for the PNG files (default: <run file name>_figures beside it)")
    if extra:
        extra(parser)
    if argv is None:
        if in_notebook():
            run_file = os.environ.get("AUTOPARAM_RUN", default_run_file)
            if not run_file:
                raise SystemExit("set RUN_FILE in the notebook or $AUTOPARAM_RUN to a run file")
            if isinstance(run_file, (list, tuple)):
                argv = [str(r) for r in run_file]
            elif many:
                argv = [r for r in str(run_file).split(os.pathsep) if r]
            else:
                argv = [str(run_file)]
            if os.environ.get("AUTOPARAM_OUT"):
                argv += ["--out", os.environ["AUTOPARAM_OUT"]]
        else:
            argv = sys.argv[1:]
    args = parser.parse_args(argv)
    if many:
        args.run_file = args.run_files[0]
    return args


def output_folder(run_file, out=None):
    """The output folder (created): `out`, or `<run file stem>_figures` beside the run file.
    `run_file` may be a list of run files: then the folder is beside the first and named after
    all of them (`a+b_figures`, or `a+3_more_figures` for more than three)."""
    if isinstance(run_file, (list, tuple)):
        paths = [Path(r) for r in run_file]
        if len(paths) == 1:
            return output_folder(paths[0], out)
        stems = [p.stem for p in paths]
        name = "+".join(stems) if len(stems) <= 3 else f"{stems[0]}+{len(stems) - 1}_more"
        folder = Path(out) if out else paths[0].with_name(name + "_figures")
    else:
        folder = Path(out) if out else Path(run_file).with_name(Path(run_file).stem + "_figures")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def run_labels(paths):
    """Short distinct legend labels for run files: the file names without .h5, with as many
    parent folders as it takes to tell them apart."""
    paths = [Path(p).resolve() for p in paths]
    for depth in range(1, max((len(p.parts) for p in paths), default=1) + 1):
        labels = ["/".join(p.with_suffix("").parts[-depth:]) for p in paths]
        if len(set(labels)) == len(labels):
            return labels
    return [f"{i}: {p.stem}" for i, p in enumerate(paths)]


def save_figure(fig, folder, name, dpi=110):
    """Write `fig` as folder/name (PNG); show it in a notebook, close it in a script."""
    import matplotlib.pyplot as plt
    path = Path(folder) / name
    fig.savefig(path, dpi=dpi, bbox_inches="tight", facecolor="white")
    print(f"wrote {path}")
    if in_notebook():
        plt.show()
    else:
        plt.close(fig)
    return path


def use_agg_unless_interactive():
    """Select matplotlib's Agg backend when not inside Jupyter (call before pyplot)."""
    import matplotlib
    if not in_notebook():
        matplotlib.use("Agg")
