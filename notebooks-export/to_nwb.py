#!/usr/bin/env python3
"""Write the spikes of one evaluation of an autoparam run file as an NWB 2 file (pynwb).

    python3 notebooks-export/to_nwb.py RUN.h5 --evaluation R/E --output eval.nwb
    python3 notebooks-export/to_nwb.py RUN.h5 --best --output best.nwb

R is the replicate, E the evaluation's row in that replicate (as `autoparam inspect`,
`autoparam export-genn` and the notebooks number them); `--best` picks the highest committed
fitness of the run. Only committed rows are read (see autoparam_run.py), so a running or
killed run works too.

What the NWB file holds:

- `units` (the file's one Units table): one row per neuron of every population the run
  recorded, with the columns `population` ("PN", "KC", "DN", "GGN") and `neuron_id` (the
  neuron's index within its population, as in the run file's `ids`), `spike_times` in
  seconds from the start of the evaluation, and `obs_intervals` [0, duration] so that a
  neuron that never fired reads as observed and silent. No electrodes: these are simulated
  neurons. The table's `resolution` is the time step (dt) in seconds.
  Why one table with a population column rather than one Units table per population in a
  processing module: NWB gives the units table of a file a fixed place (/units) that readers
  and viewers look in, pynwb's validator accepts it without extensions, and selecting a
  population is one comparison on a column (`units[units.population == "KC"]`).
- `trials`: one row per presented image: start_time and stop_time of its window (stimulus
  and blank) in seconds, `stimulus_stop_time`, `image_index` (row of the run file's
  /dataset), `label`, `class_name` and `phase` ("training", with teacher and STDP on, or
  "test", held out).
- processing module `autoparam`: the table `genotype` (one row per gene: `gene`, `value`),
  the table `evaluation` (one row: replicate, row, fitness, max_fitness, status, seed,
  population sizes, ...) and the table `provenance` (one row per root attribute of the run
  file: `attribute`, `value`).
- file metadata: `session_start_time` and `timestamps_reference_time` = the run file's
  `created` attribute; `identifier` built from experiment, master seed, replicate and row;
  `experiment_description` names the experiment and the evaluation; `notes` holds the
  provenance (tool_version, master_seed, experiment_name, created, ...) and the genotype
  as JSON; `protocol` holds the resolved experiment (YAML) the run used.

Needs pynwb (`python3 -m pip install pynwb`), h5py, numpy and pandas.
"""
import argparse
import json
import re
import sys
from datetime import datetime, timezone
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from autoparam_run import STATUS_NAMES, RunFile, _text  # noqa: E402

#: Root attributes of the run file copied into the NWB file's provenance (when present).
PROVENANCE = ("format", "format_version", "tool_version", "created", "experiment_name", "master_seed", "host",
              "threads", "dt_ms", "steps_per_evaluation", "replicate_count")


def parse_evaluation(text):
    """"R/E" -> (R, E)."""
    match = re.fullmatch(r"\s*(\d+)\s*/\s*(\d+)\s*", text or "")
    if not match:
        raise argparse.ArgumentTypeError(f"expected REPLICATE/ROW such as 0/12, not {text!r}")
    return int(match.group(1)), int(match.group(2))


def parse_created(text):
    """The run file's `created` (ISO 8601 with zone) as an aware datetime (UTC if it has no zone)."""
    value = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    return value if value.tzinfo else value.replace(tzinfo=timezone.utc)


def test_count(resolved_yaml):
    """`dataset.test_count` of the resolved experiment (0 when absent)."""
    try:
        import yaml
        return int(((yaml.safe_load(resolved_yaml) or {}).get("dataset") or {}).get("test_count", 0) or 0)
    except Exception:
        block = re.search(r"^dataset:(.*?)(?=^\S|\Z)", resolved_yaml or "", re.S | re.M)
        found = re.search(r"\btest_count\s*:\s*(\d+)", block.group(1)) if block else None
        return int(found.group(1)) if found else 0


def _plain(value):
    """An HDF5 attribute value as JSON-friendly Python."""
    if isinstance(value, bytes):
        return value.decode("utf-8")
    if isinstance(value, np.ndarray):
        return [_plain(v) for v in value.tolist()]
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def convert(run_path, replicate, row, output):
    """Write evaluation `row` of `replicate` of the run file at `run_path` to `output` (NWB)."""
    from hdmf.common import DynamicTable, VectorData
    from pynwb import NWBHDF5IO, NWBFile, ProcessingModule
    from pynwb.misc import Units

    with RunFile(run_path) as run:
        if replicate not in run.committed:
            raise SystemExit(f"replicate {replicate} does not exist (replicates {run.replicates})")
        try:
            run._check_row(replicate, row)
        except IndexError as error:
            raise SystemExit(str(error))
        attrs = {k: _plain(v) for k, v in run.file.attrs.items()}
        provenance = {k: attrs[k] for k in PROVENANCE if k in attrs}
        resolved = _text(attrs.get("experiment_resolved_yaml", attrs.get("experiment_yaml", "")))
        evaluation = run.evaluations(replicate).iloc[row]
        genotype = {g: float(evaluation[g]) for g in run.gene_names}
        dt_s = run.dt / 1000.0
        duration_s = run.steps_per_evaluation * dt_s
        created = parse_created(_text(attrs.get("created", "1970-01-01T00:00:00Z")))
        name = run.experiment_name
        status = STATUS_NAMES.get(int(evaluation["status"]), str(int(evaluation["status"])))

        nwb = NWBFile(
            session_description=(f"autoparam simulation of the mushroom-body network: experiment '{name}', "
                                 f"replicate {replicate}, evaluation {row}"),
            identifier=f"autoparam-{name}-seed{provenance.get('master_seed', 'unknown')}-r{replicate}-e{row}",
            session_start_time=created,
            timestamps_reference_time=created,
            session_id=f"replicate {replicate} evaluation {row}",
            experiment_description=(f"Evaluation {row} of replicate {replicate} of the autoparam experiment '{name}' "
                                    f"(run file {Path(run_path).name}, tool version {provenance.get('tool_version')}): "
                                    f"fitness {evaluation['fitness']:g} of {evaluation['max_fitness']:g}, status {status}. "
                                    f"Genotype: " + ", ".join(f"{g}={v:g}" for g, v in genotype.items())),
            notes=json.dumps({"provenance": provenance, "genotype": genotype,
                              "replicate": replicate, "evaluation": row}, sort_keys=True),
            protocol=resolved or None,
            source_script=("autoparam run file converted by notebooks-export/to_nwb.py"),
            source_script_file_name="to_nwb.py",
            keywords=["autoparam", "mushroom body", "spiking network simulation", "genetic algorithm"],
            units=Units(name="units", resolution=dt_s,
                        description=("every neuron of every recorded population of one autoparam evaluation; "
                                     "spike times in seconds from the start of the evaluation")),
        )

        # -- units: every neuron of every recorded population --------------------------
        units = nwb.units
        units.add_column("population", "population of the neuron: PN, KC, DN or GGN")
        units.add_column("neuron_id", "index of the neuron within its population (the run file's spike ids)")
        for population in run.populations:
            size = run.population_size(replicate, row, population)
            steps, ids = run.spikes(replicate, row, population)
            order = np.lexsort((steps, ids))  # by neuron, then time
            steps, ids = steps[order], ids[order]
            bounds = np.searchsorted(ids, np.arange(size + 1))
            for neuron in range(size):
                times = steps[bounds[neuron]:bounds[neuron + 1]].astype(np.float64) * dt_s
                units.add_unit(spike_times=times, obs_intervals=[[0.0, duration_s]],
                               population=population, neuron_id=neuron)

        # -- trials: the presented images ----------------------------------------------
        schedule = run.protocol()
        window_s = schedule["window_steps"] * dt_s
        stimulus_s = schedule["stimulus_steps"] * dt_s
        held_out = test_count(resolved)
        images = schedule["images"]
        nwb.add_trial_column("stimulus_stop_time", "end of the image's stimulus; the blank follows until stop_time (s)")
        nwb.add_trial_column("image_index", "row of the image in the run file's /dataset")
        nwb.add_trial_column("label", "class of the image (the DN the teacher drives during training)")
        nwb.add_trial_column("class_name", "name of the image's class")
        nwb.add_trial_column("phase", "training (teacher and STDP on) or test (held out: teacher off, STDP frozen)")
        for i in range(images):
            label = int(run.labels[i])
            nwb.add_trial(start_time=i * window_s, stop_time=(i + 1) * window_s,
                          stimulus_stop_time=i * window_s + stimulus_s, image_index=i, label=label,
                          class_name=run.class_names[label] if 0 <= label < len(run.class_names) else str(label),
                          phase="test" if i >= images - held_out else "training")

        # -- the genotype, the evaluation's record and the provenance ------------------
        module = ProcessingModule(name="autoparam", description="what autoparam recorded about this evaluation")
        nwb.add_processing_module(module)
        module.add(DynamicTable(
            name="genotype", description="the evaluated genotype: gene names and values (units: see docs/parameters.md)",
            columns=[VectorData(name="gene", description="gene (parameter) name", data=list(genotype)),
                     VectorData(name="value", description="gene value", data=[float(v) for v in genotype.values()])]))
        record = {
            "replicate": replicate, "row": row, "fitness": float(evaluation["fitness"]),
            "max_fitness": float(evaluation["max_fitness"]), "status": status,
            "status_message": str(evaluation["status_message"]), "seed": str(int(evaluation["seed"])),
            "tournament": int(evaluation["tournament"]), "slot": int(evaluation["slot"]),
            "wall_seconds": float(evaluation["wall_seconds"]),
        }
        for column in evaluation.index:
            if column.startswith("component:"):
                record[column.replace(":", "_")] = float(evaluation[column])
            elif column.startswith("size:"):
                record[column.replace(":", "_")] = int(evaluation[column])
        module.add(DynamicTable(
            name="evaluation", description="the run file's record of this evaluation (one row)",
            columns=[VectorData(name=k, description=k.replace("_", " "), data=[v]) for k, v in record.items()]))
        module.add(DynamicTable(
            name="provenance", description="root attributes of the run file (values as JSON)",
            columns=[VectorData(name="attribute", description="attribute name", data=list(provenance)),
                     VectorData(name="value", description="attribute value, JSON",
                                data=[json.dumps(v) for v in provenance.values()])]))

    output = Path(output)
    output.parent.mkdir(parents=True, exist_ok=True)
    with NWBHDF5IO(str(output), "w") as io:
        io.write(nwb)
    return output


def main(argv=None):
    parser = argparse.ArgumentParser(description="Write one evaluation's spikes of an autoparam run file as NWB.")
    parser.add_argument("run_file", help="the autoparam run file (.h5)")
    which = parser.add_mutually_exclusive_group(required=True)
    which.add_argument("--evaluation", type=parse_evaluation, metavar="R/E",
                       help="replicate R, evaluation row E (e.g. 0/12)")
    which.add_argument("--best", action="store_true", help="the best evaluation: the highest committed fitness, ties to the lower replicate, then the earliest row (as every autoparam command)")
    parser.add_argument("--output", required=True, help="the NWB file to write")
    args = parser.parse_args(argv)
    if args.best:
        with RunFile(args.run_file) as run:
            best = run.best_evaluation()
        if best is None:
            raise SystemExit("the run has no committed evaluation with a finite fitness")
        replicate, row = best
    else:
        replicate, row = args.evaluation
    path = convert(args.run_file, replicate, row, args.output)
    print(f"wrote {path} (replicate {replicate}, evaluation {row})")


if __name__ == "__main__":
    main()
