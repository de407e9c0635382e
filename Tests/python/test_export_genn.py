"""`autoparam export-genn`: the PyGeNN script and the learned weights, checked against the run file.

The script must compile, and its GENOTYPE and PARAMETERS dictionaries (read back with `ast`, not
by importing the script) must hold the evaluation's genes as the run file records them (h5py).
`--weights` must write the evaluation's recorded KC->DN weights as a (KC, 4) float32 .npy.

The script's own logic (dataset loading, protocol loop, scoring, the weights file) runs against a
small stand-in for PyGeNN that checks the calls against PyGeNN 5's signatures and models; when the
real pygenn is importable the script also builds and runs on 8 images with it.
"""
import ast
import json
import os
import py_compile
import subprocess
import sys
import textwrap
from pathlib import Path

import h5py
import numpy as np
import pytest

from conftest import run_autoparam


def literal_assignments(path):
    """The module-level assignments of `path` whose values are literals (name -> value)."""
    tree = ast.parse(Path(path).read_text(encoding="utf-8"))
    values = {}
    for node in tree.body:
        if isinstance(node, ast.Assign):
            for target in node.targets:
                if isinstance(target, ast.Name):
                    try:
                        values[target.id] = ast.literal_eval(node.value)
                    except ValueError:
                        pass
    return values


def best_row(fitness):
    """The first row of the highest fitness (NaN never wins), as autoparam chooses it."""
    return int(np.nanargmax(fitness))


def recorded_evaluation(run_file, replicate, row=None):
    """(row, genes dict, weights or None) of a committed evaluation, straight from the HDF5 file."""
    with h5py.File(run_file, "r", locking=False) as f:
        g = f[f"replicates/{replicate:03d}"]
        n = int(g.attrs["committed_evaluations"])
        fitness = g["evaluations/fitness"][:n]
        row = best_row(fitness) if row is None else row
        names = [x.decode() if isinstance(x, bytes) else str(x) for x in g["evaluations/genotype"].attrs["names"]]
        genes = dict(zip(names, (float(v) for v in g["evaluations/genotype"][row])))
        weights = None
        if "weights" in g:
            index = g["weights/index"][()]
            weights = g["weights/values"][index[row]:index[row + 1]].reshape(-1, 4)
        dt = float(f.attrs["dt_ms"])
    return row, genes, weights, dt


@pytest.fixture(scope="session")
def export_bin(autoparam_bin):
    result = run_autoparam(autoparam_bin, ["export-genn", "--help"])
    if result.returncode != 0:
        pytest.fail("`autoparam export-genn` is not available: register ExportGeNN.self in the subcommands of "
                    f"Sources/autoparam/AutoparamCommand.swift\n{result.stderr}")
    return autoparam_bin


def export(export_bin, *args, cwd=None):
    return run_autoparam(export_bin, ["export-genn", *map(str, args)], cwd=cwd)


@pytest.fixture(scope="session")
def best_script(export_bin, run_file, tmp_path_factory):
    """The default export (replicate 0, best evaluation), printed to stdout and saved."""
    result = export(export_bin, run_file)
    assert result.returncode == 0, result.stderr
    path = tmp_path_factory.mktemp("export") / "best_brain.py"
    path.write_text(result.stdout, encoding="utf-8")
    return path


def test_script_compiles(best_script):
    py_compile.compile(str(best_script), doraise=True)


def test_dictionaries_hold_the_best_genotype(best_script, run_file, autoparam_bin):
    row, genes, _, dt = recorded_evaluation(run_file, 0)
    values = literal_assignments(best_script)
    assert values["GENOTYPE"] == genes
    parameters = values["PARAMETERS"]
    for name, value in genes.items():
        assert parameters[name] == value, name
    assert parameters["dt"] == dt
    listed = run_autoparam(autoparam_bin, ["parameters"]).stdout.split("\n")
    names = {line.split()[0] for line in listed if line.strip()}
    assert set(parameters) == names, "PARAMETERS must hold every parameter of `autoparam parameters`"
    assert values["SOURCE"]["replicate"] == "0" and values["SOURCE"]["evaluation"] == str(row)
    assert values["SOURCE"]["run_file"] == Path(run_file).name
    assert values["VARIANT"] == "seed"  # quickstart.yaml's protocol
    assert values["WEIGHTS_FILE"] is None


def test_a_chosen_evaluation(export_bin, run_file, tmp_path):
    script = tmp_path / "chosen.py"
    result = export(export_bin, run_file, "--replicate", 1, "--evaluation", 2, "--output", script)
    assert result.returncode == 0, result.stderr
    assert "wrote" in result.stderr and result.stdout == ""
    _, genes, _, _ = recorded_evaluation(run_file, 1, row=2)
    values = literal_assignments(script)
    assert values["GENOTYPE"] == genes
    assert values["SOURCE"]["replicate"] == "1" and values["SOURCE"]["evaluation"] == "2"
    explicit_best = export(export_bin, run_file, "--best")
    assert explicit_best.returncode == 0
    assert explicit_best.stdout == export(export_bin, run_file).stdout


def test_weights_are_the_recorded_ones(export_bin, run_file, tmp_path):
    script = tmp_path / "brain.py"
    result = export(export_bin, run_file, "--replicate", 1, "--weights", "--output", script)
    assert result.returncode == 0, result.stderr
    npy = tmp_path / "brain_kc_dn_weights.npy"
    assert npy.is_file()
    row, genes, weights, _ = recorded_evaluation(run_file, 1)
    loaded = np.load(npy)
    assert loaded.dtype == np.float32
    assert loaded.shape == (int(genes["kc_count"]), 4)
    assert np.array_equal(loaded, weights)
    values = literal_assignments(script)
    assert values["WEIGHTS_FILE"] == "brain_kc_dn_weights.npy"
    assert values["SOURCE"]["evaluation"] == str(row)


@pytest.mark.parametrize("args, message", [
    (["--replicate", "2"], "--replicate 2 is out of range: the run has replicates 0…1"),
    (["--replicate", "0", "--evaluation", "999"], "--evaluation 999 is out of range: replicate 0 has committed evaluations 0…"),
    (["--weights"], "--weights needs --output"),
    (["--best", "--evaluation", "1"], "--best and --evaluation contradict each other"),
])
def test_bad_choices_exit_2(export_bin, run_file, args, message):
    result = export(export_bin, run_file, *args)
    assert result.returncode == 2, result.stderr
    assert message in result.stderr


def test_missing_file_exits_2(export_bin, tmp_path):
    result = export(export_bin, tmp_path / "nothing.h5")
    assert result.returncode == 2
    assert "nothing.h5 cannot be read: no such file: check the path" in result.stderr


def test_not_a_run_file_exits_2(export_bin, tmp_path):
    path = tmp_path / "text.h5"
    path.write_text("not hdf5")
    result = export(export_bin, path)
    assert result.returncode == 2
    assert "text.h5 cannot be read: it is not an HDF5 file" in result.stderr


def test_weights_of_a_run_without_weights_exit_2(export_bin, make_run, tmp_path):
    run = make_run("replicates=1", "ga.population=2", "ga.tournaments=1", "dataset.count=8", "record.spikes=[DN]")
    result = export(export_bin, run, "--weights", "--output", tmp_path / "x.py")
    assert result.returncode == 2
    assert "did not record weights" in result.stderr
    assert not (tmp_path / "x.py").exists()


# -- the script's logic against a stand-in for PyGeNN 5 -----------------------------------------

FAKE_PYGENN = '''
"""A stand-in for PyGeNN 5: the calls the exported script makes, with PyGeNN 5's signatures.
It checks parameter and variable names, records what was built (JSON at exit, $FAKE_PYGENN_LOG)
and makes the DN of the positive teacher current spike twice per image (steps 5 and 45 of it)."""
import atexit, json, os
import numpy as np

LOG = {"neuron_models": {}, "populations": {}, "synapses": {}, "current_sources": {}, "loaded": None}
atexit.register(lambda: json.dump(LOG, open(os.environ["FAKE_PYGENN_LOG"], "w")))

BUILTIN_WU = {"StaticPulseConstantWeight": ["g"]}
BUILTIN_PS = {"ExpCond": (["tau", "E"], ["V"]), "ExpCurr": (["tau"], []), "DeltaCurr": ([], [])}
BUILTIN_SPARSE = {"FixedProbability": ["prob"]}
BUILTIN_INIT = {"Normal": ["mean", "sd"]}

class Model:
    def __init__(self, kind, name, params, vars, **extra):
        self.kind, self.name, self.params, self.vars, self.extra = kind, name, list(params or []), [v[0] for v in vars or []], extra

def create_neuron_model(class_name, params=None, param_names=None, vars=None, var_name_types=None,
                        derived_params=None, sim_code=None, threshold_condition_code=None, reset_code=None,
                        extra_global_params=None, additional_input_vars=None, auto_refractory_required=False):
    LOG["neuron_models"][class_name] = {"auto_refractory_required": auto_refractory_required,
                                        "threshold": threshold_condition_code}
    assert sim_code and threshold_condition_code
    return Model("neuron", class_name, params, vars)

def create_weight_update_model(class_name, params=None, param_names=None, vars=None, var_name_types=None,
                               pre_vars=None, pre_var_name_types=None, post_vars=None, post_var_name_types=None,
                               pre_neuron_var_refs=None, post_neuron_var_refs=None, psm_var_refs=None,
                               derived_params=None, sim_code=None, pre_spike_syn_code=None, event_code=None,
                               pre_event_syn_code=None, post_event_syn_code=None, learn_post_code=None,
                               post_spike_syn_code=None, synapse_dynamics_code=None,
                               event_threshold_condition_code=None, pre_event_threshold_condition_code=None,
                               post_event_threshold_condition_code=None, pre_spike_code=None, post_spike_code=None,
                               pre_dynamics_code=None, post_dynamics_code=None, extra_global_params=None):
    assert "addToPost(g)" in pre_spike_syn_code and "st_post" in pre_spike_syn_code and "st_pre" in post_spike_syn_code
    return Model("weight_update", class_name, params, vars)

def create_current_source_model(class_name, params=None, param_names=None, vars=None, var_name_types=None,
                                neuron_var_refs=None, derived_params=None, injection_code=None,
                                extra_global_params=None):
    assert "injectCurrent" in injection_code
    return Model("current_source", class_name, params, vars)

class VarRef:
    def __init__(self, group, name):
        assert name in group.vars, f"{group.name} has no variable {name}"
        self.group, self.name = group, name

def create_var_ref(group, var_name, *args):
    return VarRef(group, var_name)

class VarInit:
    def __init__(self, snippet, params):
        assert sorted(params) == sorted(BUILTIN_INIT[snippet]), (snippet, params)
        self.snippet, self.params = snippet, params

def init_var(snippet, params={}):
    return VarInit(snippet, params)

def init_sparse_connectivity(snippet, params={}):
    assert sorted(params) == sorted(BUILTIN_SPARSE[snippet]), (snippet, params)
    return ("sparse", snippet, params)

def init_postsynaptic(snippet, params={}, vars={}, var_refs={}):
    names, refs = BUILTIN_PS[snippet]
    assert sorted(params) == sorted(names), (snippet, params)
    assert sorted(var_refs) == sorted(refs), (snippet, var_refs)
    return ("ps", snippet, params, var_refs)

def init_weight_update(snippet, params={}, vars={}, pre_vars={}, post_vars={}, pre_var_refs={},
                       post_var_refs={}, psm_var_refs={}):
    if isinstance(snippet, str):
        assert sorted(params) == sorted(BUILTIN_WU[snippet]) and not vars, (snippet, params)
    else:
        assert sorted(params) == sorted(snippet.params) and sorted(vars) == sorted(snippet.vars), snippet.name
    return ("wu", snippet, params, vars)

class Var:
    def __init__(self, size, init):
        if isinstance(init, VarInit):
            self._values = np.full(size, init.params.get("mean", 0.0), dtype=np.float32)
        else:
            init = np.asarray(init, dtype=np.float32)
            assert init.size in (1, size), f"{init.size} initial values for {size} elements"
            self._values = np.broadcast_to(init.reshape(-1), (size,)).copy() if init.size == 1 else init.copy()
    @property
    def values(self):
        return self._values.copy()
    @values.setter
    def values(self, v):
        v = np.asarray(v, dtype=np.float32).reshape(-1)
        assert v.size == self._values.size
        self._values[:] = v
    @property
    def view(self):
        return self._values
    def push_to_device(self): pass
    def pull_from_device(self): pass

class NeuronGroup:
    def __init__(self, model, name, n, neuron, params, vars):
        assert n > 0, "GeNN cannot build an empty population"
        assert isinstance(neuron, Model) and neuron.kind == "neuron", "expected a custom neuron model"
        assert sorted(params) == sorted(neuron.params), (name, params)
        assert sorted(vars) == sorted(neuron.vars), (name, vars)
        self.model, self.name, self.num_neurons = model, name, n
        self.vars = {k: Var(n, v) for k, v in vars.items()}
        self.spike_recording_enabled = False
        self._recorded = (np.zeros(0), np.zeros(0, dtype=np.int64))
    @property
    def spike_recording_data(self):
        assert self.spike_recording_enabled, f"{self.name}: recording not enabled"
        return [self._recorded]

class SynapseGroup:
    def __init__(self, name, matrix_type, source, target, wu, ps, connectivity):
        assert matrix_type in ("DENSE", "SPARSE"), matrix_type
        assert (connectivity is not None) == (matrix_type == "SPARSE"), name
        for ref in ps[3].values():
            assert ref.group is target, f"{name}: ExpCond's V must reference the target population"
        self.name = name
        size = source.num_neurons * target.num_neurons
        self.vars = {k: Var(size, v) for k, v in wu[3].items()}

class CurrentSource:
    def __init__(self, name, model, pop, params, vars):
        assert sorted(vars) == sorted(model.vars)
        self.pop = pop
        self.vars = {k: Var(pop.num_neurons, v) for k, v in vars.items()}

class GeNNModel:
    def __init__(self, precision="float", model_name="GeNNModel", backend=None, time_precision=None, **kwargs):
        assert precision == "float"
        self.dt, self.timestep = 0.1, 0
        self.neuron_populations, self.synapse_populations, self.current_sources = {}, {}, {}
        self._loaded, self._buffered = False, []
    def add_neuron_population(self, pop_name, num_neurons, neuron, params={}, vars={}):
        group = NeuronGroup(self, pop_name, num_neurons, neuron, params, vars)
        self.neuron_populations[pop_name] = group
        LOG["populations"][pop_name] = {"size": num_neurons, "model": neuron.name}
        return group
    def add_synapse_population(self, pop_name, matrix_type, source, target, weight_update_init,
                               postsynaptic_init, connectivity_init=None):
        group = SynapseGroup(pop_name, matrix_type, source, target, weight_update_init, postsynaptic_init,
                             connectivity_init)
        self.synapse_populations[pop_name] = group
        wu = weight_update_init[1]
        LOG["synapses"][pop_name] = {"matrix": matrix_type, "source": source.name, "target": target.name,
                                     "weight_update": wu if isinstance(wu, str) else wu.name,
                                     "params": weight_update_init[2], "postsynaptic": postsynaptic_init[1]}
        return group
    def add_current_source(self, cs_name, current_source_model, pop, params={}, vars={}, var_refs={}):
        source = CurrentSource(cs_name, current_source_model, pop, params, vars)
        self.current_sources[cs_name] = source
        LOG["current_sources"][cs_name] = pop.name
        return source
    def build(self, path_to_model="./", always_rebuild=False, never_rebuild=False):
        pass
    def load(self, path_to_model="./", num_recording_timesteps=None):
        if any(p.spike_recording_enabled for p in self.neuron_populations.values()):
            assert num_recording_timesteps, "recording needs num_recording_timesteps"
        self._window, self._loaded = num_recording_timesteps, True
        LOG["loaded"] = num_recording_timesteps
    def step_time(self):
        assert self._loaded
        for source in self.current_sources.values():
            magnitude = source.vars["magnitude"].view
            if (self.timestep % 500) in (5, 45):
                for d in np.flatnonzero(magnitude > 0):
                    self._buffered.append((source.pop, self.timestep, int(d)))
        self.timestep += 1
    def pull_recording_buffers_from_device(self):
        start = self.timestep - self._window
        for pop in self.neuron_populations.values():
            mine = [(s, i) for p, s, i in self._buffered if p is pop and s >= start]
            pop._recorded = (np.array([s * self.dt for s, _ in mine]), np.array([i for _, i in mine], dtype=np.int64))
        self._buffered = []
'''


@pytest.fixture(scope="session")
def fake_pygenn(tmp_path_factory):
    folder = tmp_path_factory.mktemp("fake_pygenn")
    (folder / "pygenn").mkdir()
    (folder / "pygenn" / "__init__.py").write_text(textwrap.dedent(FAKE_PYGENN))
    return folder


def run_script(script, args, fake_pygenn, tmp_path):
    log = tmp_path / "pygenn_log.json"
    env = dict(os.environ, PYTHONPATH=str(fake_pygenn), FAKE_PYGENN_LOG=str(log))
    result = subprocess.run([sys.executable, str(script), *map(str, args)], capture_output=True, text=True,
                            env=env, cwd=tmp_path, timeout=600)
    assert result.returncode == 0, f"stdout:\n{result.stdout}\nstderr:\n{result.stderr}"
    return result.stdout, json.loads(log.read_text())


def expected_score(parameters, variant, images):
    """The seed-242 score under the stand-in: the labelled DN spikes twice per stimulus when the
    applied teacher is positive; weights and KC voltages pass their checks when there are KCs."""
    teacher = parameters["teacher"]
    if variant == "seed":
        teacher = float(int(teacher))
    has_kcs = int(parameters["kc_count"]) > 0
    checks = (1.0 if has_kcs else 0.0) + (0.5 if has_kcs else 0.0)
    spikes = 2.0 * images if teacher > 0 else 0.0
    return checks + spikes + (images - 1) * (1.0 if has_kcs else 0.0) + 0.5


@pytest.mark.parametrize("replicate", [0, 1])
def test_script_logic_with_a_pygenn_stand_in(export_bin, run_file, fake_pygenn, tmp_path, replicate):
    script = tmp_path / "brain.py"
    result = export(export_bin, run_file, "--replicate", replicate, "--weights", "--output", script)
    assert result.returncode == 0, result.stderr
    values = literal_assignments(script)
    P = values["PARAMETERS"]
    stdout, log = run_script(script, [run_file, "--images", 8, "--save-spikes", tmp_path / "spikes.npz"],
                             fake_pygenn, tmp_path)
    # GeNN 4's spike rule on every custom neuron model.
    assert log["neuron_models"] and all(m["auto_refractory_required"] for m in log["neuron_models"].values())
    kc = int(P["kc_count"])
    assert log["populations"]["PN"]["size"] == 784 and log["populations"]["DN"]["size"] == 4
    assert log["populations"]["KC"]["size"] == kc
    assert log["synapses"]["KC_DN"]["params"]["wMax"] == P["w_max"]
    assert log["synapses"]["KC_DN"]["params"]["tauPlus"] == P["stdp_tau"]
    assert log["synapses"]["PN_KC"]["postsynaptic"] == "ExpCond"
    assert log["synapses"]["GGN_KC"]["postsynaptic"] == "ExpCurr"
    assert log["current_sources"]["teacher"] == "DN"
    assert log["loaded"] == round((P["stimulus_ms"] + P["blank_ms"]) / P["dt"])
    maximum = 1.5 + 2 * 8 + 7 + 0.5
    assert f"seed-242 score: {expected_score(P, values['VARIANT'], 8)} / {maximum} (8 images)" in stdout
    spikes = np.load(tmp_path / "spikes.npz")
    assert set(spikes.files) >= {"DN_steps", "DN_ids", "KC_steps", "PN_ids"}


def test_script_reads_a_csv_and_builds_without_kcs(export_bin, run_file, fake_pygenn, tmp_path):
    script = tmp_path / "brain.py"
    assert export(export_bin, run_file, "--output", script).returncode == 0
    text = script.read_text(encoding="utf-8")
    values = literal_assignments(script)
    old = f'    "kc_count": {values["PARAMETERS"]["kc_count"]!r},  #'
    assert old in text
    script.write_text(text.replace(old, '    "kc_count": 0.0,  #'), encoding="utf-8")
    with h5py.File(run_file, "r", locking=False) as f:
        images = f["dataset/images"][()]
    csv = tmp_path / "images.csv"
    np.savetxt(csv, images, fmt="%d", delimiter=",")
    stdout, log = run_script(script, [csv, "--frozen"], fake_pygenn, tmp_path)
    assert "KC" not in log["populations"] and log["synapses"] == {}
    P = dict(values["PARAMETERS"], kc_count=0.0)
    n = len(images)
    assert f"seed-242 score: {expected_score(P, values['VARIANT'], n)} / {1.5 + 2 * n + n - 1 + 0.5}" in stdout


def test_script_runs_on_pygenn(best_script, run_file, pygenn_path, tmp_path):
    """Builds and runs the exported network with the real PyGeNN on 8 images (skipped without it)."""
    env = dict(os.environ, PYTHONPATH=str(pygenn_path))
    result = subprocess.run([sys.executable, str(best_script), str(run_file), "--images", "8",
                             "--backend", "single_threaded_cpu"],
                            capture_output=True, text=True, cwd=tmp_path, timeout=1800, env=env)
    assert result.returncode == 0, f"stdout:\n{result.stdout}\nstderr:\n{result.stderr}"
    assert "seed-242 score:" in result.stdout
